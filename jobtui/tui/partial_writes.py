"""Write only the changed part of a line: a fix to Textual's partial screen update.

Textual 8's ``ChopsUpdate.render_segments`` (the real-terminal path) cuts a
dirty span's right edge but always starts writing at the left edge of the
widget piece ("chop") holding it. A host row whose elapsed time ticks at its
right end, or a header whose clock sits mid-line, was rewritten from its left
edge on every poll: most of the bytes a running job sent over SSH.

``install()`` replaces that method with one that also skips the whole segments
left of the span (never splitting a segment, so wide characters stay whole).
Widgets that know where their lines change break segments there
(``linediff.split_at``), so the write is just the changed cells.
"""

from __future__ import annotations

from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from textual import _compositor
from textual.strip import Strip

_installed = False


def _from_segment_at(strip: Strip, x: int, x1: int) -> tuple[int, Strip]:
    """Drop whole segments that end at or before ``x1``; the new start and the rest."""
    segments = list(strip)
    index = 0
    while index < len(segments) - 1:
        width = segments[index].cell_length
        if x + width > x1:
            break
        x += width
        index += 1
    if index == 0:
        return x, strip
    rest: list[Segment] = segments[index:]
    return x, Strip(rest)


def render_segments(self: _compositor.ChopsUpdate, console: Console) -> str:
    """``ChopsUpdate.render_segments`` that writes from the span's start, not the chop's."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if x < x1:
                x, strip = _from_segment_at(strip, x, x1)
            if end > x2:
                strip = strip.crop(0, x2 - x)
            append(move_to(x, y).segment.text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> None:
    """Patch Textual's partial update once per process (idempotent)."""
    global _installed
    if _installed or not hasattr(_compositor.ChopsUpdate, "render_segments"):
        return
    _compositor.ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    _installed = True
