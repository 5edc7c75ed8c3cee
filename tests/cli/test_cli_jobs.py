"""`jobtui jobs`, `watch --follow-newest` and plain `jobtui`: flag handling and routing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from jobtui import cli
from jobtui.api.settings import ConnectionSettings
from tests.support.usage import usage_error

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []

    def fake_jobs_app(settings: ConnectionSettings, options: object, clock: object = None) -> int:
        seen.append(options)
        return 0

    def fake_monitor(settings: ConnectionSettings, options: object) -> int:
        seen.append(("monitor", options))
        return 0

    monkeypatch.setattr(cli, "_jobs_app", fake_jobs_app)
    monkeypatch.setattr(cli, "_monitor", fake_monitor)
    return seen


def test_jobs_flags_become_options(launched: list[object]) -> None:
    argv = ["jobs", "--since", "7d", "--status", "2,4", "--operator", "bob", "--name", "deploy"]
    assert cli.main([*argv, "--follow-newest", "--notify", "--bell"]) == 0
    options = launched[0]
    assert options.since == timedelta(days=7)  # type: ignore[attr-defined]
    assert options.statuses == (2, 4)  # type: ignore[attr-defined]
    assert (options.operator, options.name) == ("bob", "deploy")  # type: ignore[attr-defined]
    assert options.follow_newest and options.notify and options.bell  # type: ignore[attr-defined]
    assert options.open_job is None  # type: ignore[attr-defined]


def test_jobs_interval_is_the_lists_and_watch_interval_the_monitors(
    launched: list[object],
) -> None:
    assert cli.main(["jobs"]) == 0
    assert cli.main(["jobs", "--interval", "7", "--watch-interval", "3"]) == 0
    default, given = launched
    assert (default.interval, default.watch_interval) == (5.0, 2.0)  # type: ignore[attr-defined]
    assert (given.interval, given.watch_interval) == (7.0, 3.0)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["jobs", "--since", "40d"], "at most 30 days"),
        (["jobs", "--since", "soon"], "argument --since: expected a number"),
        (["jobs", "--status", "runing"], "unknown job status"),
    ],
)
def test_jobs_bad_flags_are_one_line_usage_errors(
    argv: list[str], message: str, launched: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    assert message in usage_error(capsys.readouterr().err, "jobs")  # checked while parsing
    assert launched == []


def test_the_config_files_wall_settings_reach_the_wall(
    launched: list[object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('wall_failure_window = "2h"\nwall_failed_cards = 3\n', encoding="utf-8")
    monkeypatch.setenv("JOBTUI_CONFIG", str(cfg))
    assert cli.main(["jobs"]) == 0
    assert cli.main(["watch", "5", "--follow-newest"]) == 0
    for options in launched:
        wall = options.wall  # type: ignore[attr-defined]
        assert (wall.recent_failure, wall.max_failed) == (timedelta(hours=2), 3)
        assert wall.limit == 48


def test_a_bad_wall_setting_is_one_line_and_no_screen(
    launched: list[object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('wall_failure_window = "half an hour"\n', encoding="utf-8")
    monkeypatch.setenv("JOBTUI_CONFIG", str(cfg))
    assert cli.main(["jobs"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"jobtui: error: wall_failure_window must be a time like 30m, 2h or 1d ({cfg})"
    )
    assert launched == []


def test_watch_follow_newest_opens_the_job_inside_the_job_list(launched: list[object]) -> None:
    assert cli.main(["watch", "77", "--follow-newest"]) == 0
    options = launched[0]
    assert options.open_job == 77 and options.follow_newest  # type: ignore[attr-defined]


def test_plain_watch_opens_only_the_monitor(launched: list[object]) -> None:
    assert cli.main(["watch", "77"]) == 0
    kind, options = launched[0]  # type: ignore[misc]
    assert kind == "monitor" and options.job_instance_id == 77


def test_plain_jobtui_with_a_configured_scope_opens_the_job_list(launched: list[object]) -> None:
    assert cli.main([]) == 0
    assert launched[0].open_job is None  # type: ignore[attr-defined]


def test_plain_jobtui_without_configuration_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, launched: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("JOBTUI_URL")  # the scope id is still set: name what is missing
    assert cli.main([]) == 2
    assert capsys.readouterr().err.startswith("jobtui: error: no bk-job URL")
    assert launched == []


def test_watch_notify_stays_in_the_monitor_with_desktop_notifications(
    launched: list[object], tmp_path: Path
) -> None:
    assert cli.main(["watch", "77", "--notify", "--save-dir", str(tmp_path / "logs")]) == 0
    kind, options = launched[0]  # type: ignore[misc]
    assert kind == "monitor" and options.notify
    assert options.save_dir == tmp_path / "logs"


def test_save_dir_reaches_the_monitors_of_the_job_list(
    launched: list[object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert cli.main(["jobs", "--save-dir", "/tmp/x"]) == 0
    assert launched[0].save_dir == Path("/tmp/x")  # type: ignore[attr-defined]
    assert cli.main(["watch", "5"]) == 0
    _, options = launched[1]  # type: ignore[misc]
    # Not ./jobtui-logs in the current directory (a clone's git status): the data dir.
    assert options.save_dir == tmp_path / "data" / "jobtui" / "logs" and not options.notify
    assert cli.main(["jobs"]) == 0
    assert launched[2].save_dir == tmp_path / "data" / "jobtui" / "logs"  # type: ignore[attr-defined]
