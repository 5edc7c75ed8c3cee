"""One compact card of the wall: a running (or just failed) job at a glance.

The card's content is a ``CardData`` value; ``update_card`` repaints only when
that value changed. Cards are focusable; Enter or a click posts ``OpenJob``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.widget import Widget

from jobtui.api.catalog import PERSON_WAIT_STATUSES, Severity, run_status, step_type
from jobtui.api.models import Job, JobSummary, Step
from jobtui.core.history import StepHistory
from jobtui.core.joblist import is_live
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import HostCounts, active_step, elapsed_seconds, format_duration, progress
from jobtui.core.stepcard import clock_time
from jobtui.core.waits import WAITING_USER, job_status_name, waiting_step
from jobtui.tui.glyphs import glyph, rich_colour
from jobtui.tui.widgets.job_list import OpenJob
from jobtui.tui.widgets.sparkline import bar


@dataclass(frozen=True, slots=True)
class CardData:
    """What a card shows; equal values mean nothing to repaint."""

    job_instance_id: int
    name: str
    status: int
    step_name: str = ""
    step_kind: str = ""
    position: tuple[int, int] | None = None  # (i, N)
    counts: HostCounts | None = None
    elapsed: float | None = None
    trend: str = ""  # a few sparkline characters of hosts done
    failed_hosts: int = 0  # hosts failed so far in a job still running: a ✗ on the card
    waiting_since: str = ""  # "10:42" when a person is awaited (a confirmation's start)
    wait_word: str = ""  # a job at 7: what it waits for (confirmation, rolling pause)
    failures: int = 1  # failed runs of this job plan in the wall's window (folded into one card)


def card_data(
    summary: JobSummary,
    job: Job | None,
    counts: HostCounts | None,
    now: datetime,
    history: StepHistory | None = None,
    *,
    ascii_only: bool = False,
    step: Step | None = None,
    failures: int = 1,
) -> CardData:
    """Combine the list row with the job's detail (when fetched) into a card.

    ``step`` is the step the card is about (the wall's focus step: the active
    one, else the failed one); without it, the active step.
    """
    status = job.status if job is not None else summary.status
    if step is None and job is not None:
        step = active_step(job)
    running = is_live(status) and status != 1
    if job is not None:
        elapsed = elapsed_seconds(
            job.start_time, job.end_time, job.total_seconds, now, running=running
        )
    else:
        elapsed = elapsed_seconds(
            summary.start_time, summary.end_time, summary.total_seconds, now, running=running
        )
    trend = ""
    if history is not None and len(history) > 1:
        trend = bar([done for done, _ in history.columns(12)], ascii_only=ascii_only)
    failed_hosts = 0
    if running and job is not None:
        failed_hosts = sum(HostCounts.from_hosts(step.hosts).failed for step in job.steps)
        if counts is not None and step is not None and not step.hosts:
            failed_hosts = max(failed_hosts, counts.failed)  # big jobs: the active step's
    waiting_since = ""
    if status in PERSON_WAIT_STATUSES and job is not None:
        waits = waiting_step(job)
        if waits is not None and waits.start_time is not None:
            waiting_since = clock_time(waits.start_time, now)
    return CardData(
        job_instance_id=summary.job_instance_id,
        name=safe_text(job.name if job is not None else summary.name, max_len=80),
        status=status,
        step_name=safe_text(step.name, max_len=60) if step is not None else "",
        step_kind=step_type(step.type) if step is not None else "",
        position=progress(job) if job is not None else None,
        counts=counts,
        elapsed=int(elapsed) if elapsed is not None else None,
        trend=trend,
        failed_hosts=failed_hosts,
        waiting_since=waiting_since,
        wait_word=job_status_name(job) if job is not None and job.status == WAITING_USER else "",
        failures=failures,
    )


def card_text(data: CardData, *, ascii_only: bool = False, width: int | None = None) -> Text:
    """Four short lines: name; status and elapsed; step i of N; hosts.

    Each line stays on its row: within ``width`` the status words give way
    (cut with an ellipsis) so the elapsed time and the counts after them stay.
    """
    info = run_status(data.status)
    colour = rich_colour(info.severity)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{glyph(info.severity, ascii_only)} ", style=colour)
    text.append(data.name, style="bold")
    text.append("\n")
    text.append_text(_status_line(data, colour, ascii_only, width))
    if data.position is not None:
        i, n = data.position
        text.append(f"\nstep {i}/{n}")
        if data.step_name:
            text.append(f" {data.step_name} ({data.step_kind})")
    else:
        text.append("\n")
    text.append("\n")
    if data.counts is not None and data.counts.total == 0 and data.step_kind:
        text.append(f"no hosts ({data.step_kind} step)")  # a confirmation: nobody to count
    elif data.counts is not None:
        c = data.counts
        text.append(f"ok {c.ok:,}", style="green")
        text.append("  ")
        text.append(f"failed {c.failed:,}", style="red" if c.failed else "")
        text.append(f"  running {c.running:,}")
        if c.waiting:
            text.append(f"  waiting {c.waiting:,}")
    if data.trend:
        text.append(f"  {data.trend}", style="green")
    if ascii_only and width is not None:  # Rich would cut a long line with "…"
        text = Text("\n", no_wrap=True).join(_ascii_cut(line, width) for line in text.split("\n"))
    return text


def _ascii_cut(line: Text, width: int) -> Text:
    """``line`` cut to ``width`` cells with ASCII mode's "~" (Rich's own cut draws "…")."""
    if line.cell_len > width:
        line.truncate(max(width - 1, 0), overflow="crop")
        line.append("~")
    return line


def _status_line(data: CardData, colour: str, ascii_only: bool, width: int | None) -> Text:
    """``#id  Status [since HH:MM]  elapsed  [✗ n failed]  [k failed runs]`` on one row."""
    words = Text(data.wait_word or run_status(data.status).label, style=colour)
    since = Text(f" since {data.waiting_since}" if data.waiting_since else "", style=colour)
    tail = Text(f"  {format_duration(data.elapsed)}")
    if data.failed_hosts and is_live(data.status):  # still running, but hosts have failed
        mark = glyph(Severity.FAILED, ascii_only)
        tail.append(f"  {mark} {data.failed_hosts:,} failed", style="bold red")
    if data.failures > 1:
        tail.append(f"  {data.failures} failed runs", style="bold red")
    head = Text(f"#{data.job_instance_id}  ")
    if width is not None:
        room = width - head.cell_len - since.cell_len - tail.cell_len
        if words.cell_len > room and ascii_only:  # the words give way, cut with "~"
            words = _ascii_cut(words, max(1, room))
        elif words.cell_len > room:  # the words give way; since when and how long stay
            words.truncate(max(1, room), overflow="ellipsis")
    return Text.assemble(head, words, since, tail)


