"""The changed-cells span that keeps ticking clocks from repainting whole lines."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip

from jobtui.tui.widgets.linediff import changed_span, content_span, split_at


def test_equal_lines_have_no_span() -> None:
    assert changed_span("elapsed 41s", "elapsed 41s") is None
    assert content_span(Content("a"), Content("a")) is None


def test_same_width_change_covers_only_the_changed_cells() -> None:
    assert changed_span("elapsed 41s · by x", "elapsed 42s · by x") == (9, 10)


def test_width_change_runs_to_the_end_of_the_longer_line() -> None:
    # "(105 ms) · every" → "(4 ms) · every": the suffix moved left two cells.
    old, new = "x (105 ms) · every 2s", "x (4 ms) · every 2s"
    assert changed_span(old, new) == (3, len(old))
    assert changed_span(new, old) == (3, len(old))


def test_wide_characters_count_two_cells() -> None:
    assert changed_span("名前 1s", "名前 2s") == (5, 6)


def test_a_style_change_alone_is_a_change() -> None:
    old = Content.assemble(("RUN", "bold"), " 1s")
    new = Content.assemble(("RUN", "red"), " 1s")
    assert content_span(old, new) == (0, 3)


def test_split_at_breaks_segments_at_the_span_without_changing_the_line() -> None:
    strip = Strip([Segment("elapsed 41s · by x", Style(bold=True))])
    split = split_at(strip, (9, 10))
    assert split.text == strip.text and split.cell_length == strip.cell_length
    assert [s.text for s in split] == ["elapsed 4", "1", "s · by x"]
    assert all(s.style == Style(bold=True) for s in split)
    assert split_at(strip, None) is strip
