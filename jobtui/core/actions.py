"""What a person may do to a job now, from the last poll: the action table, as pure logic.

The preconditions are the server's (``TaskExecuteServiceImpl.doStepOperation`` /
``doTaskOperation``, codes of ``StepOperationEnum`` / ``TaskOperationEnum``), not
the web UI's: the UI offers retry and ignore on status 8 (``actions`` of the
frontend's ``task-execution-result-step.js``), which the server refuses. Step actions
are offered only on the job's current step and only while its latest run is
viewed, because the operation APIs carry no ``execute_count`` or ``batch``: the
server acts on the step's current run whatever the screen shows.

After an operation is sent, ``Pending.moved`` says when the polled state shows
the server has acted (a retry bumps ``execute_count`` at once, before the status
changes, so a second retry sent in between would run the step twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from jobtui.api.catalog import step_type
from jobtui.api.models import Job, Step
from jobtui.core.waits import job_status_name, status_name

CONFIRM_TYPE = 3
RETRYABLE_TYPES = frozenset({1, 2, 4})  # script, file, SQL
RETRY_STATUSES = frozenset({4, 9, 11})  # FAIL, ABNORMAL_STATE, STOP_SUCCESS (isStepRetryable)
IGNORE_STATUSES = frozenset({4, 9})
TERMINATE_JOB_STATUSES = frozenset({2, 7})  # RUNNING, WAITING_USER
#: Finished job states a person can still resume: FAIL, ABNORMAL_STATE (retry, ignore),
#: STOP_SUCCESS (retry, next step), CONFIRM_TERMINATED (re-initiate the confirmation).
RESUMABLE_JOB_STATUSES = frozenset({4, 9, 11, 13})
#: Step states that stop a job. Seen with the job RUNNING, they mean an operation's
#: request has set the job running and the engine has not yet moved the step: another
#: person's (or process's) retry, confirm or continue is in flight.
HALTING_STEP_STATUSES = frozenset({4, 7, 9, 11})
#: How long an operation's lock holds without any change seen. bk-job may accept an
#: operation that then does nothing (IGNORE_ERROR on an ABNORMAL_STATE step): the
#: lock must not keep the step's actions away for ever.
LOCK_SECONDS = 120.0

Scope = Literal["step", "job"]


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the action table."""

    name: str  # the command line's name
    code: int  # StepOperationEnum / TaskOperationEnum
    scope: Scope
    title: str  # what the menu says
    consequence: str  # one line, as the web UI's confirmation popover says it


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("confirm", 6, "step", "Confirm", "the following steps will run"),
        Action(
            "reject",
            9,
            "step",
            "Reject (terminate the confirmation)",
            "step and job end as Confirm Terminated; only reconfirm resumes them",
        ),
        Action(
            "reconfirm",
            10,
            "step",
            "Reconfirm (re-open the confirmation)",
            "the step waits again and its confirmers are notified again",
        ),
        Action(
            "retry-failed",
            2,
            "step",
            "Retry failed hosts",
            "only this run's failed hosts run again",
        ),
        Action("retry-all", 8, "step", "Retry all hosts", "every host of the step runs again"),
        Action(
            "ignore-error",
            3,
            "step",
            "Ignore the error",
            "the step counts as Ignore Error and the job goes on to the next step",
        ),
        Action(
            "next-step", 11, "step", "Go to the next step", "skips this step, the next one starts"
        ),
        Action(
            "skip",
            12,
            "step",
            "Force skip",
            "stops waiting for the terminate result and goes to the next step",
        ),
        Action(
            "continue-rolling",
            13,
            "step",
            "Continue rolling",
            "the next rolling batch of this step starts",
        ),
        Action(
            "terminate",
            1,
            "job",
            "Terminate the job",
            "stops the job; only hosts not yet finished are affected",
        ),
    )
}

#: The order a menu lists actions in when none is primary.
ORDER = tuple(ACTIONS)

#: The confirmation's question for each action, ``{target}`` being 'step "X"'
#: or 'job 7 "Y"': it reads as the menu's label, said of what it acts on.
QUESTIONS: dict[str, str] = {
    "confirm": "Confirm the {target}?",
    "reject": "Reject the confirmation of {target}?",
    "reconfirm": "Re-open the confirmation of {target}?",
    "retry-failed": "Retry the failed hosts of {target}?",
    "retry-all": "Retry all hosts of {target}?",
    "ignore-error": "Ignore the error of {target}?",
    "next-step": "Skip {target} and go to the next step?",
    "skip": "Force skip {target}?",
    "continue-rolling": "Continue rolling: start the next batch of {target}?",
    "terminate": "Terminate {target}?",
}


def question(action: Action, target: str) -> str:
    """'Retry the failed hosts of step "Deploy package"?': a confirmation's title."""
    return QUESTIONS[action.name].format(target=target)


@dataclass(frozen=True, slots=True)
class Offer:
    """An action possible now, on a step (``step`` set) or the job."""

    action: Action
    step: Step | None
    primary: bool = False

    @property
    def consequence(self) -> str:
        if self.action.name == "retry-all" and self.step is not None and self.step.status == 11:
            return "retry and continue: " + self.action.consequence
        return self.action.consequence


def current_step(job: Job) -> Step | None:
    """The step the job is at: the server's current step, else the last one that started.

    Steps that have not started are BLANK (1); a stopped, failed or waiting job
    leaves its current step as the last non-blank one.
    """
    if job.current_step_instance_id is not None:
        step = job.step(job.current_step_instance_id)
        if step is not None:
            return step
    started = [s for s in job.steps if s.status != 1]
    return started[-1] if started else None


