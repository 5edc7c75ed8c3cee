"""Which notices a new job snapshot deserves: transitions only, never repeats.

Comparing the previous and the new ``Job`` (not the current state alone) is what
keeps a failed job from toasting on every poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jobtui.api.catalog import FAILED_RUN_STATUSES, PERSON_WAIT_STATUSES, run_status
from jobtui.api.models import Job
from jobtui.core.waits import needs_person, wait_text, waiting_step


class Level(StrEnum):
    """Mirrors Textual's notify severities without importing Textual."""

    INFO = "information"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Notice:
    """One toast: a title, a one-line message and how loud it is."""

    level: Level
    title: str
    message: str


def job_notices(old: Job | None, new: Job) -> list[Notice]:
    """Notices for what changed from ``old`` to ``new`` (none for the first snapshot)."""
    if old is None or old.job_instance_id != new.job_instance_id:
        return []
    notices = _step_notices(old, new)
    notices.extend(_job_level_notices(old, new))
    return notices


def _step_notices(old: Job, new: Job) -> list[Notice]:
    before = {step.step_instance_id: step for step in old.steps}
    notices: list[Notice] = []
    for step in new.steps:
        previous = before.get(step.step_instance_id)
        if previous is not None and previous.status == step.status:
            continue
        if step.status in FAILED_RUN_STATUSES:
            label = run_status(step.status).label
            notices.append(Notice(Level.ERROR, "Step failed", f"{step.name}: {label}"))
        elif needs_person(step.type, step.status):
            said = wait_text(step.type, step.status) or run_status(step.status).label
            notices.append(Notice(Level.WARNING, "Waiting for a person", f"{step.name}: {said}"))
    return notices


def _job_level_notices(old: Job, new: Job) -> list[Notice]:
    if new.status == old.status and new.finished == old.finished:
        return []
    label = run_status(new.status).label
    if new.finished and not old.finished:
        level = Level.ERROR if new.status in FAILED_RUN_STATUSES else Level.INFO
        return [Notice(level, "Job finished", f"{new.name}: {label}")]
    if old.finished and not new.finished:
        return [Notice(Level.INFO, "Job running again", f"{new.name}: {label}")]
    if new.status in PERSON_WAIT_STATUSES and not _any_step_waits(new, old):
        waits = waiting_step(new)
        said = (wait_text(waits.type, waits.status) if waits else None) or label
        return [Notice(Level.WARNING, "Waiting for a person", f"{new.name}: {said}")]
    return []


def _any_step_waits(new: Job, old: Job) -> bool:
    """True when a step-level waiting notice already covers the job's waiting state."""
    before = {step.step_instance_id: step.status for step in old.steps}
    return any(
        needs_person(step.type, step.status) and before.get(step.step_instance_id) != step.status
        for step in new.steps
    )
