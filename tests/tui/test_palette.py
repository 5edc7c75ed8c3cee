"""Command palette providers, driven through the real palette against the simulator."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from jobtui.tui.widgets.log_view import LogView
from tests.support.monitor_rig import make_rig, settle

SIZE = (160, 48)


async def _run_command(pilot: Pilot[int], query: str, expected: str) -> None:
    """Open the palette, type ``query``, wait for ``expected`` to be the top hit, run it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)
    options = palette.query_one(OptionList)
    for _ in range(200):  # the search runs in a worker; wait for its hits, not for time
        await pilot.pause()
        if options.option_count and expected in str(options.get_option_at_index(0).prompt):
            break
    assert options.option_count, f"no palette hit for {query!r}"
    assert expected in str(options.get_option_at_index(0).prompt)
    await pilot.press("enter")
    await settle(pilot)


async def test_jump_to_a_step_by_name() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rig.screen.step_id == 201002
        await _run_command(pilot, "Precheck", "Precheck environment")
        assert rig.screen.step_id == 201001
        assert not rig.screen.step_tree.following


async def test_jump_to_a_host_by_ip() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hosts = [h for g in rig.screen.result.groups for h in g.hosts]  # type: ignore[union-attr]
        target = hosts[-1]
        assert rig.screen.host is not None and rig.screen.host.key != target.key
        await _run_command(pilot, f"Host {target.ref.ip}", str(target.ref.ip))
        assert rig.screen.host is not None and rig.screen.host.key == target.key


async def test_pick_a_batch() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _run_command(pilot, "Batch: all batches", "all batches")
        assert rig.screen.filter.batch == 0


async def test_toggles() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        view = screen.log_pane.query_one(LogView)
        await _run_command(pilot, "Pause / resume", "Pause / resume polling")
        assert screen.paused
        wrap = view.wrap
        await _run_command(pilot, "Log: toggle wrap", "Log: toggle wrap")
        assert view.wrap is not wrap
        follow = view.follow
        await _run_command(pilot, "Log: toggle follow", "Log: toggle follow")
        assert view.follow is not follow
        await _run_command(pilot, "Help: every key", "Help: every key")
        assert type(pilot.app.screen).__name__ == "HelpScreen"
