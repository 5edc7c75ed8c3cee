"""Stop asking about a job bk-job keeps failing on internally (1240002).

bk-job's v3, jobv3 and v2 builders read every target as a host; a job whose
targets are containers makes them throw, and the ESB advice turns that into
``result:false, 1240002`` (``EsbGetJobInstanceStatusV3ResourceImpl``,
``EsbGetStepInstanceStatusV3ResourceImpl``, ``EsbGetJobInstanceStatusResourceImpl``
→ ``EsbExceptionControllerAdvice.handleException``). 1240002 is otherwise a
transient failure, so one answer proves nothing; a streak on one job does.
After ``STREAK`` in a row the job gets ``InternalOnJob`` (not retried) naming
the way out, and the server is only asked again every ``PROBE_EVERY`` calls,
so a real outage that heals still recovers.
"""

from __future__ import annotations

from jobtui.api.errors import ApiError, BkJobError, InternalOnJob

INTERNAL_CODE = 1240002
STREAK = 3
PROBE_EVERY = 10
HINT = "bk-job failed internally on this job (1240002); if its targets are containers, use --api v4"


class InternalStreak:
    """Consecutive 1240002 answers per job id."""

    def __init__(self) -> None:
        self._count: dict[int, int] = {}

    def before(self, job_instance_id: int | None) -> None:
        """Raise the verdict instead of sending, except for a periodic probe."""
        if job_instance_id is None:
            return
        count = self._count.get(job_instance_id, 0)
        if count >= STREAK:
            self._count[job_instance_id] = count + 1
            if (count + 1 - STREAK) % PROBE_EVERY:
                raise InternalOnJob(HINT, code=INTERNAL_CODE)

    def failed(self, job_instance_id: int | None, error: ApiError) -> ApiError:
        """The error to raise: the verdict once the streak is long enough."""
        if job_instance_id is None:
            return error
        if type(error) is not BkJobError or error.code != INTERNAL_CODE:
            if not isinstance(error, InternalOnJob):
                self._count.pop(job_instance_id, None)
            return error
        count = self._count.get(job_instance_id, 0) + 1
        self._count[job_instance_id] = count
        if count >= STREAK:
            return InternalOnJob(HINT, request_id=error.request_id, code=INTERNAL_CODE)
        return error

    def ok(self, job_instance_id: int | None) -> None:
        if job_instance_id is not None:
            self._count.pop(job_instance_id, None)
