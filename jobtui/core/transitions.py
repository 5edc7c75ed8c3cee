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
    """One toast: a title, a one-line message and how loud it is.

    ``job_id`` and ``event`` name what happened ("job=end", "job=wait:<step>",
    "step:<id>=4") so that the same event seen by two screens (the monitor, the
    job list under it, the wall) is announced once: see ``is_repeat``.
    """

    level: Level
    title: str
    message: str
    job_id: int | None = None
    event: str = ""


class Announced:
    """The last event announced per job and scope; a repeat of it is not toasted again."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, str], str] = {}

    def is_repeat(self, notice: Notice) -> bool:
        """True if ``notice`` says again what was last said for its job; records it if not."""
        if notice.job_id is None or "=" not in notice.event:
            return False
        scope, _, value = notice.event.partition("=")
        key = (notice.job_id, scope)
        last = self._last.get(key, "")
        # A job-level "waiting" from a list covers the step-level wait the monitor named.
        if last == value or (value == "wait" and last.startswith("wait")):
            return True
        self._last[key] = value
        return False


def job_title(job_id: int | None, what: str) -> str:
    """A notice's title naming its job: ``Job #20100 finished`` (``Job finished`` without an id).

    Three jobs of the same plan finish with the same name: without the id the
    notices (``m``) cannot be told apart.
    """
    return f"Job #{job_id} {what}" if job_id is not None else f"Job {what}"


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
            event = f"step:{step.step_instance_id}={step.status}"
            message = f"{step.name}: {label}"
            title = job_title(new.job_instance_id, "step failed")
            notices.append(Notice(Level.ERROR, title, message, new.job_instance_id, event))
        elif needs_person(step.type, step.status):
            said = wait_text(step.type, step.status) or run_status(step.status).label
            event = f"job=wait:{step.step_instance_id}"
            message = f"{step.name}: {said}"
            title = job_title(new.job_instance_id, "waiting for a person")
            notices.append(Notice(Level.WARNING, title, message, new.job_instance_id, event))
    return notices


def _job_level_notices(old: Job, new: Job) -> list[Notice]:
    if new.status == old.status and new.finished == old.finished:
        return []
    label = run_status(new.status).label
    jid = new.job_instance_id
    if new.finished and not old.finished:
        level = Level.ERROR if new.status in FAILED_RUN_STATUSES else Level.INFO
        return [Notice(level, job_title(jid, "finished"), f"{new.name}: {label}", jid, "job=end")]
    if old.finished and not new.finished:
        title = job_title(jid, "running again")
        return [Notice(Level.INFO, title, f"{new.name}: {label}", jid, "job=again")]
    if new.status in PERSON_WAIT_STATUSES and not _a_step_waits(new):
        waits = waiting_step(new)
        said = (wait_text(waits.type, waits.status) if waits else None) or label
        title = job_title(jid, "waiting for a person")
        return [Notice(Level.WARNING, title, f"{new.name}: {said}", jid, "job=wait")]
    return []


def _a_step_waits(new: Job) -> bool:
    """True when a step waits for a person: its own notice (now or earlier) said it.

    The job's status often turns "waiting" a poll after the step's does; counting
    only steps that changed in this poll announced the same wait twice.
    """
    return any(needs_person(step.type, step.status) for step in new.steps)
