"""The actions menu (``a``) and its confirmation: acting on what the monitor shows.

The menu never offers from the screen's data: it asks bk-job for the job first
and lists only what that fresh state allows (``core.actions``), the primary
action first, each with its consequence in one line. A read-only session shows
what would be possible, dimmed and not selectable, and its keys line says
nothing can be sent; an operation sent and not
yet visible in a poll keeps its actions locked. Enter picks; the confirmation
names the action, the step and the job; ``y`` sends, ``n`` or Escape cancels.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from jobtui.api.errors import ApiError
from jobtui.api.models import Job
from jobtui.core.actions import Offer, Pending, current_step, in_flight, offers, question
from jobtui.core.readonly import ReadOnly, read_only_note
from jobtui.core.sanitize import safe_text
from jobtui.core.waits import job_status_name, status_name
from jobtui.tui.glyphs import dots, sep

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 84; max-width: 95%; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .title {{ width: 1fr; text-style: bold; margin-bottom: 1; }}
{name} .note {{ width: 1fr; color: $text-muted; }}
{name} .warn {{ width: 1fr; color: $warning; text-style: bold; }}
{name} OptionList {{ height: auto; max-height: 14; margin-top: 1; }}
{name} > Vertical.-ascii {{ border: ascii $accent; }}
{name} .-ascii OptionList {{ border: ascii $foreground 30%; }}
"""


@dataclass(frozen=True, slots=True)
class MenuContext:
    """What the menu is about: the job, the selected step and the retry on screen."""

    job_instance_id: int
    step_instance_id: int | None
    viewed_execute_count: int | None  # the retry filter on screen; None = the latest
    readonly: ReadOnly | None = None  # why nothing can be sent (None: it can)
    pending: Pending | None = None
    ascii_only: bool = False
    route: str | None = None  # where operations go when not the chosen family (v4: v3)


@dataclass(frozen=True, slots=True)
class Choice:
    """The offer picked, with the fresh job it was offered from."""

    offer: Offer
    job: Job


def target_text(offer: Offer, job: Job) -> str:
    """'step "Deploy" (2002) of job 1001 "Deploy v1.2"': what a confirmation names."""
    name = safe_text(job.name, max_len=60)
    where = ""
    if offer.step is not None:
        where = (
            f'step "{safe_text(offer.step.name, max_len=50)}" ({offer.step.step_instance_id}) of '
        )
    return f'{where}job {job.job_instance_id} "{name}"'


def question_text(offer: Offer, job: Job) -> str:
    """'Confirm the step "Confirm rollout"?', 'Terminate job 7 "Deploy v1.2"?'."""
    if offer.step is not None:
        target = f'step "{safe_text(offer.step.name, max_len=50)}"'
    else:
        target = f'job {job.job_instance_id} "{safe_text(job.name, max_len=60)}"'
    return question(offer.action, target)


def menu_rows(context: MenuContext, job: Job) -> tuple[list[Offer], list[str]]:
    """(the valid offers, the notes the menu shows above them) for the fresh ``job``."""
    notes: list[str] = []
    selected = context.step_instance_id
    step = job.step(selected) if selected is not None else current_step(job)
    latest = (
        step is None
        or context.viewed_execute_count is None
        or context.viewed_execute_count == step.execute_count
    )
    found = offers(job, selected, latest=latest)
    current = current_step(job)
    if (
        step is not None
        and current is not None
        and step.step_instance_id != current.step_instance_id
    ):
        notes.append(
            f"Step actions only on the job's current step ({safe_text(current.name, max_len=40)}):"
            " bk-job acts on it, whatever is selected."
        )
    if not latest:
        notes.append("An older retry is on screen: bk-job acts on the latest run only.")
    if step is not None and in_flight(job, step):
        notes.append(
            "An operation on this step is being applied (the job runs, the step has not "
            "moved yet): look again in a moment."
        )
    if not found:
        notes.append("Nothing can be done to this job in its current state.")
    elif context.route is not None:
        notes.append(f"{context.route}.")
    return found, notes


def hint_line(context: MenuContext) -> str:
    """The keys line: a read-only session's actions are dimmed and cannot be picked."""
    if context.readonly is not None:
        return (
            "Read-only session: actions shown dimmed, none can be sent"
            f"{sep(context.ascii_only)}Escape closes"
        )
    return f"Enter picks{sep(context.ascii_only)}Escape closes"


