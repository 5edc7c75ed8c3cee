"""Wall cards: a running job with failed hosts is marked, a wait says since when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jobtui.api.models import Block, HostRef, HostResult, Job, JobSummary, Step
from jobtui.tui.widgets.job_card import card_data, card_text

NOW = datetime(2025, 11, 13, 10, 45, tzinfo=UTC)


def _host(n: int, status: int) -> HostResult:
    return HostResult(ref=HostRef(host_id=n, ip=f"10.0.0.{n}"), status=status)


def _job(status: int, steps: tuple[Step, ...]) -> Job:
    return Job(
        7, "deploy", status, False, blocks=(Block(None, 1, steps, implicit=True),),
        start_time=NOW - timedelta(minutes=5),
    )  # fmt: skip


def test_a_running_job_with_failed_hosts_gets_the_failed_mark() -> None:
    hosts = (_host(1, 9), _host(2, 104), _host(3, 104), _host(4, 7))
    job = _job(2, (Step(1, "deploy", 1, 2, hosts=hosts),))
    data = card_data(JobSummary(7, "deploy", 2), job, None, NOW)
    assert data.failed_hosts == 2
    text = card_text(data).plain
    assert "Running" in text and "✗ 2 failed" in text
    assert "x 2 failed" in card_text(data, ascii_only=True).plain
    healthy = _job(2, (Step(1, "deploy", 1, 2, hosts=(_host(1, 9), _host(2, 7))),))
    assert "failed" not in card_text(card_data(JobSummary(7, "x", 2), healthy, None, NOW)).plain


def test_a_job_waiting_for_a_person_says_since_when() -> None:
    began = datetime(2025, 11, 13, 10, 42, tzinfo=UTC)
    steps = (Step(1, "build", 1, 3), Step(2, "confirm", 3, 7, start_time=began))
    data = card_data(JobSummary(7, "deploy", 7), _job(7, steps), None, NOW)
    assert data.waiting_since == "10:42"
    assert "since 10:42" in card_text(data).plain
