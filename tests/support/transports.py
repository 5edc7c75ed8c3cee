"""The one recording transport: wraps another, keeps each request, counts response bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx


def api_name(request: httpx.Request) -> str:
    """The bk-job API a request calls: the last path segment."""
    return request.url.path.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Meter(httpx.AsyncBaseTransport):
    """A transport (the simulator's ASGI one, usually) that records what goes through it."""

    inner: httpx.AsyncBaseTransport
    requests: list[httpx.Request] = field(default_factory=list)
    bytes_in: int = 0
    # API names answered with a gateway 502 instead (a fault on one API only,
    # which the simulator's all-requests faults cannot make)
    failing: set[str] = field(default_factory=set)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if api_name(request) in self.failing:
            return httpx.Response(502, text="Bad Gateway", request=request)
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.bytes_in += len(body)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def reset(self) -> None:
        self.requests.clear()
        self.bytes_in = 0

    def names(self) -> list[str]:
        """The API name of each request, in order."""
        return [api_name(r) for r in self.requests]

    def named(self, name: str) -> list[dict[str, object]]:
        """The JSON body (or, for a GET, the query) of each request to API ``name``."""
        return [
            json.loads(r.content) if r.content else dict(r.url.params)
            for r in self.requests
            if api_name(r) == name
        ]
