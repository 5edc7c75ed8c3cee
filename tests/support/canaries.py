"""Canary secrets, settings and clients that carry them, and checks that they never leak."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from jobtui.api import factory
from jobtui.api.auth import Credentials
from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings

CANARY = "CANARY-s3cr3t-7f3a9c1d"
TOKEN_CANARY = "CANARY-t0ken-51be02aa"
CANARIES = (CANARY, TOKEN_CANARY)
FAMILIES = (ApiFamily.V3, ApiFamily.V4, ApiFamily.JOBV3, ApiFamily.V2)
URL = "http://sim"


def creds() -> Credentials:
    return Credentials("jobtui", CANARY, bk_token=TOKEN_CANARY)


def settings(family: ApiFamily, url: str = URL, **changes: object) -> ConnectionSettings:
    base: dict[str, object] = {
        "url": url,
        "family": family,
        "scope_id": "2",
        "credentials": creds(),
        "timezone": "UTC",
    }
    base.update(changes)
    return ConnectionSettings(**base)  # type: ignore[arg-type]


def client(family: ApiFamily, transport: httpx.AsyncBaseTransport, **changes: object) -> JobApi:
    return factory.make_client(settings(family, **changes), transport=transport)


def assert_clean_error(error: BaseException) -> None:
    """One readable line: no HTML, no newline, no secret, no raw control character."""
    assert isinstance(error, ApiError), type(error)
    text = str(error)
    assert text and "\n" not in text and "\r" not in text
    assert "<html" not in text.lower() and "</" not in text
    assert len(text) < 600
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text), repr(text)
    for secret in CANARIES:
        assert secret not in text and secret not in repr(error)


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def assert_one_error_line(run: CliRun) -> None:
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("jobtui: error: ")
    assert "Traceback" not in run.err and "<html" not in run.err.lower()
    for secret in CANARIES:
        assert secret not in run.err and secret not in run.out
