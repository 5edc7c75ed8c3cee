"""Write only the cells that changed: a screen-level diff under Textual's updates.

Textual repaints a dirty region by writing every cell of it. A scroll bar whose
thumb did not move, a tab line whose counts are the same, a log pane re-rendered
with the lines it already showed, a host row whose IP changed but whose other
columns did not: over SSH, for days, those rewrites were most of the bytes a
running job sent (issue 6, measure 9).

``install()`` keeps a *shadow* of what the terminal shows (one character and one
style per cell, per app console). A full update (``LayoutUpdate``: start, resize,
screen switch, resume) is written whole and becomes the shadow. A partial update
(``ChopsUpdate``) is compared with the shadow inside its dirty spans and only
the runs of changed cells are written, each after a cursor move; nearby runs are
joined when rewriting the few equal cells between them is cheaper than a move.
Wide characters are never split. When the shadow cannot be trusted (no full
update yet, another screen size, control segments) the span is written whole, as
Textual would, and the shadow stays consistent or is dropped.

Relies on (Textual 8.2.8, ``textual._compositor``): ``ChopsUpdate`` with
``chops`` (per row, x → strip), ``chop_ends`` and ``spans`` (y, x1, x2), and
``LayoutUpdate`` with ``strips`` and ``region``; both render through
``render_segments(console) -> str``. ``install`` replaces those two methods for
the whole process, once. Fallback (another Textual, ``JOBTUI_TEXTUAL_COMPAT=off``,
or the module moved): nothing is patched, or the patched methods hand over to
Textual's own, so every cell of a dirty region is written as stock Textual does.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from jobtui.tui import compat

try:
    from textual import _compositor
except ImportError:  # pragma: no cover - a Textual without the module: fallback
    _compositor = None  # type: ignore[assignment]

# Equal cells between two changed runs are rewritten rather than skipped when
# there are at most this many: a cursor move costs about eight bytes.
JOIN_GAP = 6

_installed = False
if _compositor is not None:
    TEXTUAL_CHOPS_RENDER = _compositor.ChopsUpdate.render_segments
    TEXTUAL_LAYOUT_RENDER = _compositor.LayoutUpdate.render_segments


class _Unsafe(Exception):
    """A strip the shadow cannot model (control segments, odd widths)."""


class Shadow:
    """What the terminal shows: per row, a character and a style per cell.

    A wide character fills its first cell; the next cell holds "" (continuation).
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.chars: list[list[str]] = [[" "] * width for _ in range(height)]
        self.styles: list[list[Style | None]] = [[None] * width for _ in range(height)]


_shadows: weakref.WeakKeyDictionary[Console, Shadow] = weakref.WeakKeyDictionary()


def shadow_of(console: Console) -> Shadow | None:
    """The shadow kept for ``console`` (None before its first full update)."""
    return _shadows.get(console)


def _cells(strips: Iterable[Strip], chars: list[str], styles: list[Style | None]) -> None:
    """Append the cells of ``strips`` (characters and styles) to the two lists."""
    for strip in strips:
        for text, style, control in strip:
            if control:
                raise _Unsafe
            if text.isascii():
                chars.extend(text)
                styles.extend([style] * len(text))
                continue
            for char in text:
                width = get_character_cell_size(char)
                if width == 1:
                    chars.append(char)
                    styles.append(style)
                elif width == 2:
                    chars.extend((char, ""))
                    styles.extend((style, style))
                elif chars:  # zero width: joins the previous cell
                    chars[-1 if chars[-1] else -2] += char


def _line_cells(
    line: Mapping[int, Strip | None], ends: Sequence[int], x1: int, x2: int
) -> tuple[int, list[str], list[Style | None]] | None:
    """Cells of the chops overlapping ``[x1, x2)``: their start, chars, styles."""
    start: int | None = None
    chars: list[str] = []
    styles: list[Style | None] = []
    for end, (x, strip) in zip(ends, line.items(), strict=False):
        if x >= x2 or end <= x1:
            continue
        if strip is None or (start is not None and start + len(chars) != x):
            return None
        if start is None:
            start = x
        _cells((strip,), chars, styles)
        if start + len(chars) != end:
            raise _Unsafe
    return None if start is None else (start, chars, styles)


def _runs(
    old_c: list[str],
    old_s: list[Style | None],
    new_c: list[str],
    new_s: list[Style | None],
    lo: int,
    hi: int,
) -> list[tuple[int, int]]:
    """Runs ``[a, b)`` of changed cells in ``[lo, hi)``, close runs joined."""
    runs: list[tuple[int, int]] = []
    x = lo
    while x < hi:
        if old_c[x] == new_c[x] and old_s[x] == new_s[x]:
            x += 1
            continue
        a = x
        while x < hi and (old_c[x] != new_c[x] or old_s[x] != new_s[x]):
            x += 1
        if runs and a - runs[-1][1] <= JOIN_GAP:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((a, x))
    return runs


