"""Operator and launch mode on v3 families: one get_job_instance_list lookup per job."""

from __future__ import annotations

import httpx
import pytest

from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily
from jobtui.sim.app import create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from tests.support.api import Server, ok, settings
from tests.support.transports import Meter, api_name

URLS = {ApiFamily.V3: "http://sim/api/bk-job/prod", ApiFamily.JOBV3: "http://sim"}


@pytest.mark.parametrize("family", [ApiFamily.V3, ApiFamily.JOBV3])
async def test_operator_and_launch_mode_come_from_the_job_list_once(family) -> None:
    clock = ManualClock()
    app = create_app(SimConfig(scope_id="2"), clock=clock)
    job_id = app.world.demo_job_id()
    meter = Meter(httpx.ASGITransport(app=app))
    client = make_client(settings(family, url=URLS[family]), transport=meter)
    try:
        clock.advance(5)
        first = await client.get_job(job_id, with_hosts=False)
        second = await client.get_job(job_id, with_hosts=False)
    finally:
        await client.aclose()
    assert first.operator == second.operator == "admin"
    assert first.launch_mode == second.launch_mode == 1
    lookups = [r for r in meter.requests if api_name(r) == "get_job_instance_list"]
    assert len(lookups) == 1
    assert lookups[0].url.params["job_instance_id"] == str(job_id)


async def test_a_failed_lookup_keeps_unknown_and_is_not_retried(server: Server) -> None:
    server.replies["get_job_instance_status"] = ok(seed_status())
    server.replies["get_job_instance_list"] = httpx.Response(503, text="down")
    client = make_client(settings(ApiFamily.V3), transport=httpx.MockTransport(server.handle))
    try:
        first = await client.get_job(1, with_hosts=False)
        second = await client.get_job(1, with_hosts=False)
    finally:
        await client.aclose()
    assert first.operator is None and second.launch_mode is None
    names = [api_name(r) for r in server.requests]
    assert names.count("get_job_instance_list") == 1
    assert names.count("get_job_instance_status") == 2


def seed_status() -> object:
    return {
        "finished": False,
        "job_instance": {"job_instance_id": 1, "name": "j", "status": 2, "create_time": 1.7e12},
        "step_instance_list": [],
    }
