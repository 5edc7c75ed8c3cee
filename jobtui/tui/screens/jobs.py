"""The job list screen: the scope's recent jobs, newest first, refreshed live.

``PollingScreen`` is the poll loop both this screen and the wall use: one fetch
in an exclusive worker, the next armed only when the answer is in (polls never
overlap), errors keep the last data and show STALE with a capped backoff, and
nothing is fetched while another screen (the monitor) covers this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from jobtui.api.base import JobApi
from jobtui.api.errors import JobTuiError
from jobtui.api.models import JobSummary
from jobtui.core.cadence import backoff_delay
from jobtui.core.joblist import JobQuery, list_notices, newest_first
from jobtui.core.sanitize import safe_text
from jobtui.core.transitions import Notice
from jobtui.tui.glyphs import dots, sep
from jobtui.tui.notify import announce
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.job_list import JobList


@dataclass(frozen=True, slots=True)
class ScreenSettings:
    """What the list and the wall share: polling period, glyphs, how loud to be."""

    interval: float = 5.0
    ascii_only: bool = False
    bell: bool = False
    desktop: bool = False  # OSC 9 / 777 notifications (--notify)
    auto: bool = True  # re-arm timers; tests drive polls with `r`


class Polled(Message):
    """A poll's answer (``payload``) or its error, posted by the worker."""

    def __init__(self, payload: object | None, error: str | None, latency: float) -> None:
        super().__init__()
        self.payload = payload
        self.error = error
        self.latency = latency


async def fetch_jobs(client: JobApi, query: JobQuery, now: datetime) -> list[JobSummary]:
    """One page (≤1000) of the query's window, filtered alike for every family, newest first."""
    since, until = query.window(now)
    page = await client.list_jobs(
        since=since,
        until=until,
        statuses=query.statuses,
        operator=query.operator,
        name=query.name,
        length=query.page,
    )
    return newest_first(job for job in page.jobs if query.matches(job))


