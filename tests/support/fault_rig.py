"""The monitor against the simulator through a transport whose faults a test switches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.core.options import WatchOptions
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.tui.app import MonitorApp
from tests.support.canaries import settings
from tests.support.monitor_rig import Polls


class SwitchTransport(httpx.AsyncBaseTransport):
    """The simulator, unless ``fault`` is set: then that transport (or exception) answers."""

    def __init__(self, sim: SimApp) -> None:
        self.sim = httpx.ASGITransport(app=sim)
        self.fault: httpx.AsyncBaseTransport | BaseException | None = None
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        fault = self.fault
        if isinstance(fault, BaseException):
            raise fault
        if fault is not None:
            return await fault.handle_async_request(request)
        return await self.sim.handle_async_request(request)


@dataclass
class FaultRig:
    app: MonitorApp
    sim: SimApp
    clock: ManualClock
    transport: SwitchTransport
    polls: Polls = field(default_factory=Polls)


def make_fault_rig(
    *, scenario: str = "default", family: ApiFamily = ApiFamily.V3, advance: float = 30
) -> FaultRig:
    clock = ManualClock()
    sim = create_app(SimConfig(scenario=scenario), clock=clock)
    clock.advance(advance)
    transport = SwitchTransport(sim)
    api = make_client(settings(family), transport=transport)
    options = WatchOptions(
        job_instance_id=sim.world.demo_job_id(), filter=StepFilter(), title="resilience"
    )
    app = MonitorApp(
        api, options, clock=lambda: datetime.fromtimestamp(clock.now(), UTC), auto_poll=False
    )
    return FaultRig(app, sim, clock, transport)
