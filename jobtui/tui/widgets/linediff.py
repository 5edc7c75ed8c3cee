"""Which cells of a line changed: so a widget repaints a few cells, not whole lines.

Textual writes every cell of a dirty region to the terminal. A clock that
ticks "elapsed 41s" → "42s" should cost the two changed cells, not a 200-cell
line with its colour codes; over SSH, for days, this is most of the traffic.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.strip import Strip


def changed_span(
    old: str,
    new: str,
    old_styles: Sequence[object] | None = None,
    new_styles: Sequence[object] | None = None,
) -> tuple[int, int] | None:
    """The cell range ``[start, end)`` outside of which ``old`` and ``new`` look the same.

    None when equal. With per-character styles, a character whose style changed
    counts as changed. Positions are terminal cells (wide characters count two).
    A common suffix is skipped only when both lines are equally wide (it then
    sits in the same cells); otherwise the span runs to the longer line's end.
    """
    a = list(zip(old, old_styles, strict=True)) if old_styles is not None else list(old)
    b = list(zip(new, new_styles, strict=True)) if new_styles is not None else list(new)
    if a == b:
        return None
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = cell_len(old[:head])
    old_width, new_width = cell_len(old), cell_len(new)
    if old_width != new_width:  # the rest moved: repaint to the end of the longer line
        return start, max(old_width, new_width, start + 1)
    end = cell_len(old[: len(old) - tail])
    return start, max(end, start + 1)


def char_styles(content: Content) -> list[object]:
    """The styles over each character of a one-line ``Content``, in span order."""
    styles: list[list[object]] = [[] for _ in content.plain]
    for span in content.spans:
        for index in range(max(0, span.start), min(len(styles), span.end)):
            styles[index].append(span.style)
    return [tuple(style) for style in styles]


def content_span(old: Content, new: Content) -> tuple[int, int] | None:
    """``changed_span`` of two one-line ``Content``s, styles included."""
    return changed_span(old.plain, new.plain, char_styles(old), char_styles(new))


def strip_span(old: Strip, new: Strip) -> tuple[int, int] | None:
    """``changed_span`` of two rendered lines, styles included."""
    return changed_span(old.text, new.text, _strip_styles(old), _strip_styles(new))


def _strip_styles(strip: Strip) -> list[object]:
    styles: list[object] = []
    for segment in strip:
        styles.extend([segment.style] * len(segment.text))
    return styles


def split_at(strip: Strip, span: tuple[int, int] | None) -> Strip:
    """The same line with segment breaks at ``span``'s edges.

    Textual's partial update writes every segment that overlaps a dirty region
    whole, so a span refresh inside one long segment would still write all of
    it; breaking the segment there lets only the changed cells go out.
    """
    if span is None:
        return strip
    cuts = [x for x in span if 0 < x < strip.cell_length]
    if not cuts:
        return strip
    parts = strip.divide([*cuts, strip.cell_length])
    return Strip([segment for part in parts for segment in part], strip.cell_length)
