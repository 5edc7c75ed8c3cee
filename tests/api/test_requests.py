"""What goes on the wire: paths, methods, auth placement, parameters, chunking."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from jobtui.api.errors import BadResponseError, ConfigError, UnsupportedFilterError
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostRef, ScopeType
from tests.support.api import CREDS, SECRET, ok, settings

JOB = {
    "finished": False,
    "job_instance": {"job_instance_id": 7, "name": "j", "status": 2},
    "step_instance_list": [],
}
STEP = {
    "step_instance_id": 9,
    "name": "s",
    "type": 1,
    "status": 2,
    "execute_count": 0,
    "step_result_group_list": [],
}


async def test_v3_get_job_request(server, client_for) -> None:
    server.replies["get_job_instance_status"] = ok(JOB)
    await client_for(ApiFamily.V3).get_job(7)
    req = server.last()
    assert req.method == "GET"
    assert str(req.url).startswith(
        "https://bk.example.com/api/bk-job/prod/api/v3/get_job_instance_status?"
    )
    assert server.params() == {
        "bk_scope_type": "biz",
        "bk_scope_id": "2",
        "job_instance_id": "7",
        "return_ip_result": "true",
    }
    assert json.loads(req.headers["X-Bkapi-Authorization"]) == {
        "bk_app_code": "jobtui-test",
        "bk_app_secret": SECRET,
        "bk_token": CREDS.bk_token,
    }
    assert req.headers["Accept"] == "application/json"
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["Blueking-Language"] == "en"
    assert req.headers["User-Agent"].startswith("jobtui/")
    await client_for(ApiFamily.V3).get_job(7, with_hosts=False)
    assert server.params()["return_ip_result"] == "false"


async def test_v3_step_filter_params(server, client_for) -> None:
    """status and tag go together, once the last answer shows the one group they pick."""
    groups = [
        {"result_type": 9, "tag": "", "host_size": 1, "host_result_list": []},
        {"result_type": 11, "tag": "t", "host_size": 1, "host_result_list": []},
    ]
    server.replies["get_step_instance_status"] = ok({**STEP, "step_result_group_list": groups})
    flt = StepFilter(
        execute_count=2,
        batch=3,
        statuses=(11,),
        tag="t",
        search_ip="10.0",
        keyword="err",
        max_hosts_per_group=50,
    )
    client = client_for(ApiFamily.V3)
    plain = {
        "bk_scope_type": "biz",
        "bk_scope_id": "2",
        "job_instance_id": "7",
        "step_instance_id": "9",
        "execute_count": "2",
        "batch": "3",
        "max_host_num_per_group": "50",
        "keyword": "err",
        "search_ip": "10.0",
    }
    result = await client.get_step_result(7, 9, flt)
    assert server.params() == plain  # no groups known yet: neither is sent
    assert result.batch == 3
    await client.get_step_result(7, 9, flt)
    assert server.params() == {**plain, "status": "11", "tag": "t"}
    await client.get_step_result(7, 9)
    assert set(server.params()) == {
        "bk_scope_type",
        "bk_scope_id",
        "job_instance_id",
        "step_instance_id",
    }


async def test_v3_several_statuses_filtered_on_client(server, client_for) -> None:
    host = {"bk_host_id": 1, "status": 9, "start_time": None, "end_time": None}
    groups = [
        {"result_type": 9, "tag": "", "host_size": 1, "host_result_list": [host]},
        {
            "result_type": 11,
            "tag": "",
            "host_size": 1,
            "host_result_list": [{**host, "bk_host_id": 2, "status": 11}],
        },
        {
            "result_type": 104,
            "tag": "",
            "host_size": 1,
            "host_result_list": [{**host, "bk_host_id": 3, "status": 104}],
        },
    ]
    server.replies["get_step_instance_status"] = ok({**STEP, "step_result_group_list": groups})
    result = await client_for(ApiFamily.V3).get_step_result(7, 9, StepFilter(statuses=(11, 104)))
    assert "status" not in server.params()
    assert [(g.status, g.host_count, len(g.hosts)) for g in result.groups] == [
        (9, 1, 0),
        (11, 1, 1),
        (104, 1, 1),
    ]


async def test_v3_host_log_by_id_or_address(server, client_for) -> None:
    server.replies["get_job_instance_ip_log"] = ok(
        {"log_type": 1, "bk_host_id": 5, "ip": None, "bk_cloud_id": 0, "log_content": "hi"}
    )
    client = client_for(ApiFamily.V3)
    log = await client.get_host_log(7, 9, HostRef(host_id=5, ip="10.0.0.5"))
    assert server.params()["bk_host_id"] == "5" and "ip" not in server.params()
    assert log.content == "hi" and log.ref.key == "h:5"
    await client.get_host_log(7, 9, HostRef(cloud_id=3, ip="10.0.0.6"))
    assert server.params()["bk_cloud_id"] == "3" and server.params()["ip"] == "10.0.0.6"
    assert "bk_host_id" not in server.params()


async def test_a_log_with_a_lone_surrogate_escape_is_read_not_refused(server, client_for) -> None:
    # valid JSON (a Java server escapes half a cut emoji so); pydantic's parser refuses it
    body = (
        b'{"result": true, "code": 0, "data": {"log_type": 1, "bk_host_id": 5,'
        b' "log_content": "cut \\ud83d emoji \\udcff byte"}}'
    )
    server.replies["get_job_instance_ip_log"] = httpx.Response(
        200, content=body, headers={"content-type": "application/json"}
    )
    log = await client_for(ApiFamily.V3).get_host_log(7, 9, HostRef(host_id=5))
    assert log.content == "cut \ud83d emoji \udcff byte"
    # truly broken JSON around it is still an error
    server.replies["get_job_instance_ip_log"] = httpx.Response(
        200, content=body[:-2], headers={"content-type": "application/json"}
    )
    with pytest.raises(BadResponseError):
        await client_for(ApiFamily.V3).get_host_log(7, 9, HostRef(host_id=5))


async def test_v3_batch_logs_chunked_by_500(server, client_for) -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        ids = body.get("host_id_list") or []
        ips = body.get("ip_list") or []
        logs = [{"host_id": i, "bk_host_id": i, "log_content": f"log {i}"} for i in ids]
        logs += [{"bk_cloud_id": a["bk_cloud_id"], "ip": a["ip"], "log_content": "ip"} for a in ips]
        return ok({"log_type": 1, "script_task_logs": logs})

    server.replies["batch_get_job_instance_ip_log"] = reply
    hosts = [HostRef(host_id=i) for i in range(1200)] + [HostRef(cloud_id=0, ip="10.1.1.1")]
    logs = await client_for(ApiFamily.V3).get_host_logs(7, 9, hosts)
    bodies = [json.loads(r.content) for r in server.requests]
    assert [r.method for r in server.requests] == ["POST"] * 4
    assert [len(b.get("host_id_list", [])) for b in bodies] == [500, 500, 200, 0]
    assert bodies[3]["ip_list"] == [{"bk_cloud_id": 0, "ip": "10.1.1.1"}]
    assert all("host_id_list" not in b for b in bodies[3:])
    assert bodies[0]["bk_scope_id"] == "2" and bodies[0]["step_instance_id"] == 9
    assert len(logs) == 1201 and logs[0].content == "log 0"


async def test_v3_list_jobs(server, client_for) -> None:
    server.replies["get_job_instance_list"] = ok(
        {
            "start": 0,
            "length": 1000,
            "total": 2,
            "data": [
                {"job_instance_id": 1, "name": "old", "status": 3, "create_time": 1000},
                {"id": 2, "name": "new", "task_status": 4, "task_type": 1, "create_time": 2000},
            ],
        }
    )
    since = datetime(2024, 1, 1, tzinfo=UTC)
    page = await client_for(ApiFamily.V3).list_jobs(
        since=since,
        until=since + timedelta(days=1),
        statuses=(4,),
        operator="admin",
        length=5000,
    )
    params = server.params()
    assert params["create_time_start"] == str(int(since.timestamp() * 1000))
    assert int(params["create_time_end"]) - int(params["create_time_start"]) == 86_400_000
    assert (params["length"], params["status"], params["operator"]) == ("1000", "4", "admin")
    assert [j.job_instance_id for j in page.jobs] == [2, 1]  # newest first
    assert (page.jobs[0].status, page.jobs[0].instance_type) == (4, 1)


async def test_list_window_over_30_days_is_config_error(server, client_for) -> None:
    since = datetime(2024, 1, 1, tzinfo=UTC)
    with pytest.raises(ConfigError, match="at most 30 days"):
        await client_for(ApiFamily.V3).list_jobs(since=since, until=since + timedelta(days=31))
    assert server.requests == []


async def test_jobv3_paths_and_param_auth(server, client_for) -> None:
    server.replies["get_job_instance_status"] = ok(JOB)
    await client_for(ApiFamily.JOBV3, url="https://paas.example.com").get_job(7)
    req = server.last()
    assert str(req.url).startswith(
        "https://paas.example.com/api/c/compapi/v2/jobv3/get_job_instance_status/?"
    )
    assert "X-Bkapi-Authorization" not in req.headers
    params = server.params()
    assert (params["bk_app_code"], params["bk_app_secret"], params["bk_token"]) == (
        "jobtui-test",
        SECRET,
        CREDS.bk_token,
    )
    assert params["bk_scope_type"] == "biz" and params["return_ip_result"] == "true"


async def test_jobv3_batch_logs_body_carries_credentials(server, client_for) -> None:
    server.replies["batch_get_job_instance_ip_log"] = ok({"log_type": 1, "script_task_logs": []})
    await client_for(ApiFamily.JOBV3).get_host_logs(7, 9, [HostRef(host_id=1)])
    body = server.body()
    assert body["bk_app_secret"] == SECRET and body["host_id_list"] == [1]


async def test_v2_request_shapes(server, client_for) -> None:
    server.replies["get_job_instance_status"] = ok(
        {"is_finished": False, "job_instance": {"job_instance_id": 7, "status": 2}, "blocks": []}
    )
    server.replies["get_step_instance_status"] = ok(
        {"step_instance_detail": {"step_instance_id": 9, "status": 2}}
    )
    server.replies["get_job_instance_log"] = ok([])
    client = client_for(ApiFamily.V2, url="https://paas.example.com/")
    await client.get_job(7)
    assert server.last().url.path == "/api/c/compapi/v2/job/get_job_instance_status/"
    assert server.params()["bk_biz_id"] == "2" and server.params()["bk_app_secret"] == SECRET
    assert server.last().method == "GET"
    await client.get_step_result(7, 9)
    names = [r.url.path.rstrip("/").rsplit("/", 1)[-1] for r in server.requests[1:]]
    # no logs yet: the job status's host list stands in for the analysis
    assert names == ["get_step_instance_status", "get_job_instance_log", "get_job_instance_status"]
    post = server.requests[1]
    assert post.method == "POST" and post.url.path.endswith("/job/get_step_instance_status/")
    body = json.loads(post.content)
    # a 3.x server reads the ids at the top level; a 2.x one under params
    assert (body["job_instance_id"], body["step_instance_id"]) == (7, 9)
    assert body["params"] == {"job_instance_id": 7, "step_instance_id": 9}
    assert body["bk_biz_id"] == 2 and body["bk_token"] == CREDS.bk_token


async def test_v2_biz_set_scope(server, client_for) -> None:
    server.replies["get_job_instance_log"] = ok([])
    await client_for(ApiFamily.V2, scope_type=ScopeType.BIZ_SET, scope_id="9991001").get_host_log(
        7, 9, HostRef(cloud_id=0, ip="1.1.1.1")
    )
    assert server.params()["bk_scope_type"] == "biz_set" and "bk_biz_id" not in server.params()


async def test_v2_has_no_job_list(client_for) -> None:
    with pytest.raises(UnsupportedFilterError, match="ESB v2 has no job list"):
        await client_for(ApiFamily.V2).list_jobs(since=datetime.now(UTC))


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"url": "bk.example.com"}, "bad server URL"),
        ({"scope_id": ""}, "no scope id"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"timeout": 0}, "timeout must be positive"),
    ],
)
def test_factory_rejects_bad_settings(changes, text) -> None:
    with pytest.raises(ConfigError, match=text):
        make_client(settings(ApiFamily.V3, **changes))


async def test_factory_families_and_capabilities() -> None:
    for family, server_side in [
        (ApiFamily.V3, True),
        (ApiFamily.JOBV3, False),
        (ApiFamily.V2, False),
    ]:
        client = make_client(settings(family), transport=httpx.MockTransport(lambda r: ok({})))
        assert client.family is family
        assert client.capabilities.server_side_filters is server_side
        assert client.capabilities.job_list is (family is not ApiFamily.V2)
        await client.aclose()


async def test_v2_without_logs_counts_every_group_from_the_job_status(server, client_for) -> None:
    """EsbGetStepInstanceStatusResourceImpl lists (and counts) only the first analysis
    group (fetchAllGroupData=false): the job status's per-host list counts them all."""
    ips = [{"ip": f"10.0.0.{n}", "bk_cloud_id": 0, "status": 9 if n < 3 else 11} for n in (1, 2, 3)]
    step = {"step_instance_id": 9, "name": "s", "type": 1, "status": 2, "step_ip_status": ips}
    server.replies["get_job_instance_status"] = ok(
        {
            "is_finished": False,
            "job_instance": {"job_instance_id": 7, "status": 2},
            "blocks": [{"step_instances": [step]}],
        }
    )
    analysis = [
        {"result_type": 9, "count": 2, "ip_list": [{"ip": "10.0.0.1", "bk_cloud_id": 0}] * 2},
        {"result_type": 11, "count": 0},
    ]
    server.replies["get_step_instance_status"] = ok(
        {
            "step_instance_detail": {"step_instance_id": 9, "status": 2, "type": 1},
            "step_instance_analyse_result": analysis,
        }
    )
    server.replies["get_job_instance_log"] = ok([])
    result = await client_for(ApiFamily.V2).get_step_result(7, 9)
    assert sorted((g.status, g.host_count, len(g.hosts)) for g in result.groups) == [
        (9, 2, 2),
        (11, 1, 1),
    ]