class JobCard(Widget, can_focus=True):
    """A card on the wall; ``-failed`` / ``-attention`` classes make those stand out."""

    HELP_SECTION: ClassVar[str] = "Wall"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True, tooltip="open the card's job in the monitor")
    ]
    DEFAULT_CSS = """
    JobCard {
        height: 6;
        border: round $primary-darken-2;
        padding: 0 1;
    }
    JobCard.-failed { border: heavy $error; }
    JobCard.-attention { border: double $warning; }
    JobCard:focus { border: round $accent; background: $boost; }
    JobCard.-failed:focus { border: heavy $accent; }
    JobCard.-attention:focus { border: double $accent; }
    """

    def __init__(self, data: CardData, *, ascii_only: bool = False) -> None:
        super().__init__(id=f"job-{data.job_instance_id}")
        self.ascii_only = ascii_only
        self.data = data
        self._apply_classes()

    @property
    def job_instance_id(self) -> int:
        return self.data.job_instance_id

    def update_card(self, data: CardData) -> bool:
        """Show ``data``; False (and no repaint) when nothing changed."""
        if data == self.data:
            return False
        self.data = data
        self._apply_classes()
        self.refresh()
        return True

    def _apply_classes(self) -> None:
        status = self.data.status
        failing = is_live(status) and self.data.failed_hosts > 0  # running, hosts failed
        self.set_class(run_status(status).severity.value == "failed" or failing, "-failed")
        self.set_class(status in PERSON_WAIT_STATUSES, "-attention")

    def render(self) -> Text:
        width = self.content_size.width or None
        return card_text(self.data, ascii_only=self.ascii_only, width=width)

    def action_open(self) -> None:
        self.post_message(OpenJob(self.data.job_instance_id))

    def on_click(self, event: Click) -> None:
        event.stop()
        if self.has_focus:
            self.action_open()
        else:
            self.focus()
