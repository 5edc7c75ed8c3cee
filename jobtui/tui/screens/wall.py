"""The wall: every running job of the scope as a compact card, failures first.

Each refresh lists the jobs, picks the wall's candidates (``wall_layout``:
failed in the window and folded by plan, waiting for a person, running,
pending; plus every job on the wall now, so one that ended is seen ending) and
fetches their detail with bounded concurrency: ``get_job`` without hosts, and
the focus step's group counts (all batches) with one host per group, so a
50,000-host step costs a few hundred bytes. The detail is the newest answer,
so it decides: the cards, their order and the notices are laid out again from
its statuses (a job that succeeded leaves the wall in the refresh that
announces it; one that just failed moves to the front). A job whose detail
fails keeps its last card, with the list's status when that is newer. Cards
update in place by job id.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from jobtui.api.base import JobApi
from jobtui.api.catalog import FAILED_RUN_STATUSES
from jobtui.api.errors import JobTuiError
from jobtui.api.filters import StepFilter
from jobtui.api.models import Job, JobSummary, Step
from jobtui.core.history import HistoryBook
from jobtui.core.joblist import JobQuery, WallLayout, WallPolicy, status_notice, wall_layout
from jobtui.core.numfmt import plural
from jobtui.core.snapshot import HostCounts, active_step
from jobtui.tui.screens.polling import PollingScreen, ScreenSettings, fetch_jobs
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.job_card import JobCard, card_data

DETAIL_CONCURRENCY = 4
CARD_WIDTH = 44


@dataclass
class Detail:
    """What one card's detail fetch found (``None`` fields: that part failed)."""

    job: Job | None = None
    step: Step | None = None
    counts: HostCounts | None = None


@dataclass
class WallPayload:
    jobs: list[JobSummary]  # every candidate fetched, in no particular order
    details: dict[int, Detail] = field(default_factory=dict)
    layout: WallLayout = field(default_factory=WallLayout)


def focus_step(job: Job) -> Step | None:
    """The step a card is about: the active one, else the last failed, else the last started."""
    step = active_step(job)
    if step is not None:
        return step
    failed = [s for s in job.steps if s.status in FAILED_RUN_STATUSES]
    if failed:
        return failed[-1]
    started = [s for s in job.steps if s.status != 1]
    return started[-1] if started else None


def window_words(window: timedelta) -> str:
    """``30 min``, ``2 h``, ``3 d``: the failure window as the config file may set it."""
    minutes = round(window.total_seconds() / 60)
    if minutes < 60 or minutes % 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 24 or hours % 24 else f"{hours // 24} d"


