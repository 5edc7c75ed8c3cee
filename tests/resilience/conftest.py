"""Fixtures for the resilience tests: the CLI in-process with canary credentials.

Helpers (canaries, settings, clients, error checks): tests/support/canaries.py.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout

import httpx
import pytest

from jobtui import cli
from jobtui.api import factory
from jobtui.api.base import JobApi
from jobtui.api.settings import ConnectionSettings
from tests.support.canaries import CANARY, TOKEN_CANARY, CliRun


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
