"""What a waiting step waits for, in words: a confirmation, a rolling pause, a batch.

bk-job has one status, 7 WAITING_USER, for two different waits: a confirmation
step (type 3) waiting for its confirmers, and a script/file step of a MANUAL
rolling job paused after a batch until someone continues it (op code 13;
``JobListener.nextStep``). Status 15 ROLLING_WAITING is neither: an automatic
rolling step sits at 15 for an instant before its next batch starts
(``GseStepEventHandler.onSuccess``), and a job is never at 15.
"""

from __future__ import annotations

from enum import StrEnum

from jobtui.api.catalog import run_status
from jobtui.api.models import CONFIRM_STEP_TYPE, Job, Step

WAITING_USER = 7
ROLLING_WAITING = 15


class Wait(StrEnum):
    CONFIRM = "confirm"  # a confirmation step waits for its confirmers
    ROLLING_PAUSE = "rolling pause"  # a manual rolling step waits to be continued
    NEXT_BATCH = "next batch"  # an automatic rolling step between batches (no person)


def step_wait(step_type: int, status: int) -> Wait | None:
    """What a step of this type at this status waits for, if anything."""
    if status == WAITING_USER:
        return Wait.CONFIRM if step_type == CONFIRM_STEP_TYPE else Wait.ROLLING_PAUSE
    if status == ROLLING_WAITING:
        return Wait.NEXT_BATCH
    return None


def needs_person(step_type: int, status: int) -> bool:
    return step_wait(step_type, status) in (Wait.CONFIRM, Wait.ROLLING_PAUSE)


#: One name per situation, on every screen and in ``jobtui status`` (docs/numbers.md,
#: "Status words"): a confirmation step waiting and a manual rolling pause are both
#: status 7 but different situations, so each has its name; where the step is not
#: known (a job list row) status 7 is "Waiting for a person" (the catalog's label).
WAIT_NAMES: dict[Wait, str] = {
    Wait.CONFIRM: "Waiting for confirmation",
    Wait.ROLLING_PAUSE: "Rolling pause",
    Wait.NEXT_BATCH: "Next batch starting",
}

#: The step tree's and header's loud word for each wait (``None``: nothing loud).
TREE_WORDS: dict[Wait, str | None] = {
    Wait.CONFIRM: WAIT_NAMES[Wait.CONFIRM].upper(),
    Wait.ROLLING_PAUSE: WAIT_NAMES[Wait.ROLLING_PAUSE].upper(),
    Wait.NEXT_BATCH: None,
}


def status_name(step_type: int | None, status: int) -> str:
    """A step's status in words: what it waits for when it waits, else the status label."""
    kind = step_wait(step_type, status) if step_type is not None else None
    return WAIT_NAMES[kind] if kind is not None else run_status(status).label


def job_status_name(job: Job) -> str:
    """A job's status in words: for a job at 7, what its waiting step waits for."""
    step = waiting_step(job) if job.status == WAITING_USER else None
    return status_name(step.type, step.status) if step is not None else run_status(job.status).label


def wait_text(step_type: int, status: int, batch: int | None = None) -> str | None:
    """One sentence for the wait, or ``None``; ``batch`` is the batch done, when known.

    Known only on gateway v3, and there only by inference (``core/rolling``):
    its ``get_step_instance_status`` with no batch answers the current batch
    (``filterByLatestBatch``). v2, ESB jobv3 and v4 cannot tell: no payload of
    theirs names the running batch (v2's step status and every job status list
    all batches' hosts, ``listTasks(…, null)``, with no batch field; jobv3 and
    v4 have no step status at all), so their pause says "batch done".
    """
    kind = step_wait(step_type, status)
    if kind is Wait.CONFIRM:
        return "waiting for confirmation"
    if kind is Wait.ROLLING_PAUSE:
        which = f"batch {batch}" if batch else "batch"
        return f"rolling pause: {which} done, waiting to continue"
    if kind is Wait.NEXT_BATCH:
        return "rolling: next batch starting"
    return None


def waiting_step(job: Job) -> Step | None:
    """The step a job at 7 waits on (the first step at 7), else ``None``."""
    for step in job.steps:
        if step.status == WAITING_USER:
            return step
    return None


def job_wait_word(job: Job) -> str | None:
    """The header's word for a job at 7: what it waits for, from the step at 7."""
    if job.status != WAITING_USER:
        return None
    step = waiting_step(job)
    if step is None:
        return None
    return TREE_WORDS.get(step_wait(step.type, step.status) or Wait.CONFIRM)
