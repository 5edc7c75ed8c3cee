"""The real client against the built-in simulator (ASGI transport, manual clock).

The simulator builds its wire JSON from its own state without importing
``jobtui.api``, so agreement here means the client and simulator check each other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from jobtui.api.base import JobApi
from jobtui.api.errors import GatewayAuthError, NotFoundError, UnsupportedFilterError
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, LogKind
from jobtui.sim.app import create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from tests.support.api import CREDS, settings

URLS = {
    ApiFamily.V3: "http://sim/api/bk-job/prod",
    ApiFamily.V4: "http://sim/api/bk-job/prod",
    ApiFamily.JOBV3: "http://sim",
    ApiFamily.V2: "http://sim",
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def sim_client(clock: ManualClock) -> AsyncIterator[Callable[..., JobApi]]:
    app = create_app(SimConfig(scope_id="2"), clock=clock)
    built: list[JobApi] = []

    def build(family: ApiFamily, **changes: object) -> JobApi:
        changes.setdefault("url", URLS[family])
        client = make_client(settings(family, **changes), transport=httpx.ASGITransport(app=app))
        built.append(client)
        return client

    build.app = app  # type: ignore[attr-defined]
    yield build
    for client in built:
        await client.aclose()


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_demo_job_through_every_family(sim_client, clock, family) -> None:
    app = sim_client.app
    job_id = app.world.demo_job_id()
    clock.advance(30)
    client = sim_client(family)
    job = await client.get_job(job_id)
    assert job.job_instance_id == job_id and job.name
    assert job.steps, "the demo job has steps"
    assert (len(job.blocks) == 1 and job.blocks[0].implicit) is (family is not ApiFamily.V2)
    started = [s for s in job.steps if s.hosts]
    assert started, "after 30 s some step has hosts"
    step = started[0]
    result = await client.get_step_result(job_id, step.step_instance_id)
    assert result.step_instance_id == step.step_instance_id
    assert result.host_count == len(step.hosts)
    host = next(h for g in result.groups for h in g.hosts)
    log = await client.get_host_log(job_id, step.step_instance_id, host.ref)
    assert log.kind in (LogKind.SCRIPT, LogKind.FILE)
    logs = await client.get_host_logs(
        job_id, step.step_instance_id, [h.ref for h in step.hosts[:3]]
    )
    assert 1 <= len(logs) <= 3


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_finished_history_and_hosts_agree(sim_client, family) -> None:
    app = sim_client.app
    client = sim_client(family)
    for job_id in app.world.job_ids()[:4]:
        job = await client.get_job(job_id)
        for step in job.steps:
            if not step.hosts:
                continue
            result = await client.get_step_result(
                job_id, step.step_instance_id, StepFilter(batch=0)
            )
            counts = sorted((g.status, g.host_count) for g in result.groups)
            by_status: dict[int, int] = {}
            for h in step.hosts:
                by_status[h.status] = by_status.get(h.status, 0) + 1
            assert sum(c for _, c in counts) == sum(by_status.values())


@pytest.mark.parametrize("family", [ApiFamily.V3, ApiFamily.JOBV3])
async def test_job_list(sim_client, clock, family) -> None:
    now = datetime.fromtimestamp(clock.now(), UTC)
    page = await sim_client(family).list_jobs(since=now - timedelta(days=7), until=now)
    assert page.total >= len(page.jobs) > 0
    times = [j.create_time for j in page.jobs if j.create_time]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_unknown_job_is_not_found(sim_client, family) -> None:
    with pytest.raises(NotFoundError, match="job instance 999999999 not found"):
        await sim_client(family).get_job(999_999_999)


async def test_gateway_rejects_missing_credentials(sim_client) -> None:
    from jobtui.api.auth import Credentials

    client = sim_client(ApiFamily.V3, credentials=Credentials(app_code="x"))
    with pytest.raises(GatewayAuthError):
        await client.get_job(sim_client.app.world.demo_job_id())
    assert CREDS.app_secret  # the shared credentials stay usable for the others


async def test_v2_refuses_batches(sim_client, clock) -> None:
    app = sim_client.app
    job_id = app.world.demo_job_id()
    clock.advance(30)
    client = sim_client(ApiFamily.V2)
    job = await client.get_job(job_id)
    step = job.steps[0]
    with pytest.raises(UnsupportedFilterError, match="rolling batch"):
        await client.get_step_result(job_id, step.step_instance_id, StepFilter(batch=2))


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_hostile_logs_load_whole_through_every_family(clock, family) -> None:
    # the hostile log holds a lone surrogate, which the simulator escapes as \udcff
    app = create_app(SimConfig(scope_id="2", scenario="hostile"), clock=clock)
    clock.advance(600)
    client = make_client(settings(family, url=URLS[family]), transport=httpx.ASGITransport(app=app))
    try:
        job_id = app.world.demo_job_id()
        job = await client.get_job(job_id)
        step = job.steps[0]
        result = await client.get_step_result(job_id, step.step_instance_id)
        host = next(h for g in result.groups for h in g.hosts)
        log = await client.get_host_log(job_id, step.step_instance_id, host.ref)
        assert "mojibake" in log.content and "\udcff" in log.content
    finally:
        await client.aclose()
