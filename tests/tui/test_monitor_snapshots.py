"""SVG snapshots of the monitor at 80x24 and 160x48 on a frozen simulator clock."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.support.monitor_rig import make_rig, refresh, settle


async def _settled(pilot: Pilot[Any]) -> None:
    """First answer, then one refresh: small jobs then have counts on every step line."""
    await settle(pilot)
    await refresh(pilot)


def test_running_job_80x24(snap_compare: Any) -> None:
    rig = make_rig(advance=30)
    assert snap_compare(rig.app, terminal_size=(80, 24), run_before=_settled)


def test_running_job_160x48(snap_compare: Any) -> None:
    rig = make_rig(advance=30)
    assert snap_compare(rig.app, terminal_size=(160, 48), run_before=_settled)


def test_waiting_for_confirmation_160x48(snap_compare: Any) -> None:
    rig = make_rig(advance=55)
    assert snap_compare(rig.app, terminal_size=(160, 48), run_before=_settled)


def test_failed_step_160x48(snap_compare: Any) -> None:
    rig = make_rig(advance=20)
    assert snap_compare(rig.app, terminal_size=(160, 48), run_before=_settled)


def test_help_80x24(snap_compare: Any) -> None:
    rig = make_rig(advance=30)

    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(rig.app, terminal_size=(80, 24), run_before=open_help)


def test_ascii_80x24(snap_compare: Any) -> None:
    rig = make_rig(advance=20, ascii_only=True)
    assert snap_compare(rig.app, terminal_size=(80, 24), run_before=_settled)