def _render_run(chars: list[str], styles: list[Style | None], console: Console) -> str:
    """The escape-coded text of a run of cells (same-style cells in one segment)."""
    segments: list[Segment] = []
    text: list[str] = []
    current = styles[0]
    for char, style in zip(chars, styles, strict=True):
        if style != current:
            segments.append(Segment("".join(text), current))
            text, current = [], style
        text.append(char)
    segments.append(Segment("".join(text), current))
    return Strip(segments).render(console)


def _diff_span(
    shadow: Shadow,
    y: int,
    x1: int,
    x2: int,
    cells: tuple[int, list[str], list[Style | None]],
    console: Console,
    out: list[str],
) -> None:
    """Write the changed cells of one dirty span and record them in the shadow."""
    start, chars, styles = cells
    new_c: list[str] = shadow.chars[y][:]
    new_s: list[Style | None] = shadow.styles[y][:]
    stop = min(start + len(chars), shadow.width)
    new_c[start:stop] = chars[: stop - start]
    new_s[start:stop] = styles[: stop - start]
    lo, hi = max(x1, start), min(x2, stop)
    old_c, old_s = shadow.chars[y], shadow.styles[y]
    if old_c[lo:hi] == new_c[lo:hi] and old_s[lo:hi] == new_s[lo:hi]:
        return
    for a, b in _runs(old_c, old_s, new_c, new_s, lo, hi):
        if a > 0 and new_c[a] == "":  # never start inside a wide character
            a -= 1
        while b < shadow.width and new_c[b] == "":
            b += 1
        out.append(Control.move_to(a, y).segment.text)
        out.append(_render_run(new_c[a:b], new_s[a:b], console))
        old_c[a:b] = new_c[a:b]
        old_s[a:b] = new_s[a:b]


def _write_whole(
    update: _compositor.ChopsUpdate, y: int, x1: int, x2: int, console: Console, out: list[str]
) -> None:
    """Textual's own write of one span (from the chop holding it, cut at ``x2``)."""
    for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
        if strip is None or x > x2 or end <= x1:
            continue
        if end > x2:
            strip = strip.crop(0, x2 - x)
        out.append(Control.move_to(x, y).segment.text)
        out.append(strip.render(console))


def render_chops(self: _compositor.ChopsUpdate, console: Console) -> str:
    """``ChopsUpdate.render_segments`` writing only cells that differ from the shadow."""
    if not compat.enabled():
        _shadows.pop(console, None)
        return TEXTUAL_CHOPS_RENDER(self, console)
    out: list[str] = []
    shadow = _shadows.get(console)
    if shadow is not None and (
        len(self.chops) != shadow.height
        or any(ends and ends[-1] != shadow.width for ends in self.chop_ends)
    ):
        del _shadows[console]
        shadow = None
    for y, x1, x2 in self.spans:
        cells = None
        if shadow is not None:
            try:
                cells = _line_cells(self.chops[y], self.chop_ends[y], x1, x2)
            except _Unsafe:
                cells = None
        if shadow is not None and cells is not None:
            _diff_span(shadow, y, x1, x2, cells, console, out)
            continue
        _write_whole(self, y, x1, x2, console, out)
        if shadow is not None:  # the terminal now differs from it in unknown cells
            del _shadows[console]
            shadow = None
    return "".join(out)


def render_layout(self: _compositor.LayoutUpdate, console: Console) -> str:
    """``LayoutUpdate.render_segments`` that also makes what it writes the shadow."""
    text = TEXTUAL_LAYOUT_RENDER(self, console)
    if not compat.enabled():
        _shadows.pop(console, None)
        return text
    shadow = Shadow(self.region.width, self.region.height)
    try:
        for row, line in enumerate(self.strips):
            chars: list[str] = []
            styles: list[Style | None] = []
            _cells(line, chars, styles)
            if len(chars) != shadow.width:
                raise _Unsafe
            shadow.chars[row], shadow.styles[row] = chars, styles
    except _Unsafe:
        _shadows.pop(console, None)
        return text
    if self.region.x == 0 and self.region.y == 0:
        _shadows[console] = shadow
    else:
        _shadows.pop(console, None)
    return text


def install() -> bool:
    """Patch Textual's screen updates once per process (idempotent); False: the fallback."""
    global _installed
    if _installed:
        return True
    if _compositor is None or not compat.enabled():
        return False
    for cls in (_compositor.ChopsUpdate, _compositor.LayoutUpdate):
        if not hasattr(cls, "render_segments"):  # pragma: no cover - checked by version
            return False
    _compositor.ChopsUpdate.render_segments = render_chops  # type: ignore[method-assign]
    _compositor.LayoutUpdate.render_segments = render_layout  # type: ignore[method-assign]
    _installed = True
    return True
