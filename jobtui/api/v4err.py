"""Turn a failed gateway v4 exchange into one exception of the ``errors`` tree.

v4 errors are real HTTP statuses with ``{"error": {"code", "message", "data"?,
"details"?: [{"code": "<bk-job code>", "message"}]}}`` (``EsbV4Response``,
``EsbV4RespError``, ``V4RespSubError``); the status comes from
``V4ErrorCodeEnum`` as ``EsbV4ExceptionControllerAdvice`` picks it:

==========================  ==================================================
400 INVALID_ARGUMENT,       invalid or missing parameter (InvalidParameter)
    OUT_OF_RANGE
400 FAILED_PRECONDITION     not possible in the job's state (InvalidParameter)
401 UNAUTHENTICATED         NotLoggedIn
403 NO_PERMISSION           PermissionDenied, the IAM object in ``error.data``
404 NOT_FOUND               job (1244006) or step (1244007) gone: NotFoundError
429 RESOURCE_EXHAUSTED      RateLimited, retried like the gateway's own 429
500 INTERNAL                BkJobError with the bk-job code (1240002 retryable)
==========================  ==================================================

The API gateway's own errors come first and carry ``X-Bkapi-Error-Code``; its
404 (1640401) means the path or method is wrong or the gateway has no v4
resources, which is not the job being gone, so it gets a hint instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jobtui.api.errmap import Call, html_error, looks_like_html, permission_message, retry_after
from jobtui.api.errmap import status_error as gateway_status_error
from jobtui.api.errors import (
    ApiError,
    BkJobError,
    GatewayNotFound,
    InvalidParameter,
    NotFoundError,
    NotLoggedIn,
    PermissionDenied,
    RateLimited,
)
from jobtui.api.text import one_line

GATEWAY_404_HINT = (
    "the API gateway has no such v4 resource: check --url (the gateway stage root) "
    "or use --api v3 (gateway v4 needs bk-job 3.12.1 or later)"
)
INTERNAL_CODE = 1240002


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _error_body(body: bytes) -> dict[str, Any] | None:
    try:
        loose = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    error = loose.get("error") if isinstance(loose, dict) else None
    return error if isinstance(error, dict) else None


def _detail_code(error: Mapping[str, Any]) -> int | None:
    details = error.get("details")
    if isinstance(details, list):
        for item in details:
            if isinstance(item, dict) and _int(item.get("code")) is not None:
                return _int(item.get("code"))
    return None


def status_error(
    status: int, reason: str, headers: Mapping[str, str], body: bytes, call: Call
) -> ApiError:
    """The error of a non-2xx v4 answer: the gateway's own first, then bk-job's."""
    rid = headers.get("x-bkapi-request-id")
    if "x-bkapi-error-code" in headers:
        error = gateway_status_error(status, reason, headers, body, call)
        if isinstance(error, GatewayNotFound):
            error.message = f"{error.message}; {GATEWAY_404_HINT}"
            error.args = (error.message,)
        return error
    v4 = _error_body(body)
    if v4 is None:
        if looks_like_html(body, headers.get("content-type")):
            return html_error(status, rid)
        if status in (404, 405):  # no v4 error body: nothing on that path speaks v4
            return GatewayNotFound(
                f"{call.api}: HTTP {status} {reason}; {GATEWAY_404_HINT}".replace(" ;", ";"),
                request_id=rid,
                status_code=status,
            )
        return gateway_status_error(status, reason, headers, body, call)
    return bkjob_error(status, v4, headers, call)


def bkjob_error(
    status: int, error: Mapping[str, Any], headers: Mapping[str, str], call: Call
) -> ApiError:
    """``{"error": …}`` → the class its code names; one line, the bk-job code kept."""
    rid = headers.get("x-bkapi-request-id")
    name = one_line(str(error.get("code") or "")) or f"HTTP {status}"
    message = one_line(str(error.get("message") or ""))
    code = _detail_code(error)
    kw: dict[str, Any] = {"request_id": rid, "code": code, "status_code": status}
    if name in ("NOT_FOUND",) or (status == 404 and name not in ("INVALID_ARGUMENT",)):
        if code == 1244006:
            return NotFoundError(f"job instance {call.job_instance_id} not found", **kw)
        if code == 1244007:
            return NotFoundError(f"step instance {call.step_instance_id} not found", **kw)
        return NotFoundError(f"{call.api}: not found: {message or name}", **kw)
    if name in ("NO_PERMISSION", "IAM_NO_PERMISSION") or status == 403:
        return PermissionDenied(permission_message(error.get("data"), message), **kw)
    if name == "UNAUTHENTICATED" or status == 401:
        return NotLoggedIn(f"not logged in: {message or 'login required'}", **kw)
    if name in ("RESOURCE_EXHAUSTED", "RATELIMIT_EXCEED") or status == 429:
        return RateLimited(
            f"{call.api}: rate limited by bk-job ({name}): {message or 'too many requests'}",
            retry_after=retry_after(headers),
            **kw,
        )
    if name == "FAILED_PRECONDITION":
        return InvalidParameter(f"{call.api}: not possible now: {message or name}", **kw)
    if 400 <= status < 500:
        return InvalidParameter(f"{call.api}: invalid parameter: {message or name}", **kw)
    if status >= 500 and code is None:
        kw["code"] = INTERNAL_CODE  # an unhandled failure: transient as far as we know
    label = f"{name} {code}" if code is not None else name
    return BkJobError(f"{call.api}: bk-job error {label}: {message or 'no message'}", **kw)
