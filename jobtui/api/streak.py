"""Stop asking about a job bk-job keeps failing on internally (1240002).

bk-job's v3, jobv3 and v2 builders read every target as a host; a job whose
targets are containers makes them throw, and the ESB advice turns that into
``result:false, 1240002`` (``EsbGetJobInstanceStatusV3ResourceImpl``,
``EsbGetStepInstanceStatusV3ResourceImpl``, ``EsbGetJobInstanceStatusResourceImpl``
→ ``EsbExceptionControllerAdvice.handleException``). 1240002 is otherwise a
transient failure, so one answer proves nothing; a streak does. Streaks are
counted per request (API, job, step): on v3 a job's status without hosts still
answers while its step status fails every time, and that success must not
hide the failure. After ``STREAK`` in a row that request gets ``InternalOnJob``
(not retried) naming the way out, and the server is only asked again every
``PROBE_EVERY`` calls, so a real outage that heals still recovers.
"""

from __future__ import annotations

from jobtui.api.errmap import Call
from jobtui.api.errors import ApiError, BkJobError, InternalOnJob

INTERNAL_CODE = 1240002
STREAK = 3
PROBE_EVERY = 10
HINT = "bk-job failed internally on this job (1240002); if its targets are containers, use --api v4"


Key = tuple[str, int, int | None]


def _key(call: Call) -> Key | None:
    if call.job_instance_id is None:
        return None
    return (call.api, call.job_instance_id, call.step_instance_id)


class InternalStreak:
    """Consecutive 1240002 answers per (API, job, step)."""

    def __init__(self) -> None:
        self._count: dict[Key, int] = {}

    def before(self, call: Call) -> None:
        """Raise the verdict instead of sending, except for a periodic probe."""
        key = _key(call)
        if key is None:
            return
        count = self._count.get(key, 0)
        if count >= STREAK:
            self._count[key] = count + 1
            if (count + 1 - STREAK) % PROBE_EVERY:
                raise InternalOnJob(HINT, code=INTERNAL_CODE)

    def failed(self, call: Call, error: ApiError) -> ApiError:
        """The error to raise: the verdict once the streak is long enough."""
        key = _key(call)
        if key is None or isinstance(error, InternalOnJob):
            return error
        if type(error) is not BkJobError or error.code != INTERNAL_CODE:
            self._count.pop(key, None)
            return error
        count = self._count.get(key, 0) + 1
        self._count[key] = count
        if count >= STREAK:
            return InternalOnJob(HINT, request_id=error.request_id, code=INTERNAL_CODE)
        return error

    def ok(self, call: Call) -> None:
        key = _key(call)
        if key is not None:
            self._count.pop(key, None)
