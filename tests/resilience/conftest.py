"""Shared rig for the resilience tests: canary secrets, clients, the CLI in-process."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import httpx
import pytest

from jobtui import cli
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


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """Credentials (the canaries) in the environment; no user config file is read."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in ("JOBTUI_CONFIG", "JOBTUI_PROFILE", "JOBTUI_URL", "JOBTUI_API", "BK_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BK_APP_CODE", "jobtui")
    monkeypatch.setenv("BK_APP_SECRET", CANARY)
    monkeypatch.setenv("BK_TOKEN", TOKEN_CANARY)
    monkeypatch.delenv("BK_ACCESS_TOKEN", raising=False)


@pytest.fixture
def run_cli(cli_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., CliRun]]:
    """``jobtui …`` in-process; ``transport`` (if given) replaces the network."""

    def run(argv: list[str], transport: httpx.AsyncBaseTransport | None = None) -> CliRun:
        if transport is not None:
            real = factory.make_client

            def patched(s: ConnectionSettings, **_: object) -> JobApi:
                return real(s, transport=transport)

            monkeypatch.setattr(factory, "make_client", patched)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(argv)
        return CliRun(code, out.getvalue(), err.getvalue())

    yield run
    sys.stdout.flush()


def assert_one_error_line(run: CliRun) -> None:
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("jobtui: error: ")
    assert "Traceback" not in run.err and "<html" not in run.err.lower()
    for secret in CANARIES:
        assert secret not in run.err and secret not in run.out
