"""The client follows bk-job's server (issue 10), checked through the strict simulator.

Each test names the server class whose behaviour the client must follow (read
from bk-job's code); docs/fidelity.md lists them. The
simulator is a real ASGI server on a manual clock; the client is the real one.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from jobtui.api import errors as E
from jobtui.api.base import JobApi
from jobtui.api.confirm import NO_MESSAGE_API
from jobtui.api.errmap import Call, bkjob_error, status_error
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostRef
from jobtui.sim.app import create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.jobs import Job as SimJob
from jobtui.sim.jobs import JobMeta
from jobtui.sim.scenarios import CONFIRM_MESSAGE
from jobtui.sim.steps import CONFIRM, StepSpec
from tests.support.api import CREDS, settings

URLS = {
    ApiFamily.V3: "http://sim/api/bk-job/prod",
    ApiFamily.V4: "http://sim/api/bk-job/prod",
    ApiFamily.JOBV3: "http://sim",
    ApiFamily.V2: "http://sim",
}
AUTH = {
    "bk_app_code": CREDS.app_code,
    "bk_app_secret": CREDS.app_secret,
    "bk_token": CREDS.bk_token,
}
STEP_DEPLOY, STEP_CONFIRM, STEP_ROLLING, STEP_HEALTH = 2, 4, 5, 6


class Recorder(httpx.AsyncBaseTransport):
    """The simulator's transport, keeping every request."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def named(self, name: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.rstrip("/").endswith(name)]


class Sim:
    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.app = create_app(SimConfig(scope_id="2"), clock=clock)
        self.recorder = Recorder(self.app)
        self.job_id = self.app.world.demo_job_id()
        self.built: list[JobApi] = []

    def client(self, family: ApiFamily) -> JobApi:
        client = make_client(settings(family, url=URLS[family]), transport=self.recorder)
        self.built.append(client)
        return client

    def step(self, n: int) -> int:
        return self.job_id * 10 + n


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    world = Sim(ManualClock())
    yield world
    for client in world.built:
        await client.aclose()


FAMILIES = list(ApiFamily)


# ---------------------------------------------------------------- confirmation steps


@pytest.mark.parametrize("family", FAMILIES)
async def test_confirm_step_is_never_asked_for_its_result(sim: Sim, family: ApiFamily) -> None:
    """TaskResultServiceImpl.preProcessViewStepExecutionResult: 1241003 for type 3."""
    sim.clock.advance(55)
    client = sim.client(family)
    job = await client.get_job(sim.job_id)
    assert job.status == 7
    result = await client.get_step_result(sim.job_id, sim.step(STEP_CONFIRM))
    again = await client.get_step_result(sim.job_id, sim.step(STEP_CONFIRM))
    assert result.is_confirm and result.status == 7 and result.groups == ()
    assert again.status == 7
    assert sim.recorder.named("get_step_instance_status") == []
    assert result.confirm is not None
    if family is ApiFamily.V3:
        # EsbGetStepInstanceDetailV3ResourceImpl (APPROVAL): the message, asked once
        assert result.confirm.message == CONFIRM_MESSAGE
        assert len(sim.recorder.named("get_step_instance_detail")) == 1
    elif family is ApiFamily.JOBV3:
        # EsbPlanV3ResourceImpl.getPlanDetailUsingPost: the PLAN's message, asked once
        assert result.confirm.message == CONFIRM_MESSAGE
        assert result.confirm.message_source == "from the plan, may have changed since launch"
        [plan] = sim.recorder.named("get_job_plan_detail")
        assert plan.url.params.get("job_plan_id") == "900"
        assert sim.recorder.named("get_step_instance_detail") == []
    elif family is ApiFamily.V2:
        # EsbGetJobDetailResourceImpl.buildApprovalStep: the PLAN's confirm_message,
        # keyed by the status's job_instance.bk_job_id, asked once per job
        assert result.confirm.message == CONFIRM_MESSAGE
        assert result.confirm.message_source == "from the plan, may have changed since launch"
        [plan] = sim.recorder.named("get_job_detail")
        assert plan.method == "POST" and json.loads(plan.content)["bk_job_id"] == 900
    else:
        assert result.confirm.message is None
        assert result.confirm.message_note == NO_MESSAGE_API


