"""A toast's few lines and the whole notice kept beside it."""

from __future__ import annotations

from datetime import UTC, datetime

from jobtui.core.notices import NoticeLog, hanging, toast_text

ERROR = (
    "get_job_instance_status: bk-job failed internally on this job (1240002): the v3 API "
    "cannot read a job whose targets are containers; use --api v4 "
    "(request id 7f3c2a9e-51b0-4d7e-9a4c-0c1d2e3f4a5b)"
)


def test_a_short_notice_is_shown_whole_within_the_width() -> None:
    text = toast_text("Saved 24 logs", 27)
    assert text == "Saved 24 logs"


def test_a_long_notice_wraps_then_is_cut_with_a_pointer_to_the_whole_text() -> None:
    text = toast_text(ERROR, 27, lines=5, more="(m: in full)")
    lines = text.splitlines()
    assert len(lines) == 5 and all(len(line) <= 27 for line in lines), lines
    assert lines[-1].endswith("… (m: in full)")
    assert "request id" not in text  # cut: the pointer says where it is
    whole = toast_text(ERROR, 60, lines=5, more="(m: in full)")
    assert "7f3c2a9e-51b0-4d7e-9a4c-0c1d2e3f4a5b" in whole.replace("\n", "")
    assert "…" not in whole  # room enough: nothing cut


def test_the_log_keeps_the_last_notices_whole() -> None:
    log = NoticeLog(maxlen=3)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(5):
        log.add(at, "error", f"{n}: {ERROR}")
    assert len(log) == 3
    assert [entry.text for entry in log] == [f"{n}: {ERROR}" for n in (2, 3, 4)]


def test_hanging_lines_go_on_under_the_text_column() -> None:
    lines = hanging("12:00:01 ERROR  ", ERROR, 50)
    assert all(len(line) <= 50 for line in lines)
    assert all(line.startswith(" " * 16) and line[16] != " " for line in lines[1:])


def test_ascii_mode_cuts_with_three_dots() -> None:
    text = toast_text(ERROR, 27, lines=2, more="(m: in full)", ellipsis="...")
    assert text.isascii() and text.endswith("... (m: in full)")
