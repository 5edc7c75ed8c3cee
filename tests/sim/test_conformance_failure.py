"""Conformance: a failed step stays failed until a person retries it, as on bk-job.

Each test names the server class it mirrors (see docs/fidelity.md):
``GseStepEventHandler.onFail`` (step at 4 with its end and total time),
``JobListener.refreshJob``/``finishJob`` (job at 4 with its end and total time),
``TaskExecuteServiceImpl.retryStepAll`` (job at 2 and ``execute_count`` + 1 in the request),
``GseStepEventHandler.retryStepAll``/``resetExecutionInfoForRetry`` (the engine clears the end
and total times, the step keeps its start time). The simulated operator (``sim/operator.py``)
retries through the same operation path a client uses.
"""

from __future__ import annotations

from typing import Any

import httpx

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.operations import ENGINE_DELAY
from jobtui.sim.steps import SCRIPT

from .conform import CUSTOM_JOB, add_job, job_status, retry_all, spec

J = CUSTOM_JOB
S1 = J * 10 + 1
PAUSE = 5.0


def app_with(clock: ManualClock, operator: str | None) -> SimApp:
    return create_app(SimConfig(retry_operator=operator, retry_pause=PAUSE), clock=clock)


def client_of(app: SimApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim")


def planned_retry(app: SimApp) -> float:
    """A script step that fails, a retry planned by the story, then a second step.

    Returns when the failed attempt ended."""
    job = add_job(
        app,
        spec(J, 1, SCRIPT, fail_plan=(0.3, 0.0), host_duration=3.0),
        spec(J, 2, SCRIPT, host_duration=3.0),
    )
    return job.steps[0].segments[-1].end


def fields(data: dict[str, Any]) -> tuple[Any, ...]:
    job, step = data["job_instance"], data["step_instance_list"][0]
    return (
        job["status"],
        step["status"],
        step["execute_count"],
        job["end_time"],
        job["total_time"],
        step["start_time"],
        step["end_time"],
        step["total_time"],
    )


async def test_a_failed_step_ends_the_job_until_someone_retries(clock: ManualClock) -> None:
    """GseStepEventHandler.onFail: step 4, end now, total from its start; JobListener.finishJob:
    job 4 with end and total time. Nothing retries by itself (no operator here)."""
    app = app_with(clock, None)
    end = planned_retry(app)
    start = clock.now()
    async with client_of(app) as client:
        clock.advance(end - clock.now() + 1)
        data = await job_status(client, J)
        ms_end, ms_start = round(end * 1000), round(start * 1000)
        total = ms_end - ms_start
        assert data["finished"] is True
        assert fields(data) == (4, 4, 0, ms_end, total, ms_start, ms_end, total)
        assert [s["status"] for s in data["step_instance_list"]] == [4, 1]
        clock.advance(6 * 3600)  # hours later: still failed, still the same times
        assert fields(await job_status(client, J)) == fields(data)
    assert not app.world.operations


async def test_a_retry_runs_the_job_again_as_the_server_does(clock: ManualClock) -> None:
    """TaskExecuteServiceImpl.retryStepAll: in the request the job goes to 2 (updateTaskStatus:
    the end time stays) and execute_count + 1 while the step stays 4; the engine then clears
    the job's and step's end and total times (resetExecutionInfoForRetry) and the step runs
    again from its old start time."""
    app = app_with(clock, None)
    end = planned_retry(app)
    start = round(clock.now() * 1000)
    async with client_of(app) as client:
        clock.advance(end - clock.now() + 30)
        failed = fields(await job_status(client, J))
        await retry_all(client, J, S1)
        sent = fields(await job_status(client, J))
        assert sent[:3] == (2, 4, 1) and sent[3:] == failed[3:]
        clock.advance(ENGINE_DELAY)
        running = fields(await job_status(client, J))
        assert running == (2, 2, 1, None, None, start, None, None)
        clock.advance(30)
        data = await job_status(client, J)
        assert [s["status"] for s in data["step_instance_list"]] == [3, 3]
        assert data["job_instance"]["status"] == 3
        job_end = data["job_instance"]["end_time"]
        assert data["job_instance"]["total_time"] == job_end - start
    assert [(op.code, op.user) for op in app.world.operations] == [(8, "admin")]  # no operator


async def test_the_simulated_operator_retries_through_the_operation_path(
    clock: ManualClock,
) -> None:
    """The story's retry: the job sits at 4 for the pause, then RETRY_ALL_IP (8) by the
    operator, logged under its name (TaskOperationLogService), and the job runs again."""
    app = app_with(clock, "ops-oncall")
    end = planned_retry(app)
    async with client_of(app) as client:
        clock.advance(end - clock.now() + PAUSE - 0.5)
        assert fields(await job_status(client, J))[:3] == (4, 4, 0)
        clock.advance(0.5)  # the operator's instant: the request's part shows at once
        assert fields(await job_status(client, J))[:3] == (2, 4, 1)
        clock.advance(ENGINE_DELAY)
        assert fields(await job_status(client, J))[:3] == (2, 2, 1)
    [op] = [op for op in app.world.operations if op.job_instance_id == J]
    assert (op.at, op.job_instance_id, op.step_instance_id, op.code, op.user) == (
        end + PAUSE,
        J,
        S1,
        8,
        "ops-oncall",
    )


async def test_the_operator_acts_at_its_instant_whenever_asked(clock: ManualClock) -> None:
    """Answers are a function of the clock: a first request long after the failure sees the
    same retry, sent at the same instant, as one that polled every second."""
    twin_clock = ManualClock(clock.now())
    polled, idle = app_with(clock, "ops-oncall"), app_with(twin_clock, "ops-oncall")
    planned_retry(polled)
    planned_retry(idle)
    async with client_of(polled) as a, client_of(idle) as b:
        for _ in range(40):
            clock.advance(1)
            await job_status(a, J)
        twin_clock.advance(40)
        assert await job_status(a, J, return_ip_result="true") == await job_status(
            b, J, return_ip_result="true"
        )
    assert sorted(polled.world.operations) == sorted(idle.world.operations)


async def test_the_operator_leaves_a_step_someone_else_handled(clock: ManualClock) -> None:
    """A user who retries (or ignores) first: the operator's retry would be 1241003, so it
    sends nothing; only the user's operation is logged."""
    app = app_with(clock, "ops-oncall")
    end = planned_retry(app)
    async with client_of(app) as client:
        clock.advance(end - clock.now() + 1)
        await retry_all(client, J, S1)
        clock.advance(PAUSE + 30)
        data = await job_status(client, J)
        assert data["job_instance"]["status"] == 3
        assert data["step_instance_list"][0]["execute_count"] == 1
    assert [op.user for op in app.world.operations if op.job_instance_id == J] == ["admin"]


async def test_manual_demo_has_no_operator(clock: ManualClock) -> None:
    """``demo --manual``: the user retries the failed deploy step (``a`` in the monitor)."""
    app = create_app(SimConfig(manual=True), clock=clock)
    assert app.world.actor is None
    job = app.world.job(app.world.demo_job_id())
    assert job is not None
    clock.advance(600)
    assert job.status(app.world.refresh()) == 4
