"""The live monitor screen: header, filter bar, step tree, results and log.

State lives here (job, selected step and host, filter, cadence) and is pushed
down into the panes; the poll runs in an exclusive worker that only fetches
(``Poller``) and posts ``PollDone``; the next poll is armed only after the
previous answer is in, so polls never overlap and pause is "do not re-arm".
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from jobtui.api.base import JobApi
from jobtui.api.catalog import host_status
from jobtui.api.errors import InternalOnJob, NotFoundError
from jobtui.api.filters import StepFilter
from jobtui.api.models import HostLog, HostResult, Job, Step, StepResult
from jobtui.core.actions import RESUMABLE_JOB_STATUSES
from jobtui.core.cadence import Cadence
from jobtui.core.counts import (
    CountBook,
    counts_disagree,
    groups_age,
    groups_label,
    groups_settled,
    short_age,
)
from jobtui.core.filter_choices import (
    apply_choice,
    batch_choices,
    retry_choices,
    status_choices,
    tag_choices,
)
from jobtui.core.groups import GroupKey, SortKey
from jobtui.core.history import HistoryBook
from jobtui.core.monitor_state import (
    Answer,
    ArmTimer,
    Ask,
    ClearLog,
    Effect,
    MonitorMachine,
    ShowEarlyLog,
    ShowLogLoading,
    StartPoll,
    StopTimer,
)
from jobtui.core.numfmt import plural
from jobtui.core.options import WatchOptions
from jobtui.core.rolling import RollingEvidence
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import HostCounts, active_step
from jobtui.core.stepcard import chart_note, chart_scope, idle_log_text, log_run_note
from jobtui.core.terminal_seq import fit_clipboard
from jobtui.core.transitions import job_notices
from jobtui.tui.breakpoints import presize
from jobtui.tui.glyphs import cut_mark, dots, sep
from jobtui.tui.notify import announce, copy_text
from jobtui.tui.poller import Poller, PollOutcome, PollPlan
from jobtui.tui.screens.acting import Acting, OperationDone
from jobtui.tui.screens.pickers import ChoiceScreen, TextScreen
from jobtui.tui.tasks import (
    MonitorTasks,
    TaskContext,
    TaskCopy,
    TaskLine,
    TaskProgress,
    TaskToast,
)
from jobtui.tui.widgets.filter_bar import FilterBar
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.header import HeaderState, JobHeader
from jobtui.tui.widgets.logpane import LogPane
from jobtui.tui.widgets.results import ResultsPane
from jobtui.tui.widgets.sparkline import Sparkline
from jobtui.tui.widgets.step_tree import StepTree

MIN_PAGE = 20
CHART_TITLE = "Hosts done / failed"


class PollDone(Message):
    """A poll's answer, posted by the worker."""

    bubble = False  # the screen's own answer: nothing above it handles it

    def __init__(self, outcome: PollOutcome, latency: float) -> None:
        super().__init__()
        self.outcome = outcome
        self.latency = latency


FILTERS = Binding.Group("Filters")
TASKS = Binding.Group("Copy and save")
ACTING = Binding.Group("Act on the job")


_REQUEST_ID = re.compile(r" \(request id [^)]*\)")


@runtime_checkable
class KeepsNotices(Protocol):
    """An app that keeps notices whole for `m` (``JobtuiApp.remember``)."""

    def remember(self, message: str, *, severity: SeverityLevel = "error") -> None: ...


@runtime_checkable
class EndsOnNotFound(Protocol):
    """An app told when the job or step it was asked for is missing (``JobtuiApp``).

    A protocol rather than an import: the app module imports this screen.
    """

    def not_found(self, screen: Screen[Any], message: str) -> bool: ...


#: Seconds without a first answer before the empty steps and results panes show.
SHOW_PANES_AFTER = 0.5


