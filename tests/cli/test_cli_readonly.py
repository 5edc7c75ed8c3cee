"""Read-only mode reaches every full-screen command: flag, environment and profile, each
named as the cause (the refusal names it, and the demo has no profile to blame)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobtui import cli
from jobtui.api.settings import ConnectionSettings
from jobtui.core.readonly import ReadOnly

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []

    def fake_jobs_app(settings: ConnectionSettings, options: object) -> int:
        seen.append(options)
        return 0

    def fake_monitor(settings: ConnectionSettings, options: object) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(cli, "_jobs_app", fake_jobs_app)
    monkeypatch.setattr(cli, "_monitor", fake_monitor)
    return seen


@pytest.mark.parametrize("argv", [["watch", "7"], ["watch", "7", "--follow-newest"], ["jobs"]])
def test_flag_reaches_the_screens_and_the_header(launched: list[object], argv) -> None:
    assert cli.main([*argv, "--readonly"]) == 0
    options = launched[0]
    assert options.readonly is ReadOnly.FLAG  # type: ignore[attr-defined]
    assert options.title.endswith(" · read-only")  # type: ignore[attr-defined]
    audit = options.audit  # type: ignore[attr-defined]
    assert audit.user == "alice" and audit.profile == "default"
    assert audit.url == "http://127.0.0.1:9"


def test_environment_and_profile(
    launched: list[object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JOBTUI_READONLY", "1")
    assert cli.main(["jobs"]) == 0
    assert launched[-1].readonly is ReadOnly.ENV  # type: ignore[attr-defined]
    monkeypatch.setenv("JOBTUI_READONLY", "0")
    assert cli.main(["jobs"]) == 0
    assert launched[-1].readonly is None  # type: ignore[attr-defined]
    assert "read-only" not in launched[-1].title  # type: ignore[attr-defined]
    monkeypatch.delenv("JOBTUI_READONLY")
    config = tmp_path / "config.toml"
    config.write_text("[profiles.wall]\nreadonly = true\n")
    wall = ["--config", str(config), "--profile", "wall"]
    assert cli.main(["watch", "7", *wall]) == 0
    assert launched[-1].readonly is ReadOnly.PROFILE  # type: ignore[attr-defined]
    # the cause is the layer that won: the flag, then the variable, then the profile
    assert cli.main(["watch", "7", *wall, "--readonly"]) == 0
    assert launched[-1].readonly is ReadOnly.FLAG  # type: ignore[attr-defined]
    monkeypatch.setenv("JOBTUI_READONLY", "yes")
    assert cli.main(["watch", "7", *wall]) == 0
    assert launched[-1].readonly is ReadOnly.ENV  # type: ignore[attr-defined]
    assert cli.main(["watch", "7", *wall, "--readonly"]) == 0
    assert launched[-1].readonly is ReadOnly.FLAG  # type: ignore[attr-defined]
    monkeypatch.setenv("JOBTUI_READONLY", "0")
    assert cli.main(["watch", "7", *wall]) == 0
    assert launched[-1].readonly is None  # type: ignore[attr-defined]


def test_demo_is_read_only_by_flag_or_variable_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo reads no config file: its cause is never the profile."""
    parser = cli.build_parser()
    monkeypatch.delenv("JOBTUI_READONLY", raising=False)
    assert cli._demo_readonly(parser.parse_args(["demo"])) is None
    assert cli._demo_readonly(parser.parse_args(["demo", "--readonly"])) is ReadOnly.FLAG
    monkeypatch.setenv("JOBTUI_READONLY", "1")
    assert cli._demo_readonly(parser.parse_args(["demo"])) is ReadOnly.ENV
    assert cli._demo_readonly(parser.parse_args(["demo", "--readonly"])) is ReadOnly.FLAG
