"""Gateway v4 through the simulator (ASGI, manual clock) and, for faults the
simulator cannot make, a mock transport.

The simulator writes v4 from bk-job's classes (``sim/wire_v4.py``) and never
imports ``jobtui.api``: agreement here means the two check each other.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from jobtui.api import errors as E
from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostRef, LogKind, TargetKind
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from tests.support.api import CREDS, SECRET, TOKEN, Server, settings

URL = "http://sim/api/bk-job/prod"


class Recorder(httpx.AsyncBaseTransport):
    """The simulator's ASGI transport, keeping every request and raw answer."""

    def __init__(self, app: SimApp) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.bodies.append(body)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def named(self, name: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/" + name)]


Build = Callable[..., tuple[JobApi, SimApp, ManualClock, Recorder]]


@pytest.fixture
async def v4() -> AsyncIterator[Build]:
    built: list[JobApi] = []

    def build(
        scenario: str = "containers", family: ApiFamily = ApiFamily.V4, **changes: Any
    ) -> tuple[JobApi, SimApp, ManualClock, Recorder]:
        clock = ManualClock()
        app = create_app(SimConfig(scenario=scenario, scope_id="2", **changes), clock=clock)
        recorder = Recorder(app)
        client = make_client(settings(family, url=URL), transport=recorder)
        built.append(client)
        return client, app, clock, recorder

    yield build
    for client in built:
        await client.aclose()


def _nulls(value: Any, path: str = "") -> list[str]:
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return []


# ---------------------------------------------------------------- shapes


async def test_container_job_status_maps_every_execute_object(v4: Build) -> None:
    client, app, clock, rec = v4()
    job_id = app.world.demo_job_id()
    clock.advance(70)  # every step has started
    job = await client.get_job(job_id)
    request = rec.named("get_job_instance_status")[0]
    assert request.url.path == "/api/bk-job/prod/api/v4/get_job_instance_status"
    assert request.url.params["return_execute_object_result"] == "true"
    assert "X-Bkapi-Authorization" in request.headers and SECRET not in str(request.url)
    assert _nulls(json.loads(rec.bodies[0])) == []  # NON_NULL: nothing is sent as null
    first, files, _reload, confirm, mixed = job.steps
    assert {h.ref.kind for h in first.hosts} == {TargetKind.CONTAINER}
    c = first.hosts[0].ref.container
    assert c is not None and c.cmdb_id and c.name and c.node_host_id
    assert c.container_id and c.container_id.startswith("containerd://")
    assert c.short_id is not None and len(c.short_id) == 12 and "://" not in c.short_id
    assert first.hosts[0].ref.key == f"k:{c.cmdb_id}" and first.hosts[0].ref.host_id is None
    assert first.hosts[0].ref.display == c.name
    assert first.hosts[0].tag == "ready" and first.hosts[0].exit_code == 0
    assert {h.ref.kind for h in files.hosts} == {TargetKind.CONTAINER}
    assert confirm.hosts == ()
    kinds = [h.ref.kind for h in mixed.hosts]
    assert kinds.count(TargetKind.HOST) == 12 and kinds.count(TargetKind.CONTAINER) == 12
    host = next(h for h in mixed.hosts if h.ref.kind is TargetKind.HOST)
    assert host.ref.key == f"h:{host.ref.host_id}" and host.ref.ip and host.cloud_name
    assert len({h.ref.key for h in mixed.hosts}) == 24  # one key per target, kinds apart
    assert job.operator == "admin" and job.launch_mode == 1  # enriched from the v4 list


async def test_without_objects_steps_carry_no_targets(v4: Build) -> None:
    client, app, clock, rec = v4()
    clock.advance(20)
    job = await client.get_job(app.world.demo_job_id(), with_hosts=False, enrich=False)
    assert all(step.hosts == () for step in job.steps)
    assert rec.requests[0].url.params["return_execute_object_result"] == "false"


async def test_host_jobs_work_on_v4_with_the_same_keys_as_v3(v4: Build) -> None:
    client, app, clock, _ = v4(scenario="default")
    job_id = app.world.demo_job_id()
    clock.advance(30)
    job4 = await client.get_job(job_id)
    v3 = make_client(settings(ApiFamily.V3, url=URL), transport=httpx.ASGITransport(app=app))
    try:
        job3 = await v3.get_job(job_id)
    finally:
        await v3.aclose()
    for s3, s4 in zip(job3.steps, job4.steps, strict=True):
        assert (s3.status, s3.execute_count) == (s4.status, s4.execute_count)
        assert [h.key for h in s3.hosts] == [h.key for h in s4.hosts]
        assert [h.status for h in s3.hosts] == [h.status for h in s4.hosts]


async def test_groups_are_built_on_the_client_and_filters_apply(v4: Build) -> None:
    client, app, clock, _ = v4()
    job_id = app.world.demo_job_id()
    clock.advance(70)
    result = await client.get_step_result(job_id, 201005)
    assert result.host_count == 24
    named = result.groups[0].hosts[-1].ref
    wanted = named.ip if named.container is None else named.display
    assert wanted
    found = await client.get_step_result(job_id, 201005, StepFilter(search_ip=wanted[:12]))
    assert found.host_count >= 1
    assert any(h.ref.key == named.key for g in found.groups for h in g.hosts)
    with pytest.raises(E.UnsupportedFilterError, match=r"only the latest run.*no v4 API"):
        await client.get_step_result(job_id, 201003, StepFilter(execute_count=0))
    with pytest.raises(E.UnsupportedFilterError, match="cannot select rolling batch 2"):
        await client.get_step_result(job_id, 201005, StepFilter(batch=2))
    with pytest.raises(E.NotFoundError, match="step instance 9 not found"):
        await client.get_step_result(job_id, 9)


async def test_keyword_search_reads_container_logs(v4: Build) -> None:
    client, app, clock, _ = v4()
    job_id = app.world.demo_job_id()
    clock.advance(70)
    hit = await client.get_step_result(job_id, 201001, StepFilter(keyword="job_success"))
    miss = await client.get_step_result(job_id, 201001, StepFilter(keyword="no-such-text-x"))
    assert hit.host_count == 24 and miss.host_count == 0


async def test_one_target_log_through_the_batch_api(v4: Build) -> None:
    client, app, clock, rec = v4()
    job_id = app.world.demo_job_id()
    clock.advance(70)
    job = await client.get_job(job_id, enrich=False)
    ref = job.steps[0].hosts[3].ref
    log = await client.get_host_log(job_id, 201001, ref)
    body = json.loads(rec.named("batch_get_job_instance_execute_object_log")[-1].content)
    assert body["container_id_list"] == [ref.container.cmdb_id]  # type: ignore[union-attr]
    assert "host_id_list" not in body and "ip_list" not in body
    assert log.kind is LogKind.SCRIPT and log.ref == ref
    assert f"Starting step on {ref.display}" in log.content
    # a file step: a container's downloads, the source host's uploads
    target = job.steps[1].hosts[0].ref
    flog = await client.get_host_log(job_id, 201002, target)
    assert flog.kind is LogKind.FILE and flog.files
    assert all(f.mode == 1 and f.dest is not None for f in flog.files)
    assert flog.files[0].dest.kind is TargetKind.CONTAINER  # type: ignore[union-attr]
    assert flog.files[0].src is not None and flog.files[0].src.kind is TargetKind.HOST
    assert flog.files[0].size and flog.files[0].progress
    # a host asked for by address only (no bk_host_id): the ip_list selector
    host = next(h for h in job.steps[4].hosts if h.ref.kind is TargetKind.HOST).ref
    by_ip = HostRef(cloud_id=host.cloud_id, ip=host.ip)
    hlog = await client.get_host_log(job_id, 201005, by_ip)
    body = json.loads(rec.named("batch_get_job_instance_execute_object_log")[-1].content)
    assert body["ip_list"] == [{"bk_cloud_id": host.cloud_id, "ip": host.ip}]
    assert hlog.content and hlog.ref == by_ip


async def test_logs_go_fifty_objects_a_request_one_selector_each(v4: Build) -> None:
    client, app, clock, rec = v4(hosts=120)
    job_id = app.world.demo_job_id()
    clock.advance(120)
    job = await client.get_job(job_id, enrich=False)
    refs = [h.ref for h in job.steps[4].hosts]  # 60 hosts, 60 containers
    logs = await client.get_host_logs(job_id, 201005, refs)
    assert {log.ref.key for log in logs} == {r.key for r in refs}
    bodies = [json.loads(r.content) for r in rec.named("batch_get_job_instance_execute_object_log")]
    sizes = []
    for body in bodies:
        lists = [k for k in ("host_id_list", "ip_list", "container_id_list") if k in body]
        assert len(lists) == 1  # the server reads only the first present
        sizes.append((lists[0], len(body[lists[0]])))
    assert sizes == [
        ("host_id_list", 50),
        ("host_id_list", 10),
        ("container_id_list", 50),
        ("container_id_list", 10),
    ]


async def test_job_list_pages_by_offset_until_a_short_page(v4: Build) -> None:
    from datetime import UTC, datetime, timedelta

    client, app, clock, rec = v4(scenario="default")
    now = datetime.fromtimestamp(clock.now(), UTC)
    every = await client.list_jobs(since=now - timedelta(days=40), until=now, length=500)
    assert len(every.jobs) == len(app.world.job_ids())  # 40 days: v4 has no 30-day limit
    requests = rec.named("get_job_instance_list")
    assert [r.url.params["length"] for r in requests] == ["200"]  # a short page ends it
    assert every.total == len(every.jobs)  # no total sent: what was read
    times = [j.create_time for j in every.jobs]
    assert times == sorted(times, reverse=True)
    rec.requests.clear()
    page = await client.list_jobs(since=now - timedelta(days=40), until=now, start=2, length=3)
    assert [j.job_instance_id for j in page.jobs] == [j.job_instance_id for j in every.jobs[2:5]]
    assert page.total == 2 + 3 + 1  # a full page: more may follow
    params = rec.named("get_job_instance_list")[0].url.params
    assert (params["offset"], params["length"]) == ("2", "3") and "start" not in params


# ---------------------------------------------------------------- errors


async def test_job_gone_is_not_found_not_a_gateway_404(v4: Build) -> None:
    client, *_ = v4()
    with pytest.raises(E.NotFoundError) as info:
        await client.get_job(4242)
    assert str(info.value).startswith("job instance 4242 not found")
    assert info.value.status_code == 404 and info.value.code == 1244006
    assert not info.value.retryable


async def test_gateway_404_names_url_and_api(v4: Build) -> None:
    _, app, *_ = v4()
    wrong = make_client(
        settings(ApiFamily.V4, url="http://sim/nowhere"), transport=httpx.ASGITransport(app=app)
    )
    try:
        with pytest.raises(E.GatewayNotFound) as info:
            await wrong.get_job(1)
    finally:
        await wrong.aclose()
    text = str(info.value)
    assert "--url" in text and "--api v3" in text and "\n" not in text


async def test_wrong_method_is_the_gateways_1640401_with_the_hint() -> None:
    server = Server(replies={})
    server.replies["get_job_instance_status"] = httpx.Response(
        404,
        json={"code": 1640401, "code_name": "API_NOT_FOUND", "message": "API not found"},
        headers={"X-Bkapi-Error-Code": "1640401", "X-Bkapi-Error-Message": "API not found"},
    )
    client = make_client(settings(ApiFamily.V4), transport=httpx.MockTransport(server.handle))
    try:
        with pytest.raises(E.GatewayNotFound) as info:
            await client.get_job(7)
    finally:
        await client.aclose()
    assert "1640401" in str(info.value) and "gateway v4 needs bk-job 3.12.1" in str(info.value)


async def test_forbidden_scope_names_the_permission(v4: Build) -> None:
    client, app, *_ = v4(forbidden_scopes={"2"})
    with pytest.raises(E.PermissionDenied) as info:
        await client.get_job(app.world.demo_job_id())
    assert info.value.status_code == 403
    assert "(access_business) on Business biz-2" in str(info.value)  # error.data


async def test_step_gone_in_a_log_request(v4: Build) -> None:
    client, app, *_ = v4()
    with pytest.raises(E.NotFoundError, match="step instance 77 not found"):
        await client.get_host_log(app.world.demo_job_id(), 77, HostRef(host_id=1001))


async def test_too_many_objects_is_invalid_argument(v4: Build) -> None:
    _, app, *_ = v4()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim"
    ) as raw:
        response = await raw.post(
            "/api/v4/batch_get_job_instance_execute_object_log",
            json={
                "bk_scope_type": "biz",
                "bk_scope_id": "2",
                "job_instance_id": app.world.demo_job_id(),
                "step_instance_id": 201001,
                "container_id_list": list(range(70001, 70052)),
            },
            headers={"X-Bkapi-Authorization": CREDS.as_header()},
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_ARGUMENT" and error["details"][0]["code"] == "1241025"


def _v4_error(status: int, code: str, message: str, **extra: Any) -> httpx.Response:
    body: dict[str, Any] = {"code": code, "message": message, **extra}
    return httpx.Response(status, json={"error": body, "job_request_id": "abc"})


@pytest.mark.parametrize(
    ("reply", "kind", "retryable", "fragment"),
    [
        (
            _v4_error(429, "RESOURCE_EXHAUSTED", "too fast", details=[{"code": "1240004"}]),
            E.RateLimited,
            True,
            "rate limited by bk-job",
        ),
        (
            _v4_error(500, "INTERNAL", "boom\n\x1b[31mred", details=[{"code": "1240002"}]),
            E.BkJobError,
            True,
            "INTERNAL 1240002: boom red",
        ),
        (
            _v4_error(400, "INVALID_ARGUMENT", "query param [bk_scope_type] is illegal"),
            E.InvalidParameter,
            False,
            "invalid parameter: query param",
        ),
        (
            _v4_error(400, "FAILED_PRECONDITION", "Unsupported operation"),
            E.InvalidParameter,
            False,
            "not possible now",
        ),
        (_v4_error(401, "UNAUTHENTICATED", "login"), E.NotLoggedIn, False, "not logged in"),
        (
            _v4_error(
                403,
                "NO_PERMISSION",
                "zhangsan has no permission",
                data={"actions": [{"id": "access_business", "name": "Access"}]},
            ),
            E.PermissionDenied,
            False,
            '"Access" (access_business)',
        ),
    ],
)
async def test_every_v4_error_is_one_clear_line(
    reply: httpx.Response, kind: type[E.ApiError], retryable: bool, fragment: str
) -> None:
    server = Server(replies={"get_job_instance_status": reply})
    client = make_client(settings(ApiFamily.V4), transport=httpx.MockTransport(server.handle))
    try:
        with pytest.raises(E.ApiError) as info:
            await client.get_job(7)
    finally:
        await client.aclose()
    assert type(info.value) is kind
    assert info.value.retryable is retryable
    text = str(info.value)
    assert fragment in text and "\n" not in text and "\x1b" not in text
    assert SECRET not in text and TOKEN not in text


async def test_429_waits_as_the_server_says() -> None:
    reply = _v4_error(429, "RESOURCE_EXHAUSTED", "slow down")
    reply.headers["Retry-After"] = "7"
    server = Server(replies={"get_job_instance_status": reply})
    client = make_client(settings(ApiFamily.V4), transport=httpx.MockTransport(server.handle))
    try:
        with pytest.raises(E.RateLimited) as info:
            await client.get_job(7)
    finally:
        await client.aclose()
    assert info.value.retry_after == 7.0


# ---------------------------------------------------------------- v3 on a container job


@pytest.mark.parametrize("family", [ApiFamily.V3, ApiFamily.JOBV3, ApiFamily.V2])
async def test_host_only_families_stop_on_a_container_job(v4: Build, family: ApiFamily) -> None:
    url = URL if family is ApiFamily.V3 else "http://sim"
    _, app, clock, _ = v4()
    rec = Recorder(app)
    client = make_client(settings(family, url=url), transport=rec)
    job_id = app.world.demo_job_id()
    clock.advance(10)
    try:
        errors = []
        for _ in range(3):
            with pytest.raises(E.ApiError) as info:
                await client.get_job(job_id)
            errors.append(info.value)
        assert [type(e) for e in errors] == [E.BkJobError, E.BkJobError, E.InternalOnJob]
        assert errors[0].retryable and not errors[-1].retryable
        assert str(errors[-1]).startswith(
            "bk-job failed internally on this job (1240002); "
            "if its targets are containers, use --api v4"
        )
        sent = len(rec.requests)
        for _ in range(9):  # stopped: no request until the tenth (a probe)
            with pytest.raises(E.InternalOnJob):
                await client.get_job(job_id)
        assert len(rec.requests) == sent
        with pytest.raises(E.InternalOnJob):
            await client.get_job(job_id)
        assert len(rec.requests) == sent + 1
    finally:
        await client.aclose()


async def test_v3_host_less_status_still_answers_on_a_container_job(v4: Build) -> None:
    _, app, clock, _ = v4()
    client = make_client(settings(ApiFamily.V3, url=URL), transport=httpx.ASGITransport(app=app))
    clock.advance(10)
    try:
        job = await client.get_job(app.world.demo_job_id(), with_hosts=False, enrich=False)
        assert job.steps  # only the host builders fail (EsbGetJobInstanceStatusV3ResourceImpl)
        for _ in range(2):
            with pytest.raises(E.BkJobError):
                await client.get_step_result(job.job_instance_id, 201001)
            await client.get_job(job.job_instance_id, with_hosts=False, enrich=False)
        with pytest.raises(E.InternalOnJob):  # a success elsewhere does not reset the streak
            await client.get_step_result(job.job_instance_id, 201001)
    finally:
        await client.aclose()


async def test_a_transient_1240002_does_not_stop_a_host_job() -> None:
    calls = {"n": 0}

    def reply(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] in (1, 2, 4, 5):
            return httpx.Response(200, json={"result": False, "code": 1240002, "message": "x"})
        return httpx.Response(
            200,
            json={
                "result": True,
                "code": 0,
                "data": {"job_instance": {"job_instance_id": 7, "status": 2}},
            },
        )

    server = Server(replies={"get_job_instance_status": reply})
    client = make_client(settings(ApiFamily.V3), transport=httpx.MockTransport(server.handle))
    try:
        kinds = []
        for _ in range(6):
            try:
                await client.get_job(7, enrich=False)
                kinds.append("ok")
            except E.ApiError as error:
                kinds.append(type(error).__name__)
    finally:
        await client.aclose()
    assert kinds == ["BkJobError", "BkJobError", "ok", "BkJobError", "BkJobError", "ok"]
