"""The api tests' fake server (a MockTransport handler), seeds, credentials and settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from jobtui.api.auth import Credentials
from jobtui.api.models import ApiFamily, ScopeType
from jobtui.api.settings import ConnectionSettings

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SECRET = "s3cr3t-app-secret-canary"
TOKEN = "tok-canary-9f8e7d"
CREDS = Credentials(app_code="jobtui-test", app_secret=SECRET, bk_token=TOKEN)

Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]


def seed_bytes(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def seed(name: str) -> Any:
    return json.loads(seed_bytes(name))


def ok(data: Any, **headers: str) -> httpx.Response:
    return httpx.Response(200, json={"result": True, "code": 0, "data": data}, headers=headers)


@dataclass
class Server:
    """Answers by API name (the last path segment) and keeps every request."""

    replies: dict[str, Reply] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        reply = self.replies.get(name)
        if reply is None:
            return httpx.Response(404, text="no such api in test")
        return reply(request) if callable(reply) else reply

    def last(self) -> httpx.Request:
        return self.requests[-1]

    def params(self, index: int = -1) -> dict[str, str]:
        return dict(self.requests[index].url.params)

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


def settings(family: ApiFamily, **changes: Any) -> ConnectionSettings:
    base: dict[str, Any] = {
        "url": "https://bk.example.com/api/bk-job/prod",
        "family": family,
        "scope_type": ScopeType.BIZ,
        "scope_id": "2",
        "credentials": CREDS,
    }
    base.update(changes)
    return ConnectionSettings(**base)
