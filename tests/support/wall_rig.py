"""A simulator and a real client over ASGI, on a manual clock, for the wall tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from textual.pilot import Pilot

from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.tui.run_jobs import JobsApp, JobsOptions
from jobtui.tui.screens.wall import WallScreen
from tests.support.monitor_rig import settle, sim_settings
from tests.support.transports import Meter


@dataclass
class SimRig:
    sim: SimApp
    clock: ManualClock
    client: JobApi
    transport: Meter
    extra: dict[str, object] = field(default_factory=dict)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)


def sim_rig(
    *,
    family: ApiFamily = ApiFamily.V3,
    hosts: int | None = None,
    advance: float = 30.0,
    scenario: str = "default",
    demo_loop: bool = False,
) -> SimRig:
    clock = ManualClock()
    sim = create_app(SimConfig(scenario=scenario, hosts=hosts, demo_loop=demo_loop), clock=clock)
    clock.advance(advance)
    transport = Meter(httpx.ASGITransport(app=sim))
    return SimRig(sim, clock, make_client(sim_settings(family), transport=transport), transport)


def make_app(rig: SimRig, **options: object) -> JobsApp:
    """The job-list app on the rig's client and clock; polls driven by the test."""
    options.setdefault("since", timedelta(days=30))
    opts = JobsOptions(**options)  # type: ignore[arg-type]
    return JobsApp(
        rig.client,
        opts,
        clock=lambda: datetime.fromtimestamp(rig.clock.now(), UTC),
        auto_poll=False,
    )


async def open_wall(pilot: Pilot[Any], app: JobsApp) -> WallScreen:
    """From the job list's first answer, ``w``: the wall with its first answer."""
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)
    assert isinstance(app.screen, WallScreen)
    return app.screen
