"""Step definitions and their clock-driven timelines.

A step's schedule (attempts, rolling batches) is fixed when its job is built;
every host's fate is a pure function of (seed, step, attempt, host index), so
the state at any instant is derived lazily from ``now``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from jobtui.sim.hashing import mix

MAX_DELAY = 2.0  # hosts start within this many seconds of their batch
ROLL_GAP = 6.0  # status 15 between rolling batches
RETRY_GAP = 3.0  # a failed attempt is retried this long after it ends
SCRIPT, FILE, CONFIRM = 1, 2, 3
AGENT_ABNORMAL = 1
STOPS_JOB = frozenset({4, 9, 10, 11, 13})  # a step ending so leaves the job there

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
    """What a step is: everything needed to derive its state at any time."""

    step_instance_id: int
    step_id: int
    name: str
    type: int
    hosts: int  # target hosts are pool indices 0..hosts-1
    fail_plan: tuple[float, ...] = (0.0,)  # failure fraction per attempt (>0: attempt fails)
    batches: int = 1
    host_duration: float = 8.0
    confirm_wait: float = 20.0
    success_tags: tuple[str, ...] = ("",)
    profile: str = "default"  # log flavour: default, hostile, scale
    seed: int = 0
    failure_tags: tuple[str, ...] = ()  # overrides the tag of script failures (hostile)
    roll_gap: float = ROLL_GAP  # the status-15 pause between rolling batches

    @property
    def source_index(self) -> int:
        """The file source host sits just past the targets in the pool."""
        return self.hosts

    @property
    def window(self) -> float:
        """How long one batch runs: every host is done within it."""
        return MAX_DELAY + self.host_duration

    @property
    def attempt_length(self) -> float:
        return self.batches * self.window + (self.batches - 1) * self.roll_gap

    def batch_size(self) -> int:
        return -(-self.hosts // self.batches)

    def batch_of(self, index: int) -> int:
        """Rolling batches are contiguous index ranges, numbered from 1."""
        return index // self.batch_size() + 1

    def batch_range(self, batch: int) -> range:
        size = self.batch_size()
        return range((batch - 1) * size, min(batch * size, self.hosts))

    def fate(self, attempt: int, index: int) -> Fate:
        """The final outcome and timing of host ``index`` in ``attempt``: a pure function."""
        h = mix(self.seed, self.step_instance_id, attempt, index)
        u_fail = (h & 0xFFFF) / 65536.0
        kind = (h >> 16) & 0xFFFF
        delay = ((h >> 32) & 0xFFFF) / 65536.0 * MAX_DELAY
        duration = 1.0 + ((h >> 48) & 0xFFFF) / 65536.0 * (self.host_duration - 1.0)
        rate = self.fail_plan[min(attempt, len(self.fail_plan) - 1)]
        forced = rate > 0 and index == mix(self.seed, self.step_instance_id, attempt) % self.hosts
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


@dataclass(frozen=True, slots=True)
class Retry:
    """A retry a person asked for (``sim/operations.py``).

    ``execute_count`` goes up when it is ``sent`` (``addStepInstanceExecuteCount``
    runs in the request); the run itself starts when the engine gets to it.
    """

    sent: float
    start: float
    failed_only: bool  # RETRY_FAIL_IP: hosts that succeeded before are "Successful Last Time"
    before: int  # the step's status when sent: it stays so until the engine starts the run


@dataclass
class StepRun:
    """A step placed on the job's timeline.

    The schedule is fixed when the job is built; operations (``sim/operations.py``)
    change it from their instant on through the fields below, never the past.
    """

    spec: StepSpec
    start: float | None  # None: the step never runs (an earlier step failed)
    _fates: dict[int, list[Fate]] = field(default_factory=dict, repr=False)
    retries: list[Retry] = field(default_factory=list)  # operator retries, in order
    confirm_end: float | None = None  # a confirmation step's end set by an operation
    finish: tuple[float, int] | None = None  # (at, status) an operation ended it with
    stop: tuple[float, float] | None = None  # terminate: STOPPING from [0], STOP_SUCCESS at [1]
    stop_attempt: int = 0  # the run the terminate cut short

    @cached_property
    def attempt_starts(self) -> tuple[float, ...]:
        if self.start is None or self.spec.type == CONFIRM:
            return () if self.start is None else (self.start,)
        step = self.spec.attempt_length + RETRY_GAP
        scheduled = len(self.spec.fail_plan) - len(self.retries)
        auto = tuple(self.start + a * step for a in range(scheduled))
        return auto + tuple(r.start for r in self.retries)

    def changed(self) -> None:
        """Forget what was derived from the old schedule (after an operation)."""
        self.__dict__.pop("attempt_starts", None)

    @property
    def end(self) -> float | None:
        if self.start is None:
            return None
        if self.spec.type == CONFIRM:
            natural = (
                self.confirm_end
                if self.confirm_end is not None
                else self.start + self.spec.confirm_wait
            )
        else:
            natural = self.attempt_starts[-1] + self.spec.attempt_length
        if self.stop is not None and self.stop_attempt == len(self.attempt_starts) - 1:
            natural = min(natural, self.stop[1])
        if self.finish is not None:
            natural = min(natural, self.finish[0])
        return natural

    def final_status(self) -> int:
        """The status the step ends with on its present schedule."""
        return self.status(math.inf)

    @property
    def failed(self) -> bool:
        """Whether the step ends in a state that stops the job (failed, stopped, rejected)."""
        if self.finish is not None or self.stop is not None or self.retries:
            return self.final_status() in STOPS_JOB
        return self.spec.type != CONFIRM and self.spec.fail_plan[-1] > 0

    def attempt_failed(self, attempt: int) -> bool:
        return self.spec.type != CONFIRM and self.spec.fail_plan[attempt] > 0

    def execute_count(self, now: float) -> int:
        """The latest attempt started by ``now`` (0 before the step starts).

        An operator's retry counts from the instant it was sent, before it runs.
        """
        scheduled = self.attempt_starts[: len(self.attempt_starts) - len(self.retries)]
        started = sum(1 for s in scheduled if s <= now)
        started += sum(1 for r in self.retries if r.sent <= now)
        return max(0, started - 1)

    def attempt_end(self, attempt: int) -> float:
        if self.spec.type == CONFIRM:
            return self.end or 0.0
        return self.attempt_starts[attempt] + self.spec.attempt_length

    def batch_start(self, attempt: int, batch: int) -> float:
        return self.attempt_starts[attempt] + (batch - 1) * (self.spec.window + self.spec.roll_gap)

    def current_batch(self, now: float) -> int:
        """The running batch, or the last one started (1 before the start)."""
        if self.start is None or self.spec.batches == 1:
            return 1
        attempt = self.execute_count(now)
        if now < self.attempt_starts[attempt]:
            return 1
        elapsed = now - self.attempt_starts[attempt]
        return min(self.spec.batches, int(elapsed // (self.spec.window + self.spec.roll_gap)) + 1)

    def status(self, now: float) -> int:
        """The step's RunStatus at ``now``: 1 blank, 2 running, 3/4 done, 7 wait, 15 rolling.

        After operations: the status an operation ended it with (``finish``),
        10 STOPPING then 11 STOP_SUCCESS when terminated (``stop``).
        """
        if self.start is None or now < self.start:
            return 1
        if self.finish is not None and now >= self.finish[0]:
            return self.finish[1]
        attempt = self.execute_count(now)
        if self.retries and self.retries[-1].sent <= now < self.retries[-1].start:
            return self.retries[-1].before  # a retry sent, not yet started by the engine
        if self.stop is not None and now >= self.stop[0] and attempt == self.stop_attempt:
            return 10 if now < self.stop[1] else 11
        if self.spec.type == CONFIRM:
            return 7 if now < (self.end or 0.0) else 3
        end = self.attempt_end(attempt)
        if now >= end:
            return 4 if self.attempt_failed(attempt) else 3
        elapsed = now - self.attempt_starts[attempt]
        cycle = self.spec.window + self.spec.roll_gap
        if self.spec.batches > 1 and elapsed % cycle >= self.spec.window:
            return 15
        return 2

    def attempt_status(self, attempt: int, now: float) -> int:
        """Status of an older attempt (final) or the latest one (live)."""
        if attempt < self.execute_count(now):
            return 4 if self.attempt_failed(attempt) else 3
        return self.status(now)

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
        """Where host ``index`` is at ``now``: waiting 5 → running 7 → its final status."""
        fate = fate or self.spec.fate(attempt, index)
        if self.start is None or attempt >= len(self.attempt_starts):
            return HostState(index, 5, None, "", None, None, fate)
        if self._kept(attempt, index):
            before = self.host_state(attempt - 1, index, math.inf)
            return HostState(index, 3, before.exit_code, before.tag, None, None, fate)
        begin = self.batch_start(attempt, self.spec.batch_of(index)) + fate[3]
        finish = begin + fate[4]
        stop = self._stop_for(attempt)
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

    def _retry(self, attempt: int) -> Retry | None:
        first = len(self.attempt_starts) - len(self.retries)
        return self.retries[attempt - first] if attempt >= first else None

    def _kept(self, attempt: int, index: int) -> bool:
        """A retry of failed hosts only: this host succeeded before and does not run."""
        retry = self._retry(attempt)
        if retry is None or not retry.failed_only or attempt == 0:
            return False
        return self.host_state(attempt - 1, index, math.inf).status in (3, 9)

    def _stop_for(self, attempt: int) -> tuple[float, float] | None:
        """The terminate that cut ``attempt`` short (only the latest run is stopped)."""
        return self.stop if attempt == self.stop_attempt else None
