"""When and how long to wait before asking again: pure functions, no clock.

The client never retries by itself; the poller owns its schedule and
``jobtui status`` uses this policy for a couple of attempts. Authentication,
permission, not-found and bad-parameter answers are never retried: asking
again cannot change them.
"""

from __future__ import annotations

import random

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
