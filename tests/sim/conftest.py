"""Fixtures: a simulator on a ManualClock behind an httpx ASGI transport."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig

AUTH = {
    "X-Bkapi-Authorization": json.dumps(
        {"bk_app_code": "demo", "bk_app_secret": "s3cret", "bk_username": "admin"}
    )
}
SCOPE = {"bk_scope_type": "biz", "bk_scope_id": "2"}
ESB_AUTH = {"bk_app_code": "demo", "bk_app_secret": "s3cret", "bk_username": "admin"}


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


async def v3(client: httpx.AsyncClient, resource: str, /, **params: Any) -> httpx.Response:
    return await client.get(f"/api/v3/{resource}", params={**SCOPE, **params}, headers=AUTH)
