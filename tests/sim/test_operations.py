"""The simulator's operate_step_instance / operate_job_instance, on the wire.

Each test names the bk-job class whose precondition or effect it mirrors
(``TaskExecuteServiceImpl.doStepOperation``/``doTaskOperation`` for the
preconditions, the engine's event handlers for the effects).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.config import SimConfig
from jobtui.sim.operations import ENGINE_DELAY, STOP_DELAY
from jobtui.sim.steps import CONFIRM, SCRIPT
from tests.support.sim_wire import AUTH, ESB_AUTH, SCOPE

from .conform import CUSTOM_JOB, add_job, job_status, spec, step_result

J = CUSTOM_JOB
S1, S2, S3 = J * 10 + 1, J * 10 + 2, J * 10 + 3


async def operate(
    client: httpx.AsyncClient,
    name: str = "operate_step_instance",
    *,
    headers: Any = None,
    **body: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/v3/{name}", json={**SCOPE, **body}, headers=AUTH if headers is None else headers
    )


async def step(client: httpx.AsyncClient, code: int, step_id: int, job_id: int = J) -> Any:
    r = await operate(client, job_instance_id=job_id, step_instance_id=step_id, operation_code=code)
    return r.json()


def statuses(data: dict[str, Any]) -> tuple[int, list[tuple[int, int]]]:
    steps = [(s["status"], s["execute_count"]) for s in data["step_instance_list"]]
    return data["job_instance"]["status"], steps


def confirm_job(sim: SimApp) -> None:
    """script · confirmation (waits for a person) · script."""
    add_job(
        sim,
        spec(J, 1, SCRIPT, host_duration=3.0),
        spec(J, 2, CONFIRM, confirm_wait=None),
        spec(J, 3, SCRIPT, host_duration=3.0),
    )


def failing_job(sim: SimApp) -> None:
    """A script step whose only run fails, then a second step that never started."""
    add_job(sim, spec(J, 1, SCRIPT, fail_plan=(0.3,), host_duration=3.0), spec(J, 2, SCRIPT))


async def test_confirm_moves_on_after_the_engine(sim, clock, client) -> None:
    """CONFIRM_CONTINUE (6): ConfirmStepEventHandler.confirmStepContinue."""
    confirm_job(sim)
    early = await step(client, 6, S2)
    assert (early["result"], early["code"]) == (False, 1241003)  # not yet waiting
    clock.advance(10)
    assert statuses(await job_status(client, J)) == (7, [(3, 0), (7, 0), (1, 0)])
    answer = await step(client, 6, S2)
    assert answer["result"] is True
    assert answer["data"] == {
        "job_instance_id": J,
        "step_instance_id": S2,
        "job_instance_name": None,
    }
    job, steps = statuses(await job_status(client, J))
    # the request sets the job RUNNING (TaskExecuteServiceImpl); the engine has not acted
    assert (job, steps[1]) == (2, (7, 0))
    clock.advance(ENGINE_DELAY + 1.5)
    job, steps = statuses(await job_status(client, J))
    assert (job, steps[1], steps[2][0]) == (2, (3, 0), 2)
    again = await step(client, 6, S2)
    assert again["code"] == 1241003


async def test_reject_ends_step_and_job_and_reconfirm_reopens(sim, clock, client) -> None:
    """CONFIRM_TERMINATE (9) / CONFIRM_RESTART (10): ConfirmStepEventHandler."""
    confirm_job(sim)
    clock.advance(10)
    assert (await step(client, 9, S2))["result"] is True
    clock.advance(ENGINE_DELAY)
    data = await job_status(client, J)
    assert statuses(data) == (13, [(3, 0), (13, 0), (1, 0)])
    assert data["finished"] is True
    assert (await step(client, 6, S2))["code"] == 1241003
    clock.advance(30)
    assert statuses(await job_status(client, J))[0] == 13  # stays until a person acts
    assert (await step(client, 10, S2))["result"] is True
    assert statuses(await job_status(client, J)) == (7, [(3, 0), (7, 0), (1, 0)])
    assert (await step(client, 10, S2))["code"] == 1241003  # only at 13


@pytest.mark.parametrize(
    ("config", "user", "code"),
    [
        ({}, "bob", None),  # no roles: anyone may (checkConfirmUser)
        ({"confirm_roles": ("JOB_RESOURCE_TRIGGER_USER",)}, "bob", 1244016),
        ({"confirm_roles": ("JOB_RESOURCE_TRIGGER_USER",)}, "admin", None),  # the operator
        ({"confirm_roles": ("BIZ_MAINTAINER",), "confirm_users": ("bob",)}, "bob", None),
        ({"confirm_roles": ("BIZ_MAINTAINER",), "confirm_role_users": ("carol",)}, "carol", None),
        ({"confirm_roles": ("BIZ_MAINTAINER",)}, "admin", 1244016),
    ],
)
async def test_who_may_confirm(clock, config, user, code) -> None:
    """TaskExecuteServiceImpl.checkConfirmUser: 1244016 only when roles are configured."""
    sim = create_app(SimConfig(**config), clock=clock)
    confirm_job(sim)
    clock.advance(10)
    header = {"X-Bkapi-Authorization": AUTH["X-Bkapi-Authorization"].replace("admin", user)}
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        for op in (6, 9):
            r = await operate(
                client,
                headers=header,
                job_instance_id=J,
                step_instance_id=S2,
                operation_code=op,
            )
            body = r.json()
            if code is None:
                assert body["result"] is True, body
                break
            assert (body["result"], body["code"]) == (False, code)
            assert body["message"] == "Only the confirmer of the step can operate"


async def test_retry_failed_bumps_execute_count_at_once(sim, clock, client) -> None:
    """RETRY_FAIL_IP (2): addStepInstanceExecuteCount in the request, the run after the event
    (GseStepEventHandler.retryStepFail); hosts that succeeded are "Successful Last Time"."""
    failing_job(sim)
    clock.advance(20)
    assert statuses(await job_status(client, J)) == (4, [(4, 0), (1, 0)])
    assert (await step(client, 2, S1))["result"] is True
    job, steps = statuses(await job_status(client, J))
    assert (job, steps[0]) == (2, (4, 1))  # count bumped, status not yet moved
    # the race TaskExecuteServiceImpl.retryStepFail allows: it bumps execute_count at once
    # but isStepRetryable checks only the status, still 4, so a second retry is accepted too
    assert (await step(client, 2, S1))["result"] is True
    assert statuses(await job_status(client, J))[1][0] == (4, 2)
    clock.advance(ENGINE_DELAY + 0.1)
    data = (await step_result(client, J, S1))["data"]
    kinds = {g["result_type"]: g["host_size"] for g in data["step_result_group_list"]}
    assert kinds.get(3, 0) > 0 and 3 in kinds  # kept hosts
    assert data["execute_count"] == 2
    clock.advance(20)
    assert statuses(await job_status(client, J)) == (3, [(3, 2), (3, 0)])
    assert (await step(client, 2, S1))["code"] == 1241003  # SUCCESS is not retryable


async def test_retry_all_runs_every_host(sim, clock, client) -> None:
    """RETRY_ALL_IP (8): GseStepEventHandler.retryStepAll re-runs every host."""
    failing_job(sim)
    clock.advance(20)
    assert (await step(client, 8, S1))["result"] is True
    clock.advance(ENGINE_DELAY + 0.1)
    data = (await step_result(client, J, S1))["data"]
    kinds = {g["result_type"] for g in data["step_result_group_list"]}
    assert 3 not in kinds and kinds <= {5, 7, 9}


async def test_ignore_error_marks_the_step_and_goes_on(sim, clock, client) -> None:
    """IGNORE_ERROR (3): GseStepEventHandler.ignoreError sets IGNORE_ERROR (6) on a FAIL step."""
    failing_job(sim)
    clock.advance(1)
    assert (await step(client, 3, S1))["code"] == 1241003  # running
    clock.advance(20)
    assert (await step(client, 3, S1))["result"] is True
    clock.advance(ENGINE_DELAY + 1.5)
    job, steps = statuses(await job_status(client, J))
    assert (job, steps) == (2, [(6, 0), (2, 0)])
    clock.advance(20)
    assert statuses(await job_status(client, J))[0] == 3


async def test_terminate_then_skip_next_step_and_retry(sim, clock, client) -> None:
    """TERMINATE_JOB (1): JobListener.stopJob (10 → 11); SKIP (12) on STOPPING, NEXT_STEP (11)
    and RETRY_ALL_IP (8, "retry and continue") on STOP_SUCCESS (GseStepEventHandler)."""
    add_job(
        sim,
        spec(J, 1, SCRIPT, host_duration=8.0),
        spec(J, 2, SCRIPT, host_duration=3.0),
        spec(J, 3, SCRIPT, host_duration=3.0),
    )
    clock.advance(3)
    r = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=1)
    assert r.json()["data"] == {
        "job_instance_id": J,
        "step_instance_id": None,
        "job_instance_name": None,
    }
    clock.advance(ENGINE_DELAY)
    assert statuses(await job_status(client, J)) == (10, [(10, 0), (1, 0), (1, 0)])
    assert (await step(client, 11, S1))["code"] == 1241003  # NEXT_STEP needs 11
    clock.advance(STOP_DELAY)
    data = await job_status(client, J, return_ip_result="true")
    assert statuses(data) == (11, [(11, 0), (1, 0), (1, 0)])
    hosts = {h["status"] for h in data["step_instance_list"][0]["step_ip_result_list"]}
    assert 403 in hosts  # force terminated
    again = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=1)
    assert again.json()["code"] == 1241003  # only at 2 or 7
    assert (await step(client, 11, S1))["result"] is True
    clock.advance(ENGINE_DELAY + 1.5)
    assert statuses(await job_status(client, J)) == (2, [(5, 0), (2, 0), (1, 0)])
    # terminate the second step and skip it while it is still stopping
    r = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=1)
    assert r.json()["result"] is True
    clock.advance(ENGINE_DELAY + 0.1)
    assert statuses(await job_status(client, J))[1][1] == (10, 0)
    assert (await step(client, 12, S2))["result"] is True
    clock.advance(ENGINE_DELAY + 1.5)
    assert statuses(await job_status(client, J)) == (2, [(5, 0), (5, 0), (2, 0)])


async def test_retry_of_a_stopped_step(sim, clock, client) -> None:
    """RETRY_ALL_IP on STOP_SUCCESS (isStepRetryable includes 11): the job runs on."""
    add_job(sim, spec(J, 1, SCRIPT, host_duration=8.0), spec(J, 2, SCRIPT, host_duration=3.0))
    clock.advance(3)
    await operate(client, "operate_job_instance", job_instance_id=J, operation_code=1)
    clock.advance(ENGINE_DELAY + STOP_DELAY)
    assert (await step(client, 8, S1))["result"] is True
    assert statuses(await job_status(client, J)) == (2, [(11, 1), (1, 0)])
    clock.advance(30)
    assert statuses(await job_status(client, J)) == (3, [(3, 1), (3, 0)])


async def test_terminate_a_waiting_confirmation(sim, clock, client) -> None:
    """A WAITING_USER step is set STOP_SUCCESS at once (GseStepEventHandler.stopStep)."""
    confirm_job(sim)
    clock.advance(10)
    r = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=1)
    assert r.json()["result"] is True
    clock.advance(ENGINE_DELAY)
    assert statuses(await job_status(client, J)) == (10, [(3, 0), (11, 0), (1, 0)])
    clock.advance(STOP_DELAY)
    assert statuses(await job_status(client, J))[0] == 11


async def test_continue_rolling_only_at_a_manual_pause(sim, clock, client) -> None:
    """ROLLING_CONTINUE (13): status 7 and isRollingStep (TaskExecuteServiceImpl)."""
    add_job(
        sim,
        spec(J, 1, SCRIPT, batches=3, rolling_manual=True, pause_wait=None, host_duration=3.0),
        spec(J, 2, CONFIRM, confirm_wait=None),
    )
    clock.advance(1)
    assert (await step(client, 13, S1))["code"] == 1241003  # running, not paused
    clock.advance(10)
    assert statuses(await job_status(client, J)) == (7, [(7, 0), (1, 0)])
    assert (await step(client, 6, S1))["code"] == 1241003  # confirm is for type 3 only
    assert (await step(client, 13, S1))["result"] is True
    clock.advance(1)
    data = (await step_result(client, J, S1))["data"]
    assert statuses(await job_status(client, J))[1][0] == (2, 0)
    assert data["status"] == 2


async def test_continue_rolling_is_refused_on_a_confirmation(sim, clock, client) -> None:
    confirm_job(sim)
    clock.advance(10)
    assert (await step(client, 13, S2))["code"] == 1241003


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"job_instance_id": J, "step_instance_id": S1, "operation_code": 99}, 1241002),
        ({"job_instance_id": J, "step_instance_id": S1}, 1241002),
        ({"job_instance_id": J, "operation_code": 6}, 1241002),
        ({"job_instance_id": J, "step_instance_id": 0, "operation_code": 6}, 1241002),
        ({"step_instance_id": S1, "operation_code": 6}, 1241002),
        ({"job_instance_id": J, "step_instance_id": 42, "operation_code": 6}, 1244007),
        ({"job_instance_id": 4242, "step_instance_id": S1, "operation_code": 6}, 1244006),
    ],
)
async def test_request_checks(sim, clock, client, body, code) -> None:
    """EsbOperateStepInstanceV3ResourceImpl.checkRequest: 1241002 without a field name."""
    confirm_job(sim)
    answer = (await operate(client, **body)).json()
    assert (answer["result"], answer["code"]) == (False, code)


async def test_job_operation_codes(sim, clock, client) -> None:
    """TaskOperationEnum: START_JOB (2) on a started job is 1241015; others 1241002."""
    confirm_job(sim)
    clock.advance(1)
    start = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=2)
    assert start.json()["code"] == 1241015
    bad = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=5)
    assert bad.json()["code"] == 1241002


async def test_gateway_resource_permission(clock) -> None:
    """resources.yaml resourcePermissionRequired: 403 1640301 before bk-job sees it."""
    sim = create_app(SimConfig(ungranted_apis={"operate_step_instance"}), clock=clock)
    confirm_job(sim)
    clock.advance(10)
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        r = await operate(client, job_instance_id=J, step_instance_id=S2, operation_code=6)
        assert r.status_code == 403
        assert r.headers["X-Bkapi-Error-Code"] == "1640301"
        ok = await operate(client, "operate_job_instance", job_instance_id=J, operation_code=1)
        assert ok.json()["result"] is True
        # ESB has no gateway resource permission
        esb = await client.post(
            "/api/c/compapi/v2/jobv3/operate_step_instance/",
            json={
                **ESB_AUTH,
                **SCOPE,
                "job_instance_id": J,
                "step_instance_id": S2,
                "operation_code": 6,
            },
        )
        assert esb.json()["result"] is True  # reached bk-job (the terminate is not applied yet)


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/api/c/compapi/v2/jobv3/operate_step_instance/", SCOPE),
        ("/api/c/compapi/v2/job/operate_step_instance/", {"bk_biz_id": 2}),
    ],
)
async def test_esb_families(sim, clock, client, path, scope) -> None:
    """ESB jobv3 and v2 serve the same operation (v2: EsbOperateStepInstanceRequest)."""
    confirm_job(sim)
    clock.advance(10)
    r = await client.post(
        path,
        json={
            **ESB_AUTH,
            **scope,
            "job_instance_id": J,
            "step_instance_id": S2,
            "operation_code": 6,
        },
    )
    assert r.json()["result"] is True, r.json()
    clock.advance(ENGINE_DELAY)
    assert statuses(await job_status(client, J))[1][1] == (3, 0)


async def test_demo_manual_confirmation_waits_for_a_person(clock) -> None:
    """`jobtui demo --manual`: no simulated operator, so the failed deploy step stays at 4
    (``JobListener.finishJob``) until the user retries it; then the confirmation step
    waits until operated."""
    sim = create_app(SimConfig(manual=True), clock=clock)
    job_id = sim.world.demo_job_id()
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        clock.advance(60)
        data = await job_status(client, job_id)
        assert data["finished"] and statuses(data)[0] == 4
        clock.advance(600)  # nobody retries it
        data = await job_status(client, job_id)
        assert statuses(data)[0] == 4 and statuses(data)[1][1] == (4, 0)
        deploy_id = data["step_instance_list"][1]["step_instance_id"]
        assert (await step(client, 8, deploy_id, job_id))["result"] is True
        assert [op.user for op in sim.world.operations] == ["admin"]  # the caller, logged
        for _ in range(60):
            clock.advance(5)
            data = await job_status(client, job_id)
            if data["job_instance"]["status"] == 7:
                break
        job, steps = statuses(data)
        waiting = [i for i, (status, _) in enumerate(steps) if status == 7]
        assert job == 7 and waiting == [3]
        clock.advance(600)
        assert statuses(await job_status(client, job_id))[0] == 7
        confirm_id = data["step_instance_list"][3]["step_instance_id"]
        assert (await step(client, 6, confirm_id, job_id))["result"] is True
        clock.advance(3)
        assert statuses(await job_status(client, job_id))[1][4][0] == 2


async def test_rolling_retry_reruns_the_current_batch_then_goes_on(sim, clock, client) -> None:
    """A retry of a serial rolling step runs the failed batch again, earlier batches carry
    over (GseStepEventHandler.retryStepFail, saveExecuteObjectTasksForRetryFail), then the
    later batches run in the new execute_count."""
    # only the forced host fails: its batch (2 with this seed) fails, batch 1 succeeded
    add_job(sim, spec(J, 1, SCRIPT, batches=3, fail_plan=(0.0001,), host_duration=3.0))
    clock.advance(60)
    assert statuses(await job_status(client, J))[0] == 4
    run = sim.world.job(J).steps[0]  # type: ignore[union-attr]
    k = run.current_batch(clock.now())
    assert k > 1
    assert (await step_result(client, J, S1))["data"]["status"] == 4
    assert (await step(client, 2, S1))["result"] is True
    clock.advance(ENGINE_DELAY + 0.1)
    retried = (await step_result(client, J, S1, batch=k, execute_count=1))["data"]
    kinds = {g["result_type"] for g in retried["step_result_group_list"]}
    assert 3 in kinds and kinds - {3} <= {5, 7}  # kept hosts, failed ones running again
    for earlier in range(1, k):  # earlier batches carry their outcome over, not re-run
        old = (await step_result(client, J, S1, batch=earlier, execute_count=0))["data"]
        new = (await step_result(client, J, S1, batch=earlier, execute_count=1))["data"]
        assert old["step_result_group_list"] == new["step_result_group_list"]
    clock.advance(120)
    assert statuses(await job_status(client, J)) == (3, [(3, 1)])
