"""The line store behind the log viewer: append-only by suffix, bounded, searchable.

bk-job returns a host's whole log on every poll. Re-reading a 5 MB log each
second would cost the monitor 5 MB of work per refresh, so ``update`` checks
cheaply whether the new text continues the previous one and, if so, splits only
the new suffix into lines.

The continuation check compares the length and two short windows (the first
and the last ``_WINDOW`` characters of the previous text) instead of the whole
prefix. The trade-off: an edit in the middle of the old text that keeps its
length and both windows goes unnoticed. bk-job logs only grow (or restart from
scratch on a retry, which changes the head or the length), so O(window) per
refresh is worth that blind spot.

Lines are split on ``\\n``; a trailing ``\\r`` is dropped and a ``\\r`` inside a
line means "overwrite from the start", as a terminal would show a progress bar:
only the text after the last ``\\r`` is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from jobtui.core.ansi import parse_line

__all__ = ["LogBuffer", "LogDelta"]

_WINDOW = 256
#: Characters that make a line's shown text differ from its stored text (escape
#: sequences, controls, bidi marks: what ``sanitize.visible`` rewrites, minus the
#: newline that never occurs inside a line); other lines are indexed as stored.
_NOT_PLAIN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
    "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)
_SMALL_RANGE = 64  # lines: below it, counting per line beats rebuilding the index


@dataclass(frozen=True, slots=True)
class LogDelta:
    """What one ``update`` changed, so the view repaints only that."""

    reset: bool  # everything was reloaded: forget caches and scroll state
    new_lines: int  # lines that did not exist before (a grown partial line is not new)
    first_changed: int  # index of the first line whose text changed (== len if none)
    dropped: int = 0  # oldest lines dropped by the cap in this update


def _clean(raw: str) -> str:
    """Apply carriage-return semantics to one raw line."""
    raw = raw.rstrip("\r")
    cut = raw.rfind("\r")
    return raw if cut < 0 else raw[cut + 1 :]


class LogBuffer:
    """Lines of one host's log, fed the whole log text on every poll."""

    def __init__(self, max_lines: int = 200_000, max_line_len: int = 2_000) -> None:
        self.max_lines = max(1, max_lines)
        self.max_line_len = max(1, max_line_len)
        self._clear()

    def _clear(self) -> None:
        self._lines: list[str] = []
        self._start = 0  # index of the first kept line in _lines (cheap drops)
        self._length = 0
        self._head = ""
        self._tail = ""
        self._partial: str | None = None  # raw text of an unterminated last line
        self.dropped = 0
        self.max_width = 0
        self._search: SearchIndex | None = None  # built on the first big search
        self._search_key: tuple[int, int, int] | None = None

    # ------------------------------------------------------------------ update

    def update(self, content: str) -> LogDelta:
        """Take the whole log text; append its new suffix or reload it."""
        if self._continues(content):
            return self._append(content[self._length :])
        self._clear()
        delta = self._append(content)
        return LogDelta(True, delta.new_lines, 0, delta.dropped)

    def _continues(self, content: str) -> bool:
        if self._length == 0 or len(content) < self._length:
            return False
        end = self._length
        return (
            content[: len(self._head)] == self._head
            and content[end - len(self._tail) : end] == self._tail
        )

    def _append(self, suffix: str) -> LogDelta:
        before = len(self)
        if not suffix:
            return LogDelta(False, 0, before)
        self._remember(suffix)
        first_changed = before
        if self._partial is not None:
            suffix = self._partial + suffix
            self._lines.pop()
            first_changed -= 1
        pieces = suffix.split("\n")
        last = pieces.pop()
        self._partial = last if last else None
        if last:
            pieces.append(last)
        if "\r" not in suffix:
            # the common case, at C speed: no carriage returns to apply, and the
            # widest line is the longest (a 5 MB log loads in a few milliseconds)
            self._lines.extend(pieces)
            if pieces:
                self.max_width = max(self.max_width, self._width(max(map(len, pieces))))
        else:
            for raw in pieces:
                line = _clean(raw)
                self._lines.append(line)
                self.max_width = max(self.max_width, self._display_len(line))
        dropped = self._enforce_cap()
        new_lines = len(self) + dropped - before
        return LogDelta(False, new_lines, max(first_changed - dropped, 0), dropped)

    def _remember(self, suffix: str) -> None:
        """Keep the length and boundary windows that the next ``update`` checks."""
        if len(self._head) < _WINDOW:
            self._head = (self._head + suffix)[:_WINDOW]
        self._tail = (self._tail + suffix)[-_WINDOW:]
        self._length += len(suffix)

    def _enforce_cap(self) -> int:
        excess = len(self) - self.max_lines
        if excess <= 0:
            return 0
        self._start += excess
        self.dropped += excess
        if self._start > len(self._lines) // 2:  # amortised compaction
            del self._lines[: self._start]
            self._start = 0
        return excess

    # ------------------------------------------------------------------ access

    def __len__(self) -> int:
        return len(self._lines) - self._start

    @property
    def partial(self) -> bool:
        """True while the last line has no newline yet (it may still grow)."""
        return self._partial is not None

    def full(self, index: int) -> str:
        """The stored line (may hold SGR sequences; sanitise before display)."""
        return self._lines[self._start + index]

    def plain(self, index: int) -> str:
        """The whole line as shown: sanitised, without colours, never cut."""
        return parse_line(self.full(index)).text

    def is_cut(self, index: int) -> bool:
        """True when the line is longer than ``max_line_len`` and shown cut."""
        return len(self.full(index)) > self.max_line_len

    def display(self, index: int) -> str:
        """The line as first shown: cut with a marker past ``max_line_len``."""
        line = self.full(index)
        if len(line) <= self.max_line_len:
            return line
        extra = len(line) - self.max_line_len
        return line[: self.max_line_len] + self.cut_marker(extra)

    @staticmethod
    def cut_marker(extra: int) -> str:
        """The marker that ends a cut line: plain ASCII, so the Linux console (``LANG=C``,
        ``--ascii``) draws it as every other terminal does."""
        noun = "char" if extra == 1 else "chars"
        return f" ... [+{extra:,} {noun}, press enter to expand]"

    def _display_len(self, line: str) -> int:
        return self._width(len(line))

    def _width(self, length: int) -> int:
        """Shown width of a line ``length`` long (never less for a longer line)."""
        if length <= self.max_line_len:
            return length
        return self.max_line_len + len(self.cut_marker(length - self.max_line_len))

    # ------------------------------------------------------------------ search

    def find(self, query: str, start_line: int, backwards: bool = False) -> tuple[int, int] | None:
        """First line holding ``query`` from ``start_line`` on (or back), wrapping around.

        Case-insensitive, over the plain text. Returns ``(line, column)``.
        """
        count = len(self)
        if not query or count == 0:
            return None
        index = self._index()
        start = start_line % count  # past either end wraps around
        if index is not None:
            return index.find(query.lower(), start, backwards)
        pattern = _pattern(query)
        step = -1 if backwards else 1
        for offset in range(count):
            line = (start + step * offset) % count
            match = pattern.search(self.plain(line))
            if match:
                return line, match.start()
        return None

    def matches_in(self, index: int, query: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every match of ``query`` in the plain text of one line."""
        if not query:
            return []
        return [m.span() for m in _pattern(query).finditer(self.plain(index))]

    def count_matches(self, query: str, start: int = 0, end: int | None = None) -> int:
        """How many matches lines ``start`` to ``end`` hold (for the "match i/N" badge)."""
        if not query:
            return 0
        stop = len(self) if end is None else min(end, len(self))
        start = max(start, 0)
        if stop - start > _SMALL_RANGE:
            index = self._index()
            if index is not None:
                return index.count(query.lower(), start, stop)
        pattern = _pattern(query)
        return sum(len(pattern.findall(self.plain(i))) for i in range(start, stop))

    def prepare_search(self) -> None:
        """Build the whole-log search index now (idle time), not on the first search."""
        if len(self) > _SMALL_RANGE:
            self._index()

    def _index(self) -> SearchIndex | None:
        """The lowercase joined text of every line, rebuilt only after the lines changed.

        One ``str.find``/``str.count`` over it is ~10x cheaper than a regex per
        line on a 5 MB log. ``None`` when lowercasing changes the text's length
        (rare non-ASCII case pairs): the per-line regex then keeps columns right.
        """
        key = (self.dropped, len(self), self._length)
        if self._search is None or self._search_key != key:
            lines = self._lines[self._start :]
            plain = [parse_line(x).text if _NOT_PLAIN.search(x) else x for x in lines]
            self._search = SearchIndex.build(plain)
            self._search_key = key
        return self._search


class SearchIndex:
    """Lowercase text of all lines joined by ``\n``, with each line's start offset."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text = text
        self.starts = starts  # starts[i]: offset of line i; a final entry = len(text) + 1

    @classmethod
    def build(cls, lines: list[str]) -> SearchIndex | None:
        joined = "\n".join(lines)
        lowered = joined.lower()
        if len(lowered) != len(joined):
            return None
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        return cls(lowered, starts)

    def _line(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def count(self, needle: str, start: int, stop: int) -> int:
        """Matches in lines ``start`` to ``stop`` (a query never spans a newline)."""
        if "\n" in needle:
            return 0
        return self.text.count(needle, self.starts[start], max(self.starts[stop] - 1, 0))

    def find(self, needle: str, start: int, backwards: bool) -> tuple[int, int] | None:
        """``(line, column)`` of the first match from line ``start`` on (or back), wrapping."""
        if "\n" in needle:
            return None
        text, starts = self.text, self.starts
        if backwards:
            end = starts[start + 1] - 1
            at = text.rfind(needle, 0, end)
            if at < 0:
                at = text.rfind(needle, end)
        else:
            at = text.find(needle, starts[start])
            if at < 0:
                at = text.find(needle, 0)
        if at < 0:
            return None
        line = self._line(at)
        return line, text.find(needle, starts[line]) - starts[line]  # its first match


def _pattern(query: str) -> re.Pattern[str]:
    return re.compile(re.escape(query), re.IGNORECASE)