def _step_allows(name: str, step: Step, last: bool) -> bool:
    status, kind = step.status, step.type
    if name in ("confirm", "reject"):
        return kind == CONFIRM_TYPE and status == 7
    if name == "reconfirm":
        return kind == CONFIRM_TYPE and status == 13
    if name in ("retry-failed", "retry-all"):
        return status in RETRY_STATUSES and kind in RETRYABLE_TYPES
    if name == "ignore-error":
        return status in IGNORE_STATUSES
    if name == "next-step":
        return status == 11 and not last
    if name == "skip":
        return status == 10
    if name == "continue-rolling":
        return kind != CONFIRM_TYPE and status == 7
    return False


def _primary(step: Step | None) -> str | None:
    if step is None:
        return None
    if step.status == 7:
        return "confirm" if step.type == CONFIRM_TYPE else "continue-rolling"
    if step.status in RETRY_STATUSES and step.type in RETRYABLE_TYPES:
        return "retry-failed" if step.status != 11 else "retry-all"
    if step.status == 10:
        return "skip"
    if step.status == 13 and step.type == CONFIRM_TYPE:
        return "reconfirm"
    return None


def offers(job: Job, step_instance_id: int | None = None, *, latest: bool = True) -> list[Offer]:
    """The actions valid now, the primary one first, the job's terminate last.

    ``step_instance_id`` is the selected step (``None``: the job's current step);
    step actions appear only when it is the current step and ``latest`` (the
    latest retry is on screen).
    """
    current = current_step(job)
    chosen = current if step_instance_id is None else job.step(step_instance_id)
    found: list[Offer] = []
    on_current = (
        chosen is not None
        and current is not None
        and chosen.step_instance_id == current.step_instance_id
    )
    if chosen is not None and on_current and latest and not in_flight(job, chosen):
        last = job.steps[-1].step_instance_id == chosen.step_instance_id
        primary = _primary(chosen)
        for name in (n for n in ORDER if ACTIONS[n].scope == "step"):
            if _step_allows(name, chosen, last):
                found.append(Offer(ACTIONS[name], chosen, primary=name == primary))
    if job.status in TERMINATE_JOB_STATUSES:
        found.append(Offer(ACTIONS["terminate"], None, primary=not found))
    found.sort(key=lambda o: not o.primary)  # stable: primary first, table order after
    return found


def in_flight(job: Job, step: Step) -> bool:
    """An operation on ``step`` was accepted and not yet carried out (from one poll).

    ``TaskExecuteServiceImpl`` sets the job RUNNING in the request (retry, ignore,
    confirm, next step, rolling continue) and the engine moves the step later; a
    second operation in between would act twice (a retry would run twice). Only the
    current step is meant: other steps of a running job are not halting it.
    """
    return job.status == 2 and step.status in HALTING_STEP_STATUSES


def refusal(
    job: Job, name: str, step_instance_id: int | None = None, *, latest: bool = True
) -> str:
    """Why ``name`` is not possible now, naming what is (for ``jobtui act`` and the menu)."""
    valid = offers(job, step_instance_id, latest=latest)
    allowed = ", ".join(o.action.name for o in valid) or "none"
    action = ACTIONS[name]
    current = current_step(job)
    if action.scope == "job":
        what = f"job {job.job_instance_id} is {job_status_name(job)} ({job.status})"
    else:
        step = current if step_instance_id is None else job.step(step_instance_id)
        if step is None:
            what = "the job has no step that has started"
        elif current is not None and step.step_instance_id != current.step_instance_id:
            what = (
                f"step {step.step_instance_id} is not the job's current step "
                f"({current.step_instance_id}); the server acts on the current step only"
            )
        elif not latest:
            what = "an older retry is on screen; bk-job acts on the latest run only"
        elif in_flight(job, step):
            what = (
                f"an operation on step {step.step_instance_id} is being applied "
                "(the job runs again, the step has not moved yet): look again in a moment"
            )
        else:
            state = f"{status_name(step.type, step.status)} ({step.status})"
            what = f"step {step.step_instance_id} ({_kind(step.type)}) is {state}"
    return f'"{name}" is not possible now: {what}. Allowed now: {allowed}'


def _kind(code: int) -> str:
    return step_type(code)


@dataclass(frozen=True, slots=True)
class Pending:
    """An operation sent and not yet seen in a poll: its action stays locked until then."""

    action: Action
    job_instance_id: int
    step_instance_id: int | None
    job_status: int
    step_status: int | None
    execute_count: int | None
    sent_at: datetime

    @classmethod
    def sent(cls, offer: Offer, job: Job, at: datetime) -> Pending:
        step = offer.step
        return cls(
            action=offer.action,
            job_instance_id=job.job_instance_id,
            step_instance_id=step.step_instance_id if step else None,
            job_status=job.status,
            step_status=step.status if step else None,
            execute_count=step.execute_count if step else None,
            sent_at=at,
        )

    def moved(self, job: Job) -> bool:
        """Whether the polled ``job`` shows the server acted on this operation."""
        if self.step_instance_id is None:
            return job.status != self.job_status
        step = job.step(self.step_instance_id)
        if step is None:
            return True
        if self.action.name in ("retry-failed", "retry-all"):
            bumped = step.execute_count > (self.execute_count or 0)
            return bumped and step.status not in RETRY_STATUSES
        return step.status != self.step_status

    def expired(self, now: datetime) -> bool:
        """No change seen for ``LOCK_SECONDS``: stop locking (the menu says to check the job)."""
        return (now - self.sent_at).total_seconds() > LOCK_SECONDS

    def blocks(self, offer: Offer) -> bool:
        """Whether this pending operation locks ``offer`` (same target: step or job)."""
        if self.step_instance_id is None:
            return offer.step is None
        return offer.step is not None and offer.step.step_instance_id == self.step_instance_id