async def test_jobv3_plan_message_failures_say_not_available() -> None:
    """No plan-view permission (9900403), no plan id, a plan gone (1243009): never an error."""
    clock = ManualClock()
    app = create_app(SimConfig(scope_id="2", unviewable_plans={900}), clock=clock)
    clock.advance(55)
    job_id = app.world.demo_job_id()
    recorder = Recorder(app)
    client = make_client(settings(ApiFamily.JOBV3, url=URLS[ApiFamily.JOBV3]), transport=recorder)
    try:
        result = await client.get_step_result(job_id, job_id * 10 + STEP_CONFIRM)
        assert result.confirm is not None and result.confirm.message is None
        assert result.confirm.message_note == (
            "message not available: no permission to view the job's plan"
        )
        await client.get_step_result(job_id, job_id * 10 + STEP_CONFIRM)
        assert len(recorder.named("get_job_plan_detail")) == 1  # the refusal is kept
    finally:
        await client.aclose()


async def test_v2_plan_message_failure_says_not_available() -> None:
    """get_job_detail refused (9900403, VIEW_JOB_PLAN): "not available", kept, no error."""
    clock = ManualClock()
    app = create_app(SimConfig(scope_id="2", unviewable_plans={900}), clock=clock)
    clock.advance(55)
    job_id = app.world.demo_job_id()
    recorder = Recorder(app)
    client = make_client(settings(ApiFamily.V2, url=URLS[ApiFamily.V2]), transport=recorder)
    try:
        await client.get_job(job_id)
        result = await client.get_step_result(job_id, job_id * 10 + STEP_CONFIRM)
        assert result.confirm is not None and result.confirm.message is None
        assert result.confirm.message_note == (
            "message not available: no permission to view the job's plan"
        )
        await client.get_step_result(job_id, job_id * 10 + STEP_CONFIRM)
        assert len(recorder.named("get_job_detail")) == 1  # the refusal is kept
    finally:
        await client.aclose()


class Answers(Recorder):
    """The simulator's transport, keeping every request and its answer's body."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.bodies: dict[str, Any] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        body = await response.aread()
        self.bodies[request.url.path.rstrip("/").rsplit("/", 1)[-1]] = json.loads(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body)


@pytest.mark.parametrize(
    ("family", "api"),
    [(ApiFamily.JOBV3, "get_job_plan_detail"), (ApiFamily.V2, "get_job_detail")],
)
async def test_a_refused_plan_is_the_servers_9900403_with_what_to_apply_for(
    family: ApiFamily, api: str
) -> None:
    """TaskPlanServiceImpl.getTaskPlan's view_job_plan check (PlanAuthServiceImpl), as
    EsbExceptionControllerAdvice answers it (AuthServiceImpl.buildEsbAuthFailResp): the
    client's error names the permission to apply for, and the card says "no permission"."""
    clock = ManualClock()
    app = create_app(SimConfig(scope_id="2", unviewable_plans={900}), clock=clock)
    clock.advance(55)
    job_id = app.world.demo_job_id()
    answers = Answers(app)
    client = make_client(settings(family, url=URLS[family]), transport=answers)
    try:
        await client.get_job(job_id)
        result = await client.get_step_result(job_id, job_id * 10 + STEP_CONFIRM)
    finally:
        await client.aclose()
    assert result.confirm is not None
    assert (
        result.confirm.message_note == "message not available: no permission to view the job's plan"
    )
    envelope = answers.bodies[api]
    assert envelope["message"].startswith("User (admin) permission not allowed")
    error = bkjob_error(envelope, Call(api, job_id), None)
    assert isinstance(error, E.PermissionDenied)
    assert '"View Job Plan" (view_job_plan) on Job Plans Deploy app v1.2' in str(error)


