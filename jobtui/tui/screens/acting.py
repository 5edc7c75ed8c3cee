"""The monitor's operations: menu → confirmation → one request → notice, poll, lock.

Kept out of ``screens/monitor.py`` (which owns the polling): the monitor hooks
in with the ``a`` binding, ``OperationDone`` and one call per polled job.
After bk-job accepts an operation the monitor polls at once and at its running
cadence (even on a finished job, which a retry or a reconfirmation revives),
and the operation's actions stay locked until a poll shows the state moved
(``core.actions.Pending``): a retry bumps ``execute_count`` before the status
changes, and a second retry in between would run the step twice.
"""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import App
from textual.message import Message
from textual.worker import Worker

from jobtui.api.base import JobApi
from jobtui.api.filters import StepFilter
from jobtui.api.models import Job
from jobtui.core.actions import Pending
from jobtui.core.cadence import Cadence
from jobtui.core.options import WatchOptions
from jobtui.core.rolling import RollingEvidence
from jobtui.core.sanitize import safe_text
from jobtui.core.stepcard import next_batch_text
from jobtui.tui.breakpoints import presize

if TYPE_CHECKING:
    from jobtui.api.operations import JobOperator
    from jobtui.core.operate import Outcome
    from jobtui.core.readonly import ReadOnly
    from jobtui.tui.screens.actions import Choice


class Host(Protocol):
    """What ``Acting`` needs of the monitor screen (kept apart so neither imports the other)."""

    options: WatchOptions
    client: JobApi
    step_id: int | None
    filter: StepFilter
    cadence: Cadence
    rolling: RollingEvidence

    @property
    def app(self) -> App[Any]: ...

    def refresh_now(self, *, job: bool = True, force: bool = True) -> None: ...

    def post_message(self, message: Message) -> bool: ...

    def run_worker(
        self, work: Coroutine[Any, Any, None], *, group: str = ..., exit_on_error: bool = ...
    ) -> Worker[None]: ...


class OperationDone(Message):
    """bk-job's answer to an operation (posted by the sending worker)."""

    def __init__(self, outcome: Outcome, job: Job, sent_at: datetime) -> None:
        super().__init__()
        self.outcome = outcome
        self.job = job
        self.sent_at = sent_at


class Acting:
    """Operations of one monitor screen; ``pending`` is the one awaiting a poll."""

    def __init__(self, screen: Host) -> None:
        self.screen = screen
        self.pending: Pending | None = None
        self.sending = False

    @property
    def options(self) -> tuple[ReadOnly | None, bool]:
        return self.screen.options.readonly, self.screen.options.ascii_only

    def open_menu(self) -> None:
        """``a``: the menu for the selected step and the job, from a fresh poll."""
        # The dialogs and the sending code load on first use: a monitor that only
        # watches (most of them, for days) never needs them at start.
        from jobtui.api.operations import route_note
        from jobtui.tui.screens.actions import ActionsScreen, MenuContext

        screen = self.screen
        readonly, ascii_only = self.options
        job_id = screen.options.job_instance_id
        client = screen.client

        async def fetch() -> Job:
            return await client.get_job(job_id, with_hosts=False, enrich=False)

        pending = self.pending
        if pending is not None and pending.expired(datetime.now(UTC)):
            when = pending.sent_at.astimezone().strftime("%H:%M:%S")
            self._toast(
                f'No change seen since "{pending.action.name}" was sent at {when}: '
                "check the job before acting again",
                severity="warning",
            )
            self.pending = pending = None
        context = MenuContext(
            job_instance_id=job_id,
            step_instance_id=screen.step_id,
            viewed_execute_count=screen.filter.execute_count,
            readonly=readonly,
            pending=pending,
            ascii_only=ascii_only,
            route=route_note(client.family),
        )
        screen.app.push_screen(presize(screen.app, ActionsScreen(context, fetch)), self._chosen)

    def _chosen(self, choice: Choice | None) -> None:
        from jobtui.tui.screens.actions import ConfirmActionScreen

        if choice is None:
            return
        step = choice.offer.step
        note = None
        if choice.offer.action.name == "continue-rolling" and step is not None:
            note = next_batch_text(self.screen.rolling.get(step.step_instance_id))
        confirm = ConfirmActionScreen(choice, ascii_only=self.screen.options.ascii_only, note=note)
        self.screen.app.push_screen(
            presize(self.screen.app, confirm),
            lambda yes: self._confirmed(choice, bool(yes)),
        )

    def _confirmed(self, choice: Choice, yes: bool) -> None:
        from jobtui.api.operations import JobOperator

        if not yes or self.sending or self.screen.options.readonly is not None:
            return
        client = self.screen.client
        if not isinstance(client, JobOperator):
            self._toast("This connection cannot send operations", severity="error")
            return
        self.sending = True
        self.screen.run_worker(self._send(client, choice), group="operate", exit_on_error=False)

    async def _send(self, client: JobOperator, choice: Choice) -> None:
        from jobtui.core.operate import send

        sent_at = datetime.now(UTC)
        try:
            outcome = await send(
                client,
                choice.offer,
                choice.job.job_instance_id,
                audit=self.screen.options.audit,
                readonly=self.screen.options.readonly,
            )
        finally:
            self.sending = False
        self.screen.post_message(OperationDone(outcome, choice.job, sent_at))

    def done(self, message: OperationDone) -> None:
        """Notice with bk-job's answer; on acceptance lock, and poll now and often."""
        outcome = message.outcome
        name = safe_text(message.job.name, max_len=60)
        if outcome.audit_error:
            self._toast(outcome.audit_error, severity="warning")
        if outcome.accepted or outcome.unknown:
            # an unanswered operation may have been applied: it is locked the same way
            self.pending = Pending.sent(outcome.offer, message.job, message.sent_at)
            self.screen.cadence.finished = False
        summary = outcome.summary(message.job.job_instance_id, name)
        if outcome.accepted:
            self._toast(summary, title="Operation sent")
        elif outcome.unknown:
            self._toast(summary, title="Unknown: check the job", severity="error")
        else:
            self._toast(
                summary,
                title="Not done",
                severity="error",
            )
        self.screen.refresh_now()

    def polled(self, job: Job) -> None:
        """Each polled job: unlock once it shows the operation applied."""
        pending = self.pending
        if pending is None:
            return
        if pending.moved(job):
            self.pending = None
        else:
            self.screen.cadence.finished = False  # keep polling at the running cadence

    def _toast(self, text: str, *, title: str = "jobtui", severity: str = "information") -> None:
        self.screen.app.notify(
            safe_text(text, max_len=300),
            title=title,
            severity=severity,  # type: ignore[arg-type]
            markup=False,
            timeout=8,
        )
