"""Status 7, one name per situation on every screen and in ``jobtui status``.

A confirmation step waiting and a manual rolling pause are both status 7
(``JobListener.nextStep``) but different situations: each keeps its own name,
the same in the header, the tree, the groups, the wall and ``status``; a job
list row, which does not know the step, says "Waiting for a person".
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobtui.api.catalog import run_status
from jobtui.api.models import Block, Job, JobSummary, Step, StepResult
from jobtui.core.snapshot import step_rows
from jobtui.core.stepcard import selection_labels
from jobtui.core.summary import job_document, progress_lines
from jobtui.tui.widgets.header import HeaderState, job_line
from jobtui.tui.widgets.job_card import card_data, card_text
from jobtui.tui.widgets.job_list import status_text
from jobtui.tui.widgets.step_tree import LabelStyle, row_label

NOW = datetime(2025, 11, 13, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("step_type", "name"),
    [(3, "Waiting for confirmation"), (1, "Rolling pause"), (2, "Rolling pause")],
)
def test_one_name_for_each_wait_everywhere(step_type: int, name: str) -> None:
    steps = (Step(11, "done", 1, 3), Step(12, "waits", step_type, 7), Step(13, "next", 1, 1))
    job = Job(1, "deploy", 7, False, blocks=(Block(None, 1, steps, implicit=True),))
    header = job_line(HeaderState(job_instance_id=1, job=job, now=NOW)).plain
    assert name.upper() in header
    row = next(r for r in step_rows(job, {}, NOW) if r.step_instance_id == 12)
    assert name.upper() in row_label(row, LabelStyle()).plain
    result = StepResult(
        step_instance_id=12, name="waits", type=step_type, status=7, execute_count=0, groups=()
    )
    groups = " · ".join(selection_labels(result))
    if step_type != 3:  # a confirmation step's card says it in its own sentence
        assert name.lower() in groups, groups
    card = card_text(card_data(JobSummary(1, "deploy", 7), job, None, NOW)).plain
    assert name in card
    document = job_document(job, NOW)
    assert document["job"]["status_label"] == name
    assert [s["status_label"] for s in document["steps"]][1] == name
    assert any(line.endswith(f"deploy: {name}") for line in progress_lines(None, job, NOW))
    assert any(f"waits: {name}" in line for line in progress_lines(None, job, NOW))


def test_where_the_step_is_not_known_status_7_waits_for_a_person() -> None:
    assert run_status(7).label == "Waiting for a person"
    assert "Waiting for a person" in status_text(7).plain  # a job list row
