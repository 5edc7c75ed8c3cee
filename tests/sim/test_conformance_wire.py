"""Conformance: step detail, logs, job list, envelopes and errors as bk-job's server gives them.

Each test names the server class it mirrors (bk-job HEAD 588f99bb3; see docs/fidelity.md).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.scenarios import CONFIRM_MESSAGE
from tests.support.sim_wire import AUTH, ESB_AUTH, SCOPE, v3

DAY_MS = 86_400_000


async def detail(client: httpx.AsyncClient, job_id: int, step_id: int) -> Any:
    r = await v3(
        client, "get_step_instance_detail", job_instance_id=job_id, step_instance_id=step_id
    )
    return r.json()


async def test_step_detail_of_confirmation_and_script_steps(
    client: httpx.AsyncClient, sim: SimApp
) -> None:
    """EsbGetStepInstanceDetailV3ResourceImpl.convertToEsbStepV3DTO (EsbStepV3DTO): the
    APPROVAL case fills approval_message only; a script step gets script_info."""
    job_id = sim.world.demo_job_id()
    confirm = (await detail(client, job_id, job_id * 10 + 4))["data"]
    assert confirm["type"] == 3 and confirm["script_info"] is None and confirm["file_info"] is None
    assert confirm["approval_info"] == {
        "approval_type": None,
        "approval_user": None,
        "approval_message": CONFIRM_MESSAGE,
        "notify_channel": None,
    }
    script = (await detail(client, job_id, job_id * 10 + 5))["data"]
    info = script["script_info"]
    assert script["approval_info"] is None and info["script_content"].startswith("#!/bin/bash")
    assert len(info["server"]["ip_list"]) == 24
    files = (await detail(client, job_id, job_id * 10 + 3))["data"]
    assert files["file_info"]["file_source_list"][0]["file_list"]
    missing = await detail(client, job_id, 1)
    assert (missing["result"], missing["code"]) == (False, 1244007)


async def test_step_detail_is_gateway_get_only(client: httpx.AsyncClient, sim: SimApp) -> None:
    """support-files/bk-api-gateway/v3 resources.yaml: GET; not in ESB jobv3 (job.yaml)."""
    job = {**SCOPE, "job_instance_id": sim.world.demo_job_id(), "step_instance_id": 1}
    posted = await client.post("/api/v3/get_step_instance_detail", json=job, headers=AUTH)
    assert posted.status_code == 404 and posted.json()["code"] == 1640401
    esb = await client.get(
        "/api/c/compapi/v2/jobv3/get_step_instance_detail/", params={**job, **ESB_AUTH}
    )
    assert esb.status_code == 404


async def test_plan_detail_on_gateway_get_and_esb_post(
    client: httpx.AsyncClient, sim: SimApp
) -> None:
    """EsbPlanV3ResourceImpl.getPlanDetailUsingPost (TaskStepDTO.toEsbStepV3,
    TaskApprovalStepDTO.toEsbApprovalInfoV3): the plan's steps by the plan's own step
    ids, the confirmation with its message; gateway GET, ESB jobv3 POST; 1243009."""
    job_id = sim.world.demo_job_id()
    [row] = [j for j in sim.world.jobs() if j.job_instance_id == job_id]
    plan_id = row.meta.plan_id
    assert plan_id is not None
    got = (await v3(client, "get_job_plan_detail", job_plan_id=plan_id)).json()["data"]
    steps = got["step_list"]
    assert got["id"] == plan_id and [s["id"] for s in steps] == [r.spec.step_id for r in row.steps]
    assert steps[0]["id"] != job_id * 10 + 1  # the plan's step id, not the instance's
    confirm = steps[3]
    assert confirm["type"] == 3 and confirm["approval_info"]["approval_message"] == CONFIRM_MESSAGE
    assert confirm["approval_info"]["approval_user"]["user_list"] == ["admin"]
    assert steps[0]["approval_info"] is None
    esb = await client.post(
        "/api/c/compapi/v2/jobv3/get_job_plan_detail/",
        json={**SCOPE, **ESB_AUTH, "job_plan_id": str(plan_id)},  # ESB re-posts strings
    )
    assert esb.json()["data"] == got
    posted = await client.post(
        "/api/v3/get_job_plan_detail", json={**SCOPE, "job_plan_id": plan_id}, headers=AUTH
    )
    assert posted.status_code == 404 and posted.json()["code"] == 1640401
    gone = (await v3(client, "get_job_plan_detail", job_plan_id=424242)).json()
    assert (gone["result"], gone["code"]) == (False, 1243009)


async def test_v2_job_detail_is_the_plan(client: httpx.AsyncClient, sim: SimApp) -> None:
    """EsbGetJobDetailResourceImpl.getJobDetail (ESB v2): the plan keyed bk_job_id,
    steps as EsbStepDTO (step_id, name), the confirmation's confirm_message
    (buildApprovalStep); a missing plan is 1243009."""
    job_id = sim.world.demo_job_id()
    [row] = [j for j in sim.world.jobs() if j.job_instance_id == job_id]
    plan_id = row.meta.plan_id
    assert plan_id is not None
    url = "/api/c/compapi/v2/job/get_job_detail/"
    got = (await client.post(url, json={**SCOPE, **ESB_AUTH, "bk_job_id": plan_id})).json()
    data = got["data"]
    assert data["bk_job_id"] == plan_id
    assert [s["step_id"] for s in data["steps"]] == [r.spec.step_id for r in row.steps]
    assert data["steps"][3]["confirm_message"] == CONFIRM_MESSAGE
    assert "confirm_message" not in data["steps"][0]
    gone = (await client.post(url, json={**SCOPE, **ESB_AUTH, "bk_job_id": 424242})).json()
    assert (gone["result"], gone["code"]) == (False, 1243009)


async def test_a_plan_is_looked_up_before_its_permission_is_checked(clock: Any) -> None:
    """TaskPlanServiceImpl.getTaskPlan(user, appId, planId): not found (1243009, "Job plan
    does not exist") before checkViewPlanPermission (9900403, the user named): a missing
    plan is missing even where the user could not view it."""
    sim = create_app(SimConfig(scope_id="2", unviewable_plans={900, 424242}), clock=clock)
    english = {**AUTH, "Blueking-Language": "en"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sim), base_url="http://sim"
    ) as client:
        for plan_id, code, message in [
            (424242, 1243009, "Job plan does not exist"),
            (900, 9900403, "User (admin) permission not allowed, please confirm and apply"),
        ]:
            got = (
                await client.get(
                    "/api/v3/get_job_plan_detail",
                    params={**SCOPE, "job_plan_id": plan_id},
                    headers=english,
                )
            ).json()
            assert (got["result"], got["code"]) == (False, code)
            assert got["message"].startswith(message), got
        zh = (
            await client.post(
                "/api/c/compapi/v2/job/get_job_detail/",
                json={**SCOPE, **ESB_AUTH, "bk_job_id": 424242},
            )
        ).json()
        assert (zh["code"], zh["message"]) == (1243009, "执行方案不存在")  # no language: zh
        refused = (
            await client.post(
                "/api/c/compapi/v2/job/get_job_detail/",
                json={**SCOPE, **ESB_AUTH, "bk_job_id": 900},
            )
        ).json()
        assert refused["code"] == 9900403 and refused["message"].startswith("用户(admin)")
        [action] = refused["permission"]["actions"]
        assert action["id"] == "view_job_plan"
        [kind] = action["related_resource_types"]
        assert kind["type"] == "job_plan" and kind["instances"][0][-1]["id"] == "900"


async def ip_log(client: httpx.AsyncClient, job_id: int, step_id: int, **params: Any) -> Any:
    r = await v3(
        client,
        "get_job_instance_ip_log",
        job_instance_id=job_id,
        step_instance_id=step_id,
        **params,
    )
    return r.json()


async def test_single_host_script_log(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetJobInstanceIpLogV3ResourceImpl: the host fields echo the request; a blank log is
    null (buildScriptLog: StringUtils.isNotBlank); a host outside the step is an empty success;
    neither a host id nor cloud+IP is 1241007; a missing step is TASK_INSTANCE_NOT_EXIST."""
    job_id = sim.world.demo_job_id()
    step_id = job_id * 10 + 2
    waiting = await ip_log(client, job_id, step_id, bk_host_id=1001)
    assert waiting["result"] is True
    assert waiting["data"] == {
        "log_type": 1,
        "bk_host_id": 1001,
        "bk_cloud_id": None,
        "ip": None,
        "log_content": None,
        "file_logs": None,
    }
    clock.advance(40)
    by_ip = (await ip_log(client, job_id, step_id, bk_cloud_id=0, ip="10.0.0.1"))["data"]
    assert by_ip["log_content"] and (by_ip["bk_host_id"], by_ip["ip"]) == (1001, "10.0.0.1")
    stranger = await ip_log(client, job_id, step_id, bk_host_id=999_999)
    assert stranger["result"] is True and stranger["data"]["log_content"] is None
    neither = await ip_log(client, job_id, step_id)
    assert (neither["code"], "host_id/(bk_cloud_id+ip)" in neither["message"]) == (1241007, True)
    no_step = await ip_log(client, job_id, 1, bk_host_id=1001)
    assert (no_step["result"], no_step["code"]) == (False, 1244006)


async def test_single_host_file_log_names_hosts_by_id(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbGetJobInstanceIpLogV3ResourceImpl.toEsbFileLogV3DTO: bk_host_id is set, then
    EsbIpDTO.fromCloudIp parses only "cloud:ip" strings, so ip and bk_cloud_id stay null;
    the batch API (EsbBatchGetJobInstanceIpLogV3ResourceImpl) uses EsbIpDTO.fromHost."""
    job_id = sim.world.demo_job_id()
    step_id = job_id * 10 + 3
    clock.advance(40)
    log = (await ip_log(client, job_id, step_id, bk_host_id=1002))["data"]
    download = next(e for e in log["file_logs"] if e["mode"] == 1)
    upload = next(e for e in log["file_logs"] if e["mode"] == 0)
    assert download["dest_ip"]["bk_host_id"] == 1002
    for ref in (download["src_ip"], download["dest_ip"], upload["src_ip"]):
        assert ref["bk_host_id"] and ref["ip"] is None and ref["bk_cloud_id"] is None
    assert upload["dest_ip"] is None
    batch = await client.post(
        "/api/v3/batch_get_job_instance_ip_log",
        headers=AUTH,
        json={
            **SCOPE,
            "job_instance_id": job_id,
            "step_instance_id": step_id,
            "host_id_list": [1002],
        },
    )
    entry = batch.json()["data"]["file_task_logs"][0]["file_logs"][0]
    assert entry["src_ip"]["ip"] and entry["dest_ip"]["ip"] == "10.1.0.2"
    gone = await client.post(
        "/api/v3/batch_get_job_instance_ip_log",
        headers=AUTH,
        json={**SCOPE, "job_instance_id": job_id, "step_instance_id": 1, "host_id_list": [1002]},
    )
    assert gone.json()["code"] == 1244006


async def job_list(client: httpx.AsyncClient, begin: int, end: int, **params: Any) -> Any:
    r = await v3(
        client, "get_job_instance_list", create_time_start=begin, create_time_end=end, **params
    )
    return r.json()


async def test_job_list_request_checks(client: httpx.AsyncClient, clock: ManualClock) -> None:
    """EsbGetJobInstanceListV3ResourceImpl.checkRequest: end - start <= 0 is 1241007, above
    30 days 1241002, an unknown type 1241002, start is not capped (startLimitEnabled defaults
    to false, OpenApiProperties); RunStatusEnum.valueOf throws on 12 → 1240002
    (EsbExceptionControllerAdvice.handleException)."""
    now = int(clock.now() * 1000)
    assert (await job_list(client, now, now))["code"] == 1241007
    assert (await job_list(client, now, now - 1))["code"] == 1241007
    assert (await job_list(client, now - 31 * DAY_MS, now))["code"] == 1241002
    assert (await job_list(client, now - 30 * DAY_MS, now))["result"] is True
    assert (await job_list(client, now - DAY_MS, now, type=7))["code"] == 1241002
    assert (await job_list(client, now - DAY_MS, now, status=12))["code"] == 1240002
    far = await job_list(client, now - 8 * DAY_MS, now, start=2000)
    assert far["result"] is True and far["data"]["data"] is None  # EsbPageDataV3: null page
    assert far["data"]["total"] >= 8


async def test_errors_have_no_data_key(client: httpx.AsyncClient) -> None:
    """EsbResp is @JsonInclude(NON_NULL): a failure carries no data key."""
    body = (await v3(client, "get_job_instance_status", job_instance_id=1)).json()
    assert body["code"] == 1244006 and "data" not in body


async def test_missing_scope_is_http_400_with_an_esb_body(
    client: httpx.AsyncClient, sim: SimApp
) -> None:
    """EsbExceptionControllerAdvice.handleMissingParameterException: HTTP 400 with an EsbResp
    body (bk-job's code and message), not a gateway error."""
    r = await client.get(
        "/api/v3/get_job_instance_status",
        params={"job_instance_id": sim.world.demo_job_id()},
        headers=AUTH,
    )
    assert r.status_code == 400 and "X-Bkapi-Error-Code" not in r.headers
    body = r.json()
    assert (body["result"], body["code"]) == (False, 1241004) and "bk_scope_type" in body["message"]


async def test_forbidden_scope_names_access_business(clock: ManualClock) -> None:
    """AuthAppInterceptor checks access_business on the scope before any API runs."""
    app = create_app(SimConfig(forbidden_scopes={"3"}), clock=clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim"
    ) as c:
        r = await c.get(
            "/api/v3/get_job_instance_list",
            headers=AUTH,
            params={
                "bk_scope_type": "biz",
                "bk_scope_id": "3",
                "create_time_start": 1,
                "create_time_end": 2,
            },
        )
    body = r.json()
    assert body["code"] == 9900403
    assert [a["id"] for a in body["permission"]["actions"]] == ["access_business"]


#: i18n/exception/message_en.properties and message_zh_CN.properties, code 9900403
FORBIDDEN_WORDING = {
    "en": "User (alice) permission not allowed, please confirm and apply permission in IAM"
    " and try again",
    "zh-cn": "用户(alice)权限不足，请前往权限中心确认并申请补充后重试",
}


@pytest.mark.parametrize("language", sorted(FORBIDDEN_WORDING))
async def test_forbidden_scope_is_worded_for_the_user_in_their_language(
    clock: ManualClock, language: str
) -> None:
    """AuthAppInterceptor refuses before the API runs, so a read and an operation get the same
    refusal: PermissionDeniedException → AuthServiceImpl.buildEsbAuthFailResp →
    EsbResp.buildAuthFailResult, whose message (BK_PERMISSION_DENIED) names the user in the
    request's Blueking-Language."""
    app = create_app(SimConfig(forbidden_scopes={"3"}), clock=clock)
    auth = json.dumps({"bk_app_code": "demo", "bk_app_secret": "s3cret", "bk_username": "alice"})
    headers = {"X-Bkapi-Authorization": auth, "Blueking-Language": language}
    scope = {"bk_scope_type": "biz", "bk_scope_id": "3"}
    job_id = app.world.demo_job_id()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim"
    ) as c:
        read = await c.get(
            "/api/v3/get_job_instance_status",
            params={**scope, "job_instance_id": job_id},
            headers=headers,
        )
        operation = await c.post(
            "/api/v3/operate_job_instance",
            json={**scope, "job_instance_id": job_id, "operation_code": 1},
            headers=headers,
        )
    for r in (read, operation):
        body = r.json()
        assert (r.status_code, body["result"], body["code"]) == (200, False, 9900403), body
        assert body["message"] == FORBIDDEN_WORDING[language]
        assert [a["id"] for a in body["permission"]["actions"]] == ["access_business"]


async def test_job_list_by_id_ignores_the_window(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """TaskInstanceDAOImpl.buildSearchCondition: a job_instance_id short-circuits every other
    condition, the time window and the name included."""
    now = int(clock.now() * 1000)
    job_id = sim.world.job_ids()[0]  # the oldest history job, days before the window
    page = await job_list(client, now - 1000, now, job_instance_id=job_id, name="no such name")
    assert [i["job_instance_id"] for i in page["data"]["data"]] == [job_id]


async def batch_log(client: httpx.AsyncClient, job_id: int, step_id: int, **body: Any) -> Any:
    r = await client.post(
        "/api/v3/batch_get_job_instance_ip_log",
        headers=AUTH,
        json={**SCOPE, "job_instance_id": job_id, "step_instance_id": step_id, **body},
    )
    return r.json()


async def test_batch_log_lists_hosts_with_records(
    client: httpx.AsyncClient, sim: SimApp, clock: ManualClock
) -> None:
    """EsbBatchGetJobInstanceIpLogV3ResourceImpl: script steps list only hosts with log
    records (none before the start: script_task_logs null); host_id_list wins over ip_list,
    whose entries may carry bk_host_id (ExecuteObjectCompositeKeyUtils.fromEsbHostParams);
    neither is 1241007 host_id_list/ip_list."""
    job_id = sim.world.demo_job_id()
    step_id = job_id * 10 + 1
    before = (await batch_log(client, job_id, step_id, host_id_list=[1001, 1002]))["data"]
    assert before["log_type"] == 1 and before["script_task_logs"] is None
    clock.advance(1.0)  # some hosts wrote lines, some have not started
    started = sim.world.job(job_id).steps[0]  # type: ignore[union-attr]
    running = {
        1001 + i for i in range(24) if started.host_state(0, i, clock.now()).start is not None
    }
    some = (await batch_log(client, job_id, step_id, host_id_list=list(range(1001, 1025))))["data"]
    listed = {e["bk_host_id"] for e in some["script_task_logs"]}
    assert listed and listed <= running and len(listed) < 24
    assert all(e["log_content"] for e in some["script_task_logs"])
    clock.advance(20)
    mixed = await batch_log(
        client,
        job_id,
        step_id,
        host_id_list=[1003],
        ip_list=[{"bk_host_id": 1004}, {"bk_cloud_id": 0, "ip": "10.0.0.1"}],
    )
    assert [e["bk_host_id"] for e in mixed["data"]["script_task_logs"]] == [1003]
    by_ip = await batch_log(
        client,
        job_id,
        step_id,
        ip_list=[{"bk_host_id": 1004}, {"bk_cloud_id": 0, "ip": "10.0.0.1"}],
    )
    assert [e["bk_host_id"] for e in by_ip["data"]["script_task_logs"]] == [1004, 1001]
    neither = await batch_log(client, job_id, step_id, host_id_list=[])
    assert neither["code"] == 1241007 and "host_id_list/ip_list" in neither["message"]


async def test_v2_log_escapes_only_amp_lt_gt(clock: ManualClock) -> None:
    """EsbGetJobInstanceLogResourceImpl: log_content = Utils.htmlEncode, which escapes
    only &, < and > (quotes stay)."""
    app = create_app(SimConfig(), clock=clock)
    clock.advance(40)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim"
    ) as c:
        r = await c.post(
            "/api/c/compapi/v2/job/get_job_instance_log/",
            json={**ESB_AUTH, "bk_biz_id": 2, "job_instance_id": app.world.demo_job_id()},
        )
    text = "".join(
        ip["log_content"]
        for step in r.json()["data"]
        for g in step["step_results"]
        for ip in g["ip_logs"]
    )
    assert text and "&#x27;" not in text and "&quot;" not in text
