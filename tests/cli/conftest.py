"""Fixtures for the CLI tests run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobtui import cli


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A complete connection from the environment alone (a URL nobody listens on,
    a scope, credentials); no profile, config or state of the developer's is read
    or written, read-only mode is off, and no terminal is needed."""
    for var in ("JOBTUI_PROFILE", "JOBTUI_CONFIG", "BK_TOKEN", "BK_ACCESS_TOKEN", "JOBTUI_API"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("JOBTUI_READONLY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("JOBTUI_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("JOBTUI_SCOPE_ID", "2")
    monkeypatch.setenv("BK_APP_CODE", "app")
    monkeypatch.setenv("BK_APP_SECRET", "secret-value")
    monkeypatch.setenv("BK_USERNAME", "alice")
    monkeypatch.setattr(cli, "_require_terminal", lambda: None)
