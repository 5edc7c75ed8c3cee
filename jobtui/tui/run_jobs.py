"""`jobtui jobs`: the job list, the wall, and the monitor of any job opened from them.

With ``follow_newest`` the app opens the newest running job at start and, when
the watched job ends, counts down visibly (``FOLLOW_COUNTDOWN`` seconds, Escape
cancels by going back to the list) and switches to the scope's newest running
job, so a screen left on the wall always shows what is running.

The screen never changes under the user's hands: while any screen or dialog is
open above the monitor (the action menu, a confirmation, help, notices, a
picker, the palette), while the user types or a log search is on screen, and
while an operation sent from the monitor awaits its effect, the countdown
holds and says why; it starts again from its full length once nothing holds it.
A key that moves a cursor or scrolls in the monitor (``MOVE_KEYS``), or the mouse
wheel, is someone reading a row: it starts the countdown again from its full length, and a switch
whose job list was being fetched when the key came waits for the next countdown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.events import Event, Key, MouseScrollDown, MouseScrollUp
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError, JobTuiError
from jobtui.core.actions import RESUMABLE_JOB_STATUSES
from jobtui.core.audit import AuditContext
from jobtui.core.joblist import JobQuery, WallPolicy, newest_live
from jobtui.core.options import WatchOptions, default_save_dir
from jobtui.core.poll_loop import PollLoop
from jobtui.core.readonly import ReadOnly
from jobtui.core.sanitize import safe_text
from jobtui.core.terminal_caps import few_colours
from jobtui.tui.base_app import JobtuiApp
from jobtui.tui.breakpoints import presize
from jobtui.tui.glyphs import dots, sep
from jobtui.tui.lifecycle import run_until_gone
from jobtui.tui.screens.jobs import JobsScreen
from jobtui.tui.screens.monitor import MonitorScreen, PollDone
from jobtui.tui.screens.polling import ScreenSettings, fetch_jobs
from jobtui.tui.screens.too_small import TooSmallScreen
from jobtui.tui.tasks import TaskLine
from jobtui.tui.widgets.job_list import OpenJob

FOLLOW_COUNTDOWN = 10
#: Keys that move a cursor or scroll in the monitor (tree, hosts, log, group tabs,
#: panes). A press is someone reading: the countdown starts again from full.
MOVE_KEYS = frozenset(
    {
        "up", "down", "left", "right", "j", "k", "pageup", "pagedown", "home", "end",
        "g", "G", "left_square_bracket", "right_square_bracket", "tab", "shift+tab",
    }
)  # fmt: skip
FOLLOW_RETRY = 30.0  # no running job yet: look again this often


@dataclass(frozen=True, slots=True)
class JobsOptions:
    """What `jobtui jobs` hands to the app (flags already validated)."""

    since: timedelta = timedelta(hours=24)
    statuses: tuple[int, ...] = ()
    operator: str | None = None
    name: str | None = None
    follow_newest: bool = False
    interval: float = 5.0  # job list refresh, seconds
    bell: bool = False
    notify: bool = False  # OSC 9 / 777 desktop notifications
    ascii_only: bool = False
    title: str = ""  # connection description, e.g. "v3 · biz 2"
    open_job: int | None = None  # open this job's monitor at start (`watch --follow-newest`)
    watch_interval: float = 2.0  # job-status poll period of the monitors it opens
    save_dir: Path = field(default_factory=default_save_dir)  # where `l` / `L` save logs
    readonly: ReadOnly | None = None  # why the monitors it opens never send an operation
    audit: AuditContext | None = None  # where the monitors' operations are recorded
    wall: WallPolicy = field(default_factory=WallPolicy)  # failure window, failed cards (config)

    @property
    def query(self) -> JobQuery:
        return JobQuery(self.since, self.statuses, self.operator, self.name)


def _utcnow() -> datetime:
    """Operations are stamped in UTC wall time (``Acting``), not the demo's clock."""
    return datetime.now(UTC)


