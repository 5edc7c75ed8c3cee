"""Fault injection: seeded draws against the (mutable) FaultConfig on every request."""

from __future__ import annotations

import asyncio
import json
import random

from starlette.responses import Response

from jobtui.sim.config import FaultConfig

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def gateway_error(
    status: int, code: int, code_name: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An API-gateway level error: non-2xx, X-Bkapi-Error-* headers, gateway body."""
    body = {"code_name": code_name, "code": code, "message": message, "result": False, "data": None}
    all_headers = {
        "X-Bkapi-Error-Code": str(code),
        "X-Bkapi-Error-Message": message,
        **(headers or {}),
    }
    return Response(
        json.dumps(body), status_code=status, headers=all_headers, media_type="application/json"
    )


class FaultInjector:
    """Decides per request whether to misbehave; one seeded draw per fault kind."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    async def before(self, faults: FaultConfig, now: float) -> Response | None:
        """A fault response to send instead of the real answer, or None."""
        if faults.down_until is not None and now < faults.down_until:
            return Response("", status_code=503)
        if faults.latency > 0:
            await asyncio.sleep(faults.latency)
        draws = [self._rng.random() for _ in range(4)]
        if draws[0] < faults.timeout_rate:
            await asyncio.sleep(faults.timeout_hang)
            return gateway_error(504, 1650401, "BACKEND_TIMEOUT", "Request backend timeout")
        if draws[1] < faults.rate_limit_rate:
            return gateway_error(
                429,
                1642903,
                "RATE_LIMIT_RESTRICTION",
                "API rate limit exceeded by resource strategy",
                {
                    "X-Bkapi-RateLimit-Limit": "100",
                    "X-Bkapi-RateLimit-Remaining": "0",
                    "X-Bkapi-RateLimit-Reset": "1",
                    "X-Bkapi-RateLimit-Plugin": "bk-rate-limit",
                    "Retry-After": "1",
                },
            )
        if draws[2] < faults.error_rate:
            return gateway_error(502, 1650200, "BAD_GATEWAY", "Request backend service failed")
        if draws[3] < faults.html_rate:
            return Response(NGINX_502, status_code=502, media_type="text/html")
        return None

    def malformed(self, faults: FaultConfig) -> bool:
        return self._rng.random() < faults.malformed_rate
