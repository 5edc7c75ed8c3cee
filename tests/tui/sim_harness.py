"""The monitor against the real client and the simulator, on a manual clock.

Polls are driven by the test (``auto_poll=False`` plus ``r`` or a selection),
never by wall-clock timers, and waited for through the worker API.
"""

from __future__ import annotations

from dataclasses import dataclass
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
class Rig:
    app: MonitorApp
    sim: SimApp
    clock: ManualClock

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
    client = make_client(settings, transport=httpx.ASGITransport(app=sim))
    options = WatchOptions(
        job_instance_id=sim.world.demo_job_id(),
        step_instance_id=step,
        filter=flt or StepFilter(),
        bell=bell,
        ascii=ascii_only,
        title=f"{family.value} · sim",
    )
    app = MonitorApp(
        client,
        options,
        clock=lambda: datetime.fromtimestamp(clock.now(), UTC),
        auto_poll=False,
    )
    return Rig(app, sim, clock)


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
