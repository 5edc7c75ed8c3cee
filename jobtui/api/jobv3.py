"""ESB jobv3: ``{url}/api/c/compapi/v2/jobv3/<name>/``, credentials as parameters.

Same resources as gateway v3 except get_step_instance_status: result groups are
built here from the job status host list (latest retry, all batches), and the
filters its data cannot answer raise ``UnsupportedFilterError``.
"""

from __future__ import annotations

from typing import Any

from jobtui.api.base import Capabilities
from jobtui.api.confirm import NO_MESSAGE_API, is_confirm, result_from_step
from jobtui.api.errors import NotFoundError
from jobtui.api.filters import StepFilter
from jobtui.api.grouping import build_groups, check_keyword, check_unsupported
from jobtui.api.models import ApiFamily, ConfirmInfo, HostResult, Step, StepResult
from jobtui.api.v3 import V3Client

FAMILY = "ESB jobv3"


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
        confirm = ConfirmInfo(message_note=NO_MESSAGE_API) if is_confirm(step) else None
        return result_from_step(step, flt, groups, confirm)

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
