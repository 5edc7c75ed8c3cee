"""Turn a failed exchange into one exception of the ``errors`` tree.

Pure functions of (status, headers, body, call): the HTTP layer calls them, the
tests call them directly. Every message is one line, has server text sanitised
and bounded, and names what was being asked for.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from pydantic import ValidationError

from jobtui.api.errors import (
    AlreadyStarted,
    ApiError,
    BadResponseError,
    BkJobError,
    FailedPrecondition,
    GatewayAuthError,
    GatewayError,
    GatewayForbidden,
    GatewayNotFound,
    HttpStatusError,
    InvalidParameter,
    NotConfirmer,
    NotFoundError,
    NotLoggedIn,
    PermissionDenied,
    RateLimited,
)
from jobtui.api.text import one_line


@dataclass(frozen=True, slots=True)
class Call:
    """What a request was for, so an error can say 'job instance 7 not found'."""

    api: str
    job_instance_id: int | None = None
    step_instance_id: int | None = None


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """An HTML error page from a proxy or login redirect rather than JSON."""
    if content_type and "html" in content_type.lower():
        return True
    return body.lstrip()[:1] == b"<"


def html_error(status: int, request_id: str | None) -> BadResponseError:
    """Never echo the page: it is long, and may be anything."""
    what = "bad gateway: " if status == 502 else ""
    return BadResponseError(
        f"{what}the server answered with an HTML page (HTTP {status})",
        request_id=request_id,
        status_code=status,
    )


def retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``X-Bkapi-RateLimit-Reset`` (delta or epoch) or ``Retry-After``."""
    now = time.time() if now is None else now
    reset = headers.get("x-bkapi-ratelimit-reset")
    if reset:
        try:
            value = float(reset)
        except ValueError:
            value = None
        if value is not None:
            if value > 1e12:  # epoch milliseconds
                value = value / 1000 - now
            elif value > 1e9:  # epoch seconds
                value -= now
            return max(0.0, value)
    later = headers.get("retry-after")
    if later:
        try:
            return max(0.0, float(later))
        except ValueError:
            pass
        try:
            return max(0.0, parsedate_to_datetime(later).timestamp() - now)
        except (TypeError, ValueError):
            return None
    return None


def _loose_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


_GATEWAY_BY_PREFIX: tuple[tuple[int, type[GatewayError]], ...] = (
    (16400, GatewayAuthError),
    (16403, GatewayForbidden),
    (16404, GatewayNotFound),
    (16429, RateLimited),
)
_GATEWAY_BY_STATUS: dict[int, type[GatewayError]] = {
    400: GatewayAuthError,
    401: GatewayAuthError,
    403: GatewayForbidden,
    404: GatewayNotFound,
    429: RateLimited,
}


def _gateway_class(status: int, code: int | None) -> type[GatewayError]:
    if code is not None:
        for prefix, cls in _GATEWAY_BY_PREFIX:
            if code // 100 == prefix:
                return cls
    return _GATEWAY_BY_STATUS.get(status, GatewayError)


def status_error(
    status: int, reason: str, headers: Mapping[str, str], body: bytes, call: Call
) -> ApiError:
    """The error for a non-2xx answer (gateway error, rate limit, HTML page, plain status)."""
    rid = headers.get("x-bkapi-request-id")
    loose = _loose_json(body)
    envelope = loose if isinstance(loose, dict) else {}
    code = _int(headers.get("x-bkapi-error-code")) or _int(envelope.get("code"))
    is_gateway = "x-bkapi-error-code" in headers or (code is not None and 1600000 <= code < 1700000)
    wait = retry_after(headers)
    if is_gateway:
        cls = _gateway_class(status, code)
        name = one_line(str(envelope.get("code_name") or ""))
        text = one_line(
            str(headers.get("x-bkapi-error-message") or envelope.get("message") or reason)
        )
        label = f"API gateway error {code}" + (f" {name}" if name else "")
        return cls(
            f"{call.api}: {label}: {text} (HTTP {status})",
            request_id=rid,
            status_code=status,
            code=code,
            retry_after=wait,
        )
    if envelope.get("result") is False and _int(envelope.get("code")) is not None:
        # bk-job's own answer with a real HTTP status (MissingParameterException is
        # HTTP 400, EsbExceptionControllerAdvice): its code and message say more.
        return bkjob_error(envelope, call, rid, status_code=status)
    if status == 429:
        return RateLimited(
            f"{call.api}: rate limited (HTTP 429)",
            request_id=rid,
            status_code=429,
            retry_after=wait,
        )
    if looks_like_html(body, headers.get("content-type")):
        return html_error(status, rid)
    return HttpStatusError(f"HTTP {status} {reason}".strip(), request_id=rid, status_code=status)


