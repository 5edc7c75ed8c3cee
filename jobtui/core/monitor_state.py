"""The monitor's polling and ordering decisions as plain logic: event in, effects out.

``MonitorScreen`` used to keep these as a dozen fields and ordering flags
patched in over time (``_in_flight``/``_plan``, ``_early_log``,
``_awaited_step``, ``_preselect``, the pause and the timer). Here each event is
one method that updates the state and returns the effects the screen must run
(start a poll asking for these parts, arm the timer, show the log that came
early, …). Nothing here touches a widget, a timer or a clock: ``now`` is passed
in, so every ordering race is a unit test (``tests/core/test_monitor_state.py``).

The races it settles:

- **A poll is cancelled by a newer one** (a new host, a filter, ``r``): the new
  poll asks for everything the cancelled one did too, or a pending result would
  be dropped (the exclusive worker cancels the old poll).
- **The log arrives before its host is selected**: the first poll fetches the
  log of the host the results pane is about to pick, and that pane's
  ``HostSelected`` is queued behind the answer; the log is kept for that host
  and shown when it is selected, not fetched twice.
- **``--step`` and the tree's first highlights**: as the tree is built it
  highlights line 0 on its way to the chosen step; those highlights are
  ignored until the chosen step is, or the screen would flip-flop.
- **Polls never overlap and pause means "do not re-arm"**: the timer is armed
  only once an answer is in, never while paused or in tests that drive polls.
- **A job poll never moves the groups' due time** (the starvation bug): each
  part has its own due time in ``Cadence``, and the selected step starting,
  finishing or being retried makes its groups due at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobtui.api.errors import ApiError
from jobtui.core.cadence import Cadence


@dataclass(frozen=True, slots=True)
class Ask:
    """Which parts a poll fetches; ``force`` skips the finished-data cache."""

    job: bool
    result: bool
    log: bool
    force: bool = False

    def including(self, other: Ask | None) -> Ask:
        """This ask plus whatever ``other`` (a cancelled poll) asked for."""
        if other is None:
            return self
        return Ask(
            self.job or other.job,
            self.result or other.result,
            self.log or other.log,
            self.force or other.force,
        )


@dataclass(frozen=True, slots=True)
class StartPoll:
    """Cancel any poll in flight and start one asking ``ask`` (the screen builds the plan)."""

    ask: Ask


@dataclass(frozen=True, slots=True)
class ArmTimer:
    """Call ``tick`` in ``delay`` seconds."""

    delay: float


@dataclass(frozen=True, slots=True)
class StopTimer:
    """Drop the armed timer."""


@dataclass(frozen=True, slots=True)
class ShowEarlyLog:
    """Show the log that came before its host was selected (kept by the screen)."""


@dataclass(frozen=True, slots=True)
class ShowLogLoading:
    """Another host: its name at once, the previous host's log gone, its log on the way."""


@dataclass(frozen=True, slots=True)
class ClearLog:
    """No host selected: an empty log pane."""


Effect = StartPoll | ArmTimer | StopTimer | ShowEarlyLog | ShowLogLoading | ClearLog


@dataclass(frozen=True, slots=True)
class Answer:
    """What the screen learnt from a poll's answer, as far as scheduling goes."""

    ask: Ask
    ok: bool  # no error and no unsupported filter
    error: ApiError | None = None
    log_fetched: bool = False  # the plan's host's log, or one for the host about to be picked


@dataclass(slots=True)
class MonitorState:
    """Everything the monitor decides with; the screen keeps only data and widgets."""

    cadence: Cadence
    auto: bool = True  # re-arm the timer (tests drive polls with ``r``)
    paused: bool = False
    in_flight: Ask | None = None  # the poll running, if any
    timer_armed: bool = False
    host_key: str | None = None  # the selected host
    early_log_host: str | None = None  # whose log arrived before the host was selected
    awaited_step: int | None = None  # --step: ignore the tree's highlights until this one
    preselect: int | None = None  # --step, until the first job status is applied
    answers: int = 0


