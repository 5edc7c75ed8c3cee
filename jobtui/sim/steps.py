"""Step definitions and their clock-driven timelines.

A step's schedule is a list of *segments*: one run of one rolling batch (or of
the whole step, for a step that does not roll) in one attempt. The schedule is
derived from the spec and from the few things a person decided (when a manual
rolling pause was continued, when a confirmation was given), and every host's
fate is a pure function of (seed, step, attempt, host index), so the state at
any instant is derived lazily from ``now``.

How the real server moves a step, and so how this module does:

- A batch that succeeds and is not the last puts the step at 15 ROLLING_WAITING
  (``GseStepEventHandler.onSuccess``); ``JobListener.refreshJob``/``nextStep``
  then starts the next batch at once in AUTO mode (15 lasts an instant, the job
  stays at 2), or in MANUAL mode puts the step **and the job** at 7 WAITING_USER
  until a person sends ``ROLLING_CONTINUE`` (13). No code sets a *job* to 15.
- A batch (or a step) with a failed host ends the step at 4 FAIL
  (``GseStepEventHandler.onFail``: end time now, total time from the step's
  start) and ``JobListener.refreshJob`` then finishes the job at 4
  (``finishJob``). Nothing retries by itself: the step stays failed until a
  person sends a retry (``sim/operations.py``; the demo's simulated operator,
  ``sim/operator.py``, sends it over the same path).
- A retry of a serial rolling step copies every task to the new execute_count
  and resets only the current batch (``GseStepEventHandler.retryStepAll``,
  ``saveExecuteObjectTasksForRetryAll``/``saveExecuteObjectTasksForRetryFail``):
  earlier batches carry their old outcome over, the failed batch runs again,
  then the later batches run in the new attempt. The step keeps its start time
  (``resetExecutionInfoForRetry`` → ``StepInstanceDAOImpl.resetStepExecuteInfoForRetry``
  clears only the end and total times).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from jobtui.sim.hashing import mix

MAX_DELAY = 2.0  # hosts start within this many seconds of their batch
AUTO_GAP = 0.2  # AUTO rolling: the step sits at 15 only this long between batches
PENDING = math.inf  # "until a person acts": a pause or a confirmation nobody ended yet
SCRIPT, FILE, CONFIRM = 1, 2, 3
AGENT_ABNORMAL = 1
STOPS_JOB = frozenset({4, 9, 10, 11, 13})  # a step ending so leaves the job there
DEFAULT_SCRIPT = '#!/bin/bash\nset -euo pipefail\n./deploy.sh "$@"\n'

# (host status, exit code, tag) of the failure kinds, chosen by hash.
SCRIPT_FAILURES = (
    (104, 1, "disk full"),
    (104, 1, "disk full"),
    (104, 2, "config invalid"),
    (103, None, ""),
    (AGENT_ABNORMAL, None, ""),
    (13, None, ""),
)
FILE_FAILURES = ((202, None, ""), (AGENT_ABNORMAL, None, ""))

# One host's fate in one attempt: (final status, exit code, tag, delay, duration).
Fate = tuple[int, int | None, str, float, float]


@dataclass(frozen=True)
class StepSpec:
    """What a step is: everything needed to derive its state at any time.

    ``rolling_manual``: MANUAL rolling mode (step and job at 7 after each batch
    but the last). ``pause_wait``: how long such a pause lasts before the
    simulator continues by itself (``None``: until :meth:`StepRun.continue_rolling`).
    ``confirm_wait``: the same for a confirmation step (``None``: until
    :meth:`StepRun.confirm`).
    """

    step_instance_id: int
    step_id: int
    name: str
    type: int
    hosts: int  # target hosts are pool indices 0..hosts-1
    # Failure fraction per attempt (>0: the attempt fails); attempts past the plan
    # succeed. The plan's length is the story's attempts: a failed attempt with a
    # planned successor is retried by the simulated operator (sim/operator.py).
    fail_plan: tuple[float, ...] = (0.0,)
    batches: int = 1
    host_duration: float = 8.0
    confirm_wait: float | None = 20.0
    success_tags: tuple[str, ...] = ("",)
    profile: str = "default"  # log flavour: default, hostile, scale
    seed: int = 0
    failure_tags: tuple[str, ...] = ()  # overrides the tag of script failures (hostile)
    roll_gap: float = AUTO_GAP  # AUTO mode: the instant at 15 between batches
    rolling_manual: bool = False
    pause_wait: float | None = None
    confirm_message: str = ""
    script: str = DEFAULT_SCRIPT

    @property
    def rolling(self) -> bool:
        return self.batches > 1

    @property
    def source_index(self) -> int:
        """The file source host sits just past the targets in the pool."""
        return self.hosts

    @property
    def window(self) -> float:
        """How long one batch runs: every host is done within it."""
        return MAX_DELAY + self.host_duration

    def batch_size(self) -> int:
        return -(-self.hosts // self.batches)

    def batch_of(self, index: int) -> int:
        """Rolling batches are contiguous index ranges, numbered from 1; 0 when not rolling."""
        return index // self.batch_size() + 1 if self.rolling else 0

    def batch_range(self, batch: int) -> range:
        """Hosts of ``batch``; 0 means every target."""
        if batch == 0:
            return range(self.hosts)
        size = self.batch_size()
        return range((batch - 1) * size, min(batch * size, self.hosts))

    def fate(self, attempt: int, index: int) -> Fate:
        """The final outcome and timing of host ``index`` in ``attempt``: a pure function."""
        h = mix(self.seed, self.step_instance_id, attempt, index)
        u_fail = (h & 0xFFFF) / 65536.0
        kind = (h >> 16) & 0xFFFF
        delay = ((h >> 32) & 0xFFFF) / 65536.0 * MAX_DELAY
        duration = 1.0 + ((h >> 48) & 0xFFFF) / 65536.0 * (self.host_duration - 1.0)
        rate = self.fail_rate(attempt)
        forced = rate > 0 and index == self.forced_failure(attempt)
        if forced or u_fail < rate:
            table = FILE_FAILURES if self.type == FILE else SCRIPT_FAILURES
            status, code, tag = table[kind % len(table)]
            if self.failure_tags and self.type == SCRIPT and code is not None:
                tag = self.failure_tags[kind % len(self.failure_tags)]
            if status == AGENT_ABNORMAL:
                return (status, None, "", 0.0, 0.0)
            return (status, code, tag, delay, duration)
        tag = self.success_tags[kind % len(self.success_tags)] if self.type == SCRIPT else ""
        return (9, 0 if self.type == SCRIPT else None, tag, delay, duration)

    def fail_rate(self, attempt: int) -> float:
        """The planned failure fraction; a retry beyond the plan succeeds."""
        return self.fail_plan[attempt] if attempt < len(self.fail_plan) else 0.0

    def plans_retry(self, attempt: int) -> bool:
        """Whether the story retries a failure of ``attempt`` (it planned a next attempt)."""
        return attempt + 1 < len(self.fail_plan)

    def forced_failure(self, attempt: int) -> int:
        """The host that surely fails in a failing attempt (so a plan >0 always fails)."""
        return mix(self.seed, self.step_instance_id, attempt) % self.hosts

    def batch_fails(self, attempt: int, batch: int) -> bool:
        """Whether any host of ``batch`` fails in ``attempt`` (cheap when the rate is 0)."""
        if self.type == CONFIRM or self.fail_rate(attempt) <= 0:
            return False
        if not self.rolling:
            return True  # the forced host is always a target
        return any(self.fate(attempt, i)[0] != 9 for i in self.batch_range(batch))


@dataclass(frozen=True, slots=True)
class Segment:
    """One run of one batch (0: the whole, non-rolling step) in one attempt."""

    attempt: int
    batch: int
    start: float
    failed: bool
    window: float

    @property
    def end(self) -> float:
        return self.start + self.window


@dataclass(frozen=True, slots=True)
class Retry:
    """A retry a person asked for (``sim/operations.py``).

    ``execute_count`` goes up when it is ``sent`` (``addStepInstanceExecuteCount``
    runs in the request); the run itself starts when the engine gets to it.
    """

    attempt: int
    sent: float
    start: float
    failed_only: bool  # RETRY_FAIL_IP: hosts that succeeded before are "Successful Last Time"
    before: int  # the step's status when sent: it stays so until the engine starts the run


@dataclass(frozen=True, slots=True)
class HostState:
    """One host at one instant of one attempt."""

    index: int
    status: int
    exit_code: int | None
    tag: str
    start: float | None
    end: float | None
    fate: Fate


@dataclass
class StepRun:
    """A step placed on the job's timeline.

    ``start`` is None when the step never runs (an earlier step failed) and
    :data:`PENDING` while an earlier step waits for a person.
    """

    spec: StepSpec
    start: float | None
    resumes: dict[tuple[int, int], float] = field(default_factory=dict)  # (attempt, batch) -> t
    confirmed_at: float | None = None
    confirmed_by: str | None = None  # who confirmed (ESB v2 shows it as the step operator)
    revision: int = 0  # bumped whenever the schedule changes (caches key on it)
    _plan: tuple[tuple[Segment, ...], float | None] | None = field(default=None, repr=False)
    _fates: dict[int, list[Fate]] = field(default_factory=dict, repr=False)
    # What operations did (sim/operations.py); each changes the schedule from its instant on.
    retries: list[Retry] = field(default_factory=list)  # operator retries, in order
    reopened_at: float | None = None  # CONFIRM_RESTART: the confirmation waits again from here
    finish: tuple[float, int] | None = None  # (at, status) an operation ended the step with
    stop: tuple[float, float] | None = None  # terminate: STOPPING from [0], STOP_SUCCESS at [1]
    stop_attempt: int = 0  # the run the terminate cut short

    # -- the schedule ---------------------------------------------------------------

    def reset(self, start: float | None) -> None:
        """Place the step at ``start`` (the job reschedules after an operation)."""
        if start != self.start:
            self.start = start
            self._changed()

    def _changed(self) -> None:
        self._plan = None
        self.revision += 1

    def changed(self) -> None:
        """Forget what was derived from the old schedule (after an operation)."""
        self._changed()

    def _retry(self, attempt: int) -> Retry | None:
        return next((r for r in self.retries if r.attempt == attempt), None)

    def _cut(self, attempt: int, at: float) -> bool:
        """Whether a terminate stopped ``attempt`` before ``at``."""
        return self.stop is not None and attempt == self.stop_attempt and at >= self.stop[0]

    def _pause_end(self, segment: Segment) -> float:
        """When the next batch starts after ``segment`` succeeded (``JobListener.nextStep``)."""
        spec = self.spec
        if not spec.rolling_manual:
            return segment.end + spec.roll_gap
        chosen = self.resumes.get((segment.attempt, segment.batch))
        if chosen is not None:
            return chosen
        return PENDING if spec.pause_wait is None else segment.end + spec.pause_wait

    def _build(self) -> tuple[tuple[Segment, ...], float | None]:
        """(segments, when the next segment would start if a person acted; None: complete)."""
        spec = self.spec
        if self.start is None or not math.isfinite(self.start) or spec.type == CONFIRM:
            return (), None
        segments: list[Segment] = []
        at, attempt, batch = self.start, 0, 1 if spec.rolling else 0
        while True:
            if self._cut(attempt, at):  # terminated before this run began
                return tuple(segments), None
            segment = Segment(attempt, batch, at, spec.batch_fails(attempt, batch), spec.window)
            segments.append(segment)
            stopped = self._cut(attempt, segment.end)
            if segment.failed or stopped:
                retry = self._retry(attempt + 1)
                if retry is not None:  # a person retried: the same batch runs again
                    attempt, at = attempt + 1, retry.start
                    continue
                return tuple(segments), None  # FAIL (or stopped) until a person acts
            if not spec.rolling or batch == spec.batches:
                return tuple(segments), None
            at, batch = self._pause_end(segment), batch + 1
            if self._cut(attempt, at):
                return tuple(segments), None
            if not math.isfinite(at):
                return tuple(segments), PENDING

    @property
    def segments(self) -> tuple[Segment, ...]:
        if self._plan is None:
            self._plan = self._build()
        return self._plan[0]

    @property
    def pending(self) -> bool:
        """Whether the schedule stops at a pause nobody continued yet."""
        self.segments  # noqa: B018 - builds the plan
        return self._plan is not None and self._plan[1] is not None

    def segment(self, attempt: int, batch: int) -> Segment | None:
        for seg in self.segments:
            if seg.attempt == attempt and seg.batch == batch:
                return seg
        return None

    def _latest(self, now: float) -> Segment | None:
        """The last segment started by ``now``."""
        started = None
        for seg in self.segments:
            if seg.start <= now:
                started = seg
        return started

    def _next(self, seg: Segment) -> Segment | None:
        segments = self.segments
        k = segments.index(seg)
        return segments[k + 1] if k + 1 < len(segments) else None

    @property
    def end(self) -> float | None:
        """When the step finishes; :data:`PENDING` while it waits for a person.

        An operation's end (``finish``, a terminate's STOP_SUCCESS) is when the
        step let the job go on, which is what the job's schedule needs.
        """
        if self.start is None:
            return None
        if self.finish is not None:
            return self.finish[0]
        if self.stop is not None and self._stopped_last():
            return self.stop[1]
        if self.spec.type == CONFIRM:
            if not math.isfinite(self.start):
                return PENDING
            if self.confirmed_at is not None:
                return self.confirmed_at
            wait = self.spec.confirm_wait
            base = self.reopened_at if self.reopened_at is not None else self.start
            return PENDING if wait is None else base + wait
        if self.pending or not math.isfinite(self.start):
            return PENDING
        return self.segments[-1].end

    def _stopped_last(self) -> bool:
        """Whether the terminate cut the step's latest run (a later retry supersedes it)."""
        if self.spec.type == CONFIRM:
            return True
        segments = self.segments
        return bool(segments) and segments[-1].attempt == self.stop_attempt

    @property
    def failed(self) -> bool:
        """Whether the step ends in a state that stops the job (failed, stopped, rejected)."""
        if self.finish is not None:
            return self.finish[1] in STOPS_JOB
        if self.stop is not None and self._stopped_last():
            return True
        return bool(self.segments) and not self.pending and self.segments[-1].failed

    # -- what a person does (the operations of issue 13 call these) ------------------

    def continue_rolling(self, now: float) -> bool:
        """ROLLING_CONTINUE (13): start the next batch of a MANUAL pause at ``now``.

        ``TaskExecuteServiceImpl`` accepts code 13 only while the step is at 7 and
        rolls (never at 15); False means the precondition failed (bk-job: 1241003).
        The caller reschedules the job (:meth:`jobtui.sim.jobs.Job.schedule`).
        """
        if not (self.spec.rolling and self.spec.rolling_manual) or self.status(now) != 7:
            return False
        seg = self._latest(now)
        if seg is None:
            return False
        self.resumes[(seg.attempt, seg.batch)] = now
        self._changed()
        return True

    def confirm(self, now: float, user: str) -> bool:
        """CONFIRM_CONTINUE (6) on a confirmation step waiting at 7; False: 1241003.

        ``TaskExecuteServiceImpl.confirmContinue`` also makes the caller the step's
        operator (``updateStepOperator``).
        """
        if self.spec.type != CONFIRM or self.status(now) != 7:
            return False
        self.confirmed_at, self.confirmed_by = now, user
        self._changed()
        return True

    # -- the state at an instant ---------------------------------------------------

    def execute_count(self, now: float) -> int:
        """The latest attempt started by ``now`` (0 before the step starts).

        A person's retry counts from the instant it was sent, before it runs.
        """
        seg = self._latest(now)
        count = seg.attempt if seg is not None else 0
        sent = [r.attempt for r in self.retries if r.sent <= now]
        return max([count, *sent])

    def current_batch(self, now: float) -> int:
        """The batch last started (``stepInstance.getBatch()``); 0 for a non-rolling step."""
        if not self.spec.rolling:
            return 0
        seg = self._latest(now)
        return seg.batch if seg is not None else 1

    def started(self, now: float) -> bool:
        return self.start is not None and self.start <= now

    def status(self, now: float) -> int:
        """The step's RunStatus at ``now``: 1 blank, 2 running, 3/4 done, 7 wait, 15 instant."""
        if self.start is None or now < self.start:
            return 1
        if self.finish is not None and now >= self.finish[0]:
            return self.finish[1]
        last = self.retries[-1] if self.retries else None
        if last is not None and last.sent <= now < last.start:
            return last.before  # a retry sent, not yet started by the engine
        stopped = self.stop is not None and self.execute_count(now) == self.stop_attempt
        if stopped and self.stop is not None and now >= self.stop[0]:
            return 10 if now < self.stop[1] else 11
        if self.spec.type == CONFIRM:
            return 7 if now < (self.end or 0.0) else 3
        seg = self._latest(now)
        if seg is None:
            return 1
        if now < seg.end:
            return 2
        if seg.failed:
            return 4
        if not self.spec.rolling or seg.batch == self.spec.batches:
            return 3
        return 7 if self.spec.rolling_manual else 15

    def times(self, now: float) -> tuple[float | None, float | None]:
        """The step instance's own start and end at ``now``.

        A batch that ends sets the step's end time even when more batches follow
        (``GseStepEventHandler.onSuccess`` with ROLLING_WAITING); a running batch
        clears it. A retry keeps the step's start time and clears only its end
        (``StepInstanceDAOImpl.resetStepExecuteInfoForRetry``), once the engine
        runs it: until then the failed run's end stays.
        """
        if self.start is None or now < self.start:
            return None, None
        if self.spec.type == CONFIRM:
            end = self.end
            return self.start, end if end is not None and now >= end else None
        seg = self._latest(now)
        if seg is None:
            return None, None
        return self.segments[0].start, seg.end if now >= seg.end else None

    def fates(self, attempt: int) -> list[Fate]:
        """All hosts' fates for one attempt, computed once and cached."""
        cached = self._fates.get(attempt)
        if cached is None:
            cached = [self.spec.fate(attempt, i) for i in range(self.spec.hosts)]
            self._fates[attempt] = cached
        return cached

    def host_state(
        self, attempt: int, index: int, now: float, fate: Fate | None = None
    ) -> HostState:
        """Where host ``index`` is at ``now`` in ``attempt``: waiting 5 → running 7 → final.

        A rolling batch that ``attempt`` did not run carries the outcome of the
        attempt that last ran it (the retry copies every task); a batch not yet
        reached waits.
        """
        batch = self.spec.batch_of(index)
        seg = self.segment(attempt, batch)
        if seg is None:
            earlier = [s for s in self.segments if s.batch == batch and s.attempt < attempt]
            if not earlier:
                return HostState(index, 5, None, "", None, None, fate or self._fate(attempt, index))
            seg = earlier[-1]
            fate = None
        fate = fate or self._fate(seg.attempt, index)
        if self._kept(seg.attempt, index):
            before = self.host_state(seg.attempt - 1, index, math.inf)
            return HostState(index, 3, before.exit_code, before.tag, None, None, fate)
        begin = seg.start + fate[3]
        finish = begin + fate[4]
        stop = self.stop if seg.attempt == self.stop_attempt else None
        if stop is not None and begin >= stop[0]:
            return HostState(index, 5, None, "", None, None, fate)  # never started
        if stop is not None and finish > stop[0]:
            if now < stop[1]:
                return HostState(index, 7 if now >= begin else 5, None, "", begin, None, fate)
            return HostState(index, 403, None, "", begin, stop[1], fate)
        if now < begin:
            return HostState(index, 5, None, "", None, None, fate)
        if now < finish:
            return HostState(index, 7, None, "", begin, None, fate)
        return HostState(index, fate[0], fate[1], fate[2], begin, finish, fate)

    def _kept(self, attempt: int, index: int) -> bool:
        """A retry of failed hosts only: this host succeeded before and does not run again."""
        retry = self._retry(attempt)
        if retry is None or not retry.failed_only:
            return False
        return self.host_state(attempt - 1, index, math.inf).status in (3, 9)

    def _fate(self, attempt: int, index: int) -> Fate:
        cached = self._fates.get(attempt)
        return cached[index] if cached is not None else self.spec.fate(attempt, index)
