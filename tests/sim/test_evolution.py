"""Scenario evolution is a deterministic function of the (manual) clock."""

from __future__ import annotations

import httpx

from jobtui.sim.app import SimApp
from tests.support.sim_wire import v3


async def job_steps(client: httpx.AsyncClient, job_id: int) -> list[dict[str, object]]:
    data = (await v3(client, "get_job_instance_status", job_instance_id=job_id)).json()["data"]
    return list(data["step_instance_list"])


async def test_steps_progress_retry_confirm_and_finish(
    client: httpx.AsyncClient, sim: SimApp, clock: object
) -> None:
    """The deploy step fails and the job ends at 4 (``JobListener.finishJob``) until the
    simulated operator retries it (``TaskExecuteServiceImpl.retryStepAll``); then it
    runs on through the confirmation and the MANUAL rolling pause to 3."""
    job_id = sim.world.demo_job_id()
    steps = await job_steps(client, job_id)
    assert [s["status"] for s in steps] == [2, 1, 1, 1, 1, 1]
    seen_job: list[int] = []
    seen_steps = set()
    for _ in range(400):
        clock.advance(1)  # type: ignore[attr-defined]
        data = (await v3(client, "get_job_instance_status", job_instance_id=job_id)).json()
        status = data["data"]["job_instance"]["status"]
        if not seen_job or seen_job[-1] != status:
            seen_job.append(status)
        for step in data["data"]["step_instance_list"]:
            seen_steps.add((step["name"], step["status"], step["execute_count"]))
        if status == 3:
            break
    assert data["data"]["finished"] and data["data"]["job_instance"]["status"] == 3
    # Running, failed (finished, until a person retries), running again, waiting for a
    # person (confirmation, MANUAL rolling pause); never at 15 (JobListener.nextStep).
    assert seen_job[:3] == [2, 4, 2] and 7 in seen_job and 15 not in seen_job
    assert ("Deploy package", 4, 0) in seen_steps  # the failed attempt stays failed
    assert ("Deploy package", 2, 1) in seen_steps  # the retry ran as execute_count 1
    assert ("Confirm rollout", 7, 0) in seen_steps
    assert ("Rolling restart", 7, 0) in seen_steps
    [retry] = [op for op in sim.world.operations if op.job_instance_id == job_id]
    assert (retry.code, retry.user) == (8, "ops-oncall")


async def test_same_seed_same_answers(
    sim: SimApp, client: httpx.AsyncClient, clock: object
) -> None:
    from jobtui.sim.app import create_app
    from jobtui.sim.clock import ManualClock
    from jobtui.sim.config import SimConfig

    twin_clock = ManualClock()
    twin = create_app(SimConfig(), clock=twin_clock)
    clock.advance(30)  # type: ignore[attr-defined]
    twin_clock.advance(30)
    job_id = sim.world.demo_job_id()
    assert twin.world.demo_job_id() == job_id
    transport = httpx.ASGITransport(app=twin)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as other:
        a = (
            await v3(
                client, "get_job_instance_status", job_instance_id=job_id, return_ip_result="true"
            )
        ).json()["data"]
        b = (
            await v3(
                other, "get_job_instance_status", job_instance_id=job_id, return_ip_result="true"
            )
        ).json()["data"]
    assert a == b


async def test_old_retry_stays_queryable(
    client: httpx.AsyncClient, sim: SimApp, clock: object
) -> None:
    job_id = sim.world.demo_job_id()
    clock.advance(60)  # type: ignore[attr-defined]
    step = (await job_steps(client, job_id))[1]
    assert step["execute_count"] == 1
    old = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step["step_instance_id"],
            execute_count=0,
        )
    ).json()["data"]
    statuses = {g["result_type"] for g in old["step_result_group_list"]}
    # The step fields are the step's current values (buildEsbStepInstanceStatusV3DTO);
    # only the groups are those of execute_count 0.
    assert old["execute_count"] == 1 and old["status"] == step["status"]
    assert statuses - {9}, "the first attempt had failed hosts"
    tags = {g["tag"] for g in old["step_result_group_list"]}
    assert "disk full" in tags


async def test_demo_loop_starts_a_new_job(clock: object) -> None:
    from jobtui.sim.app import create_app
    from jobtui.sim.config import SimConfig

    app = create_app(SimConfig(demo_loop=True), clock=clock)  # type: ignore[arg-type]
    first = app.world.demo_job_id()
    job = app.world.job(first)
    assert job is not None
    while job.status(app.world.refresh()) != 3:  # through its failure and retry
        clock.advance(5)  # type: ignore[attr-defined]
    clock.advance(job.end - clock.now() + 5)  # type: ignore[attr-defined]
    assert app.world.demo_job_id() == first
    clock.advance(20)  # type: ignore[attr-defined]
    assert app.world.demo_job_id() > first
    assert app.world.running_job_id() == app.world.demo_job_id()
