"""A line-API log view over a LogBuffer: renders only the rows on screen.

A host log can be megabytes long and is refreshed every second, so the view
never builds widgets or Rich text for the whole log: ``render_line`` parses and
styles one line when it scrolls into view, and an LRU cache of strips keeps
scrolling cheap. Appending N lines costs O(N): the buffer splits only the
suffix, the wrap index grows by N entries, and only the changed lines leave
the cache.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from jobtui.core.ansi import TextStyle, parse_line
from jobtui.core.logbuffer import LogBuffer, LogDelta
from jobtui.tui.compat.scroll import set_virtual_size

__all__ = ["LogView"]


@lru_cache(maxsize=512)
def rich_style(style: TextStyle) -> Style:
    """Convert the core's pure style struct into a Rich style."""
    return Style(
        color=_color(style.fg),
        bgcolor=_color(style.bg),
        bold=style.bold or None,
        dim=style.dim or None,
        italic=style.italic or None,
        underline=style.underline or None,
        reverse=style.reverse or None,
        strike=style.strike or None,
    )


def _color(value: int | tuple[int, int, int] | None) -> Color | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return Color.from_rgb(*value)
    return Color.from_ansi(value)


class LogView(ScrollView, can_focus=True):
    """Scrollable, searchable, wrap-able view of one host's log."""

    HELP_SECTION: ClassVar[str] = "Log"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "scroll_up", "Up", show=False, tooltip="scroll up a line"),
        Binding("j", "scroll_down", "Down", show=False, tooltip="scroll down a line"),
    ]

    # Component classes keep the highlight colours in the theme; the text styles
    # keep matches readable under NO_COLOR. The muted ones (marker, placeholder) are
    # read whole: ``$foreground-muted`` has an alpha that only the full style blends
    # over the view's background (the partial style was plain foreground).
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--match",
        "log-view--current",
        "log-view--marker",
        "log-view--placeholder",
    }
    DEFAULT_CSS = """
    LogView { background: $surface; }
    LogView.-wrap { overflow-x: hidden; }
    LogView > .log-view--match { background: $warning 40%; text-style: underline; }
    LogView > .log-view--current { background: $accent; color: $text; text-style: bold reverse; }
    LogView > .log-view--marker { color: $foreground-muted; text-style: italic; }
    LogView > .log-view--placeholder { color: $foreground-muted; }
    """

    follow: reactive[bool] = reactive(True, repaint=False)
    wrap: reactive[bool] = reactive(False, repaint=False)
    pending: var[int] = var(0)  # lines arrived while not following
    match_total: var[int] = var(0)
    match_index: var[int] = var(0)  # 1-based index of the current match, 0 = none

    def __init__(self, *, max_lines: int = 200_000, max_line_len: int = 2_000) -> None:
        super().__init__()
        self.buffer = LogBuffer(max_lines, max_line_len)
        self.query_text = ""
        self.current: tuple[int, int] | None = None  # (line, column) of the current match
        self._cache: LRUCache[int, Strip] = LRUCache(2048)  # key: absolute line number
        self._row_starts: list[int] = []  # wrap mode: first row of each line
        self._wrap_width = 0
        self._last_line_matches = 0
        self.rendered = 0  # lines styled since start; lets tests check O(new) work
        self._placeholder: Text | None = None  # see set_placeholder

    # ------------------------------------------------------------------ placeholder

    @property
    def placeholder(self) -> str | None:
        """What the view says instead of a log ("select a host", "no output"), or None."""
        return None if self._placeholder is None else self._placeholder.plain

    def set_placeholder(self, text: str | Text | None) -> None:
        """Say ``text`` (centred, muted) instead of the log's lines; None shows the lines.

        The pane's empty states are drawn by the view itself rather than by a
        widget shown in its place: the view keeps its size and scroll bars, so
        the first log it gets is painted in one frame, already at its end (a
        view shown for the first time is laid out, then gets its bars a second
        layout and frame later).
        """
        new = Text(text) if isinstance(text, str) else text
        if new == self._placeholder:
            return
        self._placeholder = new
        self._resize_virtual()
        self.refresh()

    # ------------------------------------------------------------------ content

    def load(self, content: str) -> LogDelta:
        """Feed the whole log text; only its new suffix is processed."""
        old_len = len(self.buffer)
        delta = self.buffer.update(content)
        if delta.reset:
            self._cache.clear()
            self.current = None
            self.pending = 0
        else:
            self._forget(delta.first_changed, old_len)
        self._count_new_matches(delta, old_len)
        self._extend_rows(delta)
        self._resize_virtual()
        if self.follow:
            self._scroll_to_end()
        elif not delta.reset:
            self.pending += delta.new_lines
        if delta.reset or delta.new_lines or delta.first_changed < old_len:
            self.refresh()
        return delta

    def _scroll_to_end(self) -> None:
        """Scroll to the last row; at the next layout if the view has no size yet.

        A view not laid out yet (the first log of a host) is anchored: Textual's
        layout then places it at its end, so the first frame shows the log's
        tail, not its head followed by a jump one frame later.
        """
        if self.size.height > 0:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        else:
            self.anchor()
            self.call_after_refresh(self._end_if_following)

    def _end_if_following(self) -> None:
        self.anchor(False)  # laid out: follow mode keeps the end from here on
        if self.follow:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def clear(self) -> None:
        """Forget the log (another host was selected)."""
        self.buffer = LogBuffer(self.buffer.max_lines, self.buffer.max_line_len)
        self._cache.clear()
        self._row_starts = []
        self.current = None
        self.pending = 0
        self.match_total = self.match_index = 0
        self._last_line_matches = 0
        self._resize_virtual()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _forget(self, first_changed: int, old_len: int) -> None:
        """Drop cached strips of lines whose text changed (a grown partial line)."""
        base = self.buffer.dropped
        for index in range(first_changed, old_len):
            self._cache.discard(base + index)

    @property
    def _offset(self) -> int:
        """One row for the "N earlier lines dropped" note once the cap bit."""
        return 1 if self.buffer.dropped else 0

    # ------------------------------------------------------------------ geometry

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def _rows_of(self, index: int) -> int:
        width = self._display_width(index)
        return max(1, math.ceil(width / self._wrap_width))

    def _extend_rows(self, delta: LogDelta) -> None:
        if not self.wrap:
            return
        if delta.reset or delta.dropped or not self._row_starts:
            self._rebuild_rows()
            return
        keep = min(delta.first_changed, len(self._row_starts))
        del self._row_starts[keep:]
        for index in range(keep, len(self.buffer)):
            self._append_row_start(index)

    def _append_row_start(self, index: int) -> None:
        if not self._row_starts:
            self._row_starts.append(0)
            return
        self._row_starts.append(self._row_starts[-1] + self._rows_of(index - 1))

    def _rebuild_rows(self) -> None:
        self._wrap_width = self._text_width()
        self._row_starts = []
        for index in range(len(self.buffer)):
            self._append_row_start(index)

    def _total_rows(self) -> int:
        count = len(self.buffer)
        if not self.wrap:
            return count + self._offset
        if not self._row_starts:
            return self._offset
        return self._row_starts[-1] + self._rows_of(count - 1) + self._offset

    def _resize_virtual(self) -> None:
        """Grow the scrollable area without a screen re-layout.

        ``Widget.virtual_size`` is a layout reactive: assigning it re-arranges the
        whole screen and paints a second frame on every poll. The view's own box
        never changes when lines arrive, so once it has a size the value is set
        quietly and only the scroll bars are updated (see ``compat.scroll``).
        """
        if self._placeholder is not None:  # no bars over a placeholder
            size = Size(0, 0)
        else:
            width = self._wrap_width if self.wrap else self.buffer.max_width + 1
            size = Size(width, self._total_rows())
        if size != self.virtual_size:
            set_virtual_size(self, size)

    def _locate(self, row: int) -> tuple[int, int] | None:
        """(line index, wrapped sub-row) shown at virtual ``row``; None for the note/blank."""
        row -= self._offset
        if row < 0 or row >= self._total_rows() - self._offset:
            return None
        if not self.wrap:
            return row, 0
        index = bisect_right(self._row_starts, row) - 1
        return index, row - self._row_starts[index]

    def row_of(self, index: int) -> int:
        """The first virtual row of line ``index``."""
        if self.wrap and index < len(self._row_starts):
            return self._row_starts[index] + self._offset
        return index + self._offset

    def on_resize(self, event: Resize) -> None:
        if self.wrap and self._text_width() != self._wrap_width:
            self._cache.clear()
            self._rebuild_rows()
            self._resize_virtual()
            if self.follow:
                self._scroll_to_end()

    def watch_wrap(self, wrap: bool) -> None:
        self.set_class(wrap, "-wrap")
        self._cache.clear()
        if wrap:
            self._rebuild_rows()
        self._resize_virtual()
        if self.current is not None:
            self._scroll_to_line(self.current[0])
        elif self.follow:
            self._scroll_to_end()
        self.refresh()

    # ------------------------------------------------------------------ follow

    def watch_follow(self, follow: bool) -> None:
        if follow:
            self.pending = 0
            if self.scroll_y < self.max_scroll_y:  # not when the user just scrolled there
                self._scroll_to_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling up pauses follow; reaching the bottom again resumes it."""
        super().watch_scroll_y(old_value, new_value)
        at_end = new_value >= self.max_scroll_y
        if new_value < old_value and not at_end and self.follow:
            self.follow = False
        elif new_value > old_value and at_end and not self.follow:
            self.follow = True

    # ------------------------------------------------------------------ search

    def search(self, query: str) -> bool:
        """Highlight ``query`` and jump to its first match at or after the top row."""
        self.query_text = query
        self._cache.clear()
        self.current = None
        self.match_total = self.buffer.count_matches(query) if query else 0
        self._last_line_matches = self._last_count()
        self.match_index = 0
        self.refresh()
        if not query:
            return False
        top = self._locate(round(self.scroll_y))
        return self._goto(self.buffer.find(query, top[0] if top else 0))

    def next_match(self, backwards: bool = False) -> bool:
        """Move to the next (or previous) match, not line: ``n`` on a line holding
        three matches visits all three (the badge then counts 1, 2, 3, not 1, 4)."""
        query = self.query_text
        if not query:
            return False
        if self.current is None:
            top = self._locate(round(self.scroll_y))
            start = top[0] if top else 0
            return self._goto(self.buffer.find(query, start, backwards))
        line, column = self.current
        spans = self.buffer.matches_in(line, query)
        if backwards:
            before = [start for start, _ in spans if start < column]
            if before:
                return self._goto((line, before[-1]))
        else:
            after = [start for start, _ in spans if start > column]
            if after:
                return self._goto((line, after[0]))
        found = self.buffer.find(query, line + (-1 if backwards else 1), backwards)
        if found is not None and backwards:  # the last match of the line before
            last = self.buffer.matches_in(found[0], query)
            found = (found[0], last[-1][0]) if last else found
        return self._goto(found)

    def _goto(self, found: tuple[int, int] | None) -> bool:
        old = self.current
        self.current = found
        for line in {old[0] if old else None, found[0] if found else None} - {None}:
            assert line is not None
            self._cache.discard(self.buffer.dropped + line)
        if found is None:
            self.match_index = 0
            self.refresh()
            return False
        earlier = self.buffer.count_matches(self.query_text, 0, found[0])
        on_line = sum(
            1 for start, _ in self.buffer.matches_in(found[0], self.query_text) if start < found[1]
        )
        self.match_index = earlier + on_line + 1
        self.follow = False
        self._scroll_to_line(found[0])
        self.refresh()
        return True

    def _scroll_to_line(self, index: int) -> None:
        row = self.row_of(index)
        target = max(row - self.scrollable_content_region.height // 2, 0)
        self.scroll_to(y=target, animate=False, immediate=True)

    def _count_new_matches(self, delta: LogDelta, old_len: int) -> None:
        """Keep the match total current by counting only changed lines (drops not subtracted)."""
        if not self.query_text:
            return
        if delta.reset:
            self.match_total = self.buffer.count_matches(self.query_text)
        else:
            if delta.first_changed < old_len:
                self.match_total -= self._last_line_matches
            self.match_total += self.buffer.count_matches(self.query_text, delta.first_changed)
        self._last_line_matches = self._last_count()

    def _last_count(self) -> int:
        count = len(self.buffer)
        if not self.query_text or not count:
            return 0
        return self.buffer.count_matches(self.query_text, count - 1)

    # ------------------------------------------------------------------ rendering

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _display_width(self, index: int) -> int:
        """Cells the line takes when shown: the cut text plus its marker."""
        text = parse_line(self.buffer.full(index)).text
        limit = self.buffer.max_line_len
        if len(text) <= limit:
            return cell_len(text)
        return cell_len(text[:limit]) + len(self.buffer.cut_marker(len(text) - limit))

    def is_cut(self, index: int) -> bool:
        """True when line ``index`` is shown cut (its full text is on demand)."""
        return len(parse_line(self.buffer.full(index)).text) > self.buffer.max_line_len

    def _line_strip(self, index: int) -> Strip:
        key = self.buffer.dropped + index
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        self.rendered += 1
        styled = parse_line(self.buffer.full(index))
        limit = self.buffer.max_line_len
        text = Text(styled.text[:limit], no_wrap=True, end="")
        for span in styled.spans:
            if span.start < limit:
                text.stylize(rich_style(span.style), span.start, min(span.end, limit))
        self._highlight(text, index)
        if len(styled.text) > limit:
            marker = self.get_component_rich_style("log-view--marker")
            text.append(self.buffer.cut_marker(len(styled.text) - limit), marker)
        strip = Strip(text.render(self.app.console), text.cell_len)
        self._cache[key] = strip
        return strip

    def _highlight(self, text: Text, index: int) -> None:
        if not self.query_text:
            return
        match = self.get_component_rich_style("log-view--match", partial=True)
        current = self.get_component_rich_style("log-view--current", partial=True)
        for start, end in self.buffer.matches_in(index, self.query_text):
            is_current = self.current is not None and self.current == (index, start)
            text.stylize(current if is_current else match, start, end)

    def _placeholder_line(self, y: int, width: int, base: Style) -> Strip:
        """Row ``y`` of the placeholder: its wrapped lines centred in the view."""
        assert self._placeholder is not None
        text = self._placeholder.copy()
        text.stylize(self.get_component_rich_style("log-view--placeholder"))
        lines = text.wrap(self.app.console, width, justify="center", overflow="fold")
        top = max((self.scrollable_content_region.height - len(lines)) // 2, 0)
        if not top <= y < top + len(lines):
            return Strip.blank(width, base)
        line = lines[y - top]
        strip = Strip(line.render(self.app.console), line.cell_len)
        return strip.crop_extend(0, width, base).apply_style(base)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self._placeholder is not None:
            return self._placeholder_line(y, width, base)
        row = scroll_y + y
        if row == 0 and self._offset:
            marker = self.get_component_rich_style("log-view--marker")
            note = Text(f"… {self.buffer.dropped} earlier lines dropped", style=marker)
            return Strip(note.render(self.app.console)).crop_extend(0, width, base)
        where = self._locate(row)
        if where is None:
            return Strip.blank(width, base)
        index, sub = where
        strip = self._line_strip(index)
        if self.wrap:
            start = sub * self._wrap_width
            return strip.crop_extend(start, start + width, base).apply_style(base)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    def line_at_cursor(self) -> int | None:
        """The line the user is looking at: the current match, else the first cut line on screen."""
        if self.current is not None:
            return self.current[0]
        top = round(self.scroll_y)
        for row in range(top, top + self.scrollable_content_region.height):
            where = self._locate(row)
            if where is not None and self.is_cut(where[0]):
                return where[0]
        return None
