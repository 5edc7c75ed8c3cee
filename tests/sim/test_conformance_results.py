"""Conformance: get_step_instance_status (v3 and ESB v2) answers as bk-job's server does.

Each test names the server class it mirrors (bk-job HEAD 588f99bb3; see docs/fidelity.md).
"""

from __future__ import annotations

from typing import Any

import httpx

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.steps import CONFIRM, FILE, SCRIPT

from .conform import add_job, advance, esb_v2, job_status, listed, spec, step_result

DEPLOY, CONFIRM_STEP = 2, 4  # the demo job's retried script step and its confirmation


def ids(sim: SimApp, n: int) -> tuple[int, int]:
    job_id = sim.world.demo_job_id()
    return job_id, job_id * 10 + n


async def test_confirm_step_refused_on_v3(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """TaskResultServiceImpl.preProcessViewStepExecutionResult: type 3 → 1241003."""
    job_id, step_id = ids(sim, CONFIRM_STEP)
    clock.advance(50)  # the job waits at the confirmation
    status = await job_status(client, job_id)
    assert status["job_instance"]["status"] == 7
    body = await step_result(client, job_id, step_id)
    assert body == {
        "result": False,
        "code": 1241003,
        "message": "Unsupported operation",
        "job_request_id": body["job_request_id"],
    }


async def test_confirm_step_refused_on_v2(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusResourceImpl → TaskResultServiceImpl: 1241003 on ESB v2 too."""
    job_id, step_id = ids(sim, CONFIRM_STEP)
    clock.advance(50)
    body = (
        await esb_v2(
            client, "get_step_instance_status", job_instance_id=job_id, step_instance_id=step_id
        )
    ).json()
    assert (body["result"], body["code"]) == (False, 1241003)


async def test_v2_reads_ids_at_the_top_level_only(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusResourceImpl.checkRequest: a params-only body is 1241007."""
    job_id, step_id = ids(sim, 1)
    clock.advance(15)
    nested = {"job_instance_id": job_id, "step_instance_id": step_id}
    only_nested = (await esb_v2(client, "get_step_instance_status", params=nested)).json()
    assert (only_nested["result"], only_nested["code"]) == (False, 1241007)
    assert "job_instance_id" in only_nested["message"]
    both = (await esb_v2(client, "get_step_instance_status", params=nested, **nested)).json()
    assert both["result"] is True


async def test_v2_analysis_lists_only_the_first_group(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusResourceImpl.convertToStandardAnalyseResult and
    convertStepInstance, with fetchAllGroupData false
    (TaskResultServiceImpl.removeAgentTasksForNotSpecifiedResultGroup): only the first
    group has ip_list, count is the number listed."""
    job_id, step_id = ids(sim, DEPLOY)
    clock.advance(21)  # attempt 0 ended with four groups, the retry not yet started
    data = (
        await esb_v2(
            client, "get_step_instance_status", job_instance_id=job_id, step_instance_id=step_id
        )
    ).json()["data"]
    analyse = data["step_instance_analyse_result"]
    assert len(analyse) == 4
    first, rest = analyse[0], analyse[1:]
    assert first["count"] == len(first["ip_list"]) > 0
    assert all(g["count"] == 0 and "ip_list" not in g for g in rest)
    assert set(first["ip_list"][0]) >= {"bk_host_id", "bk_cloud_id", "ip"}
    # convertStepInstance: the step's current values; the host counts are never set.
    detail = data["step_instance_detail"]
    assert (detail["execute_count"], detail["status"]) == (0, 4)
    assert detail["fail_ip_num"] is None and detail["total_ip_num"] is None


async def test_status_filter_matches_status_and_tag_exactly(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusV3ResourceImpl (fetchAllGroupData = status == null),
    TaskResultServiceImpl.removeAgentTasksForNotSpecifiedResultGroup, ResultGroupBaseDTO.equals
    (null tag = ""), ScriptExecuteObjectTaskDAOImpl.listTasksByResultGroup."""
    job_id, step_id = ids(sim, DEPLOY)
    clock.advance(40)
    one = {"execute_count": 0}
    groups = (await step_result(client, job_id, step_id, **one))["data"]["step_result_group_list"]
    keys = [(g["result_type"], g["tag"]) for g in groups]
    assert keys == [(9, "v1.2 deployed"), (13, ""), (104, "config invalid"), (104, "disk full")]
    assert listed(groups) == keys  # no status: every group lists its hosts

    async def lists(**params: Any) -> list[tuple[int, str | None]]:
        body = await step_result(client, job_id, step_id, **one, **params)
        return listed(body["data"]["step_result_group_list"])

    assert await lists(status=104, tag="disk full") == [(104, "disk full")]
    assert await lists(status=13) == [(13, "")]  # no tag matches the empty tag
    # (104, "") does not exist: only the first group lists hosts, not the failures.
    assert await lists(status=104) == [(9, "v1.2 deployed")]
    assert await lists(status=104, tag="no such tag") == [(9, "v1.2 deployed")]
    assert await lists(tag="disk full") == keys  # a tag without a status is ignored


async def test_unlisted_groups_null_on_the_database_path(clock: ManualClock) -> None:
    """TaskResultServiceImpl.getStepExecutionResult: more than 100 targets and no search go
    filterAndSortExecutionResultInDB (unlisted groups null, a cap of 0 is no cap); at most 100,
    loadAllTasksFromDBAndBuildExecutionResultInMemory ([] and subList(0, max))."""
    for hosts, unlisted, capped_to in ((150, None, None), (24, [], 0)):
        sim = create_app(SimConfig(hosts=hosts), clock=ManualClock(clock.now()))
        sim.clock.advance(40)  # type: ignore[attr-defined]
        job_id, step_id = ids(sim, DEPLOY)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=sim), base_url="http://sim"
        ) as c:
            body = await step_result(
                c, job_id, step_id, execute_count=0, status=104, max_host_num_per_group=0
            )
        groups = body["data"]["step_result_group_list"]
        first = groups[0]["host_result_list"]
        if capped_to is None:
            assert len(first) == groups[0]["host_size"], hosts
        else:
            assert first == [], hosts
        assert all(g["host_result_list"] == unlisted for g in groups[1:]), hosts


async def test_step_fields_are_the_steps_current_values(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusV3ResourceImpl.buildEsbStepInstanceStatusV3DTO: execute_count,
    status and times come from the step instance; only the host lists follow the request."""
    job_id, step_id = ids(sim, DEPLOY)
    clock.advance(25)  # retry 1 is running
    latest = (await step_result(client, job_id, step_id))["data"]
    old = (await step_result(client, job_id, step_id, execute_count=0))["data"]
    fields = ("execute_count", "status", "start_time", "end_time", "total_time")
    assert [old[f] for f in fields] == [latest[f] for f in fields]
    assert (latest["execute_count"], latest["status"], latest["end_time"]) == (1, 2, None)
    assert {g["result_type"] for g in old["step_result_group_list"]} >= {104}
    assert {g["result_type"] for g in latest["step_result_group_list"]} <= {5, 7, 9}


async def test_unknown_execute_count_gives_empty_groups(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """TaskResultServiceImpl.getStepExecutionResult: no range check on execute_count; the
    DAO finds no task, and step_result_group_list is NON_EMPTY (omitted)."""
    job_id, step_id = ids(sim, DEPLOY)
    clock.advance(40)
    for count in (7, -1):
        body = await step_result(client, job_id, step_id, execute_count=count)
        assert body["result"] is True and "step_result_group_list" not in body["data"]


async def test_batches_of_rolling_and_non_rolling_steps(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusV3ResourceImpl (batch null → filterByLatestBatch, 0 → all),
    ScriptExecuteObjectTaskDAOImpl.listResultGroups (BATCH = k; non-rolling tasks are batch 0)."""
    job_id = sim.world.demo_job_id()
    rolling, plain = job_id * 10 + 5, job_id * 10 + 1
    job = sim.world.job(job_id)
    assert job is not None
    advance(sim, clock, 30)  # the failed deploy step was retried: the rest is placed
    second = job.step(rolling).segment(0, 2)  # type: ignore[union-attr]
    assert second is not None
    clock.advance(second.start - clock.now() + 1)

    async def sizes(step_id: int, **params: Any) -> list[int]:
        data = (await step_result(client, job_id, step_id, **params))["data"]
        return [g["host_size"] for g in data.get("step_result_group_list", [])]

    assert sum(await sizes(rolling)) == 8  # the current batch (2 of 3)
    assert sum(await sizes(rolling, batch=0)) == 24
    assert sum(await sizes(rolling, batch=-1)) == 24  # the DAO filters only k > 0
    assert sum(await sizes(rolling, batch=3)) == 8  # tasks of every batch exist from batch 1
    assert await sizes(rolling, batch=4) == []  # past the last batch: empty, not an error
    assert sum(await sizes(plain)) == 24
    assert await sizes(plain, batch=1) == []  # a step that does not roll has batch 0 only


async def test_not_started_step(client: httpx.AsyncClient, sim: SimApp) -> None:
    """GseStepEventHandler.saveExecuteObjectTasksForStartStep (no tasks before the start: []
    in the job status) and TaskResultServiceImpl.buildNotStartStepExecutionResult (one group
    5, tag null, every target with exit_code 0 and total_time 0; search_ip applies)."""
    job_id, step_id = ids(sim, 3)
    steps = (await job_status(client, job_id, return_ip_result="true"))["step_instance_list"]
    assert steps[2]["status"] == 1 and steps[2]["step_ip_result_list"] == []
    assert len(steps[0]["step_ip_result_list"]) == 24
    data = (await step_result(client, job_id, step_id, status=104, keyword="x"))["data"]
    [group] = data["step_result_group_list"]
    assert (group["result_type"], group["tag"], group["host_size"]) == (5, None, 24)
    host = group["host_result_list"][0]
    assert (host["status"], host["exit_code"], host["total_time"], host["tag"]) == (5, 0, 0, None)
    assert host["start_time"] is None
    some = (await step_result(client, job_id, step_id, search_ip="10.1.0."))["data"]
    assert 0 < some["step_result_group_list"][0]["host_size"] < 24


async def test_search_without_match_gives_empty_groups(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """TaskResultServiceImpl.buildEmptyResultGroups: no host matches → every group of the
    latest execute_count with host_size 0 and no list; the keyword searches the script-log
    store only, so it matches nothing on a file step."""
    job_id, step_id = ids(sim, DEPLOY)
    clock.advance(50)
    data = (await step_result(client, job_id, step_id, keyword="no such text"))["data"]
    groups = data["step_result_group_list"]
    assert groups and all(g["host_size"] == 0 and g["host_result_list"] is None for g in groups)
    file_step = job_id * 10 + 3
    files = (await step_result(client, job_id, file_step, keyword="Progress"))["data"]
    assert all(g["host_size"] == 0 for g in files["step_result_group_list"])


async def test_unknown_step_types_and_steps(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetStepInstanceStatusV3ResourceImpl: a missing step is STEP_INSTANCE_NOT_EXIST."""
    job = add_job(sim, spec(90_001, 1, SCRIPT), spec(90_001, 2, FILE), spec(90_001, 3, CONFIRM))
    clock.advance(1)
    missing = await step_result(client, job.job_instance_id, 12345)
    assert (missing["result"], missing["code"]) == (False, 1244007)


async def test_not_started_rolling_step_batches(client: httpx.AsyncClient, sim: SimApp) -> None:
    """TaskResultServiceImpl.filterTargetExecuteObjectsByBatch → RollingConfigServiceImpl
    .getRollingServers: batch 0/omitted (a step not started is at batch 0) lists every
    target, batch k its hosts, a batch the config lacks throws (1240002)."""
    job_id, step_id = ids(sim, 5)

    async def size(**params: Any) -> Any:
        body = await step_result(client, job_id, step_id, **params)
        if not body["result"]:
            return body["code"]
        return body["data"]["step_result_group_list"][0]["host_size"]

    assert [await size(), await size(batch=0), await size(batch=2)] == [24, 24, 8]
    assert await size(batch=4) == 1240002


async def test_job_status_host_lists_only_when_asked(
    client: httpx.AsyncClient, sim: SimApp
) -> None:
    """EsbGetJobInstanceStatusV3ResourceImpl: step_ip_result_list is an explicit null unless
    return_ip_result (nested nulls are written, EsbJobInstanceStatusV3DTO)."""
    steps = (await job_status(client, sim.world.demo_job_id()))["step_instance_list"]
    assert all("step_ip_result_list" in s and s["step_ip_result_list"] is None for s in steps)


async def test_negative_cap_breaks_the_in_memory_path(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """TaskResultServiceImpl.getLimitedSizedList: subList(0, -1) throws, and
    EsbExceptionControllerAdvice.handleException answers 1240002."""
    job_id, step_id = ids(sim, DEPLOY)
    clock.advance(40)
    body = await step_result(client, job_id, step_id, max_host_num_per_group=-1)
    assert (body["result"], body["code"]) == (False, 1240002)