def validation_error(exc: ValidationError, body: bytes, call: Call, rid: str | None) -> ApiError:
    """A body that is not the expected envelope: malformed, truncated, or mis-shaped."""
    first = exc.errors(include_url=False)[0] if exc.errors() else None
    if first is not None and first["type"] == "json_invalid":
        return BadResponseError(
            f"{call.api}: the server answered with malformed or truncated JSON", request_id=rid
        )
    loose = _loose_json(body)
    if isinstance(loose, dict) and loose.get("result") is False:
        return bkjob_error(loose, call, rid)
    if first is None:
        return BadResponseError(f"{call.api}: unexpected response", request_id=rid)
    where = ".".join(str(part) for part in first["loc"]) or "body"
    problem = "is missing" if first["type"] == "missing" else one_line(first["msg"]).lower()
    return BadResponseError(f"{call.api}: bad response: {where} {problem}", request_id=rid)


def not_found_message(code: int, call: Call) -> str:
    """Wording that stays true although bk-job swaps its not-found codes.

    The v3 log APIs answer a missing *step* with TASK_INSTANCE_NOT_EXIST 1244006
    (``EsbGetJobInstanceIpLogV3ResourceImpl``, ``EsbBatchGetJobInstanceIpLogV3ResourceImpl``)
    and get_job_instance_status answers a job without steps with 1244007, so a
    request that names both ids says "job or step", never the wrong one.
    """
    job, step = call.job_instance_id, call.step_instance_id
    if step is not None:
        return f"job instance {job} or its step instance {step} not found"
    if code == 1244007:
        return f"job instance {job} not found (or it has no steps)"
    return f"job instance {job} not found"


def bkjob_error(
    envelope: Mapping[str, Any], call: Call, rid: str | None, *, status_code: int | None = None
) -> BkJobError:
    """``result: false`` → the BkJobError subclass its code names."""
    code = _int(envelope.get("code"))
    message = one_line(str(envelope.get("message") or ""))
    kw: dict[str, Any] = {"request_id": rid, "code": code, "status_code": status_code}
    if code in (1244006, 1244007):
        return NotFoundError(not_found_message(code, call), **kw)
    if code == 1241003:
        said = f" ({message})" if message else ""
        return FailedPrecondition(
            f"{call.api}: not possible in the step's current state{said}", **kw
        )
    if code == 1241015:
        return AlreadyStarted(f"{call.api}: the job has already started", **kw)
    if code == 1244016:
        return NotConfirmer(f"{call.api}: only the step's confirmers can do this", **kw)
    if code == 1240003 or (code is not None and 1241000 <= code < 1242000):
        return InvalidParameter(f"{call.api}: invalid parameter: {message or code}", **kw)
    if code == 9900403:
        return PermissionDenied(permission_message(envelope.get("permission"), message), **kw)
    if code in (1238001, 1247403):
        return PermissionDenied(f"permission denied: {message or 'no access'}", **kw)
    if code == 1247001:
        return NotLoggedIn(f"not logged in: {message or 'login required'}", **kw)
    return BkJobError(f"{call.api}: bk-job error {code}: {message or 'no message'}", **kw)


def _resource_text(kinds: object) -> str:
    parts: list[str] = []
    for kind in kinds if isinstance(kinds, list) else []:
        if not isinstance(kind, dict):
            continue
        names = [
            str(item.get("name") or item.get("id"))
            for chain in kind.get("instances") or []
            if isinstance(chain, list)
            for item in chain
            if isinstance(item, dict)
        ]
        label = str(kind.get("type_name") or kind.get("type") or "resource")
        parts.append(f"{label} {', '.join(names)}" if names else label)
    return "; ".join(parts)


def permission_message(permission: object, fallback: str) -> str:
    """'permission denied: needs "View job" (view_job) on Business blueking'."""
    actions = permission.get("actions") if isinstance(permission, dict) else None
    needs: list[str] = []
    for action in actions if isinstance(actions, list) else []:
        if not isinstance(action, dict):
            continue
        name, ident = action.get("name"), action.get("id")
        text = f'"{name}" ({ident})' if name and ident else f'"{name or ident or "?"}"'
        where = _resource_text(action.get("related_resource_types"))
        needs.append(f"{text} on {where}" if where else text)
    if not needs:
        return f"permission denied: {fallback or 'missing IAM permission'}"
    return one_line("permission denied: needs " + "; ".join(needs), limit=400)
