"""Helpers of the conformance suite: hand-built jobs and calls over the simulator's wire."""

from __future__ import annotations

from typing import Any

import httpx

from jobtui.sim.app import SimApp
from jobtui.sim.clock import ManualClock
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.steps import StepSpec
from tests.support.sim_wire import AUTH, ESB_AUTH, SCOPE, v3

CUSTOM_JOB = 90_001


def add_job(sim: SimApp, *specs: StepSpec, job_id: int = CUSTOM_JOB) -> Job:
    """A job starting now with ``specs`` (step ids are ``job_id * 10 + n``)."""
    meta = JobMeta(job_instance_id=job_id, name=f"conformance {job_id}")
    return sim.world.add_job(Job.build(meta, sim.clock.now(), sim.world.pool, list(specs)))


def advance(sim: SimApp, clock: ManualClock, seconds: float) -> None:
    """Move the clock and let the simulated operator send what is due (``World.refresh``):
    the demo's later steps are placed only once its failed deploy step was retried."""
    clock.advance(seconds)
    sim.world.refresh()


async def retry_all(client: httpx.AsyncClient, job_id: int, step_id: int) -> None:
    """RETRY_ALL_IP (8) over v3, as a user of ``demo --manual`` sends it."""
    r = await client.post(
        "/api/v3/operate_step_instance",
        json={
            **SCOPE,
            "job_instance_id": job_id,
            "step_instance_id": step_id,
            "operation_code": 8,
        },
        headers=AUTH,
    )
    assert r.json()["result"] is True, r.text


def spec(job_id: int, n: int, type_: int, **kw: Any) -> StepSpec:
    kw.setdefault("hosts", 24)
    return StepSpec(step_instance_id=job_id * 10 + n, step_id=n, name=f"step {n}", type=type_, **kw)


async def step_result(client: httpx.AsyncClient, job_id: int, step_id: int, **params: Any) -> Any:
    """The whole v3 get_step_instance_status answer (envelope included)."""
    r = await v3(
        client,
        "get_step_instance_status",
        job_instance_id=job_id,
        step_instance_id=step_id,
        **params,
    )
    return r.json()


async def job_status(client: httpx.AsyncClient, job_id: int, **params: Any) -> Any:
    r = await v3(client, "get_job_instance_status", job_instance_id=job_id, **params)
    body = r.json()
    assert body["result"] is True, body
    return body["data"]


async def esb_v2(client: httpx.AsyncClient, name: str, **body: Any) -> httpx.Response:
    return await client.post(
        f"/api/c/compapi/v2/job/{name}/", json={**ESB_AUTH, "bk_biz_id": 2, **body}
    )


def listed(groups: list[dict[str, Any]]) -> list[tuple[int, str | None]]:
    """The (status, tag) of the groups that list hosts."""
    return [(g["result_type"], g["tag"]) for g in groups if g["host_result_list"]]
