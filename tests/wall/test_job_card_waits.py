"""A wall card of a job at 7 says what the job waits for (JobListener.nextStep MANUAL
puts a script/file step and its job at 7; a confirmation step does the same)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from jobtui.api.models import Block, Job, JobSummary, Step
from jobtui.core.snapshot import HostCounts
from jobtui.tui.widgets.job_card import card_data, card_text

NOW = datetime(2025, 11, 13, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("step_type", "word"),
    [(1, "Rolling pause"), (2, "Rolling pause"), (3, "Waiting for confirmation")],
)
def test_card_of_a_job_at_7_names_its_wait(step_type: int, word: str) -> None:
    steps = (Step(11, "done", 1, 3), Step(12, "waits", step_type, 7), Step(13, "next", 1, 1))
    job = Job(1, "deploy", 7, False, blocks=(Block(None, 1, steps, implicit=True),))
    data = card_data(JobSummary(1, "deploy", 7), job, None, NOW)
    assert data.wait_word == word
    assert word in card_text(data).plain


def test_card_without_the_job_detail_keeps_the_status_label() -> None:
    data = card_data(JobSummary(1, "deploy", 7), None, None, NOW)
    assert data.wait_word == "" and "Waiting for a person" in card_text(data).plain


def test_a_waiting_cards_status_line_stays_on_one_row_with_its_time_and_elapsed() -> None:
    steps = (Step(11, "done", 1, 3), Step(12, "Confirm canary", 3, 7, start_time=NOW))
    job = Job(20102, "Release", 7, False, blocks=(Block(None, 1, steps, implicit=True),))
    job = replace(job, start_time=NOW)
    data = card_data(JobSummary(20102, "Release", 7), job, None, NOW + timedelta(seconds=137))
    line = card_text(data, width=49).plain.splitlines()[1]
    assert len(line) <= 49, line
    assert line.startswith("#20102  Waiting for") and line.endswith("since 02:00  2m17s"), line
    wide = card_text(data, width=80).plain.splitlines()[1]
    assert wide == "#20102  Waiting for confirmation since 02:00  2m17s"


def test_a_confirmation_steps_card_says_it_has_no_hosts_instead_of_counting_zeros() -> None:
    steps = (Step(11, "done", 1, 3), Step(12, "Confirm canary", 3, 7, start_time=NOW))
    job = Job(20102, "Release", 7, False, blocks=(Block(None, 1, steps, implicit=True),))
    data = card_data(JobSummary(20102, "Release", 7), job, HostCounts(), NOW)
    text = card_text(data).plain
    assert "no hosts (confirm step)" in text and "ok 0" not in text
