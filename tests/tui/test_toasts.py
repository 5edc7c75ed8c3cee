"""Toasts: a few lines, bounded, placed over nothing that matters; `m` has them whole."""

from __future__ import annotations

import httpx
import pytest
from textual.geometry import Region
from textual.widgets import OptionList

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
        # the full text, wrapped under its column (a wrap may fall after a hyphen)
        assert "".join(whole[0].split()) in "".join(flat.split())
        assert "secret" not in text  # the rig's app secret never shows
        await pilot.press("m")
        await pilot.pause()
        assert rig.app.screen is screen


class _Echo(httpx.AsyncBaseTransport):
    """bk-job refusing an operation with a message that echoes the app secret
    (a fault the simulator never makes: it never echoes secrets)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, secret: str) -> None:
        self.inner = inner
        self.secret = secret

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(("operate_job_instance", "operate_step_instance")):
            body = {
                "result": False,
                "code": 1240003,
                "message": f"no permission for app secret {self.secret} (token {self.secret})",
                "data": None,
            }
            headers = {"X-Bkapi-Request-Id": "0f1e2d3c-canary"}
            return httpx.Response(200, json=body, headers=headers, request=request)
        return await self.inner.handle_async_request(request)


async def test_a_refused_operation_echoing_the_secret_shows_it_nowhere() -> None:
    """The toast and `m` show the server's refusal in full, the secret as ***."""
    rig = make_rig(advance=10)
    rig.meter.inner = _Echo(rig.meter.inner, "secret")
    async with rig.app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        options = rig.app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, text in enumerate(labels) if "Terminate" in text)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        texts = [entry.text for entry in rig.app.notices]
        refused = [text for text in texts if "no permission" in text]
        assert refused, texts
        assert "***" in refused[0] and "0f1e2d3c-canary" in refused[0]
        shown = " ".join(str(toast.render()) for toast in rig.app.screen.query("Toast"))
        await pilot.press("m")
        await pilot.pause()
        listed = rig.app.screen.query_one(NoticeBody).text
        for text in (*texts, shown, listed):
            assert "secret" not in text, text
