"""Fixtures: a simulator on a ManualClock behind an ASGI transport (see support/sim_wire.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> SimApp:
    return create_app(SimConfig(), clock=clock)


@pytest.fixture
async def client(sim: SimApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        yield c
