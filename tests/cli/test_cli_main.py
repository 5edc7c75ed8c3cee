"""``jobtui.cli.main``: parsing, exit codes and the one-line error contract."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from jobtui import __version__, cli, status
from jobtui.api.errors import ConnectError, UnsupportedFilterError
from jobtui.api.settings import ConnectionSettings
from tests.support.usage import usage_error

CANARY = "canary-s3cret-PLUGH"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ambient configuration leaks into these tests."""
    for var in (
        "JOBTUI_URL",
        "JOBTUI_API",
        "JOBTUI_SCOPE_TYPE",
        "JOBTUI_SCOPE_ID",
        "JOBTUI_PROFILE",
        "JOBTUI_CONFIG",
        "BK_APP_CODE",
        "BK_APP_SECRET",
        "BK_USERNAME",
        "BK_TOKEN",
        "BK_ACCESS_TOKEN",
        "JOBTUI_DEBUG",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BK_APP_CODE", "app")
    monkeypatch.setenv("BK_APP_SECRET", CANARY)
    monkeypatch.setenv("BK_USERNAME", "alice")


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("jobtui: error: ")
    assert "Traceback" not in err
    return lines[0]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"jobtui {__version__}"


@pytest.mark.parametrize("command", ["watch", "jobs", "status", "sim", "demo"])
def test_every_command_has_help_with_examples(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, "--help"]) == 0
    assert "examples:" in capsys.readouterr().out


def test_status_help_lists_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["status", "--help"])
    out = capsys.readouterr().out
    for code in ("0 ", "1 ", "2 ", "3 ", "4 ", "130"):
        assert f"  {code}" in out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["status"],
        ["status", "abc"],
        ["status", "-5"],
        ["status", "1", "--api", "v9"],
        ["watch", "1", "--status", "9,x"],
        ["watch", "1", "--interval", "0"],
        ["watch", "1", "--interval", "0.5"],  # below the monitor's 1 s: refused, not clamped
        ["jobs", "--interval", "3600"],
        ["status", "1", "--interval", "61"],
        ["watch", "1", "--batch", "-1"],
        ["sim", "--port", "70000"],
        ["status", "1", "--jso"],  # no abbreviations
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobtui: error: ") and len(err.splitlines()) <= 2, err
    assert "usage:" not in err  # one line and a --help hint, not argparse's block
    assert "Traceback" not in err


def test_watch_builds_options_from_flags(monkeypatch: pytest.MonkeyPatch, creds: None) -> None:
    seen: dict[str, object] = {}

    def fake_monitor(settings: ConnectionSettings, options: object) -> int:
        seen["settings"], seen["options"] = settings, options
        return 0

    monkeypatch.setattr(cli, "_monitor", fake_monitor)
    monkeypatch.setattr(cli, "_require_terminal", lambda: None)
    argv = [
        "watch",
        "1001",
        "--url",
        "https://job.example.com/",
        "--scope-id",
        "2",
        "--api",
        "jobv3",
        "--interval",
        "3",
        "--step",
        "77",
        "--status",
        "104,103",
        "--tag",
        "disk full",
        "--batch",
        "0",
        "--search-ip",
        "10.0.",
        "--keyword",
        "ERROR",
        "--execute-count",
        "1",
        "--bell",
        "--ascii",
    ]
    assert cli.main(argv) == 0
    options = seen["options"]
    settings = seen["settings"]
    assert isinstance(settings, ConnectionSettings)
    assert settings.url == "https://job.example.com"
    assert options.job_instance_id == 1001  # type: ignore[attr-defined]
    assert options.interval == 3.0  # type: ignore[attr-defined]
    assert options.step_instance_id == 77  # type: ignore[attr-defined]
    assert options.bell and options.ascii_only  # type: ignore[attr-defined]
    assert "jobv3" in options.title  # type: ignore[attr-defined]
    flt = options.filter  # type: ignore[attr-defined]
    assert flt.statuses == (104, 103) and flt.tag == "disk full" and flt.batch == 0
    assert flt.search_ip == "10.0." and flt.keyword == "ERROR" and flt.execute_count == 1


def test_watch_without_terminal_is_a_clear_error(
    creds: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["watch", "1", "--url", "https://x.example.com", "--scope-id", "2"])
    assert code == 2
    assert "needs a terminal" in one_error_line(capsys.readouterr().err)


def test_config_error_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status", "1", "--scope-id", "2"]) == 2
    assert "no bk-job URL" in one_error_line(capsys.readouterr().err)


def test_insecure_prints_a_warning(
    monkeypatch: pytest.MonkeyPatch, creds: None, capsys: pytest.CaptureFixture[str]
) -> None:
    async def fake_status(settings: ConnectionSettings, options: object) -> int:
        assert settings.verify is False
        return 0

    monkeypatch.setattr(status, "run_status", fake_status)
    argv = ["status", "1", "--url", "https://x.example.com", "--scope-id", "2", "--insecure"]
    assert cli.main(argv) == 0
    assert "jobtui: warning: TLS certificate verification is OFF" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "code", "fragment"),
    [
        (ConnectError(f"cannot connect to x (token {CANARY})"), 3, "cannot connect"),
        (UnsupportedFilterError("batch is not supported by v2"), 2, "not supported"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (RuntimeError(f"boom \x1b[2J {CANARY}"), 70, "JOBTUI_DEBUG=1"),
    ],
)
def test_errors_map_to_exit_codes_with_one_safe_line(
    monkeypatch: pytest.MonkeyPatch,
    creds: None,
    capsys: pytest.CaptureFixture[str],
    error: BaseException,
    code: int,
    fragment: str,
) -> None:
    async def failing(settings: ConnectionSettings, options: object) -> int:
        raise error

    monkeypatch.setattr(status, "run_status", failing)
    argv = ["status", "1", "--url", "https://x.example.com", "--scope-id", "2"]
    assert cli.main(argv) == code
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert fragment in line
    assert CANARY not in captured.err + captured.out
    assert "\x1b" not in line