class WallScreen(PollingScreen):
    """Cards of running and just-failed jobs; Enter drills into the monitor, ``w`` goes back."""

    HELP_SECTION: ClassVar[str] = "Wall"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
        Binding("w,escape", "back", "List", tooltip="back to the job list"),
        Binding("r", "refresh", "Refresh", tooltip="refresh now"),
        Binding("p", "toggle_pause", "Pause", tooltip="pause / resume refreshing"),
        Binding("right,l", "move(1)", "Next", show=False, tooltip="next card"),
        Binding("left,h", "move(-1)", "Previous", show=False, tooltip="previous card"),
    ]
    DEFAULT_CSS = """
    WallScreen #wall-status { height: 1; background: $panel; padding: 0 1; }
    WallScreen #wall-cards { layout: grid; grid-size: 2; grid-gutter: 0 1; grid-rows: 6; }
    WallScreen #wall-empty { padding: 1 2; color: $foreground-muted; }
    """

    def __init__(
        self,
        client: JobApi,
        query: JobQuery,
        clock: Callable[[], datetime],
        settings: ScreenSettings,
        policy: WallPolicy | None = None,
    ) -> None:
        super().__init__(client, query, clock, settings)
        self.policy = policy or WallPolicy()
        self.order: list[int] = []
        self.details: dict[int, Detail] = {}
        self.histories: dict[int, HistoryBook] = {}
        self._statuses: dict[int, int] = {}
        self.wall_layout = WallLayout()
        self.repeats: dict[int, int] = {}  # failed runs a card stands for, by job id

    def compose(self) -> ComposeResult:
        yield Static(f"Wall{self.sep}loading{self.dots}", id="wall-status", markup=False)
        yield Static("", id="wall-empty", markup=False)
        yield VerticalScroll(id="wall-cards")
        yield KeyBar()

    @property
    def cards(self) -> list[JobCard]:
        return list(self.query(JobCard))

    def on_resize(self, event: Resize) -> None:
        columns = max(1, event.size.width // CARD_WIDTH)
        self.query_one("#wall-cards").styles.grid_size_columns = columns

    # ------------------------------------------------------------ fetch (worker)

    async def fetch(self) -> object:
        now = self.clock()
        jobs = await fetch_jobs(self.client, self.query_, now)
        listed = replace(self.policy, statuses={})  # the page just read is newer than any card
        wanted = wall_layout(jobs, now, listed).ids
        by_id = {job.job_instance_id: job for job in jobs}
        wanted += [jid for jid in self.order if jid in by_id and jid not in wanted]
        candidates = [by_id[jid] for jid in wanted]
        gate = asyncio.Semaphore(DETAIL_CONCURRENCY)
        fetched = await asyncio.gather(*(self._detail(jid, gate) for jid in wanted))
        details = dict(zip(wanted, fetched, strict=True))
        fresh = {jid: d.job.status for jid, d in details.items() if d.job is not None}
        layout = wall_layout(jobs, now, replace(self.policy, statuses=fresh))
        shown = {card.job.job_instance_id for card in layout.cards}
        extra = [by_id[jid] for jid in shown if jid not in details]  # folded before, not now
        return WallPayload(candidates + extra, details, layout)

    async def _detail(self, job_id: int, gate: asyncio.Semaphore) -> Detail:
        async with gate:
            try:
                job = await self.client.get_job(job_id, with_hosts=False)
            except JobTuiError:
                return Detail()
            step = focus_step(job)
            if step is None:
                return Detail(job)
            try:
                # batch 0: every batch. Omitted, a rolling step answers for its
                # current batch only (filterByLatestBatch), and the card would
                # count 8 of a 24-host step without saying so.
                result = await self.client.get_step_result(
                    job_id, step.step_instance_id, StepFilter(batch=0, max_hosts_per_group=1)
                )
            except JobTuiError:
                return Detail(job, step)
            return Detail(job, step, HostCounts.from_result(result))

    # ------------------------------------------------------------ apply (UI)

    def apply(self, payload: object) -> None:
        assert isinstance(payload, WallPayload)
        now = self.clock()
        notices = []
        for job in payload.jobs:
            jid = job.job_instance_id
            fresh = payload.details.get(jid, Detail())
            detail = self._merge(jid, fresh)
            # the detail read now, else the list read now: never an older card's
            status = fresh.job.status if fresh.job is not None else job.status
            before = self._statuses.get(jid)
            if before is not None and before != status:
                notice = status_notice(job.name, before, status, jid)
                if notice is not None:
                    notices.append(notice)
            self._statuses[jid] = status
            if detail.job is not None and detail.job.status != status:
                detail.job = replace(detail.job, status=status)
        self.announce(notices)
        self.wall_layout = payload.layout
        self.repeats = {c.job.job_instance_id: c.failures for c in payload.layout.cards}
        shown = [card.job for card in payload.layout.cards]
        self._record(shown, now)
        self._show_cards(shown, now)
        self._forget({job.job_instance_id for job in shown})

    def _merge(self, jid: int, fresh: Detail) -> Detail:
        """Keep the last good parts of a card when this refresh's fetch failed."""
        old = self.details.get(jid, Detail())
        merged = Detail(
            fresh.job or old.job,
            fresh.step if fresh.job is not None else old.step,
            fresh.counts
            if fresh.counts is not None
            else (old.counts if fresh.job is None else None),
        )
        self.details[jid] = merged
        return merged

    def _record(self, jobs: list[JobSummary], now: datetime) -> None:
        for job in jobs:
            detail = self.details[job.job_instance_id]
            if detail.step is None or detail.counts is None:
                continue
            book = self.histories.setdefault(job.job_instance_id, HistoryBook(maxlen=120))
            counts = detail.counts
            book.record(
                detail.step.step_instance_id,
                detail.step.execute_count,
                now.timestamp(),
                done=counts.done,
                failed=counts.failed,
                total=counts.total,
            )

    def _show_cards(self, jobs: list[JobSummary], now: datetime) -> None:
        container = self.query_one("#wall-cards", VerticalScroll)
        existing = {card.job_instance_id: card for card in self.cards}
        wanted = [job.job_instance_id for job in jobs]
        for jid, card in existing.items():
            if jid not in wanted:
                card.remove()
        for job in jobs:
            jid = job.job_instance_id
            detail = self.details[jid]
            book = self.histories.get(jid)
            data = card_data(
                job,
                detail.job,
                detail.counts,
                now,
                book.current if book else None,
                ascii_only=self.settings.ascii_only,
                step=detail.step,
                failures=self.repeats.get(jid, 1),
            )
            if jid in existing:
                existing[jid].update_card(data)
            else:
                existing[jid] = JobCard(data, ascii_only=self.settings.ascii_only)
                container.mount(existing[jid])
        if wanted != self.order:
            self._reorder(container, [existing[jid] for jid in wanted])
            self.order = wanted
        empty = self.query_one("#wall-empty", Static)
        empty.display = not jobs
        empty.update("No running jobs right now. The wall checks again on every refresh.")
        if jobs and not any(card.has_focus for card in existing.values()):
            existing[wanted[0]].focus()

    @staticmethod
    def _reorder(container: VerticalScroll, cards: list[JobCard]) -> None:
        """Put the cards in wall order (failed first) without remounting them."""
        for previous, card in itertools.pairwise(cards):
            container.move_child(card, after=previous)

    def _forget(self, shown: set[int]) -> None:
        for jid in [jid for jid in self.details if jid not in shown]:
            self.details.pop(jid, None)
            self.histories.pop(jid, None)
            self._statuses.pop(jid, None)

    def show_status(self) -> None:
        shown = sum(1 for jid in self.order if jid in self.details)
        badges = self.badges()
        parts = [f"Wall{self.sep}{plural(shown, 'job')}"]
        if badges:  # before what is left out: STALE must survive a narrow terminal
            parts.append(badges)
        parts += self.left_out()
        self.query_one("#wall-status", Static).update(self.sep.join(parts), layout=False)

    def left_out(self) -> list[str]:
        """What the wall does not show and why, so a quiet wall is never a wrong one."""
        layout, policy = self.wall_layout, self.policy
        parts = [f"failures of the last {window_words(policy.recent_failure)}"]
        if layout.folded:
            parts.append(f"{plural(layout.folded, 'more failed run')} folded by plan")
        if layout.hidden_failed:
            parts.append(
                f"{plural(layout.hidden_failed, 'older failed plan')} hidden"
                f" (at most {policy.max_failed})"
            )
        if layout.hidden:
            parts.append(f"{plural(layout.hidden, 'job')} hidden (at most {policy.limit})")
        return parts

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_move(self, delta: int) -> None:
        if delta > 0:
            self.focus_next(JobCard)
        else:
            self.focus_previous(JobCard)
