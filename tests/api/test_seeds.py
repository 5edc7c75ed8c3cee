"""Every seed example payload, served verbatim through the real client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostRef, LogKind
from tests.support.api import seed_bytes

CST = timezone(timedelta(hours=8))


def _serve(server, name: str, fixture: str) -> None:
    server.replies[name] = httpx.Response(
        200, content=seed_bytes(fixture), headers={"content-type": "application/json"}
    )


@pytest.mark.parametrize(
    "fixture",
    ["v2_get_job_instance_status.response.json", "v2_get_job_instance_status_zh.response.json"],
)
async def test_v2_job_status_seed(server, client_for, fixture: str) -> None:
    _serve(server, "get_job_instance_status", fixture)
    job = await client_for(ApiFamily.V2).get_job(65)
    assert (job.job_instance_id, job.name, job.status, job.finished) == (
        65,
        "API Quick execution script1521089795887",
        4,
        True,
    )
    assert job.operator == "admin" and job.launch_mode == 2 and job.plan_id is None
    assert job.create_time == datetime(2018, 3, 15, 12, 56, 35, tzinfo=CST)
    assert job.end_time == datetime(2018, 3, 15, 4, 56, 39, tzinfo=UTC)
    assert job.total_seconds == pytest.approx(3.169)
    assert job.current_step_instance_id == 75
    [block] = job.blocks
    assert (block.name, block.order, block.implicit) == ("API Quick execution script xxx", 1, False)
    [step] = block.steps
    assert (step.step_instance_id, step.type, step.status, step.execute_count) == (75, 1, 4, 0)
    assert step.step_id is None  # -1 means "not from a template"
    [host] = step.hosts
    assert host.ref == HostRef(None, 0, "10.0.0.1") and host.status == 9
    assert host.key == "c0:10.0.0.1"


async def test_v2_job_status_without_hosts(server, client_for) -> None:
    _serve(server, "get_job_instance_status", "v2_get_job_instance_status.response.json")
    job = await client_for(ApiFamily.V2).get_job(65, with_hosts=False)
    assert job.steps[0].hosts == ()


async def test_v2_step_status_seed_falls_back_to_analysis(server, client_for) -> None:
    # the two seeds describe different steps: the log has no step 790001 yet
    _serve(server, "get_step_instance_status", "v2_get_step_instance_status.response.json")
    _serve(server, "get_job_instance_log", "v2_get_job_instance_log.response.json")
    # nor does the job status seed (another job): the analysis is the last resort
    _serve(server, "get_job_instance_status", "v2_get_job_instance_status.response.json")
    result = await client_for(ApiFamily.V2).get_step_result(490001, 790001)
    assert (result.step_instance_id, result.name, result.type, result.status) == (
        790001,
        "my_job",
        1,
        3,
    )
    assert result.total_seconds == pytest.approx(28.395)
    assert result.start_time == datetime(2019, 6, 7, 12, 15, 14, tzinfo=CST)
    [group] = result.groups
    assert (group.status, group.tag, group.host_count) == (3, "", 1)
    assert group.hosts[0].ref == HostRef(None, 0, "10.25.0.2")


async def test_v2_job_log_seed_gives_groups_with_tags_and_exit_codes(server, client_for) -> None:
    detail = {"step_instance_id": 90000, "name": "test", "type": 1, "status": 3, "execute_count": 0}
    server.replies["get_step_instance_status"] = httpx.Response(
        200,
        json={
            "result": True,
            "code": 0,
            "data": {"is_finished": True, "step_instance_detail": detail},
        },
    )
    _serve(server, "get_job_instance_log", "v2_get_job_instance_log.response.json")
    result = await client_for(ApiFamily.V2).get_step_result(100, 90000)
    [group] = result.groups
    assert (group.status, group.tag, group.host_count) == (9, "xxx", 1)
    [host] = group.hosts
    assert (host.exit_code, host.error_code, host.ref.ip) == (0, 0, "10.0.0.1")
    assert host.total_seconds == pytest.approx(60.599)
    assert host.start_time == datetime(2018, 3, 15, 14, 39, 30, tzinfo=CST)


async def test_v2_job_log_seed_host_log(server, client_for) -> None:
    _serve(server, "get_job_instance_log", "v2_get_job_instance_log.response.json")
    log = await client_for(ApiFamily.V2).get_host_log(100, 90000, HostRef(None, 0, "10.0.0.1"))
    assert log.kind is LogKind.SCRIPT
    assert log.content == "[2018-03-15 14:39:30][PID:56875] job_start\n"


async def test_v3_step_status_seed(server, client_for) -> None:
    _serve(server, "get_step_instance_status", "v3_get_step_instance_status.response.json")
    result = await client_for(ApiFamily.V3).get_step_result(100, 75)
    assert (result.step_instance_id, result.execute_count, result.type, result.status) == (
        75,
        0,
        1,
        4,
    )
    assert result.start_time == datetime.fromtimestamp(1605064271, UTC)
    assert result.total_seconds == 1.0
    assert [g.key for g in result.groups] == [(9, "tag1"), (9, "tag2")]
    assert [g.host_count for g in result.groups] == [2, 2]
    assert not result.groups[0].complete  # host_size counts more than listed
    host = result.groups[1].hosts[0]
    assert host.ref == HostRef(102, 0, "127.0.0.2", None)
    assert (host.status_desc, host.tag, host.exit_code, host.cloud_name) == (
        "执行成功",
        "tag2",
        0,
        "Default Area",
    )
    assert host.end_time == datetime.fromtimestamp(1605064272, UTC)


async def test_v3_seed_request_example_is_what_we_send(server, client_for) -> None:
    _serve(server, "get_step_instance_status", "v3_get_step_instance_status.response.json")
    example = seed_bytes("v3_get_step_instance_status.request.txt").decode().strip()
    expected = dict(httpx.URL(example).params)
    flt = StepFilter(execute_count=0, batch=0, max_hosts_per_group=1, keyword="aaa", statuses=(9,))
    await client_for(ApiFamily.V3, scope_id="1").get_step_result(100, 100, flt)
    sent = server.params()
    assert server.last().url.path.endswith(httpx.URL(example).path)
    # empty search_ip/tag mean "no filter": we leave them out rather than send "";
    # status 9 picks two groups of the answer ((9, tag1), (9, tag2)): the server
    # would list only one, so the status is narrowed on the client, not sent
    assert sent == {k: v for k, v in expected.items() if v != "" and k != "status"}