async def test_jobv3_job_without_a_plan_id() -> None:
    """A job not launched from a plan (list row job_plan_id null): says so, asks nothing."""
    clock = ManualClock()
    app = create_app(SimConfig(scope_id="2"), clock=clock)
    jid = 90_001
    meta = JobMeta(job_instance_id=jid, name="Ad hoc", plan_id=None)
    confirm = StepSpec(
        step_instance_id=jid * 10 + 1,
        step_id=1,
        name="ok?",
        type=CONFIRM,
        hosts=0,
        confirm_wait=None,
    )
    app.world.add_job(SimJob.build(meta, clock.now(), app.world.pool, [confirm]))
    clock.advance(5)
    recorder = Recorder(app)
    client = make_client(settings(ApiFamily.JOBV3, url=URLS[ApiFamily.JOBV3]), transport=recorder)
    try:
        result = await client.get_step_result(jid, jid * 10 + 1)
        assert result.confirm is not None and result.confirm.message is None
        assert "the job has no plan id" in (result.confirm.message_note or "")
        assert recorder.named("get_job_plan_detail") == []
    finally:
        await client.aclose()


@pytest.mark.parametrize("family", [ApiFamily.V3, ApiFamily.V2])
async def test_confirm_step_unknown_to_the_client_falls_back_on_1241003(
    sim: Sim, family: ApiFamily
) -> None:
    """A client that never saw the job status asks once, gets 1241003, and recovers."""
    sim.clock.advance(55)
    client = sim.client(family)
    result = await client.get_step_result(sim.job_id, sim.step(STEP_CONFIRM))
    assert result.is_confirm and result.status == 7
    assert len(sim.recorder.named("get_step_instance_status")) == 1
    await client.get_step_result(sim.job_id, sim.step(STEP_CONFIRM))
    assert len(sim.recorder.named("get_step_instance_status")) == 1  # learnt: never again


async def test_v2_names_who_confirmed(sim: Sim) -> None:
    """TaskExecuteServiceImpl.confirmContinue: the step operator becomes the confirmer."""
    sim.clock.advance(75)
    client = sim.client(ApiFamily.V2)
    await client.get_job(sim.job_id)
    result = await client.get_step_result(sim.job_id, sim.step(STEP_CONFIRM))
    assert result.status == 3 and result.confirm is not None
    assert result.confirm.operator == "admin"


async def test_strict_sim_refuses_a_confirm_step_result(sim: Sim) -> None:
    """The simulator is strict: a raw request for a type-3 result is a FailedPrecondition."""
    sim.clock.advance(55)
    transport = sim.recorder
    async with httpx.AsyncClient(transport=transport, base_url=URLS[ApiFamily.V3]) as raw:
        response = await raw.get(
            "/api/v3/get_step_instance_status",
            params={
                "bk_scope_type": "biz",
                "bk_scope_id": "2",
                "job_instance_id": sim.job_id,
                "step_instance_id": sim.step(STEP_CONFIRM),
            },
            headers={"X-Bkapi-Authorization": json.dumps(AUTH)},
        )
    body = response.json()
    assert body["result"] is False and body["code"] == 1241003
    error = bkjob_error(body, Call("get_step_instance_status", sim.job_id, 9), None)
    assert isinstance(error, E.FailedPrecondition) and not error.retryable
    assert "not possible in the step's current state" in str(error)


# ---------------------------------------------------------------- ESB v2 body


async def test_v2_step_result_sends_ids_at_the_top_level(sim: Sim) -> None:
    """EsbGetStepInstanceStatusRequest reads job_instance_id/step_instance_id at the top."""
    sim.clock.advance(30)
    client = sim.client(ApiFamily.V2)
    result = await client.get_step_result(sim.job_id, sim.step(STEP_DEPLOY))
    assert result.host_count == 24
    body = json.loads(sim.recorder.named("get_step_instance_status")[-1].content)
    assert body["job_instance_id"] == sim.job_id
    assert body["step_instance_id"] == sim.step(STEP_DEPLOY)
    assert body["params"]["step_instance_id"] == sim.step(STEP_DEPLOY)  # for 2.x servers


