"""One source of truth for keys: the help screen, the docs and the README follow the bindings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from jobtui.tui.keydoc import BEGIN, END, GUIDE, JOBS, MONITOR, reference
from jobtui.tui.keys import KeySection, key_for, key_label, render, sections
from jobtui.tui.screens.help import CLOSE, HelpBody, HelpScreen, owners_of
from jobtui.tui.screens.monitor import MonitorScreen
from jobtui.tui.widgets.filter_bar import ACTIONS, FilterBar
from tests.support.monitor_rig import make_rig, screen_text, settle

README = Path(__file__).resolve().parents[2] / "README.md"


def _keys(found: Iterable[KeySection]) -> set[str]:
    return {k for s in found for line in s.lines for k in line.keys.split(" / ")}


def _readme_summary_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- key-summary")
    block = text[start : text.index("<!-- key-summary:end -->")]
    rows = [line for line in block.splitlines() if line.startswith("| `")]
    assert rows, "no key rows in the README's summary"
    return {key for row in rows for key in re.findall(r"`([^`]+)`", row.split(" | ")[0])}


def test_user_guide_reference_is_the_generated_one() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    block = text[text.index(BEGIN) + len(BEGIN) + 1 : text.index(END)]
    assert block == reference(), "run: python -m jobtui.tui.keydoc"


def test_readme_summary_matches_the_bindings() -> None:
    summary = _readme_summary_keys()
    monitor = sections(MONITOR)
    top = [s for s in monitor if s.title in {"Everywhere", "Filters", "Copy and save"}]
    assert len(top) == 3
    missing = _keys(top) - summary
    assert not missing, f"README key summary lacks monitor keys {sorted(missing)}"
    unknown = summary - _keys(monitor) - _keys(sections(JOBS))
    assert not unknown, f"README key summary names keys nothing binds: {sorted(unknown)}"


def test_labels_follow_textual_key_names() -> None:
    from textual.binding import Binding

    assert key_label(Binding("question_mark", "x")) == "?"
    assert key_label(Binding("w,escape", "x")) == "w / escape"
    assert key_label(Binding("plus,equals_sign", "x", key_display="+")) == "+"
    assert key_label(Binding("left_square_bracket", "x")) == "["
    assert key_label(Binding("ctrl+f", "x")) == "ctrl+f"


def test_palette_hints_come_from_the_bindings() -> None:
    assert key_for(MonitorScreen, "toggle_pause") == "p"
    assert key_for(MonitorScreen, "copy_ips('cloud:ip')") == "C"
    assert key_for(MonitorScreen, "no_such_action") == ""


async def test_help_screen_lists_the_live_screens_bindings() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert tuple(owners_of(rig.screen)) == MONITOR
        await pilot.press("question_mark")
        help_screen = rig.app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.query_one(HelpBody)
        text = body.text
        assert text.startswith(render(sections(MONITOR), columns=body.content_size.width))
        assert "Copy and save" in text and "cycle the sort" in text
        await pilot.press("escape")
        bar = rig.screen.query_one(FilterBar)
        hints = str(bar.render())
        for name, action in ACTIONS.items():  # the filter line's key hints, from the bindings
            if name != "clear":
                assert f"{key_for(MonitorScreen, action)} {name}" in hints


def test_long_entries_wrap_under_their_description_column() -> None:
    found = sections(MONITOR)
    text = render(found, columns=53)
    titles = {section.title for section in found}
    lines = text.splitlines()
    assert all(len(line) <= 53 for line in lines)
    column = lines[1].index("command palette")  # where descriptions start
    for line in lines:
        assert line == "" or line in titles or line.startswith("  "), line
    # the palette's entry is too long for one line: it goes on under its column
    second = lines[lines.index(lines[1]) + 1]
    assert second[:column].strip() == "" and second[column] != " "


async def _help_rows(pilot, app) -> list[str]:  # type: ignore[no-untyped-def]
    await pilot.press("question_mark")
    await pilot.pause()
    body = app.screen.query_one(HelpBody)
    shown = body.parent.content_region  # the scrolling box: what is on screen of the body
    rows = screen_text(app)[shown.y : shown.bottom]
    left, right = body.content_region.x, body.content_region.right
    return [row[left:right].rstrip() for row in rows]


def _hangs(rows: list[str], titles: set[str]) -> None:
    """Every visible row is a title, the closing hint, blank, or indented (never column 0)."""
    assert len(rows) >= 8
    for row in rows:
        assert row == "" or row in titles or row == CLOSE or row.startswith("  "), rows
    assert any(row.startswith(" " * 8) and row.strip() for row in rows), rows  # a continuation


@pytest.mark.parametrize("size", [(60, 15), (80, 24)])
async def test_the_monitor_help_hangs_its_wrapped_entries(size: tuple[int, int]) -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        rows = await _help_rows(pilot, rig.app)
        _hangs(rows, {s.title for s in sections(MONITOR)})


@pytest.mark.parametrize("size", [(60, 15), (80, 24)])
async def test_the_job_list_and_wall_have_help_that_hangs_too(size: tuple[int, int]) -> None:
    from jobtui.tui.screens.wall import WallScreen
    from tests.support.wall_rig import make_app, sim_rig

    app = make_app(sim_rig())
    titles = {s.title for s in sections(JOBS)}
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        rows = await _help_rows(pilot, app)
        assert "Job list" in rows
        _hangs(rows, titles)
        await pilot.press("escape", "w")
        await settle(pilot)
        assert isinstance(app.screen, WallScreen)
        rows = await _help_rows(pilot, app)
        assert "Wall" in rows or any("back to the job list" in row for row in rows)
        _hangs(rows, titles)
