"""j / k move in every list (step tree, host table, log); the keyword filter is K."""

from __future__ import annotations

from jobtui.tui.widgets.host_table import HostTable
from jobtui.tui.widgets.log_view import LogView
from jobtui.tui.widgets.step_tree import StepTree
from tests.support.monitor_rig import make_rig, settle


async def test_j_and_k_move_in_the_lists_and_K_picks_a_keyword() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = rig.app.screen.query_one(HostTable)
        table.focus()
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        tree = rig.app.screen.query_one(StepTree)
        tree.focus()
        await pilot.pause()
        line = tree.cursor_line
        await pilot.press("k")
        await pilot.pause()
        assert tree.cursor_line == line - 1 and not tree.following
        log = rig.app.screen.query_one(LogView)
        log.focus()
        await pilot.pause()
        top = log.scroll_y
        await pilot.press("k")
        await pilot.pause()
        assert log.scroll_y == max(0, top - 1)
        if top > 0:
            assert not log.follow  # scrolled up a line: following stops, as with the arrows
        table.focus()
        await pilot.press("K")  # the keyword filter moved here from k
        await pilot.pause()
        assert rig.app.screen is not rig.screen  # the keyword picker is up