class ActionsScreen(ModalScreen[Choice | None]):
    """The actions valid now for the selected step and the job."""

    DEFAULT_CSS = _CSS.format(name="ActionsScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, context: MenuContext, fetch: Callable[[], Awaitable[Job]]) -> None:
        super().__init__()
        self.context = context
        self._fetch = fetch
        self.job: Job | None = None
        self.offers: list[Offer] = []
        self.locked: list[Offer] = []

    def compose(self) -> ComposeResult:
        ascii_only = self.context.ascii_only
        with Vertical(classes="-ascii" if ascii_only else ""):
            yield Label(f"Act on job {self.context.job_instance_id}", classes="title", markup=False)
            if self.context.readonly is not None:
                note = read_only_note(self.context.readonly)
                yield Static(note, classes="warn", id="readonly", markup=False)
            yield Static(
                f"Refreshing the job before offering actions{dots(self.context.ascii_only)}",
                classes="note",
                id="notes",
                markup=False,
            )
            yield OptionList(id="offers")
            yield Static(hint_line(self.context), classes="note", id="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._refresh_job()

    @work(exclusive=True, group="actions-refresh", exit_on_error=False)
    async def _refresh_job(self) -> None:
        try:
            job = await self._fetch()
        except ApiError as error:
            self._show_error(str(error))
            return
        self._show(job)

    def _show_error(self, reason: str) -> None:
        notes = self.query_one("#notes", Static)
        notes.update(
            f"Cannot refresh the job: {safe_text(reason, max_len=200)}\n"
            "Nothing is offered from an old screen; close and try again."
        )

    def _show(self, job: Job) -> None:
        self.job = job
        found, notes = menu_rows(self.context, job)
        pending = self.context.pending
        self.locked = [o for o in found if pending is not None and pending.blocks(o)]
        if pending is not None:
            when = pending.sent_at.astimezone().strftime("%H:%M:%S")
            notes.insert(
                0,
                f'Waiting for bk-job to apply "{pending.action.name}" (sent {when}): '
                "its actions stay locked until a poll shows the state moved.",
            )
        self.offers = found
        name = safe_text(job.name, max_len=60)
        self.query_one(Label).update(f'Act on job {job.job_instance_id} "{name}"')
        step = job.step(self.context.step_instance_id) if self.context.step_instance_id else None
        step = step or current_step(job)
        if step is not None:
            state = status_name(step.type, step.status)  # one name per wait (core/waits)
            notes.insert(
                0,
                f'Step "{safe_text(step.name, max_len=50)}" ({step.step_instance_id}): {state}'
                f"{sep(self.context.ascii_only)}job: {job_status_name(job)}",
            )
        self.query_one("#notes", Static).update("\n".join(notes))
        options = self.query_one(OptionList)
        options.clear_options()
        for index, offer in enumerate(found):
            ascii_only = self.context.ascii_only
            mark = ("> " if ascii_only else "▶ ") if offer.primary else "  "
            where = "job" if offer.step is None else "step"
            text = f"{mark}{offer.action.title} ({where}){sep(ascii_only)}{offer.consequence}"
            disabled = self.context.readonly is not None or offer in self.locked
            options.add_option(Option(text, id=f"o{index}", disabled=disabled))
        if found and self.context.readonly is None:
            first = next((i for i, o in enumerate(found) if o not in self.locked), None)
            if first is not None:
                options.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.job is None or self.context.readonly is not None:
            return
        offer = self.offers[event.option_index]
        if offer in self.locked:
            return
        self.dismiss(Choice(offer, self.job))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ConfirmActionScreen(ModalScreen[bool]):
    """'Retry the failed hosts of step "X"?', then the step and job: ``y`` sends, ``n`` cancels."""

    DEFAULT_CSS = _CSS.format(name="ConfirmActionScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Send"),
        Binding("n,escape", "answer(False)", "Cancel"),
    ]

    def __init__(
        self, choice: Choice, *, ascii_only: bool = False, note: str | None = None
    ) -> None:
        super().__init__()
        self.choice = choice
        self.ascii_only = ascii_only
        self.note = note  # what else it does, when known ("Batch 2 of 3 starts next.")

    def compose(self) -> ComposeResult:
        offer, job = self.choice.offer, self.choice.job
        with Vertical(classes="-ascii" if self.ascii_only else ""):
            yield Label(question_text(offer, job), classes="title", markup=False)
            yield Static(f"on {target_text(offer, job)}", id="target", markup=False)
            yield Static(f"Consequence: {offer.consequence}.", id="consequence", markup=False)
            if self.note:
                yield Static(self.note, id="note", markup=False)
            yield Static(
                "It is sent once, never retried, and recorded in the audit file.", classes="note"
            )
            yield Static(f"y sends{sep(self.ascii_only)}n or Escape cancels", classes="warn")

    def action_answer(self, send: bool) -> None:
        self.dismiss(send)
