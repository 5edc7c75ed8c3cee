"""ESB v2 (legacy): ``{url}/api/c/compapi/v2/job/<name>/``, credentials as parameters.

No rolling batches, no older retries, no job list. Result groups come from
get_job_instance_log (it carries tags, exit codes and every host's whole log),
falling back to get_step_instance_status's analysis when a step has no logs yet.

A confirmation step's message is read from the PLAN the job was launched from:
get_job_detail (``EsbGetJobDetailResourceImpl``; ``confirm_message`` by
``buildApprovalStep``), keyed by the status's ``job_instance.bk_job_id``. The plan
may have been edited since launch, so the card says where the message comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from jobtui.api import v2map
from jobtui.api.base import Capabilities
from jobtui.api.confirm import (
    FROM_PLAN,
    clean_message,
    is_confirm,
    no_plan_note,
    plan_step,
    result_from_step,
)
from jobtui.api.convert import load_zone
from jobtui.api.errmap import Call
from jobtui.api.errors import ApiError, FailedPrecondition, NotFoundError, UnsupportedFilterError
from jobtui.api.filters import StepFilter
from jobtui.api.grouping import build_groups, check_keyword, check_unsupported
from jobtui.api.http import HttpCore
from jobtui.api.models import (
    CONFIRM_STEP_TYPE,
    ApiFamily,
    ConfirmInfo,
    HostLog,
    HostRef,
    Job,
    JobPage,
    ScopeType,
    Step,
    StepResult,
)

if TYPE_CHECKING:  # the operation code loads when an operation is sent (operate_*)
    from jobtui.api.operations import JobOperation, OperationReceipt, StepOperation
from jobtui.api.settings import ConnectionSettings
from jobtui.api.wire import (
    Envelope,
    V2JobDetail,
    V2JobStatus,
    V2PlanStep,
    V2StepLog,
    V2StepStatus,
)

JOB_STATUS = TypeAdapter(Envelope[V2JobStatus])
STEP_STATUS = TypeAdapter(Envelope[V2StepStatus])
JOB_LOG = TypeAdapter(Envelope[list[V2StepLog]])
JOB_DETAIL = TypeAdapter(Envelope[V2JobDetail])
FAMILY = "ESB v2"
PlanSteps = tuple[V2PlanStep, ...]


class V2Client:
    """JobApi over the legacy ESB v2 ``job`` component."""

    family = ApiFamily.V2
    capabilities = Capabilities(
        server_side_filters=False,
        batches=False,
        retries=False,
        keyword=True,
        job_list=False,
        batch_logs=False,
    )

    def __init__(self, http: HttpCore, settings: ConnectionSettings) -> None:
        self._http = http
        self._settings = settings
        self._zone = load_zone(settings.timezone)
        self._step_types: dict[int, int] = {}  # step id → type, from every job status
        # job id → its plan's steps (get_job_detail), or why there is no message
        self._plans: dict[int, PlanSteps | str] = {}

    def __repr__(self) -> str:
        return f"V2Client(url={self._settings.url!r}, scope={self._settings.scope_id!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    def _scope(self) -> dict[str, Any]:
        sid = self._settings.scope_id
        if self._settings.scope_type is ScopeType.BIZ:
            return {"bk_biz_id": int(sid) if sid.isdigit() else sid}
        return {"bk_scope_type": str(self._settings.scope_type), "bk_scope_id": sid}

    def _path(self, name: str) -> str:
        return f"/api/c/compapi/v2/job/{name}/"

    async def _get(
        self, name: str, adapter: TypeAdapter[Envelope[Any]], call: Call, **values: Any
    ) -> Any:
        params = {**self._settings.credentials.as_params(), **self._scope(), **values}
        return await self._http.fetch("GET", self._path(name), adapter, call, params=params)

    async def _step_logs(self, job_instance_id: int, step_instance_id: int) -> V2StepLog | None:
        steps: list[V2StepLog] = await self._get(
            "get_job_instance_log",
            JOB_LOG,
            Call("get_job_instance_log", job_instance_id, step_instance_id),
            job_instance_id=job_instance_id,
        )
        return next((s for s in steps if s["step_instance_id"] == step_instance_id), None)

    # ------------------------------------------------------------ JobApi

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        data = await self._get(
            "get_job_instance_status",
            JOB_STATUS,
            Call("get_job_instance_status", job_instance_id),
            job_instance_id=job_instance_id,
        )
        job = v2map.job(data, self._zone, with_hosts=with_hosts, scope_id=self._settings.scope_id)
        for step in job.steps:
            self._step_types[step.step_instance_id] = step.type
        return job

    async def enrich_job(self, job: Job) -> Job:
        """v2's status answer already carries operator and launch mode."""
        return job

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        flt = flt or StepFilter()
        if self._step_types.get(step_instance_id) == CONFIRM_STEP_TYPE:
            return await self._confirm_result(job_instance_id, step_instance_id, flt)
        ids = {"job_instance_id": job_instance_id, "step_instance_id": step_instance_id}
        # A 3.x server reads the ids at the top level (EsbGetStepInstanceStatusRequest;
        # the ESB component passes the body through); a 2.x server read them under
        # ``params``. Spring ignores the unknown key, so both go.
        body = {
            **self._settings.credentials.as_params(),
            **self._scope(),
            **ids,
            "params": ids,
        }
        try:
            status: V2StepStatus = await self._http.fetch(
                "POST",
                self._path("get_step_instance_status"),
                STEP_STATUS,
                Call("get_step_instance_status", job_instance_id, step_instance_id),
                body=body,
            )
        except FailedPrecondition:
            # 1241003: a confirmation step not seen in a job status yet
            job = await self.get_job(job_instance_id, with_hosts=False)
            if not is_confirm(job.step(step_instance_id)):
                raise
            return await self._confirm_result(job_instance_id, step_instance_id, flt, job)
        detail = status["step_instance_detail"]
        check_unsupported(flt, latest=detail.get("execute_count") or 0, family=FAMILY)
        check_keyword(flt, detail.get("type") or 0, family=FAMILY)
        step_log = await self._step_logs(job_instance_id, step_instance_id)
        pairs = v2map.log_hosts(step_log, self._zone) if step_log else []
        if pairs:
            keyword = flt.keyword
            matching = None if not keyword else {h.key for h, text in pairs if keyword in text}
            groups = build_groups(
                (h for h, _ in pairs),
                flt,
                None if matching is None else (lambda h: h.key in matching),
            )
        else:
            # No logs yet. The analysis lists (and counts) only its FIRST group (the
            # query has fetchAllGroupData=false: EsbGetStepInstanceStatusResourceImpl),
            # so the job status's per-host list, which has every host, comes first.
            job = await self.get_job(job_instance_id, with_hosts=True)
            step = job.step(step_instance_id)
            hosts = list(step.hosts) if step is not None else []
            if not hosts:
                fallback = v2map.analyse_groups(status.get("step_instance_analyse_result") or [])
                hosts = [h for g in fallback for h in g.hosts]
            groups = build_groups(hosts, flt, (lambda h: False) if flt.keyword else None)
        return v2map.step_result(detail, groups, self._zone, flt.batch)

    async def _confirm_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter, job: Job | None = None
    ) -> StepResult:
        """A confirmation step from the job status: v2 names who confirmed (the step operator)."""
        if job is None:
            job = await self.get_job(job_instance_id, with_hosts=False)
        step = job.step(step_instance_id)
        if step is None:
            raise NotFoundError(
                f"step instance {step_instance_id} not found in job instance {job_instance_id}",
                code=1244007,
            )
        confirm = replace(await self._plan_confirm(job, step), operator=step.operator)
        return result_from_step(step, flt, confirm=confirm)

    async def _plan_confirm(self, job: Job, step: Step) -> ConfirmInfo:
        """The confirmation message from the job's plan, fetched once per job.

        A failure is cached too (a missing plan-view permission stays missing),
        except a transient one, which the next poll tries again.
        """
        jid = job.job_instance_id
        known = self._plans.get(jid)
        if known is None:
            plan_id = job.plan_id
            if plan_id is None or plan_id <= 0:
                known = "message not available: the job has no plan id (not launched from a plan)"
                self._plans[jid] = known
            else:
                body = {
                    **self._settings.credentials.as_params(),
                    **self._scope(),
                    "bk_job_id": plan_id,
                }
                try:
                    data: V2JobDetail = await self._http.fetch(
                        "POST",
                        self._path("get_job_detail"),
                        JOB_DETAIL,
                        Call("get_job_detail", jid),
                        body=body,
                    )
                except ApiError as exc:
                    known = no_plan_note(exc)
                    if not exc.retryable:
                        self._plans[jid] = known
                else:
                    known = tuple(data.get("steps") or ())
                    self._plans[jid] = known
        if isinstance(known, str):
            return ConfirmInfo(message_note=known)
        found = plan_step(known, job, step)
        if found is None:
            return ConfirmInfo(message_note="message not available: the step is not in the plan")
        message = clean_message(found.get("confirm_message"))
        if message is None:
            return ConfirmInfo(message_note="no message (in the plan)")
        return ConfirmInfo(message=message, message_source=FROM_PLAN)

    async def get_host_log(
        self, job_instance_id: int, step_instance_id: int, host: HostRef
    ) -> HostLog:
        logs = await self.get_host_logs(job_instance_id, step_instance_id, [host])
        return logs[0] if logs else v2map.host_log(host, "")

    async def get_host_logs(
        self, job_instance_id: int, step_instance_id: int, hosts: Sequence[HostRef]
    ) -> list[HostLog]:
        """One call returns every host's log; pick the asked ones (by cloud id + IP)."""
        step_log = await self._step_logs(job_instance_id, step_instance_id)
        pairs = v2map.log_hosts(step_log, self._zone) if step_log else []
        by_addr = {(h.ref.cloud_id or 0, h.ref.ip): (h.ref, text) for h, text in pairs}
        found = [by_addr.get((ref.cloud_id or 0, ref.ip)) for ref in hosts]
        return [v2map.host_log(ref, text) for hit in found if hit for ref, text in [hit]]

    async def list_jobs(
        self,
        *,
        since: datetime,
        until: datetime | None = None,
        statuses: Sequence[int] = (),
        operator: str | None = None,
        name: str | None = None,
        start: int = 0,
        length: int = 100,
    ) -> JobPage:
        raise UnsupportedFilterError(
            "ESB v2 has no job list (get_job_instance_list): use the v3, v4 or jobv3 API family"
        )

    # ------------------------------------------------------------ operations

    def _body(self, **values: Any) -> dict[str, Any]:
        return {**self._settings.credentials.as_params(), **self._scope(), **values}

    async def operate_step_instance(
        self, job_instance_id: int, step_instance_id: int, operation: StepOperation
    ) -> OperationReceipt:
        """POST operate_step_instance (v2 ``EsbOperateStepInstanceRequest``: top-level ids),
        credentials and ``bk_biz_id`` in the body as every ESB v2 request; never retried."""
        from jobtui.api.operations import operate_step

        return await operate_step(
            self._http, self._path, self._body, job_instance_id, step_instance_id, operation
        )

    async def operate_job_instance(
        self, job_instance_id: int, operation: JobOperation
    ) -> OperationReceipt:
        """POST operate_job_instance (v2 ``EsbOperateJobInstanceRequest``); never retried."""
        from jobtui.api.operations import operate_job

        return await operate_job(self._http, self._path, self._body, job_instance_id, operation)
