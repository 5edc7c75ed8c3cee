"""`z` maximises the pane the focus is in, not the one-line widget that has it."""

from __future__ import annotations

import pytest

from jobtui.tui.widgets.group_tabs import GroupTabs
from jobtui.tui.widgets.host_table import HostTable
from jobtui.tui.widgets.log_view import LogView
from jobtui.tui.widgets.logpane import LogPane
from jobtui.tui.widgets.results import ResultsPane
from tests.tui.sim_harness import make_rig, settle


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
