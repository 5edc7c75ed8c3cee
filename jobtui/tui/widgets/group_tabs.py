"""The result-group bar: one tab per (status, tag), as bk-job's web UI shows them.

A single line that scrolls sideways so the selected tab is always visible, with
``‹ n`` / ``n ›`` markers for tabs off either edge. Each tab reads glyph + word
+ tag + host count, so no state depends on colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget

from jobtui.api.catalog import host_status
from jobtui.api.models import ResultGroup
from jobtui.core.groups import GroupKey, group_word, tag_text
from jobtui.core.sanitize import safe_text
from jobtui.tui.glyphs import colour, cut_mark, glyph

_SEP = " "
# One uniform highlight: reverse video reads without colour (NO_COLOR) too.
_CHOSEN = "bold reverse"


@dataclass(frozen=True, slots=True)
class _Tab:
    key: GroupKey
    parts: tuple[tuple[str, str], ...]  # (text, style) pieces

    @property
    def width(self) -> int:
        return sum(cell_len(text) for text, _ in self.parts)


def build_tab(group: ResultGroup, *, ascii_only: bool = False) -> _Tab:
    """The pieces of one tab label: ``✓ Success (tag) 21``."""
    severity = host_status(group.status).severity
    tint = colour(severity)
    word = safe_text(group_word(group), max_len=40)
    parts: list[tuple[str, str]] = [(f" {glyph(severity, ascii_only)} {word}", tint)]
    if group.tag:
        shown, at_limit = tag_text(safe_text(group.tag), ellipsis=cut_mark(ascii_only))
        if at_limit:
            parts.append((" !" if ascii_only else " ⚠", "$warning bold"))
        parts.append((f" ({shown})", ""))
    parts.append((f" {group.host_count:,} ", "bold"))
    return _Tab(group.key, tuple(parts))


class GroupTabs(Widget, can_focus=True):
    """Focusable tab bar; posts ``Changed`` when the user picks another group."""

    DEFAULT_CSS = """
    GroupTabs {
        height: 1;
        width: 1fr;
    }
    GroupTabs:focus {
        background: $boost;
    }
    """

    HELP_SECTION: ClassVar[str] = "Results"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous group", show=False, tooltip="previous group (tabs)"),
        Binding("right", "step(1)", "Next group", show=False, tooltip="next group (tabs)"),
    ]

    class Changed(Message):
        """The user selected another group."""

        def __init__(self, key: GroupKey) -> None:
            super().__init__()
            self.key = key

    selected: var[GroupKey | None] = var(None)

    def __init__(
        self,
        *,
        ascii_only: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.ascii_only = ascii_only
        self._groups: tuple[ResultGroup, ...] = ()
        self._tabs: tuple[_Tab, ...] = ()
        self._hits: list[tuple[int, int, GroupKey]] = []  # x ranges of drawn tabs

    @property
    def keys(self) -> tuple[GroupKey, ...]:
        return tuple(tab.key for tab in self._tabs)

    def set_groups(self, groups: Sequence[ResultGroup], selected: GroupKey | None) -> None:
        """Show these groups; repaints only when labels or selection changed."""
        groups = tuple(groups)
        if groups != self._groups:
            self._groups = groups
            tabs = tuple(build_tab(g, ascii_only=self.ascii_only) for g in groups)
            if tabs != self._tabs:
                self._tabs = tabs
                self.refresh()
        self.selected = selected

    def watch_selected(self) -> None:
        self.refresh()

    def action_step(self, delta: int) -> None:
        """Select the previous/next group (wrapping), as `[` / `]` do."""
        keys = self.keys
        if not keys:
            return
        index = keys.index(self.selected) if self.selected in keys else -1
        key = keys[(index + delta) % len(keys)]
        if key != self.selected:
            self.selected = key
            self.post_message(self.Changed(key))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hits:
            if start <= event.x < end:
                if key != self.selected:
                    self.selected = key
                    self.post_message(self.Changed(key))
                return

    def _window(self, width: int) -> tuple[int, int]:
        """First and last+1 tab index that fit ``width`` with the selection inside."""
        tabs = self._tabs
        keys = self.keys
        chosen = keys.index(self.selected) if self.selected in keys else 0
        start, used = chosen, tabs[chosen].width
        end = chosen + 1
        budget = width - 8  # room for the overflow markers
        while end < len(tabs) and used + len(_SEP) + tabs[end].width <= budget:
            used += len(_SEP) + tabs[end].width
            end += 1
        while start > 0 and used + len(_SEP) + tabs[start - 1].width <= budget:
            start -= 1
            used += len(_SEP) + tabs[start].width
        return start, end

    def render(self) -> Content:
        self._hits = []
        if not self._tabs:
            return Content("")
        start, end = self._window(self.size.width or 80)
        pieces: list[str | tuple[str, str]] = []
        x = 0
        if start:
            marker = (f"<{start} " if self.ascii_only else f"‹{start} ", "$text-muted")
            pieces.append(marker)
            x += cell_len(marker[0])
        for tab in self._tabs[start:end]:
            chosen = tab.key == self.selected
            width = tab.width
            self._hits.append((x, x + width, tab.key))
            for text, style in tab.parts:
                pieces.append((text, _CHOSEN if chosen else style))
            pieces.append(_SEP)
            x += width + len(_SEP)
        if end < len(self._tabs):
            rest = len(self._tabs) - end
            pieces.append((f"{rest}>" if self.ascii_only else f"{rest}›", "$text-muted"))
        return Content.assemble(*pieces)
