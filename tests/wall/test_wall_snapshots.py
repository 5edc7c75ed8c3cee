"""SVG snapshots of the job list and the wall at 80x24 and 160x48, frozen clock."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.support.monitor_rig import settle
from tests.support.wall_rig import make_app, sim_rig


async def _wall(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


def test_job_list_80x24(snap_compare: Any) -> None:
    app = make_app(sim_rig(advance=30))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_job_list_160x48(snap_compare: Any) -> None:
    app = make_app(sim_rig(advance=30))
    assert snap_compare(app, terminal_size=(160, 48), run_before=settle)


def test_wall_80x24(snap_compare: Any) -> None:
    app = make_app(sim_rig(advance=30))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_wall)


def test_wall_160x48_ascii(snap_compare: Any) -> None:
    app = make_app(sim_rig(advance=30), ascii_only=True)
    assert snap_compare(app, terminal_size=(160, 48), run_before=_wall)


def test_wall_busy_160x48(snap_compare: Any) -> None:
    """Four minutes of the busy scenario: nginx failures folded into one card, running in sight."""
    rig = sim_rig(advance=5, scenario="busy", demo_loop=True)

    async def busy_wall(pilot: Pilot[Any]) -> None:
        await _wall(pilot)
        for _ in range(8):
            rig.clock.advance(30)
            await pilot.press("r")
            await settle(pilot)

    assert snap_compare(make_app(rig), terminal_size=(160, 48), run_before=busy_wall)
