"""`z` maximises the pane the focus is in, not the one-line widget that has it."""

from __future__ import annotations

import pytest

from jobtui.tui.widgets.group_tabs import GroupTabs
from jobtui.tui.widgets.host_table import HostTable
from jobtui.tui.widgets.log_view import LogView
from jobtui.tui.widgets.logpane import LogPane
from jobtui.tui.widgets.results import ResultsPane
from tests.support.monitor_rig import make_rig, settle


@pytest.mark.parametrize(
    ("inner", "pane"),
    [(GroupTabs, ResultsPane), (HostTable, ResultsPane), (LogView, LogPane)],
)
async def test_z_maximises_the_whole_pane(inner: type, pane: type) -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = rig.app.screen
        screen.query_one(inner).focus()
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(screen.maximized, pane)
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None


async def test_at_80x24_the_focused_pane_gets_the_room() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = rig.screen
        steps, results, log = (screen.query_one(s) for s in ("#steps", "#results", "#log"))
        tree_focused = (steps.size.height, results.size.height, log.size.height)
        screen.query_one(HostTable).focus()
        await pilot.pause(0.1)  # the :focus-within layout is applied on the next refresh
        await pilot.pause()
        table_focused = (steps.size.height, results.size.height, log.size.height)
        screen.query_one(LogView).focus()
        await pilot.pause(0.1)
        await pilot.pause()
        log_focused = (steps.size.height, results.size.height, log.size.height)
        assert screen.query_one(HostTable).page_rows >= 1  # a host row stays visible
    assert tree_focused[0] > table_focused[0]  # the tree shrinks when it loses focus
    assert table_focused[1] > tree_focused[1] and table_focused[1] > table_focused[2]
    assert log_focused[2] > log_focused[1]


async def test_at_the_60x15_minimum_the_focused_log_shows_lines_and_z_works() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(60, 15)) as pilot:
        await settle(pilot)
        screen = rig.screen
        log = screen.query_one("#log")
        screen.query_one(LogView).focus()
        await pilot.pause(0.1)
        await pilot.pause()
        assert log.region.height >= 4, log.region  # a border and at least two lines
        assert log.region.bottom <= 14  # above the key bar, not pushed off the screen
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(screen.maximized, LogPane)
        await pilot.press("z")
        await pilot.pause()
        screen.query_one(HostTable).focus()
        await pilot.pause(0.1)
        await pilot.pause()
        assert screen.query_one(HostTable).page_rows >= 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_maximised_pane_keeps_the_job_header(size: tuple[int, int]) -> None:
    """The job's status (and its freshness) stays on screen while a pane fills it."""
    from tests.support.monitor_rig import screen_text

    rig = make_rig(advance=30)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = rig.app.screen
        header = screen.query_one("#header")
        first = header.text.splitlines()[0]
        assert "RUNNING" in first
        screen.query_one(LogView).focus()
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause(0.1)
        await pilot.pause()
        assert isinstance(screen.maximized, LogPane)
        lines = screen_text(rig.app)
        assert lines[0].strip().startswith(first.strip()[:20]), lines[:3]
        assert "updated" in lines[1]  # line 2: how fresh the data is
        log = screen.query_one(LogPane)
        assert log.region.y >= header.region.bottom  # below the header, not over it
        assert log.region.height >= size[1] - 5  # and it still has the room
