"""The monitor against the real client and the simulator, on a manual clock.

Polls are driven by the test (``auto_poll=False`` plus ``r`` or a selection),
never by wall-clock timers, and waited for through the worker API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from textual.pilot import Pilot

from jobtui.api.auth import Credentials
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.core.options import WatchOptions
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.tui.app import MonitorApp
from jobtui.tui.screens.monitor import MonitorScreen

URL = "http://sim"


@dataclass
class Meter(httpx.AsyncBaseTransport):
    """The simulator's ASGI transport, counting requests and response bytes."""

    inner: httpx.AsyncBaseTransport
    requests: list[httpx.Request] = field(default_factory=list)
    bytes_in: int = 0
    # API names answered with a gateway 502 instead (a fault on one API only,
    # which the simulator's all-requests faults cannot make)
    failing: set[str] = field(default_factory=set)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.rstrip("/").rsplit("/", 1)[-1] in self.failing:
            return httpx.Response(502, text="Bad Gateway", request=request)
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.bytes_in += len(body)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def reset(self) -> None:
        self.requests.clear()
        self.bytes_in = 0


@dataclass
class Rig:
    app: MonitorApp
    sim: SimApp
    clock: ManualClock
    meter: Meter

    @property
    def screen(self) -> MonitorScreen:
        return self.app.monitor

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)


def make_rig(
    *,
    family: ApiFamily = ApiFamily.V3,
    scenario: str = "default",
    step: int | None = None,
    flt: StepFilter | None = None,
    bell: bool = False,
    ascii_only: bool = False,
    advance: float = 0.0,
) -> Rig:
    clock = ManualClock()
    sim = create_app(SimConfig(scenario=scenario), clock=clock)
    clock.advance(advance)
    settings = ConnectionSettings(
        url=URL,
        family=family,
        scope_id="2",
        credentials=Credentials("jobtui", "secret", username="admin"),
        timezone="UTC",
    )
    meter = Meter(httpx.ASGITransport(app=sim))
    client = make_client(settings, transport=meter)
    options = WatchOptions(
        job_instance_id=sim.world.demo_job_id(),
        step_instance_id=step,
        filter=flt or StepFilter(),
        bell=bell,
        ascii_only=ascii_only,
        title=f"{family.value} · sim",
    )
    app = MonitorApp(
        client,
        options,
        clock=lambda: datetime.fromtimestamp(clock.now(), UTC),
        auto_poll=False,
    )
    return Rig(app, sim, clock, meter)


async def settle(pilot: Pilot[int]) -> None:
    """Let polls started by the last action finish and their answers be applied."""
    app = pilot.app
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def refresh(pilot: Pilot[int]) -> None:
    await pilot.press("r")
    await settle(pilot)


def screen_text(app: MonitorApp) -> list[str]:
    """The composited screen as plain text lines (what the terminal would show)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False).splitlines()
