"""The shadow-screen writer: a terminal fed its output shows exactly the new screen.

Random screens (narrow and wide characters, several styles, two chops per row)
are written in full, then changed and written through partial updates whose
dirty spans cover the changes; pyte plays the terminal.
"""

from __future__ import annotations

import io

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate  # what compat.shadow patches
from textual.geometry import Region
from textual.strip import Strip

from jobtui.tui.compat import shadow

WIDTH, HEIGHT, CUT = 12, 4, 5
STYLES = [None, Style(bold=True), Style(color="red"), Style(bgcolor="blue")]
Cell = tuple[str, int]  # a character (wide ones take two cells) and a style index
Row = list[Cell]


def _console() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")


def _row_strategy() -> st.SearchStrategy[Row]:
    """Cells adding up to exactly WIDTH, no wide character across the chop cut."""
    cell = st.tuples(st.sampled_from("ab -名"), st.integers(0, len(STYLES) - 1))

    def fit(cells: list[Cell]) -> Row:
        row: Row = []
        width = 0
        for char, style in cells:
            size = 2 if char == "名" else 1
            if width + size > WIDTH or (size == 2 and width + 1 == CUT):
                char, size = "a", 1
            row.append((char, style))
            width += size
            if width == WIDTH:
                return row
        return row + [(" ", 0)] * (WIDTH - width)

    return st.lists(cell, min_size=WIDTH, max_size=WIDTH).map(fit)


def _strip(row: Row) -> Strip:
    return Strip([Segment(char, STYLES[style]) for char, style in row])


def _chops(rows: list[Row]) -> list[dict[int, Strip | None]]:
    chops: list[dict[int, Strip | None]] = []
    for row in rows:
        left, right = _strip(row).divide([CUT, WIDTH])
        chops.append({0: left, CUT: right})
    return chops


def _full(rows: list[Row]) -> LayoutUpdate:
    """A full update of ``rows``, cut like the partial ones."""
    lines: list[list[Strip]] = [
        [strip for strip in chop.values() if strip is not None] for chop in _chops(rows)
    ]
    return LayoutUpdate(list(lines), Region(0, 0, WIDTH, HEIGHT))


def _terminal(text: str, screen: pyte.Screen | None = None) -> pyte.Screen:
    screen = screen or pyte.Screen(WIDTH, HEIGHT)
    pyte.Stream(screen).feed(text)
    return screen


def _looks(screen: pyte.Screen) -> list[list[tuple[str, bool, str, str]]]:
    return [
        [(c.data, c.bold, c.fg, c.bg) for c in (screen.buffer[y][x] for x in range(WIDTH))]
        for y in range(HEIGHT)
    ]


@settings(max_examples=60, deadline=None)
@given(
    screens=st.lists(
        st.lists(_row_strategy(), min_size=HEIGHT, max_size=HEIGHT), min_size=2, max_size=4
    )
)
def test_partial_updates_leave_the_terminal_showing_the_new_screen(
    screens: list[list[Row]],
) -> None:
    console = _console()
    first, *later = screens
    full = _full(first)
    terminal = _terminal(shadow.render_layout(full, console))
    spans = [(y, 0, WIDTH) for y in range(HEIGHT)]
    for rows in later:
        update = ChopsUpdate(_chops(rows), spans, [[CUT, WIDTH]] * HEIGHT)
        _terminal(shadow.render_chops(update, console), terminal)
        assert _looks(terminal) == _looks(_terminal(render_all(rows)))


def render_all(rows: list[Row]) -> str:
    """The screen as Textual alone would write it in full."""
    full = _full(rows)
    return shadow.TEXTUAL_LAYOUT_RENDER(full, _console())


def test_unchanged_cells_are_not_written_again() -> None:
    console = _console()
    row: Row = [(char, 0) for char in "elapsed 41s "]
    rows = [row] * HEIGHT
    full = _full(rows)
    shadow.render_layout(full, console)
    changed = [list(r) for r in rows]
    changed[1][9] = ("2", 0)
    update = ChopsUpdate(
        _chops(changed), [(y, 0, WIDTH) for y in range(HEIGHT)], [[CUT, WIDTH]] * HEIGHT
    )
    written = shadow.render_chops(update, console)
    assert written == "\x1b[2;10H2"
    assert shadow.render_chops(update, console) == ""  # now nothing differs


def test_before_any_full_update_spans_are_written_whole() -> None:
    console = _console()
    rows = [[(char, 0) for char in "abcdefghijkl"]] * HEIGHT
    update = ChopsUpdate(_chops(rows), [(2, 3, 4)], [[CUT, WIDTH]] * HEIGHT)
    assert shadow.render_chops(update, console) == "\x1b[3;1Habcd"


def test_a_different_screen_size_drops_the_shadow() -> None:
    console = _console()
    rows = [[(" ", 0)] * WIDTH] * HEIGHT
    full = _full(rows)
    shadow.render_layout(full, console)
    assert shadow.shadow_of(console) is not None
    update = ChopsUpdate(_chops(rows[:2]), [(0, 0, WIDTH)], [[CUT, WIDTH]] * 2)
    assert shadow.render_chops(update, console) != ""  # written, not trusted
    assert shadow.shadow_of(console) is None