class PollingScreen(Screen[None]):
    """A screen refreshed by a re-armed, never-overlapping poll."""

    def __init__(
        self,
        client: JobApi,
        query: JobQuery,
        clock: Callable[[], datetime],
        settings: ScreenSettings,
    ) -> None:
        super().__init__()
        self.client = client
        self.query_ = query
        self.clock = clock
        self.settings = settings
        # ASCII mode (--ascii, TERM=linux): separators and cut marks the console draws
        self.sep = sep(settings.ascii_only)
        self.dots = dots(settings.ascii_only)
        self.paused = False
        self.failures = 0
        self.polls = 0  # answers applied, for tests
        self.stale_since: datetime | None = None
        self.stale_reason = ""
        self.last_ok: datetime | None = None
        self.latency: float | None = None
        self._timer: Timer | None = None
        self._due = False

    async def fetch(self) -> object:
        """Subclasses: fetch one refresh's data (runs in the worker)."""
        raise NotImplementedError

    def apply(self, payload: object) -> None:
        """Subclasses: show a refresh's data (runs on the UI)."""
        raise NotImplementedError

    def show_status(self) -> None:
        """Subclasses: repaint the status line (badges, age)."""

    def on_mount(self) -> None:
        self.poll()

    @work(exclusive=True, group="wall-poll")
    async def poll(self) -> None:
        started = self.clock()  # the injected clock: latency is 0 under a frozen one
        try:
            payload = await self.fetch()
        except JobTuiError as error:
            self.post_message(Polled(None, str(error), self._since(started)))
        else:
            self.post_message(Polled(payload, None, self._since(started)))

    def _since(self, started: datetime) -> float:
        return max(0.0, (self.clock() - started).total_seconds())

    def on_polled(self, message: Polled) -> None:
        message.stop()
        self.latency = message.latency
        if message.error is None:
            if self.stale_since is not None:
                self.notify("Connection recovered", timeout=3)
            self.failures, self.stale_since, self.stale_reason = 0, None, ""
            self.last_ok = self.clock()
            self.apply(message.payload)
            delay = self.settings.interval
        else:
            self.failures += 1
            self.stale_since = self.stale_since or self.clock()
            self.stale_reason = safe_text(message.error, max_len=160)
            delay = max(self.settings.interval, backoff_delay(self.failures))
        self.polls += 1
        self.show_status()
        self._arm(delay)

    def _arm(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.settings.auto and not self.paused:
            self._timer = self.set_timer(delay, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self.is_current:
            self.poll()
        else:
            self._due = True  # covered by the monitor: catch up when shown again

    def on_screen_resume(self) -> None:
        if self._due and not self.paused:
            self._due = False
            self.poll()

    def announce(self, notices: list[Notice]) -> None:
        for notice in notices:
            announce(self.app, notice, bell=self.settings.bell, desktop=self.settings.desktop)

    def action_refresh(self) -> None:
        self.poll()

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        if self.paused and self._timer is not None:
            self._timer.stop()
            self._timer = None
        elif not self.paused:
            self.poll()
        self.show_status()

    def badges(self) -> str:
        """PAUSED / STALE (since when, why) and the age of the data."""
        parts: list[str] = []
        if self.paused:
            parts.append("PAUSED")
        if self.stale_since is not None:
            since = self.stale_since.strftime("%H:%M:%S")
            parts.append(f"STALE since {since}: {self.stale_reason}")
        if self.last_ok is not None:
            latency = f" ({self.latency * 1000:.0f} ms)" if self.latency is not None else ""
            parts.append(f"updated {self.last_ok.strftime('%H:%M:%S')}{latency}")
        return self.sep.join(parts)


class JobsScreen(PollingScreen):
    """Recent job instances of the scope; Enter opens one, ``w`` the wall."""

    HELP_SECTION: ClassVar[str] = "Job list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "wall", "Wall", tooltip="the wall of running jobs"),
        Binding("r", "refresh", "Refresh", tooltip="refresh now"),
        Binding("p", "toggle_pause", "Pause", tooltip="pause / resume refreshing"),
    ]
    DEFAULT_CSS = """
    JobsScreen #jobs-status { height: 1; background: $panel; padding: 0 1; }
    JobsScreen #jobs-filters { height: 1; color: $foreground-muted; padding: 0 1; }
    JobsScreen #jobs-empty { padding: 1 2; color: $foreground-muted; }
    """

    def __init__(
        self,
        client: JobApi,
        query: JobQuery,
        clock: Callable[[], datetime],
        settings: ScreenSettings,
    ) -> None:
        super().__init__(client, query, clock, settings)
        self.jobs: dict[int, JobSummary] | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Jobs{self.sep}loading{self.dots}", id="jobs-status", markup=False)
        filters = "  ".join(
            f"{k}: {safe_text(v, max_len=40)}" for k, v in self.query_.active.items()
        )
        yield Static(f"filters  {filters}", id="jobs-filters", markup=False)
        yield JobList(ascii_only=self.settings.ascii_only, id="jobs")
        yield Static("", id="jobs-empty", markup=False)
        yield KeyBar()

    @property
    def job_list(self) -> JobList:
        return self.query_one(JobList)

    async def fetch(self) -> object:
        return await fetch_jobs(self.client, self.query_, self.clock())

    def apply(self, payload: object) -> None:
        assert isinstance(payload, list)
        jobs: list[JobSummary] = payload
        self.announce(list_notices(self.jobs, jobs))
        self.jobs = {job.job_instance_id: job for job in jobs}
        self.job_list.show_jobs(jobs, self.clock())
        empty = "" if jobs else "No jobs in this window. Widen it with --since (up to 30d)."
        empty_line = self.query_one("#jobs-empty", Static)
        empty_line.display = not jobs
        empty_line.update(empty)

    def show_status(self) -> None:
        count = self.dots
        if self.jobs is not None:
            count = f"{len(self.jobs)} job" + ("" if len(self.jobs) == 1 else "s")
        badges = self.badges()
        text = f"Jobs{self.sep}{count}" + (f"{self.sep}{badges}" if badges else "")
        self.query_one("#jobs-status", Static).update(text)

    def action_wall(self) -> None:
        from jobtui.tui.screens.wall import WallScreen

        self.app.push_screen(WallScreen(self.client, self.query_, self.clock, self.settings))