def test_debug_env_shows_traceback_for_unexpected_errors(
    monkeypatch: pytest.MonkeyPatch, creds: None, capsys: pytest.CaptureFixture[str]
) -> None:
    async def failing(settings: ConnectionSettings, options: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(status, "run_status", failing)
    monkeypatch.setenv("JOBTUI_DEBUG", "1")
    assert cli.main(["status", "1", "--url", "https://x.example.com", "--scope-id", "2"]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_sim_passes_its_options_to_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    server = pytest.importorskip("jobtui.sim.server")
    seen: list[tuple[object, str, int]] = []
    monkeypatch.setattr(
        server, "serve", lambda config, host, port: seen.append((config, host, port))
    )
    argv = ["sim", "--port", "9000", "--scenario", "scale", "--hosts", "500", "--speed", "3"]
    assert cli.main(argv) == 0
    config, host, port = seen[0]
    assert (host, port) == ("127.0.0.1", 9000)
    assert config.scenario == "scale" and config.hosts == 500  # type: ignore[attr-defined]
    assert config.speed == 3.0 and config.demo_loop  # type: ignore[attr-defined]
    # Jobs keep coming as in the demo (issue 15: --follow-newest needs a second job) ...
    assert cli.main(["sim", "--once"]) == 0
    assert not seen[1][0].demo_loop  # type: ignore[attr-defined]  # ... unless --once


def test_sim_rejects_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("jobtui.sim.config")
    assert cli.main(["sim", "--scenario", "nope"]) == 2
    assert "unknown scenario 'nope'" in usage_error(capsys.readouterr().err, "sim")


def test_demo_manual_does_not_follow_the_newest_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """`demo --manual`: the failed step waits for the user, so nothing switches away from it."""
    pytest.importorskip("jobtui.sim.server")
    seen: dict[str, object] = {}

    def fake_jobs_app(settings: ConnectionSettings, options: object, clock: object = None) -> int:
        seen["options"] = options
        return 0

    monkeypatch.setattr(cli, "_jobs_app", fake_jobs_app)
    monkeypatch.setattr(cli, "_require_terminal", lambda: None)
    assert cli.main(["demo", "--manual"]) == 0
    options = seen["options"]
    assert not options.follow_newest  # type: ignore[attr-defined]
    assert options.open_job is not None  # type: ignore[attr-defined]  # still its job


def test_demo_watches_the_simulators_job_and_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    server = pytest.importorskip("jobtui.sim.server")
    started: list[object] = []
    real_start = server.start_in_thread

    def recording_start(config: object, host: str, port: int = 0) -> object:
        running = real_start(config, host, port)
        started.append(running)
        return running

    seen: dict[str, object] = {}

    def fake_jobs_app(settings: ConnectionSettings, options: object, clock: object = None) -> int:
        seen["settings"], seen["options"], seen["clock"] = settings, options, clock
        return 0

    monkeypatch.setattr(server, "start_in_thread", recording_start)
    monkeypatch.setattr(cli, "_jobs_app", fake_jobs_app)
    monkeypatch.setattr(cli, "_require_terminal", lambda: None)
    assert cli.main(["demo", "--seed", "3", "--speed", "3"]) == 0
    running = started[0]
    settings = seen["settings"]
    assert isinstance(settings, ConnectionSettings)
    assert settings.url == running.url  # type: ignore[attr-defined]
    assert settings.url.startswith("http://127.0.0.1:")
    demo_id = running.app.world.demo_job_id()  # type: ignore[attr-defined]
    options = seen["options"]
    assert options.open_job == demo_id  # type: ignore[attr-defined]
    assert options.follow_newest  # type: ignore[attr-defined]  # the demo never goes stale
    assert running.app.config.demo_loop  # type: ignore[attr-defined]
    # --speed: the monitor counts elapsed time in the simulator's time, as its stamps are
    clock = seen["clock"]
    assert callable(clock)
    sim_now = running.app.clock.now()  # type: ignore[attr-defined]
    assert abs(clock().timestamp() - sim_now) < 0.5
    with pytest.raises(httpx.ConnectError):  # the simulator was stopped on exit
        httpx.get(settings.url + "/api/v3/get_job_instance_status", timeout=2)


@pytest.mark.parametrize("command", ["watch", "jobs", "status"])
def test_interval_help_gives_the_range(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([command, "--help"]) == 0
    assert "1-60" in " ".join(capsys.readouterr().out.split())


def test_interval_out_of_range_in_the_config_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], creds: None
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('url = "http://bk"\nscope_id = 2\ninterval = 0.5\n')
    assert cli.main(["status", "1", "--config", str(path)]) == 2
    assert "interval must be between 1 and 60 seconds" in one_error_line(capsys.readouterr().err)


def test_plain_jobtui_with_a_broken_config_shows_the_toml_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "xdg" / "jobtui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('url = "http://bk\n')
    assert cli.main([]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "invalid TOML" in line and str(config) in line


def test_plain_jobtui_without_config_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "no server configured" in line and "'jobtui demo'" in line
