"""Escape pops one level at a time: a log search first, the monitor only after (as less, k9s)."""

from __future__ import annotations

from textual.widgets import Input

from jobtui.tui.screens.monitor import MonitorScreen
from tests.support.monitor_rig import settle
from tests.support.wall_rig import make_app, sim_rig

SIZE = (120, 40)


async def _searched(pilot: object, app: object) -> MonitorScreen:
    """ctrl+f, a word, Enter (closes the bar), n: the tester's sequence."""
    await settle(pilot)  # type: ignore[arg-type]
    monitor = app.screen  # type: ignore[attr-defined]
    assert isinstance(monitor, MonitorScreen)
    await pilot.press("ctrl+f", *"e", "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("n")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    pane = monitor.log_pane
    assert pane.view.query_text == "e" and pane.view.match_total > 0
    assert not pane.query_one("#log-find", Input).display  # Enter closed the bar
    return monitor


async def test_the_first_escape_clears_the_search_the_second_goes_back() -> None:
    rig = sim_rig(advance=30)
    app = make_app(rig, open_job=rig.sim.world.demo_job_id())
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _searched(pilot, app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is monitor  # still on the monitor
        assert monitor.log_pane.view.query_text == "" and monitor.log_pane.view.match_total == 0
        assert "“e”" not in monitor.log_pane.title_text().plain  # the count has gone
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.jobs_screen  # only now back to the list


async def test_escape_from_another_pane_clears_the_search_first() -> None:
    rig = sim_rig(advance=30)
    app = make_app(rig, open_job=rig.sim.world.demo_job_id())
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _searched(pilot, app)
        monitor.step_tree.focus()
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is monitor and monitor.log_pane.view.query_text == ""


async def test_escape_while_typing_in_the_find_bar_closes_it_and_stays() -> None:
    rig = sim_rig(advance=30)
    app = make_app(rig, open_job=rig.sim.world.demo_job_id())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen)
        await pilot.press("ctrl+f", *"ser")
        await pilot.pause()
        find = monitor.log_pane.query_one("#log-find", Input)
        assert find.display and find.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is monitor and not find.display
        assert monitor.log_pane.view.has_focus  # back in the log, not lost
