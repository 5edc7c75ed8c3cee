"""Command-line mistakes: one line naming the command, a hint, exit 2, checked first.

One test per finding of the command-line review: argparse's usage block and
``jobtui demo: error:`` prefix, ``act --readonly`` reported as the top-level
command's, ``demo --scenario nope`` answered with "needs a terminal", plain
``jobtui`` without configuration, numeric options without a range.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jobtui import cli
from tests.support.usage import usage_error


@pytest.fixture(autouse=True)
def no_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing of the developer's: no config file, no connection variables."""
    for var in (
        "JOBTUI_URL",
        "JOBTUI_API",
        "JOBTUI_SCOPE_TYPE",
        "JOBTUI_SCOPE_ID",
        "JOBTUI_PROFILE",
        "JOBTUI_CONFIG",
        "JOBTUI_READONLY",
        "BK_APP_CODE",
        "BK_APP_SECRET",
        "BK_USERNAME",
        "BK_TOKEN",
        "BK_ACCESS_TOKEN",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.mark.parametrize(
    "argv",
    [
        ["watch", "1", "--bogus"],
        ["jobs", "--bogus"],
        ["status", "1", "--bogus"],
        ["act", "1", "confirm", "--bogus"],
        ["sim", "--bogus"],
        ["demo", "--bogus"],
    ],
)
def test_unknown_flag_is_one_line_naming_the_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    message = usage_error(capsys.readouterr().err, argv[0])
    assert message == "unrecognized arguments: --bogus"


@pytest.mark.parametrize(
    ("argv", "command", "words"),
    [
        (["watch"], "watch", "required: JOB_INSTANCE_ID"),
        (["status", "x"], "status", "not a whole number: 'x'"),
        (["act", "1", "approve"], "act", "invalid choice: 'approve'"),
        (["jobs", "--since", "soon"], "jobs", "argument --since"),
        (["sim", "--port", "x"], "sim", "argument --port"),
        (["demo", "--speed"], "demo", "expected one argument"),
        (["frobnicate"], None, "invalid choice: 'frobnicate'"),
        (["--bogus"], None, "unrecognized arguments: --bogus"),
    ],
)
def test_every_usage_error_has_the_same_one_line_shape(
    argv: list[str], command: str | None, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    assert words in usage_error(capsys.readouterr().err, command)


@pytest.mark.parametrize(
    "argv", [["act", "--readonly", "1", "confirm"], ["act", "1", "confirm", "--readonly"]]
)
def test_act_readonly_is_reported_as_acts_mistake(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    assert usage_error(capsys.readouterr().err, "act") == "unrecognized arguments: --readonly"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["demo", "--scenario", "nope"], "unknown scenario 'nope'"),
        (["demo", "--hosts", "0"], "argument --hosts"),
        (["demo", "--speed", "0"], "argument --speed"),
    ],
)
def test_demo_checks_its_arguments_before_the_terminal(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # pytest's stdin is no terminal: the old order said "needs a terminal" first.
    assert cli.main(argv) == 2
    message = usage_error(capsys.readouterr().err, "demo")
    assert words in message and "terminal" not in message


def test_demo_checks_jobtui_readonly_before_the_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOBTUI_READONLY", "maybe")
    assert cli.main(["demo"]) == 2
    err = capsys.readouterr().err
    assert err == "jobtui: error: readonly must be true or false (JOBTUI_READONLY)\n"


def test_plain_jobtui_without_configuration_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("jobtui: error: no server configured: ")
    assert "--url" in line and "--scope-id" in line and "'jobtui demo'" in line
    assert "config.toml" in line and "a command is required" not in line


def test_plain_jobtui_with_only_part_of_a_configuration_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOBTUI_SCOPE_ID", "2")  # the user began: say what is missing
    assert cli.main([]) == 2
    assert capsys.readouterr().err.startswith("jobtui: error: no bk-job URL")


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["status", "1", "--timeout", "0"], "--timeout"),
        (["status", "1", "--timeout", "-3"], "--timeout"),
        (["status", "1", "--timeout", "nan"], "--timeout"),
        (["watch", "1", "--timeout", "inf"], "--timeout"),
        (["jobs", "--timeout", "0.1"], "--timeout"),
        (["act", "1", "confirm", "--timeout", "0"], "--timeout"),
        (["act", "1", "confirm", "--interval", "0.1"], "--interval"),
        (["act", "1", "confirm", "--interval", "nan"], "--interval"),
        (["jobs", "--watch-interval", "-1"], "--watch-interval"),
        (["demo", "--speed", "nan"], "--speed"),
        (["sim", "--speed", "-1"], "--speed"),
        (["sim", "--hosts", "50001"], "--hosts"),
        (["demo", "--hosts", "-2"], "--hosts"),
        (["sim", "--port", "-1"], "--port"),
        (["sim", "--port", "65536"], "--port"),
        (["jobs", "--since", "0h"], "--since"),
        (["jobs", "--since", "-2h"], "--since"),
        (["jobs", "--since", "31d"], "--since"),
        (["watch", "1", "--batch", "-1"], "--batch"),
        (["watch", "1", "--execute-count", "-1"], "--execute-count"),
        (["watch", str(2**63)], "JOB_INSTANCE_ID"),
    ],
)
def test_numeric_options_are_refused_outside_their_range(
    argv: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    assert f"argument {option}" in usage_error(capsys.readouterr().err, argv[0])


@pytest.mark.parametrize(
    ("command", "option", "words"),
    [
        ("status", "--timeout", "0.5-600"),
        ("watch", "--timeout", "0.5-600"),
        ("act", "--interval", "1-60"),
        ("demo", "--speed", "0.1-10000"),
        ("sim", "--hosts", "1-50000"),
        ("sim", "--port", "0-65535"),
        ("jobs", "--since", "at most 30d"),
    ],
)
def test_help_states_each_numeric_options_range(
    command: str, option: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, "--help"]) == 0
    options = capsys.readouterr().out.split("examples:")[0]  # not the epilog's examples
    text = " ".join(options.split())
    after = text[text.rindex(f"{option} ") :]  # its line under "options:"
    assert words in after[:160], after[:160]


def test_timeout_range_is_the_config_files(tmp_path: Path) -> None:
    """One truth: the flag and the file's ``timeout`` refuse and accept the same values."""
    from jobtui import config
    from jobtui.api.errors import ConfigError

    base = {"url": "http://127.0.0.1:9", "scope_id": "2", "app_code": "a", "app_secret": "sss"}
    base["username"] = "alice"
    for value in ("0.4", "0.5", "600", "601"):
        flag_ok = True
        try:
            cli._timeout(value)
        except Exception:
            flag_ok = False
        file = tmp_path / f"c{value}.toml"
        file.write_text("".join(f'{k} = "{v}"\n' for k, v in base.items()) + f"timeout = {value}\n")
        try:
            config.load({"config": str(file)}, {})
            file_ok = True
        except ConfigError:
            file_ok = False
        assert flag_ok == file_ok == (0.5 <= float(value) <= 600), value
