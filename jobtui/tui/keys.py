"""Key reference built from the bindings themselves: one source of truth for keys.

The help screen (``?``), the command palette's key hints and the README's key
summary (checked by tests/tui/test_keys_doc.py) all read the ``BINDINGS`` of the
classes that handle the keys, so a key changed in one place is changed
everywhere. Only jobtui's own bindings are listed, plus the few stock Textual
bindings a user needs (pane focus, the palette, and what a class lists in its
``HELP_STOCK``: tree and table movement); each is described by its ``tooltip``
(or, without one, its short ``description``, which is what the key bar shows).

A section is the owner class's ``HELP_SECTION``, or the binding's
``Binding.Group`` when it has one (the monitor groups its filter and task keys).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import format_key

# Stock Textual bindings worth a line in every screen's help: action → text. A jobtui
# class documents the stock bindings it inherits in its own ``HELP_STOCK`` (the step
# tree's cursor keys mean "select a step", the job list's "select a job").
STOCK_HELP: dict[str, str] = {
    "app.focus_next": "next pane",
    "app.focus_previous": "previous pane",
}
KEY_COLUMN = 16  # the help's key column at most: wider labels put their text below
PALETTE_HELP = "command palette: jump to a step, a host, a batch; every toggle"

# Keys spelled as words in the help (the key bar has its own glyphs for them).
_NAMED = frozenset(
    {"up", "down", "left", "right", "enter", "escape", "space", "tab", "end", "home"}
    | {"pageup", "pagedown", "backspace", "delete"}
)


@dataclass(frozen=True)
class KeyLine:
    """One line of the reference: every key of one action and what it does."""

    keys: str
    action: str
    text: str


@dataclass(frozen=True)
class KeySection:
    title: str
    lines: tuple[KeyLine, ...]


def key_name(key: str) -> str:
    """``question_mark`` → ``?``, ``ctrl+f`` stays, ``pagedown`` stays a word."""
    *modifiers, base = key.split("+")
    shown = base if base in _NAMED or len(base) == 1 else format_key(base)
    return "+".join([*modifiers, shown])


def key_label(binding: Binding) -> str:
    """Every key of ``binding`` as the help shows it: ``w / escape``; ``key_display`` wins."""
    if binding.key_display is not None:
        return binding.key_display
    return " / ".join(key_name(key.strip()) for key in binding.key.split(","))


def _help_text(owner: type[DOMNode], declared_by: type[DOMNode], binding: Binding) -> str | None:
    if declared_by.__module__.startswith("jobtui."):
        return binding.tooltip or binding.description or None
    stock: Mapping[str, str] = getattr(owner, "HELP_STOCK", {})
    return stock.get(binding.action) or STOCK_HELP.get(binding.action)


def _own_bindings(cls: type[DOMNode]) -> list[Binding]:
    declared = cls.__dict__.get("BINDINGS", ())
    return [b if isinstance(b, Binding) else Binding(*b) for b in declared]


def owner_bindings(owner: type[DOMNode]) -> Iterable[tuple[Binding, str]]:
    """``owner``'s documented bindings with their help text, most derived class first.

    A key bound again in a subclass hides the base class's binding, as in Textual.
    """
    seen_keys: set[str] = set()
    extra: list[tuple[type[DOMNode], Binding]] = []
    if issubclass(owner, App) and owner.ENABLE_COMMAND_PALETTE:
        palette = Binding(owner.COMMAND_PALETTE_BINDING, "command_palette", "palette")
        yield palette, PALETTE_HELP
        seen_keys.add(palette.key)
    for cls in owner.__mro__:
        if isinstance(cls, type) and issubclass(cls, DOMNode):
            extra.extend((cls, b) for b in _own_bindings(cls))
    for cls, binding in extra:
        keys = {k.strip() for k in binding.key.split(",")}
        if keys & seen_keys:
            continue
        seen_keys |= keys
        text = _help_text(owner, cls, binding)
        if text is not None:
            yield binding, text


def sections(owners: Sequence[type[DOMNode]]) -> tuple[KeySection, ...]:
    """The key reference for ``owners`` (app, screen, then its widgets, in screen order).

    Lines of one action in one section merge their keys (``q / ctrl+q``); a key
    already listed in a section by an earlier owner is not repeated there.
    """
    order: list[str] = []
    found: dict[str, list[KeyLine]] = {}
    listed: set[tuple[str, str]] = set()
    for owner in owners:
        default = str(getattr(owner, "HELP_SECTION", "Everywhere"))
        for binding, text in owner_bindings(owner):
            title = binding.group.description if binding.group else default
            label = key_label(binding)
            if (title, label) in listed:
                continue
            listed.add((title, label))
            lines = found.setdefault(title, [])
            if title not in order:
                order.append(title)
            same = (i for i, line in enumerate(lines) if line.action == binding.action)
            merged = next(same, None)
            if merged is None:
                lines.append(KeyLine(label, binding.action, text))
            else:
                old = lines[merged]
                lines[merged] = KeyLine(f"{old.keys} / {label}", old.action, old.text)
    return tuple(KeySection(title, tuple(found[title])) for title in order)


def render(
    found: Sequence[KeySection], *, width: int | None = None, columns: int | None = None
) -> str:
    """Plain text for the help screen, fitted to ``columns`` cells when given.

    The key column is as wide as the widest key label (at most ``KEY_COLUMN``)
    unless ``width`` says. A description too long for its line wraps with a
    hanging indent under the description column, never back to column 0 (the
    overlay is 53 cells wide at 60x15); a key label wider than its column puts
    the description on the next line, at the same column.
    """
    if width is None:
        labels = [len(line.keys) for section in found for line in section.lines]
        width = min(KEY_COLUMN, max(labels, default=0))
    indent = 2 + width + 2
    room = None if columns is None else max(12, columns - indent)
    out: list[str] = []
    for section in found:
        out.append(section.title)
        for line in section.lines:
            head = f"  {line.keys:<{width}}  "
            if room is None:
                out.append(f"{head}{line.text}")
                continue
            chunks = textwrap.wrap(line.text, room, break_on_hyphens=False) or [""]
            if len(head) > indent:
                out.append(head.rstrip())
                out.extend(" " * indent + chunk for chunk in chunks)
            else:
                out.append(head + chunks[0])
                out.extend(" " * indent + chunk for chunk in chunks[1:])
        out.append("")
    return "\n".join(out)


def key_for(owner: type[DOMNode], action: str) -> str:
    """The keys bound to ``action`` on ``owner`` (for hints such as the palette's)."""
    labels = [key_label(b) for b, _ in owner_bindings(owner) if b.action == action]
    return " / ".join(labels)
