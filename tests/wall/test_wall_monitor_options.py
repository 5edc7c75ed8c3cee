"""Monitors opened from the job list inherit --notify and --save-dir."""

from __future__ import annotations

from pathlib import Path

from jobtui.tui.screens.monitor import MonitorScreen
from tests.support.monitor_rig import settle
from tests.support.wall_rig import make_app, sim_rig


async def test_opened_monitor_gets_notify_and_save_dir(tmp_path: Path) -> None:
    rig = sim_rig()
    app = make_app(rig, notify=True, save_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen)
        assert app.screen.options.notify
        assert app.screen.options.save_dir == tmp_path
        await pilot.press("escape")  # no copy or save running: escape still goes back
        await settle(pilot)
        assert not isinstance(app.screen, MonitorScreen)
