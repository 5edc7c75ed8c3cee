"""ESB jobv3: ``{url}/api/c/compapi/v2/jobv3/<name>/``, credentials as parameters.

Same resources as gateway v3 except get_step_instance_status: result groups are
built here from the job status host list (latest retry, all batches), and the
filters its data cannot answer raise ``UnsupportedFilterError``.

No get_step_instance_detail either: a confirmation step's message is read from
the PLAN the job was launched from, get_job_plan_detail
(``EsbPlanV3ResourceImpl.getPlanDetailUsingPost``; each step by
``TaskStepDTO.toEsbStepV3``, its message by
``TaskApprovalStepDTO.toEsbApprovalInfoV3``), with the plan id from the job's
get_job_instance_list row. The plan may have been edited since launch, so the
card says where the message comes from.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from jobtui.api.base import Capabilities
from jobtui.api.confirm import (
    FROM_PLAN,
    clean_message,
    is_confirm,
    no_plan_note,
    plan_step,
    result_from_step,
)
from jobtui.api.errmap import Call
from jobtui.api.errors import ApiError, NotFoundError
from jobtui.api.filters import StepFilter
from jobtui.api.grouping import build_groups, check_keyword, check_unsupported
from jobtui.api.http import HttpCore
from jobtui.api.models import ApiFamily, ConfirmInfo, HostResult, Job, Step, StepResult
from jobtui.api.settings import ConnectionSettings
from jobtui.api.v3 import V3Client
from jobtui.api.wire import Envelope, V3PlanDetail, V3StepDetail

FAMILY = "ESB jobv3"
PLAN_DETAIL = TypeAdapter(Envelope[V3PlanDetail])
PlanSteps = tuple[V3StepDetail, ...]


class JobV3Client(V3Client):
    """JobApi over ESB jobv3."""

    family = ApiFamily.JOBV3
    capabilities = Capabilities(
        server_side_filters=False,
        batches=False,
        retries=False,
        keyword=True,
        job_list=True,
        batch_logs=True,
    )

    def __init__(self, http: HttpCore, settings: ConnectionSettings) -> None:
        super().__init__(http, settings)
        # job id → its plan's steps (get_job_plan_detail), or why there is no message
        self._plans: dict[int, PlanSteps | str] = {}

    def _path(self, name: str) -> str:
        return f"/api/c/compapi/v2/jobv3/{name}/"

    def _params(self, **values: Any) -> dict[str, Any]:
        return {**self._settings.credentials.as_params(), **super()._params(**values)}

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        flt = flt or StepFilter()
        job = await self.get_job(job_instance_id, with_hosts=True, enrich=False)
        step = job.step(step_instance_id)
        if step is None:
            raise NotFoundError(
                f"step instance {step_instance_id} not found in job instance {job_instance_id}",
                code=1244007,
            )
        check_unsupported(flt, latest=step.execute_count, family=FAMILY)
        check_keyword(flt, step.type, family=FAMILY)
        keep = await self._keyword_hosts(job_instance_id, step, flt)
        groups = build_groups(step.hosts, flt, None if keep is None else (lambda h: h.key in keep))
        confirm = await self._plan_confirm(job, step) if is_confirm(step) else None
        return result_from_step(step, flt, groups, confirm)

    async def _plan_confirm(self, job: Job, step: Step) -> ConfirmInfo:
        """The confirmation message from the job's plan, the plan fetched once per job.

        A failure is cached like the step detail's (a missing plan-view permission
        stays missing), except a transient one, which the next poll tries again.
        """
        jid = job.job_instance_id
        plans = self._plans
        known = plans.get(jid)
        if known is None:
            meta = await self._meta(job)
            plan_id = None if meta is None else meta[2]
            if meta is None:  # the list lookup failed (cached as such by ``_meta``)
                known = "message not available: the job's plan id could not be looked up"
                plans[jid] = known
            elif plan_id is None or plan_id <= 0:
                known = "message not available: the job has no plan id (not launched from a plan)"
                plans[jid] = known
            else:
                try:
                    data = await self._get(
                        PLAN_DETAIL, Call("get_job_plan_detail", jid), job_plan_id=plan_id
                    )
                except ApiError as exc:
                    known = no_plan_note(exc)
                    if not exc.retryable:
                        plans[jid] = known
                else:
                    known = tuple(data.get("step_list") or ())
                    plans[jid] = known
        if isinstance(known, str):
            return ConfirmInfo(message_note=known)
        found = plan_step(known, job, step)
        if found is None:
            return ConfirmInfo(message_note="message not available: the step is not in the plan")
        message = clean_message((found.get("approval_info") or {}).get("approval_message"))
        if message is None:
            return ConfirmInfo(message_note="no message (in the plan)")
        return ConfirmInfo(message=message, message_source=FROM_PLAN)

    async def _keyword_hosts(
        self, job_instance_id: int, step: Step, flt: StepFilter
    ) -> set[str] | None:
        """Keys of the hosts whose log contains the keyword (batch log fetch)."""
        if not flt.keyword:
            return None
        candidates: list[HostResult] = [
            h for h in step.hosts if flt.matches_ip(h.ref.ip, h.ref.ipv6)
        ]
        logs = await self.get_host_logs(
            job_instance_id, step.step_instance_id, [h.ref for h in candidates]
        )
        matched = [log.ref for log in logs if flt.keyword in log.content]
        ids = {ref.host_id for ref in matched if ref.host_id is not None}
        addrs = {(ref.cloud_id or 0, ref.ip) for ref in matched if ref.ip}
        return {
            h.key
            for h in candidates
            if h.ref.host_id in ids or (h.ref.cloud_id or 0, h.ref.ip) in addrs
        }
