"""Conformance: rolling batches, pauses, retries and confirmations follow bk-job's engine.

Each test names the server class it mirrors (bk-job HEAD 588f99bb3; see docs/fidelity.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.steps import AUTO_GAP, SCRIPT

from .conform import CUSTOM_JOB, add_job, advance, esb_v2, job_status, retry_all, spec, step_result


@pytest.fixture
async def manual(clock: ManualClock) -> AsyncIterator[tuple[SimApp, httpx.AsyncClient]]:
    """The demo with ``SimConfig.manual``: pauses and confirmations wait for a person."""
    app = create_app(SimConfig(manual=True), clock=clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim"
    ) as c:
        yield app, c


def statuses(data: dict[str, Any]) -> tuple[int, list[int]]:
    return data["job_instance"]["status"], [s["status"] for s in data["step_instance_list"]]


async def test_auto_rolling_is_at_15_only_for_an_instant(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """GseStepEventHandler.onSuccess sets 15 on a batch that is not the last; JobListener
    .refreshJob/nextStep start the next batch at once in AUTO mode and never set a job to 15."""
    job = add_job(sim, spec(CUSTOM_JOB, 1, SCRIPT, batches=3, host_duration=4.0))
    run = job.steps[0]
    seen: list[tuple[float, int, int]] = []
    while True:
        data = await job_status(client, job.job_instance_id)
        job_s, [step_s] = statuses(data)
        seen.append((clock.now(), job_s, step_s))
        if data["finished"]:
            break
        clock.advance(0.05)
    assert {j for _, j, _ in seen} == {2, 3}  # never 15, never 7
    pauses = [len(r) for r in _runs([s for _, _, s in seen]) if r[0] == 15]
    assert len(pauses) == run.spec.batches - 1, "a fast poll sees each instant at 15"
    assert max(pauses) * 0.05 <= AUTO_GAP + 0.06


def _runs(items: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for item in items:
        if out and out[-1][-1] == item:
            out[-1].append(item)
        else:
            out.append([item])
    return out


async def test_manual_rolling_pause_waits_until_continued(
    manual: tuple[SimApp, httpx.AsyncClient], clock: ManualClock
) -> None:
    """JobListener.nextStep, MANUAL branch: after a batch that is not the last, step and job
    go to 7 WAITING_USER and stay there; ROLLING_CONTINUE (TaskExecuteServiceImpl, code 13)
    is accepted only at 7 and starts the next batch. CONFIRM_CONTINUE (code 6) only for a
    confirmation step at 7."""
    app, client = manual
    job_id = app.world.demo_job_id()
    job = app.world.job(job_id)
    assert job is not None
    deploy, confirm, rolling = job.steps[1], job.steps[3], job.steps[4]
    clock.advance(60)  # the deploy step failed; with manual, nobody else retries it
    assert statuses(await job_status(client, job_id))[0] == 4
    await retry_all(client, job_id, deploy.spec.step_instance_id)
    clock.advance((confirm.start or 0.0) - clock.now() + 1)
    clock.advance(600)  # nobody confirms: the job still waits
    assert statuses(await job_status(client, job_id))[0] == 7
    assert not job.continue_rolling(rolling.spec.step_instance_id, clock.now())
    assert job.confirm(confirm.spec.step_instance_id, clock.now(), "carol")
    assert not job.confirm(confirm.spec.step_instance_id, clock.now(), "carol")  # at 3 now
    # TaskExecuteServiceImpl.confirmContinue → updateStepOperator: v2 shows who confirmed.
    v2 = (await esb_v2(client, "get_job_instance_status", job_instance_id=job_id)).json()["data"]
    operators = [b["step_instances"][0]["operator"] for b in v2["blocks"]]
    assert operators[3] == "carol" and operators[0] == "admin"
    first = rolling.segment(0, 1)
    assert first is not None and first.start > clock.now()
    clock.advance(first.end - clock.now() + 0.5)
    data = await job_status(client, job_id)
    assert statuses(data) == (7, [3, 3, 3, 3, 7, 1])
    clock.advance(3600)
    assert statuses(await job_status(client, job_id)) == (7, [3, 3, 3, 3, 7, 1])
    # The step result of the paused step: the batch just done is the current batch.
    result = (await step_result(client, job_id, rolling.spec.step_instance_id))["data"]
    assert result["status"] == 7 and result["end_time"] is not None
    assert sum(g["host_size"] for g in result["step_result_group_list"]) == 8
    assert job.continue_rolling(rolling.spec.step_instance_id, clock.now())
    assert not job.continue_rolling(rolling.spec.step_instance_id, clock.now())  # now at 2
    assert statuses(await job_status(client, job_id)) == (2, [3, 3, 3, 3, 2, 1])  # no stale cache
    clock.advance(1)
    assert statuses(await job_status(client, job_id)) == (2, [3, 3, 3, 3, 2, 1])
    result = (await step_result(client, job_id, rolling.spec.step_instance_id))["data"]
    assert result["end_time"] is None
    hosts = [h for g in result["step_result_group_list"] for h in g["host_result_list"] or []]
    assert {h["bk_host_id"] - 1001 for h in hosts} == set(range(8, 16))  # batch 2


async def test_demo_pauses_end_by_themselves_by_default(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """The demo's MANUAL rolling step pauses at 7 (JobListener.nextStep), then the simulator
    continues on its own after a while so ``jobtui demo`` runs end to end."""
    job_id = sim.world.demo_job_id()
    seen: set[tuple[int, int]] = set()
    for _ in range(200):
        data = await job_status(client, job_id)
        job_s, steps = statuses(data)
        seen.add((job_s, steps[4]))
        if job_s == 3:
            break
        clock.advance(1)
    assert data["finished"] and data["job_instance"]["status"] == 3
    assert (7, 7) in seen and (2, 2) in seen and all(j != 15 and s != 15 for j, s in seen)


async def test_rolling_retry_reruns_only_the_current_batch(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """GseStepEventHandler.retryStepAll → saveExecuteObjectTasksForRetryAll: every task is
    copied to the new execute_count, only the current batch is reset and runs again; the
    later batches then run in the new attempt."""
    job = add_job(
        sim, spec(CUSTOM_JOB, 1, SCRIPT, batches=3, host_duration=4.0, fail_plan=(0.3, 0.0))
    )
    advance(sim, clock, 60)  # the simulated operator retried the failed batch
    run = job.steps[0]
    failed = [s for s in run.segments if s.failed]
    assert len(failed) == 1 and failed[0].attempt == 0
    bad = failed[0].batch
    retried = run.segment(1, bad)
    assert retried is not None
    clock.advance(max(0.0, run.segments[-1].end - clock.now() + 1))
    step_id = run.spec.step_instance_id

    async def hosts(count: int, batch: int) -> dict[int, dict[str, Any]]:
        data = (
            await step_result(
                client, job.job_instance_id, step_id, **{"execute_count": count, "batch": batch}
            )
        )["data"]
        return {
            h["bk_host_id"]: h
            for g in data.get("step_result_group_list", [])
            for h in g["host_result_list"] or []
        }

    for batch in range(1, bad):  # carried over: the same task, the same times
        assert await hosts(1, batch) == await hosts(0, batch)
    again = await hosts(1, bad)
    assert all(h["start_time"] >= round(retried.start * 1000) for h in again.values())
    assert all(h["status"] == 9 for h in again.values())
    for batch in range(bad + 1, 4):  # never reached by attempt 0, run by attempt 1
        assert {h["status"] for h in (await hosts(0, batch)).values()} == {5}
        assert {h["status"] for h in (await hosts(1, batch)).values()} == {9}
    data = await job_status(client, job.job_instance_id, return_ip_result="true")
    assert statuses(data) == (3, [3]) and data["step_instance_list"][0]["execute_count"] == 1


async def test_job_never_at_15_in_any_scenario(clock: ManualClock) -> None:
    """JobListener: no ``updateTaskStatus(…ROLLING_WAITING)`` anywhere; the busy scenario's
    MANUAL kernel patch holds the job at 7 between batches."""
    app = create_app(SimConfig(scenario="busy"), clock=clock)
    seen: set[int] = set()
    for _ in range(160):
        now = app.world.refresh()
        seen |= {j.status(now) for j in app.world.jobs()}
        clock.advance(1)
    assert 15 not in seen and {2, 7} <= seen
