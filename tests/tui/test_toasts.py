"""Toasts: a few lines, bounded, placed over nothing that matters; `m` has them whole."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from jobtui.api.models import ApiFamily
from jobtui.tui.base_app import TOAST_LINES, toast_width
from jobtui.tui.screens.notices import NoticeBody, NoticesScreen
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.header import JobHeader
from tests.support.monitor_rig import make_rig, refresh, settle


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (120, 40)])
async def test_a_long_error_toast_wraps_clear_of_the_log_and_is_whole_under_m(
    size: tuple[int, int],
) -> None:
    """v3 on a container job: bk-job's long "failed internally" error, with its hint."""
    rig = make_rig(family=ApiFamily.V3, scenario="containers", advance=20)
    async with rig.app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        for _ in range(2):
            await refresh(pilot)
        screen = rig.screen
        whole = [e.text for e in rig.app.notices if "use --api v4" in e.text]
        assert len(whole) == 1 and whole[0].startswith("Not retried: ")
        toasts = list(screen.query("Toast"))
        assert len(toasts) == 1
        toast = toasts[0]
        await pilot.pause()
        region = toast.region
        assert region.width <= toast_width(size[0]) + 3
        assert region.height <= TOAST_LINES
        shown = str(toast.render())
        assert "… (m: in full)" in shown or shown.replace("\n", " ") == whole[0]
        log = screen.query_one("#log").region
        newest = Region(log.x, log.bottom - 3, log.width, 3)  # the last lines and the border
        for keep in (screen.query_one(JobHeader).region, screen.query_one(KeyBar).region, newest):
            assert not region.overlaps(keep), (region, keep)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(rig.app.screen, NoticesScreen)
        text = rig.app.screen.query_one(NoticeBody).text
        flat = " ".join(line.strip() for line in text.splitlines())
        assert whole[0] in flat  # the full text, wrapped under its column
        assert "secret" not in text  # the rig's app secret never shows
        await pilot.press("m")
        await pilot.pause()
        assert rig.app.screen is screen
