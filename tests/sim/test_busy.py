"""The ``busy`` scenario: several staggered jobs run at once, served like any other job."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from tests.support.sim_wire import AUTH, ESB_AUTH, SCOPE, v3

LIVE = {2, 7, 15}
BUSY_NAMES = {
    "Nightly backup",
    "Rotate nginx logs",
    "Release 2.3 to canary",
    "Rolling kernel patch",
    "Sync config to CDN",
    "Quick script: check disk",
}


def busy_app(clock: ManualClock, **config: Any) -> SimApp:
    return create_app(SimConfig(scenario="busy", **config), clock=clock)


@pytest.fixture
async def busy(clock: ManualClock) -> AsyncIterator[tuple[SimApp, httpx.AsyncClient]]:
    app = busy_app(clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        yield app, c


async def job_list(client: httpx.AsyncClient, clock: ManualClock) -> list[dict[str, Any]]:
    now_ms = int(clock.now() * 1000)
    data = (
        await v3(
            client,
            "get_job_instance_list",
            create_time_start=now_ms - 3_600_000,
            create_time_end=now_ms,
            length=1000,
        )
    ).json()["data"]
    return list(data["data"])


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest job of each name (the list is newest first)."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        out.setdefault(item["name"], item)
    return out


async def test_list_shows_many_live_jobs_failed_and_waiting(
    busy: tuple[SimApp, httpx.AsyncClient], clock: ManualClock
) -> None:
    _, client = busy
    clock.advance(20)
    items = by_name(await job_list(client, clock))
    assert BUSY_NAMES | {"Deploy app v1.2 to production"} <= set(items)
    statuses = {name: item["status"] for name, item in items.items()}
    assert sum(1 for s in statuses.values() if s in LIVE) >= 5
    assert statuses["Rotate nginx logs"] == 4  # failed on some hosts, shortly after start
    assert statuses["Release 2.3 to canary"] == 7  # waiting for a person
    assert statuses["Rolling kernel patch"] == 7  # a MANUAL rolling pause: never 15 on a job
    assert statuses["Nightly backup"] == 2
    quick = items["Quick script: check disk"]
    assert (quick["type"], quick["launch_mode"], quick["job_plan_id"]) == (1, 2, None)
    assert items["Nightly backup"]["launch_mode"] == 3


async def test_statuses_change_with_the_clock(
    busy: tuple[SimApp, httpx.AsyncClient], clock: ManualClock
) -> None:
    _, client = busy
    before = {n: i["status"] for n, i in by_name(await job_list(client, clock)).items()}
    assert "Rotate nginx logs" not in before  # staggered: it starts 4 s in
    clock.advance(35)
    after = {n: i["status"] for n, i in by_name(await job_list(client, clock)).items()}
    assert after["Rolling kernel patch"] == 2  # its second batch runs
    assert after["Quick script: check disk"] == 3
    assert after["Release 2.3 to canary"] == 7  # still waiting


async def step_names(client: httpx.AsyncClient, job_id: int) -> list[dict[str, Any]]:
    r = await v3(client, "get_job_instance_status", job_instance_id=job_id)
    body = r.json()
    assert body["result"] is True, body
    return list(body["data"]["step_instance_list"])


async def test_every_resource_serves_every_busy_job(
    busy: tuple[SimApp, httpx.AsyncClient], clock: ManualClock
) -> None:
    _, client = busy
    clock.advance(20)
    items = by_name(await job_list(client, clock))
    for name in BUSY_NAMES:
        job_id = items[name]["job_instance_id"]
        steps = await step_names(client, job_id)
        step_id = steps[0]["step_instance_id"]
        one = {"job_instance_id": job_id, "step_instance_id": step_id}
        status = (await v3(client, "get_step_instance_status", **one)).json()
        assert status["result"] is True and status["data"]["step_result_group_list"], name
        log = (await v3(client, "get_job_instance_ip_log", **one, bk_host_id=1001)).json()
        assert log["result"] is True and log["data"] is not None, name
        batch = await client.post(
            "/api/v3/batch_get_job_instance_ip_log",
            headers=AUTH,
            json={**SCOPE, **one, "host_id_list": [1001, 1002]},
        )
        assert batch.json()["result"] is True, name
        jobv3 = await client.get(
            "/api/c/compapi/v2/jobv3/get_job_instance_status/",
            params={**SCOPE, **ESB_AUTH, "job_instance_id": job_id},
        )
        assert jobv3.json()["data"]["job_instance"]["name"] == name
        await check_v2(client, job_id, step_id, name)


async def check_v2(client: httpx.AsyncClient, job_id: int, step_id: int, name: str) -> None:
    async def esb(resource: str, **body: object) -> Any:
        r = await client.post(
            f"/api/c/compapi/v2/job/{resource}/", json={**ESB_AUTH, "bk_biz_id": 2, **body}
        )
        return r.json()

    status = await esb("get_job_instance_status", job_instance_id=job_id)
    assert status["result"] is True and status["data"]["job_instance"]["name"] == name
    # A 3.x server reads the ids at the top level (EsbGetStepInstanceStatusResourceImpl).
    step = await esb("get_step_instance_status", job_instance_id=job_id, step_instance_id=step_id)
    assert step["result"] is True, name
    logs = await esb("get_job_instance_log", job_instance_id=job_id)
    assert logs["result"] is True and logs["data"], name


async def test_hosts_option_applies_to_every_busy_job(clock: ManualClock) -> None:
    app = busy_app(clock, hosts=3)
    clock.advance(20)
    busy = [j for j in app.world.jobs() if j.meta.name in BUSY_NAMES]
    assert len(busy) == len(BUSY_NAMES)
    assert {run.spec.hosts for job in busy for run in job.steps} == {3}
    default = busy_app(ManualClock())
    backup = next(j for j in default.world.jobs() if j.meta.name == "Nightly backup")
    assert backup.steps[0].spec.hosts == 40  # the job's own size without --hosts


async def test_demo_loop_restarts_every_lane(clock: ManualClock) -> None:
    app = busy_app(clock, demo_loop=True)
    clock.advance(1200)  # past the canary's 15-minute wait and the backup
    jobs = app.world.jobs()
    runs = Counter(j.meta.name for j in jobs if j.create_time > clock.now() - 1300)
    assert all(runs[name] >= 2 for name in BUSY_NAMES), runs
    assert runs["Deploy app v1.2 to production"] >= 2
    created = sorted(jobs, key=lambda j: j.job_instance_id)
    assert [j.create_time for j in created] == sorted(j.create_time for j in created)
    now = clock.now()
    assert sum(1 for j in jobs if j.status(now) in LIVE) >= 5
    assert app.world.demo_job_id() == max(
        j.job_instance_id for j in jobs if j.meta.name.startswith("Deploy app")
    )


async def test_default_scenario_still_has_one_running_job(clock: ManualClock) -> None:
    app = create_app(SimConfig(), clock=clock)
    clock.advance(5)  # the precheck runs (the deploy step fails at ~19 s, until retried)
    now = clock.now()
    assert [j.job_instance_id for j in app.world.jobs() if j.status(now) in LIVE] == [
        app.world.demo_job_id()
    ]


def test_busy_is_a_known_scenario() -> None:
    SimConfig(scenario="busy").validate()
    with pytest.raises(ValueError, match="busy"):
        SimConfig(scenario="bussy").validate()
