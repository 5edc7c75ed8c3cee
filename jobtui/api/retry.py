"""When and how long to wait before asking again: pure functions, no clock.

The client never retries by itself, with one exception: a READ whose reused
keep-alive connection the server had already closed (``stale_connection``) is
sent again once, at once. The poller owns its schedule and ``jobtui status``
uses this policy for a couple of attempts. Authentication,
permission, not-found and bad-parameter answers are never retried: asking
again cannot change them.
"""

from __future__ import annotations

import random

import httpx

from jobtui.api.errors import (
    ApiError,
    GatewayAuthError,
    GatewayForbidden,
    GatewayNotFound,
    InvalidParameter,
    NotFoundError,
    NotLoggedIn,
    PermissionDenied,
)

_NEVER = (
    GatewayAuthError,
    GatewayForbidden,
    GatewayNotFound,
    InvalidParameter,
    NotFoundError,
    NotLoggedIn,
    PermissionDenied,
)


def should_retry(error: ApiError) -> bool:
    """True for transient failures (network, timeouts, 5xx, rate limits, bad bodies)."""
    if isinstance(error, _NEVER):
        return False
    return bool(error.retryable)


def backoff_delay(
    attempt: int,
    error: ApiError | None,
    *,
    base: float = 1.0,
    cap: float = 30.0,
    rng: random.Random | None = None,
) -> float:
    """Seconds before retry number ``attempt`` (1-based).

    A server's ``retry_after`` wins (bounded by ``cap``); otherwise capped
    exponential backoff ``base * 2**(attempt-1)`` with up to 25 % jitter
    subtracted, so a fleet of monitors does not retry in lockstep.
    """
    if error is not None and error.retry_after is not None:
        return min(max(error.retry_after, 0.0), cap)
    exponent = min(max(attempt, 1) - 1, 32)
    delay = min(base * (2.0**exponent), cap)
    jitter = (rng or random).random() * 0.25
    return max(0.0, delay * (1.0 - jitter))


# httpcore's words when the server closed the connection before sending a
# single byte of the answer (HTTP/1.1: "Server disconnected without sending a
# response."; HTTP/2: "Server disconnected"). A body cut short reads "peer
# closed connection without sending complete message body" instead: that
# answer had started, and is not this case.
_STALE = "server disconnected"


def stale_connection(exc: BaseException) -> bool:
    """True when httpx failed because the server had closed the connection unanswered.

    uvicorn closes idle keep-alive connections after 5 s; when httpx reuses one
    in the instant the server closes it, the request is lost before any answer.
    A READ may be sent again at once (it changes nothing); an operation never is,
    since the server may still have received it (``operations.send_operation``).
    """
    return isinstance(exc, httpx.RemoteProtocolError) and str(exc).lower().startswith(_STALE)