class Countdown(Static):
    """The visible "switching in N s" line, in the monitor's layout just above the footer.

    Not docked: a docked line at the bottom would sit on top of the (docked) footer.
    It is given its text as wordings from the longest to the shortest and shows
    the longest that fits its width (refitted on resize), cut with a mark when
    even the shortest does not: a sentence is never cut mid-word without a sign.
    """

    DEFAULT_CSS = """
    Countdown { height: 1; background: $warning 30%; padding: 0 1; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.ascii_only = ascii_only
        self.wordings: tuple[str, ...] = ("",)

    def say(self, *wordings: str) -> None:
        """Show the longest of ``wordings`` that fits (the last one cut when none does)."""
        self.wordings = wordings or ("",)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    @property
    def text(self) -> str:
        """The text shown now (for tests and the e2e rig's reader)."""
        return str(self.content)

    def _fit(self) -> None:
        width = self.content_size.width or max(1, self.app.size.width - 2)
        self.update(fit_wording(self.wordings, width, ascii_only=self.ascii_only))


def fit_wording(wordings: tuple[str, ...], width: int, *, ascii_only: bool = False) -> str:
    """The first of ``wordings`` (longest first) within ``width``; else the last, cut, marked."""
    for text in wordings:
        if len(text) <= width:
            return text
    mark = "~" if ascii_only else "…"
    return wordings[-1][: max(0, width - len(mark))].rstrip() + mark


class JobsApp(JobtuiApp):
    """Job list → wall → monitor, with follow-newest."""

    TITLE = "jobtui jobs"
    BINDINGS: ClassVar[list[BindingType]] = [
        *JobtuiApp.BINDINGS,
        Binding(
            "escape",
            "go_back",
            "Back",
            show=False,
            tooltip="back to the list: from the monitor (a log search is cleared first), the wall",
        ),
    ]

    def __init__(
        self,
        client: JobApi,
        options: JobsOptions,
        *,
        clock: Callable[[], datetime] | None = None,
        auto_poll: bool = True,
    ) -> None:
        super().__init__(client, ascii_only=options.ascii_only, clock=clock, auto_poll=auto_poll)
        self.options = options
        self.settings = ScreenSettings(
            interval=options.interval,
            ascii_only=options.ascii_only,
            bell=options.bell,
            desktop=options.notify,
            auto=auto_poll,
        )
        self.jobs_screen = JobsScreen(
            client, options.query, self.clock, self.settings, wall=options.wall
        )
        self.monitor: MonitorScreen | None = None
        self.countdown: int | None = None
        self._follow_timer: Timer | None = None
        self._moves = 0  # cursor keys pressed on the monitor (MOVE_KEYS)
        self._moves_at_switch = 0  # ... when the countdown ran out and the list was asked
        self._opened_other = False  # a job other than the command line's was opened
        # follow-newest's search for a running job: every 30 s, the one backoff on errors
        self._follow_loop = PollLoop(FOLLOW_RETRY, auto=auto_poll)

    def on_mount(self) -> None:
        super().on_mount()
        self.push_screen(presize(self, self.jobs_screen))
        self.check_size(self.size.width, self.size.height)
        if self.options.open_job is not None:
            self.open_job(self.options.open_job)
        elif self.options.follow_newest:
            self.run_worker(self._follow_newest(exclude=None), exclusive=True, group="follow")

    # ------------------------------------------------------------ monitor

    def on_open_job(self, message: OpenJob) -> None:
        self.open_job(message.job_instance_id)

    def open_job(self, job_instance_id: int) -> None:
        """Show the live monitor of one job on top of the list (or the wall)."""
        if self.monitor is not None:
            self._close_monitor()
            self._opened_other = True
        watch = WatchOptions(
            job_instance_id=job_instance_id,
            interval=self.options.watch_interval,
            bell=self.options.bell,
            ascii_only=self.options.ascii_only,
            title=self.options.title,
            notify=self.options.notify,
            save_dir=self.options.save_dir,
            readonly=self.options.readonly,
            audit=self.options.audit,
        )
        self.monitor = MonitorScreen(self.client, watch, self.clock, auto=self.auto_poll)
        self.push_screen(presize(self, self.monitor))
        if self.options.follow_newest and self._follow_timer is None and self.auto_poll:
            self._follow_timer = self.set_interval(1.0, self._follow_tick)

    def not_found(self, screen: Screen[Any], message: str) -> bool:
        """``watch --follow-newest`` on a missing job ends as ``watch`` does; a job picked
        from the list (or followed) that vanished keeps its screen."""
        monitor = self.monitor
        if monitor is None or screen is not monitor or self._opened_other:
            return False
        if monitor.options.job_instance_id != self.options.open_job:
            return False
        self.fail(message)
        return True

    def _close_monitor(self) -> None:
        if self.monitor is not None and self.monitor in self.screen_stack:
            while self.screen is not self.monitor:
                self.pop_screen()
            self.pop_screen()
        self.monitor = None
        self._stop_follow()

    def action_go_back(self) -> None:
        """Escape: from the monitor (or the wall) back to where it was opened."""
        if self.monitor is not None and self.screen is self.monitor:
            self._close_monitor()
        elif len(self.screen_stack) > 2 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    # ------------------------------------------------------------ follow-newest

    def _follow_tick(self) -> None:
        """Once a second while following: start, hold or advance the countdown (job ended)."""
        monitor = self.monitor
        if monitor is None or monitor.job is None or not monitor.job.finished:
            self._cancel_countdown()  # e.g. a retried job runs again: keep following it
            return
        hold = self._hold_reason()
        if hold is not None:
            # Never switch under the user's hands; start again from the full length after.
            self.countdown = None
            self._countdown_line().say(*self._held_wordings(hold))
            return
        line = self._countdown_line()
        self.countdown = FOLLOW_COUNTDOWN if self.countdown is None else self.countdown - 1
        if self.countdown > 0:
            line.say(*self._counting_wordings(self.countdown))
            return
        self._stop_follow()
        self._moves_at_switch = self._moves
        line.say(
            f"Job ended{self._sep}looking for the newest running job{dots(self.options.ascii_only)}"
        )
        self.run_worker(
            self._follow_newest(exclude=monitor.options.job_instance_id),
            exclusive=True,
            group="follow",
        )

    def on_key(self, event: Key) -> None:
        """A cursor key on the monitor while the countdown runs: it starts again from full.

        Reading rows is using the screen as much as typing is; a countdown that
        kept running would swap the job away mid-row. Keys reach the app after
        the focused widget saw them, before its bindings act on them.
        """
        if event.key in MOVE_KEYS:
            self._reading()

    async def on_event(self, event: Event) -> None:
        """The mouse wheel reads rows as the cursor keys do (the scrolled widget stops
        the event, so it is seen here, on its way to the screen)."""
        if isinstance(event, MouseScrollDown | MouseScrollUp):
            self._reading()
        await super().on_event(event)

    def _reading(self) -> None:
        """Someone moved or scrolled on the monitor: the countdown starts again from full."""
        if self.monitor is None or self.screen is not self.monitor:
            return
        self._moves += 1
        if self.countdown is not None:
            self.countdown = FOLLOW_COUNTDOWN
            self._countdown_line().say(*self._counting_wordings(self.countdown))
            if self._follow_timer is not None:
                self._follow_timer.reset()  # a whole second before the next count

    @on(PollDone)
    def _job_polled(self, _message: PollDone) -> None:
        """A poll shows the watched job running again (a retry): drop the countdown at
        once rather than at the next tick, so "Job ended" never sits under a RUNNING header."""
        monitor = self.monitor
        if monitor is not None and monitor.job is not None and not monitor.job.finished:
            self._cancel_countdown()

    def _hold_reason(self) -> str | None:
        """Why follow-newest must not switch now (``None``: nothing holds it).

        Anything above the monitor (a dialog, help, notices, a picker, the
        palette) would be closed by the switch without a word; typing, a log
        search or an operation awaiting its effect would lose what the user is
        doing or about to see.
        """
        monitor = self.monitor
        if monitor is None:
            return None
        if monitor in self.screen_stack and self.screen is not monitor:
            return "dialog"
        if isinstance(self.focused, Input):
            return "typing"
        pending = monitor.acting.pending
        # an operation that showed no effect within its lock's time holds no longer
        if monitor.acting.sending or (pending is not None and not pending.expired(_utcnow())):
            return "operation"
        if monitor.log_pane.view.query_text:
            return "search"
        return None

    def _user_busy(self) -> bool:
        return self._hold_reason() is not None

    def _counting_wordings(self, seconds: int) -> tuple[str, ...]:
        s = self._sep
        if self._resumable():
            # A person can still retry it: `a` opens the actions and holds the countdown.
            return (
                f"Job ended{s}switching to the newest running job in {seconds} s"
                f"{s}a: act on it{s}Escape: the list",
                f"Job ended{s}switching to the newest job in {seconds} s{s}a: act{s}Escape: list",
                f"Job ended{s}switching in {seconds} s{s}a: act{s}Escape: list",
                f"Job ended{s}switching in {seconds} s{s}Escape: list",
            )
        return (
            f"Job ended{s}switching to the newest running job in {seconds} s"
            f"{s}Escape goes back to the list",
            f"Job ended{s}switching to the newest running job in {seconds} s{s}Escape: the list",
            f"Job ended{s}switching to the newest job in {seconds} s{s}Escape: list",
            f"Job ended{s}switching in {seconds} s{s}Escape: list",
        )

    def _resumable(self) -> bool:
        """The watched job ended where a person can resume it, and this monitor may act."""
        monitor = self.monitor
        job = monitor.job if monitor is not None else None
        may_act = self.options.readonly is None
        return job is not None and job.status in RESUMABLE_JOB_STATUSES and may_act

    def _held_wordings(self, reason: str) -> tuple[str, ...]:
        s = self._sep
        long, short = {
            "dialog": ("while a dialog is open", "dialog open"),
            "typing": ("while you type", "typing"),
            "operation": ("until the operation sent shows its effect", "operation sent"),
            "search": ("while a log search is on screen", "search on"),
        }[reason]
        tail = f"{s}Escape clears the search" if reason == "search" else ""
        return (
            f"Job ended{s}switching to the newest running job waits {long}{tail}",
            f"Job ended{s}switching waits {long}{tail}",
            f"Job ended{s}switching waits: {short}",
        )

    @property
    def _sep(self) -> str:
        return sep(self.options.ascii_only)

    def _countdown_line(self) -> Countdown:
        """The monitor's countdown line, mounted above its task line on first use."""
        assert self.monitor is not None
        lines = self.monitor.query(Countdown)
        if lines:
            return lines.first()
        line = Countdown(ascii_only=self.options.ascii_only, id="follow-countdown")
        self.monitor.mount(line, before=self.monitor.query_one(TaskLine))
        return line

    def _show_countdown(self, text: str) -> None:
        if self.monitor is not None:
            for line in self.monitor.query(Countdown):
                line.say(text)

    def _cancel_countdown(self) -> None:
        """The job runs again before the switch: no countdown, stay on it."""
        self.countdown = None
        if self.monitor is not None:
            for line in self.monitor.query(Countdown):
                line.remove()

    def _stop_follow(self) -> None:
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        self.countdown = None

    async def _follow_newest(self, exclude: int | None) -> None:
        """Open the newest running job other than ``exclude``; retry later when there is none."""
        try:
            jobs = await fetch_jobs(self.client, self.options.query, self.clock())
        except JobTuiError as error:
            self._show_countdown(f"No job list: {safe_text(str(error), max_len=120)}")
            jobs = []
            cause = error if isinstance(error, ApiError) else None
            # the one backoff of every poll loop (not 30 s after every error)
            retry = self._follow_loop.answered(failed=True, error=cause)
        else:
            retry = self._follow_loop.answered(failed=False)
        # Only a running job: one that already ended is not "the newest running job".
        newest = newest_live(jobs, exclude=exclude)
        if exclude is not None and self._revived_or_held():
            # A dialog opened (or typing began, or a retry revived the job) while the
            # list was asked for: count down again once nothing holds, rather than
            # closing the dialog under the user.
            self._restart_follow()
            return
        if newest is not None:
            self.open_job(newest.job_instance_id)
            return
        if exclude is not None:
            self._show_countdown(
                f"Job ended{self._sep}no other job is running; looking again every 30 s"
            )
        if retry is not None:
            self.set_timer(retry, lambda: self._look_again(exclude))

    def _revived_or_held(self) -> bool:
        """The watched job runs again, or the user is busy: no switch now."""
        monitor = self.monitor
        if monitor is None:
            return False
        revived = monitor.job is not None and not monitor.job.finished
        moved = self._moves != self._moves_at_switch  # a cursor key since the count ran out
        return revived or moved or self._user_busy()

    def _look_again(self, exclude: int | None) -> None:
        if exclude is not None and self._follow_timer is not None:
            return  # the countdown runs again (a hold or a revival restarted it)
        if exclude is not None and self._revived_or_held():
            self._restart_follow()
            return
        self.run_worker(self._follow_newest(exclude), exclusive=True, group="follow")

    def _restart_follow(self) -> None:
        """Start the countdown's once-a-second tick again (it holds, then counts from full)."""
        self.countdown = None
        self._moves_at_switch = self._moves
        if self._follow_timer is None and self.auto_poll:
            self._follow_timer = self.set_interval(1.0, self._follow_tick)
        self._follow_tick()

    # ------------------------------------------------------------ size, quit


def run_jobs(
    client: JobApi, options: JobsOptions, clock: Callable[[], datetime] | None = None
) -> int:
    """Run the job list until the user quits or the terminal goes away; return the exit code.

    ``clock`` is the demo's simulated time (``--speed``): elapsed times then count
    in the same time as the server's timestamps instead of mixing the two.
    """
    if not client.capabilities.job_list:
        print(
            f"jobtui: error: the {client.family.value} API family has no job list; "
            "use --api v3, v4 or jobv3",
            file=sys.stderr,
        )
        return 2
    app = JobsApp(client, options, clock=clock)
    if few_colours(os.environ):
        app.limit_colours()
    return run_until_gone(app)
