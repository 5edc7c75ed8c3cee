"""A simulator and a real client over ASGI, on a manual clock, for the wall tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from jobtui.api.auth import Credentials
from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig


class CountingTransport(httpx.ASGITransport):
    """Records the API name and JSON body of every request."""

    def __init__(self, app: SimApp) -> None:
        super().__init__(app=app)
        self.calls: list[tuple[str, dict[str, object]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        body = json.loads(request.content) if request.content else dict(request.url.params)
        self.calls.append((name, body))
        return await super().handle_async_request(request)

    def named(self, name: str) -> list[dict[str, object]]:
        return [body for called, body in self.calls if called == name]


@dataclass
class SimRig:
    sim: SimApp
    clock: ManualClock
    client: JobApi
    transport: CountingTransport
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
    transport = CountingTransport(sim)
    settings = ConnectionSettings(
        url="http://sim",
        family=family,
        scope_id="2",
        credentials=Credentials("jobtui", "secret", username="admin"),
        timezone="UTC",
    )
    return SimRig(sim, clock, make_client(settings, transport=transport), transport)
