"""The key bar: the focused pane's keys on one line, drawn by one widget.

Textual's ``Footer`` recomposes a widget per key on every bindings change
(each focus move): ~40 widgets mounted, styled and laid out each time, which
was the biggest single cost of the monitor's first screen (measure 6), and it
kept every old key alive through a ``data_bind`` watcher (hundreds of MB over
days, found by the soak). This bar keeps a list of (key, label) items, redraws
one line only when that list changes, and never creates a widget.

Items that do not fit are dropped whole from the end (never cut mid-word); the
command-palette key stays at the right edge while there is room for it, and a
click on an item presses its key, as in the ``Footer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

__all__ = ["ASCII_KEYS", "KeyBar", "KeyItem", "layout_items"]

#: Key glyphs Textual shows, by name, for the Linux console and ``--ascii``.
ASCII_KEYS = {"⏎": "enter", "↑": "up", "↓": "down", "←": "left", "→": "right", "⇥": "tab"}


@dataclass(frozen=True, slots=True)
class KeyItem:
    """One key on the bar: the key to simulate, how it is shown, and its label."""

    key: str
    display: str
    label: str
    enabled: bool = True

    @property
    def width(self) -> int:
        """Cells taken: `` key `` then ``label `` (as the Footer pads them)."""
        return cell_len(self.display) + 2 + (cell_len(self.label) + 1 if self.label else 0)


def layout_items(
    items: tuple[KeyItem, ...], palette: KeyItem | None, width: int, sep: str
) -> tuple[list[tuple[int, KeyItem]], tuple[int, KeyItem] | None]:
    """Where each item starts: as many as fit whole from the left, palette at the right.

    The palette item (with its one-cell separator) is kept only when the bar
    can still show at least one other item beside it, or when it is alone.
    """
    right: tuple[int, KeyItem] | None = None
    room = width
    if palette is not None:
        need = palette.width + cell_len(sep)
        first = items[0].width if items else 0
        if need + first <= width or (not items and need <= width):
            room = width - need
            right = (width - palette.width, palette)
    placed: list[tuple[int, KeyItem]] = []
    x = 0
    for item in items:
        if x + item.width > room:
            break
        placed.append((x, item))
        x += item.width
    return placed, right


class KeyBar(Widget, can_focus=False):
    """One-line key hints for the screen's active bindings (see module doc)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--label",
        "keybar--disabled",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--label {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--disabled {
        text-style: dim;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: tuple[KeyItem, ...] = ()
        self.palette: KeyItem | None = None
        self._spans: list[tuple[int, int, KeyItem]] = []  # drawn items, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.update_items()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        if self.is_attached:
            self.update_items()

    def update_items(self) -> bool:
        """Rebuild the items from the screen's bindings; repaint only if they changed."""
        items, palette = self._collect()
        if items == self.items and palette == self.palette:
            return False
        self.items, self.palette = items, palette
        self.refresh()
        return True

    def _collect(self) -> tuple[tuple[KeyItem, ...], KeyItem | None]:
        app = self.app
        active = self.screen.active_bindings
        seen: set[str] = set()
        items: list[KeyItem] = []
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)  # one item per action (its first key), as the Footer
            items.append(_item(binding, self._display(binding), enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE:
            entry = active.get(app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                palette = _item(binding, self._display(binding), enabled)
        return tuple(items), palette

    @property
    def ascii_only(self) -> bool:
        return bool(getattr(self.app, "ascii_only", False))

    def _display(self, binding: Binding) -> str:
        """How the key is shown; in ASCII mode ``⏎`` and arrows become their names."""
        display = self.app.get_key_display(binding)
        if self.ascii_only and not display.isascii():
            return ASCII_KEYS.get(display, binding.key)
        return display

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        label_style = self.get_component_rich_style("keybar--label")
        dim = self.get_component_rich_style("keybar--disabled")
        sep = "|" if self.ascii_only else "▏"
        width = self.size.width
        placed, right = layout_items(self.items, self.palette, width, sep)
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, KeyItem]] = []

        def draw(x: int, item: KeyItem) -> None:
            extra = dim if not item.enabled else None
            text.append(f" {item.display} ", key_style + extra if extra else key_style)
            if item.label:
                label = f"{item.label} "
                text.append(label, label_style + extra if extra else label_style)
            spans.append((x, x + item.width, item))

        for x, item in placed:
            draw(x, item)
        if right is not None:
            x, item = right
            text.append(" " * max(0, x - cell_len(sep) - text.cell_len))
            text.append(sep, label_style)
            draw(x, item)
        self._spans = spans
        return text

    def item_at(self, x: int) -> KeyItem | None:
        """The item drawn at column ``x`` (as last rendered), if any."""
        for start, end, item in self._spans:
            if start <= x < end:
                return item
        return None

    def on_click(self, event: events.Click) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()


def _item(binding: Binding, display: str, enabled: bool) -> KeyItem:
    return KeyItem(binding.key, display, binding.description, enabled)
