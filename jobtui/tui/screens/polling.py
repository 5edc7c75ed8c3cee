"""The poll loop of the job list and the wall (and the job list fetch follow-newest uses).

``PollingScreen``: one fetch in an exclusive worker, the next armed only when
the answer is in (polls never overlap), errors keep the last data and show
STALE; when to poll next is ``core.poll_loop.PollLoop`` (the one backoff of
every poll loop, pause, nothing fetched while a monitor covers this screen and
the missed poll made up when it shows again), which follow-newest uses too.
Its own module so that the job list and the wall, which open each other, do
not import each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError, JobTuiError
from jobtui.api.models import JobSummary
from jobtui.core.joblist import JobQuery, newest_first
from jobtui.core.poll_loop import PollLoop
from jobtui.core.sanitize import safe_text
from jobtui.core.transitions import Notice
from jobtui.tui.breakpoints import presize
from jobtui.tui.glyphs import dots, sep
from jobtui.tui.notify import announce
from jobtui.tui.screens.help import HelpScreen


@dataclass(frozen=True, slots=True)
class ScreenSettings:
    """What the list and the wall share: polling period, glyphs, how loud to be."""

    interval: float = 5.0
    ascii_only: bool = False
    bell: bool = False
    desktop: bool = False  # OSC 9 / 777 notifications (--notify)
    auto: bool = True  # re-arm timers; tests drive polls with `r`


class PollDone(Message):
    """A poll's answer (``payload``) or its error, posted by the worker."""

    bubble = False  # the screen's own answer: nothing above it handles it

    def __init__(
        self,
        payload: object | None,
        error: str | None,
        latency: float,
        cause: JobTuiError | None = None,
    ) -> None:
        super().__init__()
        self.payload = payload
        self.error = error
        self.latency = latency
        self.cause = cause  # the error itself: its Retry-After feeds the backoff


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
        self.loop = PollLoop(settings.interval, auto=settings.auto)
        self.stale_since: datetime | None = None
        self.stale_reason = ""
        self.last_ok: datetime | None = None
        self.latency: float | None = None
        self._timer: Timer | None = None

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
            self.post_message(PollDone(None, str(error), self._since(started), error))
        else:
            self.post_message(PollDone(payload, None, self._since(started)))

    def _since(self, started: datetime) -> float:
        return max(0.0, (self.clock() - started).total_seconds())

    def on_poll_done(self, message: PollDone) -> None:
        message.stop()
        self.latency = message.latency
        if message.error is None:
            if self.stale_since is not None:
                self.notify("Connection recovered", timeout=3)
            self.stale_since, self.stale_reason = None, ""
            self.last_ok = self.clock()
            self.apply(message.payload)
            delay = self.loop.answered(failed=False)
        else:
            self.stale_since = self.stale_since or self.clock()
            self.stale_reason = safe_text(message.error, max_len=160)
            cause = message.cause if isinstance(message.cause, ApiError) else None
            delay = self.loop.answered(failed=True, error=cause)
        self.show_status()
        self._arm(delay)

    @property
    def paused(self) -> bool:
        return self.loop.paused

    @property
    def failures(self) -> int:
        return self.loop.failures

    def _arm(self, delay: float | None) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if delay is not None:
            self._timer = self.set_timer(delay, self._tick)

    def _tick(self) -> None:
        self._timer = None
        # on top, not ``is_current``: Textual counts the screen right under the top
        # one as current too, and a list polling under the wall toasted a job's end
        # before the wall's card showed it (two sources, a second apart)
        if self.loop.fired(visible=self.app.screen is self):
            self.poll()  # (covered by the monitor or the wall: made up when shown again)

    def on_screen_resume(self) -> None:
        if self.loop.shown():
            self.poll()

    def announce(self, notices: list[Notice]) -> None:
        for notice in notices:
            announce(self.app, notice, bell=self.settings.bell, desktop=self.settings.desktop)

    def action_help(self) -> None:
        """`?`: every key of this screen, generated from its bindings."""
        self.app.push_screen(presize(self.app, HelpScreen(self)))

    def action_refresh(self) -> None:
        self.poll()

    def action_toggle_pause(self) -> None:
        if self.loop.toggle_pause():
            self.poll()
        elif self._timer is not None:
            self._timer.stop()
            self._timer = None
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
