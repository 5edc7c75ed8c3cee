"""The job summary: outcome table, host counts, text alignment, JSON schema, sanitising."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from jobtui.api.models import Step
from jobtui.core.summary import (
    EXIT_CODES,
    HostCounts,
    Outcome,
    cell_width,
    counts_document,
    fit,
    format_duration,
    host_counts,
    job_document,
    outcome,
    render_text,
)
from tests.support.fakes import T0, hosts, later, make_job


@pytest.mark.parametrize(
    ("status", "expected", "code"),
    [
        (3, Outcome.SUCCESS, 0),
        (5, Outcome.SUCCESS, 0),
        (6, Outcome.SUCCESS, 0),
        (4, Outcome.FAILED, 1),
        (8, Outcome.FAILED, 1),
        (9, Outcome.FAILED, 1),
        (11, Outcome.FAILED, 1),
        (13, Outcome.FAILED, 1),
        (14, Outcome.FAILED, 1),
        (7, Outcome.NEEDS_PERSON, 4),
        (15, Outcome.RUNNING, 0),  # next rolling batch starting: no person (JobListener)
        (1, Outcome.RUNNING, 0),
        (2, Outcome.RUNNING, 0),
        (10, Outcome.RUNNING, 0),
    ],
)
def test_outcome_and_exit_code_table(status: int, expected: Outcome, code: int) -> None:
    job = make_job(status)
    assert outcome(job) is expected
    assert EXIT_CODES[outcome(job)] == code


def test_unknown_status_counts_as_failed_only_once_finished() -> None:
    assert outcome(make_job(99, finished=True)) is Outcome.FAILED
    assert outcome(make_job(99, finished=False)) is Outcome.RUNNING


def test_host_counts_bucket_like_the_web_ui() -> None:
    counts = host_counts(hosts(9, 3, 7, 5, 5, 104, 1, 0, 12345))
    assert counts == HostCounts(ok=2, failed=4, running=1, waiting=2)
    assert counts.total == 9
    assert counts_document(host_counts(())) == {
        "ok": 0,
        "failed": 0,
        "running": 0,
        "waiting": 0,
        "total": 0,
    }


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (0.25, "0.2s"),  # the monitor's format: one decimal below 10 s
        (4.26, "4.3s"),
        (12.34, "12s"),
        (245, "4m05s"),
        (7380, "2h03m"),
        (3 * 86400 + 4 * 3600, "3d04h"),
    ],
)
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def test_json_document_schema() -> None:
    doc = job_document(make_job(2), later(65))
    assert set(doc) == {"schema_version", "job", "steps", "outcome", "exit_code"}
    assert doc["schema_version"] == 2
    assert doc["outcome"] == "running" and doc["exit_code"] == 0
    job = doc["job"]
    assert set(job) == {
        "job_instance_id",
        "name",
        "status",
        "status_label",
        "finished",
        "operator",
        "launch_mode",
        "launch_mode_label",
        "start_time",
        "end_time",
        "elapsed_seconds",
    }
    assert job["status_label"] == "Running"
    assert job["launch_mode_label"] == "web"
    assert job["elapsed_seconds"] == 65.0  # running, no total yet: time since start
    assert job["start_time"] == T0.isoformat()
    first, second, third = doc["steps"]
    assert set(first) == {
        "step_instance_id",
        "name",
        "type",
        "type_label",
        "status",
        "status_label",
        "retry_count",
        "start_time",
        "end_time",
        "elapsed_seconds",
        "hosts",
        "targets",
    }
    assert first["hosts"] == {"ok": 3, "failed": 0, "running": 0, "waiting": 0, "total": 3}
    assert first["targets"] == {"host": 3, "container": 0}
    assert first["elapsed_seconds"] == 4.2
    assert second["retry_count"] == 1 and second["type_label"] == "file"
    assert second["hosts"]["running"] == 1 and second["hosts"]["waiting"] == 1
    assert third["type_label"] == "confirm" and third["elapsed_seconds"] is None
    json.dumps(doc)  # serialisable as is


def test_text_has_header_and_aligned_step_rows() -> None:
    text = render_text(make_job(4, total=125.0), later(999), ZoneInfo("Asia/Shanghai"))
    lines = text.splitlines()
    assert "nightly deploy" in lines[0] and "(id 1001)" in lines[0]
    assert "Failed" in lines[1]
    assert "admin" in lines[2] and "web" in lines[2]
    assert "2025-11-13 10:00:00" in lines[3]  # 02:00 UTC shown in the configured zone
    assert "2m05s" in lines[3]
    table = lines[5:]
    assert table[0].split() == [
        "#",
        "STEP",
        "TYPE",
        "STATUS",
        "RETRY",
        "OK",
        "FAILED",
        "RUNNING",
        "WAITING",
    ]
    assert table[1].split()[-4:] == ["3", "0", "0", "0"]
    # right-aligned numeric columns end in the same cell on every row
    ends = {cell_width(line) for line in table}
    assert len(ends) == 1


def test_wide_names_keep_columns_aligned() -> None:
    steps = (Step(1, "部署应用程序", 1, 3, hosts=hosts(9)), Step(2, "ok", 1, 3, hosts=hosts(9)))
    lines = render_text(make_job(3, steps=steps), later(1)).splitlines()[5:]
    type_columns = {cell_width(line.split("script")[0]) for line in lines[1:]}
    assert len(type_columns) == 1


HOSTILE = "evil\x1b]52;c;cGF3bmVk\x07name\x1b[2J\x1b[?1049h\x9b31m\x00\r\ndone\u202e"


def test_hostile_names_never_reach_output_raw() -> None:
    steps = (Step(1, HOSTILE, 1, 3, hosts=hosts(9)),)
    job = make_job(3, name=HOSTILE, steps=steps)
    for output in (
        render_text(job, later(1)),
        json.dumps(job_document(job, later(1)), ensure_ascii=False),
    ):
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
        assert "\x00" not in output and "\r" not in output and "\u202e" not in output
        assert "evil" in output


def test_long_names_are_cut() -> None:
    assert fit("x" * 100_000, 10) == "x" * 9 + "…"
    assert cell_width(fit("宽" * 50, 9)) <= 9
    text = render_text(make_job(3, name="n" * 100_000), later(1))
    assert max(len(line) for line in text.splitlines()) < 200


def test_fit_cuts_with_the_marks_in_use() -> None:
    from jobtui.core import sanitize

    assert fit("x" * 60, 10) == "x" * 9 + "…"
    sanitize.use_ascii(True)
    try:
        assert fit("x" * 60, 10) == "x" * 9 + "~"
    finally:
        sanitize.use_ascii(False)


@pytest.mark.parametrize(
    ("env", "ascii_marks"),
    [({"TERM": "linux", "LANG": "C.UTF-8"}, True), ({"TERM": "xterm", "LANG": "C"}, True),
     ({"TERM": "xterm-256color", "LANG": "C.UTF-8"}, False)],
)  # fmt: skip
def test_status_and_act_print_ascii_marks_where_the_terminal_needs_them(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], ascii_marks: bool
) -> None:
    from jobtui import cli
    from jobtui.core import sanitize

    for key in ("LC_ALL", "LC_CTYPE", "LANG", "TERM"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        cli._plain_text_marks()
        assert sanitize.marks().ascii is ascii_marks
    finally:
        sanitize.use_ascii(False)