# ---------------------------------------------------------------- status and tag filters


def _listed(result: Any) -> dict[tuple[int, str], int]:
    return {g.key: len(g.hosts) for g in result.groups}


@pytest.mark.parametrize("family", FAMILIES)
async def test_status_filter_lists_failures_over_several_tags(sim: Sim, family: ApiFamily) -> None:
    """TaskResultServiceImpl: one (status, tag) group or the first; so 104 over two tags
    is narrowed on the client, and every 104 host is listed."""
    sim.clock.advance(20)  # the deploy step failed: 104 with tags "disk full"/"config invalid"
    client = sim.client(family)
    await client.get_job(sim.job_id)
    result = await client.get_step_result(
        sim.job_id, sim.step(STEP_DEPLOY), StepFilter(statuses=(104,))
    )
    failed = {k: n for k, n in _listed(result).items() if k[0] == 104}
    assert len(failed) >= 2, "the demo's failures carry two tags"
    for key, count in failed.items():
        group = next(g for g in result.groups if g.key == key)
        assert count == group.host_count > 0, key
    assert all(n == 0 for k, n in _listed(result).items() if k[0] != 104)
    if family is ApiFamily.V3:
        sent = sim.recorder.named("get_step_instance_status")[-1].url.params
        assert "status" not in sent and "tag" not in sent


@pytest.mark.parametrize("family", FAMILIES)
async def test_tag_alone_picks_its_group(sim: Sim, family: ApiFamily) -> None:
    """A tag without a status is ignored by the server (fetchAllGroupData = status == null):
    the client sends the group's status with it once it knows the group."""
    sim.clock.advance(20)
    client = sim.client(family)
    await client.get_job(sim.job_id)
    flt = StepFilter(tag="disk full")
    first = await client.get_step_result(sim.job_id, sim.step(STEP_DEPLOY), flt)
    second = await client.get_step_result(sim.job_id, sim.step(STEP_DEPLOY), flt)
    for result in (first, second):
        listed = _listed(result)
        assert listed[(104, "disk full")] > 0
        assert all(n == 0 for k, n in listed.items() if k != (104, "disk full"))
    if family is ApiFamily.V3:
        sent = sim.recorder.named("get_step_instance_status")[-1].url.params
        assert (sent["status"], sent["tag"]) == ("104", "disk full")


# ---------------------------------------------------------------- retry and batch


async def test_retry_shown_is_the_one_asked_for(sim: Sim) -> None:
    """buildEsbStepInstanceStatusV3DTO: the answer's execute_count is the step's current."""
    sim.clock.advance(34)  # the deploy step succeeded at retry 1
    client = sim.client(ApiFamily.V3)
    result = await client.get_step_result(
        sim.job_id, sim.step(STEP_DEPLOY), StepFilter(execute_count=0)
    )
    assert result.execute_count == 0 and result.latest_execute_count == 1
    assert not result.latest
    assert all(h.execute_count == 0 for g in result.groups for h in g.hosts)
    assert any(g.status == 104 for g in result.groups), "retry 0 had failures"


async def test_batch_past_the_end_or_on_a_step_that_does_not_roll_is_empty(sim: Sim) -> None:
    """ScriptExecuteObjectTaskDAOImpl: BATCH = k, so empty, never an error."""
    sim.clock.advance(110)
    client = sim.client(ApiFamily.V3)
    rolling = await client.get_step_result(sim.job_id, sim.step(STEP_ROLLING), StepFilter(batch=2))
    assert rolling.host_count > 0 and rolling.batch == 2
    past = await client.get_step_result(sim.job_id, sim.step(STEP_ROLLING), StepFilter(batch=9))
    assert past.groups == () and past.batch == 9
    flat = await client.get_step_result(sim.job_id, sim.step(STEP_HEALTH), StepFilter(batch=1))
    assert flat.groups == ()


# ---------------------------------------------------------------- job list


