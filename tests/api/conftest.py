"""Fixtures for the api tests: a fake server and clients on it (helpers: tests/support/api.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily
from tests.support.api import Server, settings


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
async def client_for(server: Server) -> AsyncIterator[Callable[..., JobApi]]:
    built: list[JobApi] = []

    def build(family: ApiFamily, **changes: Any) -> JobApi:
        client = make_client(
            settings(family, **changes), transport=httpx.MockTransport(server.handle)
        )
        built.append(client)
        return client

    yield build
    for client in built:
        await client.aclose()