class MonitorScreen(Screen[None]):
    """Everything about one job execution."""

    # `z` fills the screen with one pane, but the job's status must not disappear
    # with it: the header (status, name, id; line 2 its freshness, PAUSED, STALE),
    # the task line, a follow-newest countdown and the key bar stay.
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str | None] = "JobHeader, TaskLine, Countdown, KeyBar"

    # The help screen (``?``) is generated from these: the tooltip is its text,
    # the group its section (jobtui/tui/keys.py).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
        Binding("p", "toggle_pause", "Pause", tooltip="pause / resume polling"),
        # The key bar offers what p does now: Resume while paused (see check_action).
        Binding("p", "toggle_pause('resume')", "Resume", tooltip="resume polling"),
        Binding("r", "refresh", "Refresh", tooltip="refresh now"),
        Binding(
            "plus,equals_sign",
            "interval(1)",
            "Slower",
            key_display="+",
            tooltip="poll interval up (1..60 s)",
        ),
        Binding("minus", "interval(-1)", "Faster", key_display="-", tooltip="poll interval down"),
        Binding("z", "maximise", "Max", tooltip="maximise the focused pane (again to restore)"),
        # From any pane: focus the log and open its find bar (the log pane's own
        # ctrl+f handles it when the focus is already inside the log).
        Binding(
            "ctrl+f",
            "find_in_log",
            "Find in log",
            show=False,
            tooltip="find in the log (from any pane: focuses the log)",
        ),
        Binding("F", "follow_step", "Follow step", show=False, tooltip="follow the running step"),
        # `/` and `K` open a text box: priority bindings, run while the App reads the
        # key, so what is typed in the same instant goes into the box (TextScreen), not
        # to the panes' keys; not while an input has the focus (check_action).
        Binding(
            "slash",
            "pick('search_ip')",
            "IP",
            key_display="/",
            group=FILTERS,
            priority=True,
            tooltip="search hosts by IP",
        ),
        # K, not k: j / k move in every list (issue 15), as in vim, less and k9s.
        Binding(
            "K",
            "pick('keyword')",
            "Keyword",
            group=FILTERS,
            priority=True,
            tooltip="log keyword",
        ),
        Binding("s", "pick('status')", "Status", group=FILTERS, tooltip="status (step's groups)"),
        Binding("t", "pick('tag')", "Tag", group=FILTERS, tooltip="tag (step's groups)"),
        Binding(
            "b",
            "pick('batch')",
            "Batch",
            group=FILTERS,
            tooltip="rolling batch (current, all; numbers only for a step known to roll)",
        ),
        Binding(
            "e",
            "pick('execute_count')",
            "Retry",
            group=FILTERS,
            tooltip="retry (execute count; the latest is marked)",
        ),
        Binding("x", "clear_filters", "Clear", group=FILTERS, tooltip="clear every filter"),
        Binding(
            "c",
            "copy_ips('ip')",
            "Copy IPs",
            group=TASKS,
            tooltip="copy the selected group's IPs (one a line, OSC 52)",
        ),
        Binding(
            "C",
            "copy_ips('cloud:ip')",
            "Copy cloud:IPs",
            show=False,
            key_display="C",
            group=TASKS,
            tooltip="copy them as cloud:ip lines",
        ),
        Binding(
            "a",
            "actions",
            "Act",
            group=ACTING,
            tooltip="act on the job: confirm, retry, ignore, skip, continue rolling, terminate",
        ),
        Binding(
            "l",
            "save_host_log",
            "Save log",
            group=TASKS,
            tooltip="save the selected host's log to a file",
        ),
        Binding(
            "L",
            "save_step_logs",
            "Save step logs",
            show=False,
            key_display="L",
            group=TASKS,
            tooltip="save every host's log of the selected step",
        ),
        Binding(
            "escape",
            "cancel_task",
            "Cancel",
            show=False,
            group=TASKS,
            tooltip="cancel a copy or save in progress, else clear a log search",
        ),
    ]

    def __init__(
        self, client: JobApi, options: WatchOptions, clock: Callable[[], datetime], *, auto: bool
    ) -> None:
        super().__init__()
        self.options = options
        self.clock = clock
        self.auto = auto  # re-arm timers; tests drive polls with `r` instead
        self.client = client
        self.poller = Poller(client)
        self.tasks = MonitorTasks(
            client,
            self._task_context,
            lambda work: self.run_worker(work, group="task", exit_on_error=False),
            self.post_message,
        )
        self.acting = Acting(self)
        self.history = HistoryBook()
        self.rolling = RollingEvidence()  # which steps roll (batch picker, core/rolling)
        # Every polling and ordering decision (core/monitor_state); this screen
        # keeps the data and the widgets and runs the effects.
        self.machine = MonitorMachine.create(
            options.interval, auto=auto, preselect=options.step_instance_id
        )
        self.filter = options.filter
        self._good_filter = options.filter
        self.job: Job | None = None
        self.result: StepResult | None = None
        self.step_id: int | None = options.step_instance_id
        self.host: HostResult | None = None
        self._early_log: HostLog | None = None  # its host: machine.state.early_log_host
        self.book = CountBook()  # one source per figure (core/counts, docs/numbers.md)
        self.page_size = MIN_PAGE
        self._timer: Timer | None = None
        self._ticker: Timer | None = None  # the once-a-second clock; paused when nothing ticks
        self._last_ok: datetime | None = None
        self._job_at: datetime | None = None  # when the job status shown was fetched
        self._result_at: datetime | None = None  # when the groups shown were fetched
        self._groups_failed = False  # their last request failed (the header says why)
        self._chart_scope = ""  # what the chart's counts cover (``_record``)
        self._groups_age = ""  # how the groups compare with the tree (``_label_results``)
        #: the filter picker open above this screen, kept current (``_refresh_picker``)
        self._picker: tuple[str, ChoiceScreen] | None = None
        self._latency: float | None = None
        self._stale_since: datetime | None = None
        self._stale_reason = ""
        self._stale_full = ""  # the whole reason, kept in the notices once per reason
        self._loading = True  # the first screen is not complete yet (see _first_screen)
        self._internal_told = False  # InternalOnJob (v3 on a container job) toasted

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        ascii_only = self.options.ascii_only
        yield JobHeader(self._header_state(), id="header")
        yield FilterBar(self.filter, ascii_only=ascii_only, id="filters")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield StepTree(ascii_only=ascii_only, id="steps")
                yield Sparkline(ascii_only=ascii_only, id="chart")
            with Vertical(id="right"):
                yield ResultsPane(ascii_only=ascii_only, id="results")
                yield LogPane(ascii_only=ascii_only, id="log")
        yield TaskLine(id="task-line")
        yield KeyBar()

    def on_mount(self) -> None:
        titles = (
            ("#steps", "Steps"),
            ("#chart", CHART_TITLE),
            ("#results", "Results"),
            ("#log", "Log"),
        )
        for selector, title in titles:
            self.query_one(selector).border_title = title
        self.query_one(StepTree).focus()
        self._ticker = self.set_interval(1.0, self._tick_ui, pause=True)
        self.log_pane.set_idle_text(f"loading{dots(self.options.ascii_only)}")
        self._show_panes(False)
        # A slow answer: the empty panes appear after a moment rather than a blank.
        self.set_timer(SHOW_PANES_AFTER, self._slow_first_answer)
        self.refresh_now()

    def _first_screen(self) -> None:
        """The first answer is on screen: every pane shows, the log stops saying "loading".

        Until then the header says "Loading job N", the log pane "loading", and
        the steps and results panes are hidden, so the first answer is painted
        once, whole (painting each pane as its part of the answer came cost 50 ms
        more before the log showed, measure 6). The log pane stays shown: its
        view has its size when the first log comes, which is then drawn at its
        end with its scroll bars in one frame. No app-wide paint hold (an app left
        in ``batch_update`` mode by a screen that went away before its answer
        froze ``jobtui jobs``), and no loading cover over the body: under a cover
        the log view had no size, and got its scroll bars a frame after the log.
        """
        if self._loading:
            self._loading = False
            self.log_pane.set_idle_text(idle_log_text(self.result))
            self._show_panes(True)

    def _slow_first_answer(self) -> None:
        if self._loading:
            self._show_panes(True)

    def _show_panes(self, show: bool) -> None:
        for pane in ("#left", "#results"):
            self.query_one(pane).visible = show

    @property
    def step_tree(self) -> StepTree:
        return self.query_one(StepTree)

    @property
    def results(self) -> ResultsPane:
        return self.query_one(ResultsPane)

    @property
    def log_pane(self) -> LogPane:
        return self.query_one(LogPane)

    @property
    def chart(self) -> Sparkline:
        return self.query_one(Sparkline)

    # ------------------------------------------------------------ polling

    @property
    def cadence(self) -> Cadence:
        return self.machine.cadence

    @cadence.setter
    def cadence(self, cadence: Cadence) -> None:
        self.machine.state.cadence = cadence

    @property
    def paused(self) -> bool:
        return self.machine.state.paused

    def refresh_now(self, *, job: bool = True, force: bool = True) -> None:
        """Poll at once (cancelling a poll in flight: the newer question wins)."""
        self._run_effects(self.machine.refresh(job=job, force=force))

    def _run_effects(self, effects: list[Effect]) -> None:
        """Do what the state machine decided, in order."""
        for effect in effects:
            if isinstance(effect, StartPoll):
                self._run(self._plan_for(effect.ask))
            elif isinstance(effect, ArmTimer):
                self._timer = self.set_timer(effect.delay, self._tick)
            elif isinstance(effect, StopTimer):
                if self._timer is not None:
                    self._timer.stop()
                    self._timer = None
            elif isinstance(effect, ShowEarlyLog):
                self.log_pane.show_log(self.host, self._early_log, running=self._host_running())
                self._early_log = None
            elif isinstance(effect, ShowLogLoading):
                self._early_log = None
                self.log_pane.show_log(self.host, None, running=self._host_running(), loading=True)
            elif isinstance(effect, ClearLog):
                self._early_log = None
                self.log_pane.show_log(None, None, running=False)

    def _plan_for(self, ask: Ask) -> PollPlan:
        return PollPlan(
            self.options.job_instance_id,
            job=ask.job or self.job is None,
            step_instance_id=self.step_id,
            filter=self.filter.with_(max_hosts_per_group=self._page()),
            host=self._current_host(),
            force=ask.force,
            fetch_result=ask.result,
            fetch_log=ask.log,
            follow=self.step_id is None and self.job is None,
            pick=self._pick() if self.host is None else None,
            finals=self._finals() if ask.job and self.job is not None else (),
            flat=self.rolling.flat(),
        )

    def _finals(self) -> tuple[int, ...]:
        """Finished steps whose final counts the tree lacks (not the selected one)."""
        return tuple(sorted(sid for sid in self.book.wanted if sid != self.step_id))

    def _pane(self) -> ResultsPane | None:
        """The results pane, or ``None`` before this screen has composed."""
        try:
            return self.results
        except NoMatches:
            return None

    def _page(self) -> int:
        """Hosts per group to ask for: at least what fits (+6), from the first request.

        Before the first layout the pane's height is unknown; the terminal's
        height bounds it, so the first answer is not followed by a bigger one.
        """
        pane = self._pane()
        if pane is not None and pane.size.height:
            fits = pane.visible_rows
        else:
            fits = self.app.size.height - 5  # before the first layout
        self.page_size = max(self.page_size, fits)
        return self.page_size

    def _current_host(self) -> HostResult | None:
        return self.host

    def _pick(self) -> tuple[GroupKey | None, SortKey, bool]:
        """How the results pane will choose a host (see ``PollPlan.pick``)."""
        pane = self._pane()
        if pane is None:  # not composed yet: the pane's defaults
            return None, SortKey.ELAPSED, False
        sort_key, reverse = pane.table_sort
        return pane.group_key, sort_key, reverse

    @work(exclusive=True, group="poll", exit_on_error=False)
    async def _run(self, plan: PollPlan) -> None:
        started = self.clock()  # the injected clock: latency is 0 under a frozen one
        outcome = await self.poller.poll(plan, self.job)
        latency = (self.clock() - started).total_seconds()
        self.post_message(PollDone(outcome, max(0.0, latency)))

    def _tick(self) -> None:
        self._timer = None
        self._run_effects(self.machine.tick(time.monotonic()))

    @on(PollDone)
    def _on_poll_done(self, message: PollDone) -> None:
        outcome = message.outcome
        self.machine.received()
        if outcome.job is not None:
            self._job_at = self.clock()
            self._apply_job(outcome.job, outcome.result)
        elif outcome.meta is not None and self.job is not None:
            operator, mode = outcome.meta
            self.job = replace(self.job, operator=operator, launch_mode=mode)
        if outcome.result is not None and outcome.result.step_instance_id == self.step_id:
            self._apply_result(
                outcome.result, outcome.plan.filter, outcome.whole, fresh=outcome.job is not None
            )
        if outcome.finals and self.job is not None:
            for final in outcome.finals:
                step = self.job.step(final.step_instance_id)
                self.book.observe_result(final, StepFilter(batch=0), step, rolls=False)
            self.step_tree.show_job(self.job, self.counts, self.clock())
        if outcome.log is not None and self._same_host(outcome.log_host):
            self.log_pane.show_log(self.host, outcome.log, running=self._host_running())
        elif outcome.log is not None and outcome.log_host is not None:
            # The log of the host the results pane is about to select (its
            # HostSelected is queued behind this message): shown when it arrives.
            self._early_log = outcome.log
            self.machine.log_came_early(outcome.log_host.key)
        if outcome.log_error is not None and self._same_host(outcome.log_host):
            self.log_pane.log_failed(str(outcome.log_error))
        if self.machine.first_screen_done:
            self._first_screen()
        if outcome.unsupported is not None:
            self._revert_filter(str(outcome.unsupported))
        elif outcome.error is not None:
            if self.job is None and isinstance(outcome.error, NotFoundError):
                # No such job on the first poll: the user's mistake, said once (issue 15).
                # A job that disappears later keeps its screen, stale, saying why.
                self.app_not_found(str(outcome.error))
            internal = isinstance(outcome.error, InternalOnJob)
            if internal and not self._internal_told:
                self._internal_told = True  # the header line may cut it: say it whole, once
                self.notify(str(outcome.error), title="Not retried", severity="error", timeout=30)
            self._stale(str(outcome.error), told=internal)
            if outcome.plan.fetch_result and outcome.result is None:
                self._groups_failed = True
            if self._same_host(outcome.plan.host):
                # the poll failed before the log was asked (a log's own failure is
                # ``log_error``): the header names the request that failed
                self.log_pane.log_failed("see the header")
        else:
            self._fresh(message.latency)
        plan = outcome.plan
        answer = Answer(
            Ask(plan.job, plan.fetch_result, plan.fetch_log, plan.force),
            ok=outcome.ok,
            error=outcome.error,
            log_fetched=(plan.fetch_log and plan.host is not None) or outcome.log_host is not None,
        )
        effects = self.machine.answered(time.monotonic(), answer)
        self._repaint_header()
        self._label_results()
        self._refresh_picker()
        self._sync_ticker()
        self._run_effects(effects)

    def _label_results(self) -> None:
        """Say on the groups' border when they are filtered or older than the step tree.

        The tree and header come from the job status (every ``interval``), the
        groups from the step result (the web UI's cadence): two sources, each
        one figure, and the older one says so (see docs/numbers.md).
        """
        result = self.result
        step = (
            None if self.job is None or result is None else self.job.step(result.step_instance_id)
        )
        lag = (
            None
            if self._job_at is None or self._result_at is None or groups_settled(result, step)
            else (self._job_at - self._result_at).total_seconds()
        )
        tree = None if result is None else self.book.whole(result.step_instance_id)
        age = groups_age(lag, result is not None and counts_disagree(result, tree, step))
        if self._groups_failed and self._result_at is not None:
            # the groups' request failed (the header says why): not just older
            age = f"not updated since {self._result_at.strftime('%H:%M:%S')}"
        label = groups_label(self.filter, result is not None, age, sep(self.options.ascii_only))
        if self.results.border_subtitle != label:
            self.results.border_subtitle = label
        self._groups_age = age
        self._title_chart()

    def on_resize(self) -> None:
        self._title_chart()  # fitted to the chart's width

    def _title_chart(self) -> None:
        """The chart's title: what it counts and, as it draws the groups' counts, their age.

        Fitted here (short words, the console's separator and cut mark): Textual
        would cut a long border title with a ``…`` the Linux console cannot draw.
        """
        ascii_only = self.options.ascii_only
        parts = [CHART_TITLE, self._chart_scope, short_age(self._groups_age)]
        title = sep(ascii_only).join(part for part in parts if part)
        room = self.chart.size.width - 6  # corners, the border's runs and padding
        if room > 0 and len(title) > room:
            mark = cut_mark(ascii_only)
            title = title[: max(0, room - len(mark))].rstrip() + mark
        if self.chart.border_title != title:
            self.chart.border_title = title

    def _sync_ticker(self) -> None:
        """Tick once a second only while something on screen counts time.

        A running job's elapsed times and a stale screen's age count; a finished
        job shows fixed times, so its idle screen has no timer at all.
        """
        if self._ticker is None:
            return
        if self.ticking:
            self._ticker.resume()
        else:
            self._ticker.pause()

    @property
    def counts(self) -> Mapping[int, HostCounts]:
        """The host counts the step tree shows, per step (see ``CountBook``)."""
        return self.book.counts()

    @property
    def ticking(self) -> bool:
        """Whether the once-a-second clock runs (for tests and the idle-CPU design)."""
        job_runs = self.job is not None and not self.job.finished
        return job_runs or self._stale_since is not None

    def _same_host(self, host: HostResult | None) -> bool:
        return host is not None and self.host is not None and host.key == self.host.key

    def _host_running(self) -> bool:
        return self.host is not None and not host_status(self.host.status).finished

    # ------------------------------------------------------------ applying data

    def _apply_job(self, job: Job, result: StepResult | None = None) -> None:
        old = self.job
        self.job = job
        self._reschedule(old, job)
        self.rolling.observe_job(job)
        self.acting.polled(job)  # an operation's lock ends once the state moved
        self.book.observe_job(job)
        for notice in job_notices(old, job):
            announce(self.app, notice, bell=self.options.bell, desktop=self.options.notify)
        preselect = self.machine.state.preselect
        if preselect is not None:
            self.step_tree.following = False  # --step: never follow, not even once
        target = self.step_tree.show_job(job, self.counts, self.clock())
        shown = self.step_id
        self.results.follow_step(job.step(shown) if shown is not None else None, self.clock())
        if preselect is not None:
            # the tree's first highlights (line 0 as it is built) are on their
            # way: only the chosen step's count, or --step would flip-flop
            found = self.step_tree.select_step(preselect)
            self.machine.take_preselect(found)
            if found:
                target = preselect
            else:
                missing = f"step instance {preselect} not found in job {job.job_instance_id}"
                if not self.app_not_found(missing):
                    self.notify(f"No step {preselect} in this job", severity="warning")
        if target != self.step_id:
            # The first poll may already carry the followed step's result.
            arrived = result is not None and result.step_instance_id == target
            self._choose_step(target, fetch=not arrived)

    def _reschedule(self, old: Job | None, job: Job) -> None:
        """Tell the state machine what changed (it makes the step data due at once)."""

        def state(of: Job | None) -> tuple[int, int] | None:
            step = of.step(self.step_id) if of is not None and self.step_id is not None else None
            return None if step is None else (step.status, step.execute_count)

        retried = self.machine.job_seen(
            time.monotonic(),
            was_finished=None if old is None else old.finished,
            finished=job.finished,
            step_before=state(old),
            step_after=state(job),
            resumable=job.status in RESUMABLE_JOB_STATUSES,
        )
        if retried:
            self.poller.forget()  # a retried job: finished data is stale again

    def _apply_result(
        self,
        result: StepResult,
        flt: StepFilter,
        whole: StepResult | None = None,
        *,
        fresh: bool = False,
    ) -> None:
        """The selected step's result; ``whole``, the whole step's counts fetched beside it
        (a big job's running step), or the job status's host lists (``fresh``: fetched
        in the same poll) tell whether the result is one batch, and which; ``whole``
        gives the tree and header the whole step (docs/numbers.md)."""
        self.result = result
        self._result_at = self.clock()
        self._groups_failed = False
        sid = result.step_instance_id
        step = self.job.step(sid) if self.job is not None else None
        self.rolling.observe_result(result)
        listed, exact = _listed(step, result)
        self.rolling.observe_sizes(
            result,
            flt,
            HostCounts.from_result(whole) if whole else listed,
            same_poll=whole is not None or fresh or exact,
        )
        rolling = self.rolling.get(sid)
        self.book.observe_result(result, flt, step, rolls=rolling is not None and rolling.rolls)
        if whole is not None:
            self.book.observe_result(whole, StepFilter(batch=0), step, rolls=False)
        self.results.show_result(result, self.clock(), rolling)
        self.log_pane.set_idle_text(idle_log_text(result))
        self.log_pane.set_run_note(log_run_note(result))
        self._record(result, chart_scope(result, flt, rolling))
        if self.job is not None:
            self.step_tree.show_job(self.job, self.counts, self.clock())

    def _record(self, result: StepResult, scope: str = "") -> None:
        """A chart sample of the selected step; repeats are dropped, so idle polls draw nothing.

        ``scope`` (``chart_scope``) goes in the chart's title when its counts cover
        less than the tree's and header's figure (a rolling step's current batch).
        """
        self._chart_scope = scope
        self._title_chart()
        note = chart_note(result)
        if note is not None:  # nothing to count: no "done 0/0"
            self.chart.show(None, note=note)
            return
        counts = HostCounts.from_result(result)  # the chart draws what the groups show
        history = self.history.record(
            result.step_instance_id,
            result.execute_count,
            self.clock().timestamp(),
            done=counts.done,
            failed=counts.failed,
            total=counts.total,
        )
        self.chart.show(history)

    def _choose_step(self, step_id: int | None, *, fetch: bool = True) -> None:
        if step_id == self.step_id:
            return
        self.step_id = step_id
        self.result = None
        self._result_at = None
        self.host = None
        self.results.show_result(None)
        self.log_pane.set_idle_text(None)
        self.log_pane.set_run_note(None)
        self.chart.show(None)
        self.chart.border_title = CHART_TITLE
        self.log_pane.show_log(None, None, running=False)
        fetch = fetch and step_id is not None and self.job is not None
        self._run_effects(self.machine.step_changed(time.monotonic(), fetch=fetch))

    @on(StepTree.StepChosen)
    def _on_step_chosen(self, message: StepTree.StepChosen) -> None:
        if not self.machine.step_highlighted(message.step_instance_id):
            return
        if message.step_instance_id != self.step_id:
            self._choose_step(message.step_instance_id)

    @on(ResultsPane.HostSelected)
    def _on_host_selected(self, message: ResultsPane.HostSelected) -> None:
        before, self.host = self.host, message.host
        key = None if message.host is None else message.host.key
        moved = before is not None and message.host is not None and before.key == key
        if moved and message.host is not None:
            # the same host, a new status (it finished, failed, timed out)
            self.log_pane.host_moved(message.host, running=self._host_running())
        self._run_effects(self.machine.host_selected(time.monotonic(), key, moved=moved))
        if message.host is not None:
            self._first_screen()  # a host is chosen: the first screen is complete

    @on(ResultsPane.MoreHostsWanted)
    def _on_more_hosts(self, message: ResultsPane.MoreHostsWanted) -> None:
        if message.wanted > self.page_size:
            self.page_size = message.wanted
            self._run_effects(self.machine.more_hosts())

    # ------------------------------------------------------------ freshness

    def _fresh(self, latency: float) -> None:
        self._last_ok = self.clock()
        self._latency = latency
        if self._stale_since is not None:
            self.notify("Connection recovered", timeout=3)
        self._stale_since = None
        self._stale_reason = ""
        self._stale_full = ""

    def app_not_found(self, message: str) -> bool:
        """Tell the app what the command line asked for does not exist; True if it ends."""
        return isinstance(self.app, EndsOnNotFound) and self.app.not_found(self, message)

    def _stale(self, reason: str, *, told: bool = False) -> None:
        """The screen is not up to date because of ``reason`` (``told``: toasted already)."""
        if self._stale_since is None:
            self._stale_since = self.clock()
        same = _REQUEST_ID.sub("", reason) == _REQUEST_ID.sub("", self._stale_full)
        if not same and not told and isinstance(self.app, KeepsNotices):
            # the header cuts it: each new reason is kept whole (with its request id)
            # for `m`, once (each retry's answer has a request id of its own)
            self.app.remember(f"Not updated: {reason}")
        self._stale_full = reason
        self._stale_reason = safe_text(reason, max_len=160)

    def _header_state(self) -> HeaderState:
        active = active_step(self.job) if self.job else None
        return HeaderState(
            job_instance_id=self.options.job_instance_id,
            job=self.job,
            now=self.clock(),
            active_counts=self.book.whole(active.step_instance_id) if active else None,
            last_ok=self._last_ok,
            latency=self._latency,
            paused=self.paused,
            stale_since=self._stale_since,
            stale_reason=self._stale_reason,
            # 30 s once the job finished (live for a while when a person can resume it)
            interval=self.cadence.job_delay(time.monotonic()),
            title=self.options.title,
            ascii_only=self.options.ascii_only,
        )

    def _repaint_header(self) -> None:
        self.query_one(JobHeader).show(self._header_state())

    def _tick_ui(self) -> None:
        """Once a second: ages and running elapsed times; unchanged text is not repainted."""
        self._repaint_header()
        if self.job is not None and not self.job.finished:
            self.step_tree.show_job(self.job, self.counts, self.clock())

    # ------------------------------------------------------------ filters

    def set_filter(self, flt: StepFilter) -> None:
        """Apply a new filter and fetch the step result at once."""
        if flt == self.filter:
            return
        self._good_filter = self.filter
        self.filter = flt
        self.query_one(FilterBar).show(flt)
        self._label_results()
        self._run_effects(self.machine.filter_changed(time.monotonic()))

    def _revert_filter(self, reason: str) -> None:
        self.notify(
            safe_text(reason, max_len=160),
            title="Filter not supported",
            severity="warning",
            markup=False,
        )
        self.filter = self._good_filter
        self.query_one(FilterBar).show(self.filter)
        self._run_effects(self.machine.filter_rejected())

    def action_pick(self, name: str) -> None:
        if name in ("search_ip", "keyword"):
            title = "Search hosts by IP" if name == "search_ip" else "Log keyword"
            current = getattr(self.filter, name) or ""
            self.app.push_screen(
                presize(self.app, TextScreen(title, current)), lambda v: self._picked(name, v)
            )
            return
        titles = {"status": "Status", "tag": "Tag", "batch": "Batch", "execute_count": "Retry"}
        picker = ChoiceScreen(titles[name], self._choices(name), self._current(name))
        self._picker = (name, picker)
        self.app.push_screen(presize(self.app, picker), lambda v: self._picked(name, v))

    def _choices(self, name: str) -> list[tuple[str, str]]:
        """What the ``name`` picker offers, from the step and groups on screen now."""
        step = self.job.step(self.step_id) if self.job and self.step_id is not None else None
        return {
            "status": lambda: status_choices(self.result),
            "tag": lambda: tag_choices(self.result),
            "batch": lambda: batch_choices(
                self.filter, self.result, self.rolling.get(self.step_id)
            ),
            "execute_count": lambda: retry_choices(step),
        }[name]()

    def _refresh_picker(self) -> None:
        """An open picker follows the answers as the panes behind it do (its counts are
        the groups' counts, a new retry or batch joins the list)."""
        if self._picker is not None:
            name, picker = self._picker
            picker.update_choices(self._choices(name))

    def _current(self, name: str) -> str:
        if name == "status":
            return str(self.filter.statuses[0]) if self.filter.statuses else ""
        value = getattr(self.filter, name)
        return "" if value is None else str(value)

    def _picked(self, name: str, value: str | None) -> None:
        self._picker = None
        if value is not None:
            self.set_filter(apply_choice(self.filter, name, value))

    def action_clear_filters(self) -> None:
        self.set_filter(self.filter.cleared())

    # ------------------------------------------------------------ other actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show "p Pause" while polling and "p Resume" while paused, never both."""
        if action == "toggle_pause":
            return self.paused == (parameters == ("resume",))
        if action == "pick" and parameters in (("search_ip",), ("keyword",)):
            return not isinstance(self.focused, Input)  # typing: `/` and `K` are text
        return True

    def action_toggle_pause(self, _label: str = "pause") -> None:
        self._run_effects(self.machine.toggle_pause(time.monotonic()))
        self.refresh_bindings()
        self._repaint_header()

    def action_refresh(self) -> None:
        self.refresh_now()

    def action_interval(self, delta: int) -> None:
        self.cadence.bump_interval(delta)
        self._repaint_header()

    def action_maximise(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused)

    def action_follow_step(self) -> None:
        self.step_tree.action_follow()
        if self.job is not None:
            self.step_tree.show_job(self.job, self.counts, self.clock())

    # ------------------------------------------------------------ tasks (tui/tasks)

    def _task_context(self) -> TaskContext:
        pane = self._pane()
        return TaskContext(
            job_instance_id=self.options.job_instance_id,
            save_dir=self.options.save_dir,
            filter=self.filter,
            step_id=self.step_id,
            host=self.host,
            result=self.result,
            group=pane.selected_group if pane is not None else None,
            sort=pane.table_sort if pane is not None else (SortKey.ELAPSED, False),
        )

    @on(TaskProgress)
    def _on_task_progress(self, message: TaskProgress) -> None:
        self.query_one(TaskLine).say(message.text)

    @on(TaskToast)
    def _on_task_toast(self, message: TaskToast) -> None:
        self.app.notify(message.text, title="jobtui", severity=message.severity, markup=False)

    @on(TaskCopy)
    def _on_task_copy(self, message: TaskCopy) -> None:
        fitted, kept, lines = fit_clipboard(message.text)
        if kept == 0:
            self.app.notify("No addresses to copy", title="jobtui", severity="warning")
            return
        outcome = copy_text(self.app, fitted)
        total = message.total
        if kept < total:
            of = plural(total, "host")
            outcome += f" (the first {kept:,} of {of}: the most a terminal clipboard takes)"
        elif lines < total:
            missing = total - lines
            verb = "has" if missing == 1 else "have"
            outcome += f" ({plural(missing, 'host')} {verb} no address)"
        self.app.notify(safe_text(outcome, max_len=300), title="jobtui", markup=False)

    def action_copy_ips(self, fmt: str) -> None:
        self.tasks.copy_group("cloud:ip" if fmt == "cloud:ip" else "ip")

    def action_save_host_log(self) -> None:
        self.tasks.save_host()

    def action_save_step_logs(self) -> None:
        self.tasks.save_step()

    def action_cancel_task(self) -> None:
        """Escape cancels a copy or save, else clears a log search shown (from any pane);
        otherwise it means what it means around us (back to the list)."""
        if not self.tasks.cancel() and not self.log_pane.clear_search():
            raise SkipAction()

    def action_find_in_log(self) -> None:
        """ctrl+f anywhere: the log pane gets the focus with its find bar open."""
        if self.maximized is not None and self.maximized is not self.log_pane:
            self.minimize()
        self.log_pane.action_find()

    def action_actions(self) -> None:
        """``a``: act on the selected step and the job (see ``tui/screens/acting.py``)."""
        self.acting.open_menu()

    @on(OperationDone)
    def _on_operation_done(self, message: OperationDone) -> None:
        self.acting.done(message)

    def action_help(self) -> None:
        from jobtui.tui.screens.help import HelpScreen  # loaded on first use, like the dialogs

        self.app.push_screen(presize(self.app, HelpScreen(self)))


def _listed(step: Step | None, result: StepResult) -> tuple[HostCounts | None, bool]:
    """The whole step's counts from the job status's host lists (``None``: it has none),
    and whether they are exact beside ``result``: when the result lists every host
    of its batch, the hosts outside it are counted from the job status by identity,
    and those do not move while the batch runs (earlier batches are final, later
    ones wait), so a job status a poll older than the result still counts them."""
    if step is None or not step.hosts:
        return None, False
    if any(len(group.hosts) != group.host_count for group in result.groups):
        return HostCounts.from_hosts(step.hosts), False
    inside = {host.key for group in result.groups for host in group.hosts}
    keys = {host.key for host in step.hosts}
    if not inside <= keys:  # not the same hosts: no identity to count by
        return HostCounts.from_hosts(step.hosts), False
    outside = HostCounts.from_hosts(h for h in step.hosts if h.key not in inside)
    batch = HostCounts.from_result(result)
    whole = HostCounts(
        outside.ok + batch.ok,
        outside.failed + batch.failed,
        outside.running + batch.running,
        outside.waiting + batch.waiting,
    )
    return whole, True
