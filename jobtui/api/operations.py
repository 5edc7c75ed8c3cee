"""Step and job operations: ``operate_step_instance`` / ``operate_job_instance``.

The only requests jobtui sends that change anything on the server, so they
follow stricter rules than the reads (``TaskExecuteServiceImpl.doStepOperation`` /
``doTaskOperation`` behind ``EsbOperateStepInstanceV3ResourceImpl`` /
``EsbOperateJobInstanceV3ResourceImpl``):

- one request, never retried: neither here nor by the caller's retry policy
  (``OperationUnknown`` and the state errors are not retryable);
- a request that may have reached the server but got no answer (a timeout, a
  cut connection after sending) is reported as ``OperationUnknown``: "check the
  job", since a second retry would run the step twice;
- the server's refusals keep their own meaning: 1241003 "not possible in the
  step's current state", 1244016 "only the step's confirmers", 9900403 the IAM
  message, gateway 403 1640301 "your app has not been granted ...".

Wire shape (``EsbOperateStepInstanceV3Request``, ``EsbOperateJobInstanceV3Request``
and the v2 ``EsbOperateStepInstanceRequest``/``EsbOperateJobInstanceRequest``):
``{scope, job_instance_id, [step_instance_id], operation_code}``; the reply is
``EsbJobExecuteV3DTO`` ``{job_instance_id, step_instance_id, job_instance_name}``
and the effect is asynchronous (the new ``execute_count`` is not returned).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol, runtime_checkable

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from jobtui.api.errmap import Call
from jobtui.api.errors import (
    ApiError,
    ConnectionLost,
    GatewayForbidden,
    OperationUnknown,
    RequestTimeout,
)
from jobtui.api.http import HttpCore
from jobtui.api.models import ApiFamily
from jobtui.api.wire import Envelope

V4_VIA_V3 = (
    "v4 has no operation API: this is sent to the gateway's v3 "
    "operate_step_instance / operate_job_instance, which your app must be granted"
)


def route_note(family: ApiFamily) -> str | None:
    """What a confirmation must say about where an operation goes, if not the obvious.

    On ``--api v4`` the operation leaves the family the user chose: ``V4Client``
    sends it to the same stage's v3 resources, granted separately on the gateway
    (a missing grant is a 403 1640301), so the person confirming is told first.
    """
    return V4_VIA_V3 if family is ApiFamily.V4 else None


class StepOperation(IntEnum):
    """``StepOperationEnum`` (job-execute ``constants/StepOperationEnum.java``)."""

    RETRY_FAILED = 2  # RETRY_FAIL_IP
    IGNORE_ERROR = 3
    CONFIRM = 6  # CONFIRM_CONTINUE
    RETRY_ALL = 8  # RETRY_ALL_IP
    CONFIRM_TERMINATE = 9
    CONFIRM_RESTART = 10
    NEXT_STEP = 11
    SKIP = 12  # force skip a stopping step
    ROLLING_CONTINUE = 13


class JobOperation(IntEnum):
    """``TaskOperationEnum`` (job-execute ``constants/TaskOperationEnum.java``)."""

    TERMINATE = 1  # TERMINATE_JOB
    START = 2  # START_JOB (only for jobs created not started; jobtui never sends it)


class OperationReply(TypedDict, total=False):
    """``EsbJobExecuteV3DTO`` (v2: ``EsbJobExecuteDTO``); nested nulls are explicit."""

    job_instance_id: int | None
    step_instance_id: int | None
    job_instance_name: str | None


REPLY = TypeAdapter(Envelope[OperationReply])


@dataclass(frozen=True, slots=True)
class OperationReceipt:
    """bk-job accepted the operation: what it answered, and how to find the request again."""

    api: str
    job_instance_id: int
    step_instance_id: int | None
    operation_code: int
    job_instance_name: str | None = None
    request_id: str | None = None  # the gateway's X-Bkapi-Request-Id, else job_request_id


@runtime_checkable
class JobOperator(Protocol):
    """A client that can operate on steps and jobs (every family can)."""

    async def operate_step_instance(
        self, job_instance_id: int, step_instance_id: int, operation: StepOperation
    ) -> OperationReceipt:
        """Send one step operation (``StepOperationEnum`` code) on the step's current run."""
        ...

    async def operate_job_instance(
        self, job_instance_id: int, operation: JobOperation
    ) -> OperationReceipt:
        """Send one job operation (``TaskOperationEnum`` code)."""
        ...


#: A family's request body: its scope (and on ESB its credentials) around the values.
BodyBuilder = Callable[..., dict[str, Any]]
#: A family's path for an API name.
PathBuilder = Callable[[str], str]


async def operate_step(
    http: HttpCore,
    path: PathBuilder,
    body: BodyBuilder,
    job_instance_id: int,
    step_instance_id: int,
    operation: StepOperation,
) -> OperationReceipt:
    """``operate_step_instance`` with the family's ``path`` and ``body``: the ids and the
    code are at the top level on every family (v3 ``EsbOperateStepInstanceV3Request``,
    ESB v2 ``EsbOperateStepInstanceRequest``); only the route and the envelope differ."""
    call = Call("operate_step_instance", job_instance_id, step_instance_id)
    values = body(
        job_instance_id=job_instance_id,
        step_instance_id=step_instance_id,
        operation_code=int(operation),
    )
    return await send_operation(http, path(call.api), values, call, int(operation))


async def operate_job(
    http: HttpCore,
    path: PathBuilder,
    body: BodyBuilder,
    job_instance_id: int,
    operation: JobOperation,
) -> OperationReceipt:
    """``operate_job_instance`` (v3 ``EsbOperateJobInstanceV3Request``, v2
    ``EsbOperateJobInstanceRequest``) with the family's ``path`` and ``body``."""
    call = Call("operate_job_instance", job_instance_id)
    values = body(job_instance_id=job_instance_id, operation_code=int(operation))
    return await send_operation(http, path(call.api), values, call, int(operation))


async def send_operation(
    http: HttpCore,
    path: str,
    body: Mapping[str, Any],
    call: Call,
    code: int,
) -> OperationReceipt:
    """POST one operation and turn its answer (or its absence) into a receipt or an error."""
    try:
        data, rid = await http.fetch_with_id("POST", path, REPLY, call, body=body)
    except (RequestTimeout, ConnectionLost) as exc:
        # It may have arrived: asking again could retry a step twice.
        raise OperationUnknown(
            f"{call.api}: unknown: check the job ({exc.message}); not sent again",
            request_id=exc.request_id,
        ) from None
    except GatewayForbidden as exc:
        raise _forbidden(exc, call) from None
    return OperationReceipt(
        api=call.api,
        job_instance_id=_int(data.get("job_instance_id")) or call.job_instance_id or 0,
        step_instance_id=_int(data.get("step_instance_id")) or call.step_instance_id,
        operation_code=code,
        job_instance_name=data.get("job_instance_name"),
        request_id=rid,
    )


def _forbidden(exc: GatewayForbidden, call: Call) -> ApiError:
    """Gateway 403 1640301: the app lacks the resource permission for this API."""
    if exc.code != 1640301:
        return exc
    return GatewayForbidden(
        f"your app has not been granted `{call.api}` on the gateway "
        "(ask the gateway's administrator for the resource permission)",
        request_id=exc.request_id,
        status_code=exc.status_code,
        code=exc.code,
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
