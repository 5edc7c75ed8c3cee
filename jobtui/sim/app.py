"""The ASGI application: routing, auth, scopes, envelopes and faults.

One base URL serves all four families: ``/api/v3/<name>`` and ``/api/v4/<name>``
(gateway stage root), ``/api/c/compapi/v2/jobv3/<name>/`` and
``/api/c/compapi/v2/job/<name>/`` (PaaS root). v4's protocol (omitted nulls,
HTTP statuses with an ``error`` body) lives in ``wire_v4``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from jobtui.sim import auth, operations, wire_logs, wire_v2, wire_v3, wire_v4
from jobtui.sim.clock import Clock, SystemClock
from jobtui.sim.config import FaultConfig, SimConfig
from jobtui.sim.containers import INTERNAL_ERROR, fails_host_only
from jobtui.sim.errors import (
    SimError,
    job_not_found,
    missing_parameter,
    permission_denied,
    plan_not_found,
    plan_permission_denied,
)
from jobtui.sim.faults import FaultInjector, gateway_error
from jobtui.sim.jobs import Job
from jobtui.sim.operator import Operator
from jobtui.sim.params import req_int
from jobtui.sim.world import World

GATEWAY_METHODS = {
    "get_job_instance_status": "GET",
    "get_step_instance_status": "GET",
    "get_job_instance_ip_log": "GET",
    "get_job_instance_list": "GET",
    "batch_get_job_instance_ip_log": "POST",
    "get_step_instance_detail": "GET",
    "get_job_plan_detail": "GET",  # EsbPlanV3Resource: GET on the gateway, POST via ESB
    "operate_step_instance": "POST",
    "operate_job_instance": "POST",
}
OPERATIONS = frozenset({"operate_step_instance", "operate_job_instance"})
V4_METHODS = {  # support-files/bk-api-gateway/v3/resources.yaml, /api/v4/*
    "get_job_instance_status": "GET",
    "get_job_instance_list": "GET",
    "batch_get_job_instance_execute_object_log": "POST",
}
# ESB jobv3 has no step status and no step detail (docs/apidoc/esb/jobv3-confapis/job.yaml).
JOBV3_NAMES = frozenset(GATEWAY_METHODS) - {"get_step_instance_status", "get_step_instance_detail"}
V2_NAMES = frozenset(
    {
        "get_job_instance_status",
        "get_step_instance_status",
        "get_job_instance_log",
        "get_job_detail",
    }
    | OPERATIONS
)
FAULTS_SCENARIO = FaultConfig(
    latency=0.05,
    error_rate=0.05,
    rate_limit_rate=0.05,
    timeout_rate=0.01,
    malformed_rate=0.03,
    html_rate=0.03,
)
Handler = Callable[[Job, dict[str, Any], float, str], Any]


class SimApp:
    """ASGI callable; ``world`` holds the jobs, ``config.faults`` may change at run time."""

    def __init__(self, config: SimConfig, clock: Clock) -> None:
        config.validate()
        if config.scenario == "faults" and config.faults == FaultConfig():
            config.faults = FaultConfig(**vars(FAULTS_SCENARIO))
        self.config = config
        self.clock = clock
        self.world = World(config, clock)
        if config.operator_name is not None:
            self.world.attach(Operator(self.world, config.operator_name, config.retry_pause))
        self._faults = FaultInjector(config.seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        response = await self._handle(Request(scope, receive))
        response.headers.setdefault("X-Bkapi-Request-Id", str(uuid.uuid4()))
        await response(scope, receive, send)

    async def _handle(self, request: Request) -> Response:
        self.world.stats.requests += 1
        fault = await self._faults.before(self.config.faults, self.clock.now())
        if fault is not None:
            return fault
        family, name = _route(request.url.path)
        methods = {"v3": GATEWAY_METHODS, "v4": V4_METHODS}.get(family or "")
        if methods is not None and methods.get(name) != request.method:
            return gateway_error(
                404,
                1640401,
                "API_NOT_FOUND",
                "API not found: the resource or HTTP method does not exist",
            )
        if (
            (family == "jobv3" and name not in JOBV3_NAMES)
            or (family == "v2" and name not in V2_NAMES)
            or family is None
        ):
            return Response(
                json.dumps(
                    {"result": False, "code": 1306404, "message": f"Component not found: {name}"}
                ),
                status_code=404,
                media_type="application/json",
            )
        try:
            params = await _params(request)
            header = request.headers.get("X-Bkapi-Authorization")
            if family in ("v3", "v4"):
                auth.check_gateway(header)
                if name in self.config.ungranted_apis:
                    return _not_granted(name)
            else:
                auth.check_esb(params, header)
            lang = request.headers.get("Blueking-Language", "zh")
            if name in OPERATIONS:
                data = self._operate(name, params, operations.caller(params, header), lang)
            else:
                data = self._dispatch(family, name, params, lang, operations.caller(params, header))
        except SimError as error:
            if family == "v4" and (error.http_status == 200 or error.esb_body):
                return wire_v4.error_response(error)
            return self._error(error)
        if family == "v4":
            return self._ok_v4(data)
        return self._ok(data)

    def _dispatch(
        self, family: str, name: str, params: dict[str, Any], lang: str, user: str
    ) -> Any:
        now = self.world.refresh()
        ours = self._check_scope(params, user, lang)
        if name == "get_job_instance_list" and family != "v4":
            data = wire_logs.job_list(self.world, params, now)
            return data if ours else {**data, "total": 0, "data": []}
        if family == "v4" and name == "get_job_instance_list":
            return wire_v4.job_list(self.world, params, now) if ours else {}
        if name == "get_job_plan_detail":
            plan_id = req_int(params, "job_plan_id")
            return wire_v3.plan_detail(self._viewable_plan(plan_id, ours, user, lang), plan_id)
        if name == "get_job_detail":  # ESB v2: the plan, keyed bk_job_id
            plan_id = req_int(params, "bk_job_id")
            return wire_v2.job_detail(self._viewable_plan(plan_id, ours, user, lang), plan_id)
        job = self.world.job(req_int(params, "job_instance_id"))
        if job is None or not ours:
            raise job_not_found()
        targets = self.world.targets
        if family == "v4":
            if name == "get_job_instance_status":
                return wire_v4.job_status(self.world, targets, job, params, now)
            return wire_v4.batch_log(self.world, targets, job, params, now)
        if fails_host_only(targets, str(family), name, job, params, now):
            raise SimError(INTERNAL_ERROR, "Internal error")  # the NPE, via the ESB advice
        if family == "v2":
            if name == "get_job_instance_status":
                return wire_v2.job_status(self.world, job, now)
            if name == "get_job_instance_log":
                return wire_v2.job_log(self.world, job, now)
            return wire_v2.step_status(self.world, job, params, now, lang)
        if name == "get_job_instance_status":
            return wire_v3.job_status(self.world, job, params, now)
        if name == "get_step_instance_status":
            return wire_v3.step_status(self.world, job, params, now, lang)
        if name == "get_step_instance_detail":
            return wire_v3.step_detail(self.world, job, params)
        if name == "get_job_instance_ip_log":
            return wire_logs.ip_log(self.world, job, params, now)
        return wire_logs.batch_ip_log(self.world, job, params, now)

    def _viewable_plan(self, plan_id: int, ours: bool, user: str, lang: str) -> Job:
        """The plan behind get_job_plan_detail (v3, jobv3) and get_job_detail (v2).

        Both call ``TaskPlanServiceImpl.getTaskPlan(user, appId, planId)``
        (``EsbPlanV3ResourceImpl.getPlanDetailUsingPost``,
        ``EsbGetJobDetailResourceImpl.getJobDetail``), which looks the plan up in
        the scope first, so a plan missing or of another scope is 1243009
        whatever the permissions, and only then checks ``view_job_plan``
        (``checkViewPlanPermission``): 9900403 with the permission object.
        """
        plan = self.world.plan(plan_id) if ours else None
        if plan is None:
            raise plan_not_found(lang)
        if plan_id in self.config.unviewable_plans:
            raise plan_permission_denied(plan_id, plan.meta.name, user, lang)
        return plan

    def _operate(self, name: str, params: dict[str, Any], user: str, lang: str) -> Any:
        """operate_step_instance / operate_job_instance (``sim/operations.py``)."""
        now = self.world.refresh()
        ours = self._check_scope(params, user, lang)
        job = self.world.job(operations.job_id(params))
        if job is None or not ours:
            raise job_not_found()
        if name == "operate_job_instance":
            data = operations.operate_job(self.world, job, params, now, user)
        else:
            data = operations.operate_step(self.world, job, params, now, user)
        self.world.watch(job)  # a person acted: the simulated operator looks again
        return data

    def _check_scope(self, params: dict[str, Any], user: str, lang: str) -> bool:
        """Forbidden scopes get 9900403; True when the scope is the simulated one.

        A request without any scope gets HTTP 400 with an EsbResp body
        (:func:`jobtui.sim.errors.missing_parameter`).
        """
        scope_type = params.get("bk_scope_type")
        scope_id = params.get("bk_scope_id")
        if scope_type is None and scope_id is None and params.get("bk_biz_id") is not None:
            scope_type, scope_id = "biz", str(params["bk_biz_id"])
        if not scope_type or scope_id in (None, ""):
            raise missing_parameter("bk_scope_id" if scope_type else "bk_scope_type")
        if self.config.is_forbidden(str(scope_type), str(scope_id)):
            raise permission_denied(str(scope_type), str(scope_id), user, lang)
        return (str(scope_type), str(scope_id)) == (self.config.scope_type, self.config.scope_id)

    def _error(self, error: SimError) -> Response:
        """An EsbResp failure: ``@JsonInclude(NON_NULL)``, so no ``data`` key (``EsbResp``)."""
        if error.http_status != 200 and not error.esb_body:
            return gateway_error(error.http_status, error.code, "INVALID_ARGS", error.message)
        body: dict[str, Any] = {
            "result": False,
            "code": error.code,
            "message": error.message,
            "job_request_id": uuid.uuid4().hex[:16],
        }
        if error.permission is not None:
            body["permission"] = error.permission
        return Response(
            json.dumps(body, ensure_ascii=True),
            status_code=error.http_status,
            media_type="application/json",
        )

    def _ok(self, data: Any) -> Response:
        body = json.dumps(
            {"result": True, "code": 0, "data": data, "job_request_id": uuid.uuid4().hex[:16]},
            ensure_ascii=True,
            separators=(",", ":"),
        )
        if self._faults.malformed(self.config.faults):
            body = body[: max(1, len(body) // 2)]
        return Response(body, media_type="application/json")

    def _ok_v4(self, data: Any) -> Response:
        response = wire_v4.ok_response(data)
        if self._faults.malformed(self.config.faults):
            response.body = response.body[: max(1, len(response.body) // 2)]
            response.headers["content-length"] = str(len(response.body))
        return response


def _not_granted(name: str) -> Response:
    """The gateway's answer when the app lacks the resource permission (``resources.yaml``
    ``resourcePermissionRequired``): 403 1640301, before bk-job sees the request."""
    return gateway_error(
        403,
        1640301,
        "APP_NO_PERMISSION",
        f"App has no permission to the resource: {name}",
    )


def _route(path: str) -> tuple[str | None, str]:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 4 and parts[:2] == ["api", "bk-job"]:
        parts = ["api", *parts[3:]]  # /api/bk-job/<stage>/api/v3/... → /api/v3/...
        parts = parts[1:] if parts[:2] == ["api", "api"] else parts
    if len(parts) == 3 and parts[:2] in (["api", "v3"], ["api", "v4"]):
        return parts[1], parts[2]
    if len(parts) == 6 and parts[:4] == ["api", "c", "compapi", "v2"]:
        family = {"jobv3": "jobv3", "job": "v2"}.get(parts[4])
        return family, parts[5]
    return None, parts[-1] if parts else ""


async def _params(request: Request) -> dict[str, Any]:
    """Query parameters merged with a JSON body, read at the top level only.

    A 3.x server binds ``job_instance_id``/``step_instance_id`` of ESB v2
    ``get_step_instance_status`` from the top level of the body
    (``EsbGetStepInstanceStatusRequest``; ``EsbGetStepInstanceStatusResourceImpl.checkRequest``
    answers 1241007 without them), and ESB forwards the body as it came: a
    2.x-style ``{"params": {...}}`` body is not unpacked.
    """
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        raw = await request.body()
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                raise SimError(1240003, "Bad request: body is not valid JSON") from None
            if not isinstance(body, dict):
                raise SimError(1240003, "Bad request: body must be a JSON object")
            params.update(body)
    return params


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(config: SimConfig | None = None, *, clock: Clock | None = None) -> SimApp:
    """Build the simulator; the clock defaults to the wall clock at ``config.speed``."""
    config = config or SimConfig()
    return SimApp(config, clock or SystemClock(config.speed))