async def test_job_list_window_is_checked_before_sending(sim: Sim) -> None:
    """EsbGetJobInstanceListV3ResourceImpl.checkRequest: >30 days 1241002, end<=start 1241007."""
    client = sim.client(ApiFamily.V3)
    now = datetime.fromtimestamp(sim.clock.now(), UTC)
    with pytest.raises(E.ConfigError, match="30 days"):
        await client.list_jobs(since=now - timedelta(days=31), until=now)
    with pytest.raises(E.ConfigError, match="end after it starts"):
        await client.list_jobs(since=now, until=now)
    assert sim.recorder.named("get_job_instance_list") == []


async def test_job_list_never_sends_a_status_the_backend_lacks(sim: Sim) -> None:
    """RunStatusEnum has no 12: a status=12 filter would be 1240002 (retried for ever)."""
    client = sim.client(ApiFamily.V3)
    now = datetime.fromtimestamp(sim.clock.now(), UTC)
    page = await client.list_jobs(since=now - timedelta(days=7), until=now, statuses=(12,))
    assert page.jobs == ()
    assert "status" not in sim.recorder.named("get_job_instance_list")[-1].url.params
    await client.list_jobs(since=now - timedelta(days=7), until=now, statuses=(3,))
    assert sim.recorder.named("get_job_instance_list")[-1].url.params["status"] == "3"


# ---------------------------------------------------------------- errors


def test_error_classes_of_the_precondition_codes() -> None:
    """ErrorCode 1241003 / 1241015 / 1244016 (TaskExecuteServiceImpl)."""
    call = Call("operate_step_instance", 7, 9)
    cases = {1241003: E.FailedPrecondition, 1241015: E.AlreadyStarted, 1244016: E.NotConfirmer}
    for code, cls in cases.items():
        error = bkjob_error({"result": False, "code": code, "message": "m"}, call, None)
        assert type(error) is cls and error.code == code and not error.retryable
    assert "only the step's confirmers" in str(
        bkjob_error({"result": False, "code": 1244016}, call, None)
    )
    assert "already started" in str(bkjob_error({"result": False, "code": 1241015}, call, None))
    assert not isinstance(
        bkjob_error({"result": False, "code": 1241003}, call, None), E.InvalidParameter
    )


async def test_http_400_with_an_esb_body_keeps_bkjob_code(sim: Sim) -> None:
    """EsbExceptionControllerAdvice: MissingParameterException is HTTP 400 with an EsbResp."""
    body = {"result": False, "code": 1241001, "message": "Missing parameter bk_scope_id"}
    error = status_error(
        400, "Bad Request", {}, json.dumps(body).encode(), Call("get_job_instance_status", 7)
    )
    assert isinstance(error, E.InvalidParameter) and error.code == 1241001
    assert "Missing parameter bk_scope_id" in str(error) and error.status_code == 400


async def test_not_found_wording_survives_swapped_codes(sim: Sim) -> None:
    """EsbGetJobInstanceIpLogV3ResourceImpl answers a missing step with 1244006 (job)."""
    sim.clock.advance(30)
    client = sim.client(ApiFamily.V3)
    with pytest.raises(E.NotFoundError) as info:
        await client.get_host_log(sim.job_id, 999_999, HostRef(host_id=1))
    assert f"job instance {sim.job_id} or its step instance 999999 not found" in str(info.value)


def test_non_bkjob_400_stays_an_http_error() -> None:
    error = status_error(400, "Bad Request", {}, b"nope", Call("x"))
    assert type(error) is E.HttpStatusError


async def test_waiting_hosts_have_no_exit_code(sim: Sim) -> None:
    """TaskResultServiceImpl.buildNotStartStepExecutionResult sends exit_code 0 and
    total_time 0 for the targets of a step not started: they have not run."""
    client = sim.client(ApiFamily.V3)
    result = await client.get_step_result(sim.job_id, sim.step(STEP_DEPLOY))
    hosts = [h for g in result.groups for h in g.hosts]
    assert result.status == 1 and hosts and all(h.status == 5 for h in hosts)
    assert all(h.exit_code is None and h.total_seconds is None for h in hosts)