@dataclass(slots=True)
class MonitorMachine:
    """The monitor's state and its transitions (one method per event)."""

    state: MonitorState = field(default_factory=lambda: MonitorState(Cadence()))

    @classmethod
    def create(cls, interval: float, *, auto: bool, preselect: int | None) -> MonitorMachine:
        return cls(MonitorState(Cadence(interval=interval), auto=auto, preselect=preselect))

    @property
    def cadence(self) -> Cadence:
        return self.state.cadence

    # ------------------------------------------------------------ polls

    def poll(self, ask: Ask) -> list[Effect]:
        """Poll now for ``ask`` (plus what a poll in flight asked: it is cancelled)."""
        s = self.state
        effects: list[Effect] = []
        if s.timer_armed:
            s.timer_armed = False
            effects.append(StopTimer())
        merged = ask.including(s.in_flight)
        s.in_flight = merged
        effects.append(StartPoll(merged))
        return effects

    def tick(self, now: float) -> list[Effect]:
        """The timer fired: poll whatever is due."""
        self.state.timer_armed = False
        due = self.cadence.due(now)
        return self.poll(Ask(job=due.job, result=due.step, log=due.log))

    def received(self) -> None:
        """A poll's answer arrived (before the screen applies it: that may start another)."""
        self.state.in_flight = None
        self.state.answers += 1

    def log_came_early(self, host_key: str) -> None:
        """The answer carried the log of the host the results pane is about to select."""
        self.state.early_log_host = host_key

    def answered(self, now: float, answer: Answer) -> list[Effect]:
        """The answer is applied: move the due times of what it fetched, re-arm."""
        if answer.error is not None:
            self.cadence.failed(now, answer.error)
        elif answer.ok:
            # Each part moves only its own due time: counting a job poll with a
            # host selected as a step poll pushed the groups back for ever.
            self.cadence.polled(
                now, job=answer.ask.job, step=answer.ask.result, log=answer.log_fetched
            )
        return self.arm(now)

    def arm(self, now: float) -> list[Effect]:
        """Arm the timer for the next due part, unless paused, driven by tests or in flight."""
        s = self.state
        if s.paused or not s.auto or s.in_flight is not None or s.timer_armed:
            return []
        s.timer_armed = True
        return [ArmTimer(self.cadence.next_delay(now, log=s.host_key is not None))]

    @property
    def first_screen_done(self) -> bool:
        """Whether the first screen is complete (no log waiting for its host)."""
        return self.state.early_log_host is None or self.state.answers > 1

    # ------------------------------------------------------------ the job

    def job_seen(
        self,
        now: float,
        *,
        was_finished: bool | None,
        finished: bool,
        step_before: tuple[int, int] | None,
        step_after: tuple[int, int] | None,
        resumable: bool = False,
    ) -> bool:
        """A job status was applied; returns True when the job was retried after it ended.

        ``step_before``/``step_after``: the selected step's (status, retry) in the
        previous and this job status. Its starting, finishing or being retried
        makes its groups due at once, so header, tree and groups agree when a
        step ends; a job that ends gets a last full refresh, then every 30 s
        (its status at the live interval for a while when it is ``resumable``,
        see ``jobtui.core.cadence``).
        """
        retried = was_finished is True and not finished
        if retried:
            self.cadence.finished = False
            self.cadence.changed(now)
        elif finished and not was_finished:
            self.cadence.job_ended(now, resumable=resumable)
        if step_before is not None and step_after is not None and step_before != step_after:
            self.cadence.changed(now)
        return retried

    def take_preselect(self, found: bool) -> int | None:
        """``--step`` at the first job status: the step to select (if ``found``), once."""
        s = self.state
        step, s.preselect = s.preselect, None
        if step is not None and found:
            s.awaited_step = step
        return step

    def step_highlighted(self, step_id: int) -> bool:
        """Whether a highlight of the tree counts (not while ``--step``'s is on its way)."""
        s = self.state
        if s.awaited_step is not None:
            if step_id != s.awaited_step:
                return False
            s.awaited_step = None
        return True

    def step_changed(self, now: float, *, fetch: bool) -> list[Effect]:
        """Another step is selected: no host; its groups (and picked host's log) now."""
        s = self.state
        s.host_key = None
        s.early_log_host = None
        if not fetch:
            return []
        self.cadence.changed(now)
        # Forced: the result shown was just dropped, so the finished-step cache
        # must not skip it (A → B → A with B's answer cancelled left it empty).
        return self.poll(Ask(job=False, result=True, log=True, force=True))

    def host_selected(self, now: float, key: str | None, *, moved: bool = False) -> list[Effect]:
        """The results pane selected a host (or none).

        ``moved``: the same host again with a new status. A host that just
        finished has its last lines still to come: its log is asked at once,
        not at the log's next due time (up to 30 s on a finished job).
        """
        s = self.state
        same = key is not None and key == s.host_key
        s.host_key = key
        if key is None:
            return [ClearLog()]
        early, s.early_log_host = s.early_log_host, None
        if same:
            return self.poll(Ask(job=False, result=False, log=True)) if moved else []
        if early == key:
            return [ShowEarlyLog()]  # fetched with the step result: nothing more to ask
        self.cadence.host_changed(now)
        # Forced: the log shown was dropped, so the finished-host cache must not skip it.
        return [ShowLogLoading(), *self.poll(Ask(job=False, result=False, log=True, force=True))]

    def filter_changed(self, now: float) -> list[Effect]:
        self.cadence.changed(now)
        return self.poll(Ask(job=False, result=True, log=True, force=True))

    def filter_rejected(self) -> list[Effect]:
        """The server cannot filter so: the previous filter is back, its groups again."""
        return self.poll(Ask(job=False, result=True, log=False, force=True))

    def more_hosts(self) -> list[Effect]:
        """A bigger page of hosts is wanted: the groups again, nothing else."""
        return self.poll(Ask(job=False, result=True, log=False))

    def refresh(self, *, job: bool = True, force: bool = True) -> list[Effect]:
        """``r`` (and the first poll): everything, past the finished-data cache."""
        return self.poll(Ask(job=job, result=True, log=True, force=force))

    def toggle_pause(self, now: float) -> list[Effect]:
        s = self.state
        s.paused = not s.paused
        if s.paused:
            if s.timer_armed:
                s.timer_armed = False
                return [StopTimer()]
            return []
        return self.arm(now)
