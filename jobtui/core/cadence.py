"""When to poll next: the bk-job web UI's cadence as a pure state machine.

Three parts, each with its own due time that only its own fetch moves:

- the job status: every ``interval`` seconds while it runs (bounded 1..60);
- the selected step's groups: 1,1,1,1,2,2,2 s after a change (selection,
  filter, the step starting, finishing or being retried), then every 3 s;
- the selected host's log: the same web-UI cadence, restarted when the host
  changes.

Why separate due times: a poll that fetches the job status must not count as a
step poll. When it did (one shared "step polled" flag), an interval shorter
than the step delay pushed the groups' due time back on every job poll and the
groups froze while the tree moved on.

A finished job polls every part every 30 s (it can be retried). A job that
ended in a state a person can resume (failed, abnormal, stopped, confirmation
rejected: ``RESUMABLE_JOB_STATUSES``) keeps asking for its status at the live
interval for ``RESUME_WINDOW`` after it ended: that is when someone retries
from the web UI or another terminal, and the retry's run lasts seconds, so a
30 s poll would show the job already past it (the web UI stops polling a
finished job altogether; it only refetches after its own operations). Its
groups and logs, which only a retry can change, stay at 30 s until the job
status shows it running again. After the window a monitor left on a failed job
for days costs one request per 30 s. After an error: capped exponential
backoff (1, 2, 4 … 30 s) with jitter, so a room of monitors does not retry in
lockstep, reset on success.

Times are plain float seconds from a monotonic clock the caller passes in, so
tests drive it without sleeping.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import NamedTuple

from jobtui.api import retry
from jobtui.api.errors import ApiError

STEP_DELAYS: tuple[float, ...] = (1, 1, 1, 1, 2, 2, 2)
STEP_STEADY = 3.0
FINISHED_DELAY = 30.0
RESUME_WINDOW = 600.0  # a resumable job's status keeps the live interval this long
MAX_BACKOFF = 30.0
MIN_INTERVAL = 1.0
MAX_INTERVAL = 60.0


def backoff_delay(failures: int) -> float:
    """Delay after ``failures`` consecutive errors (1-based), capped at 30 s, before jitter."""
    if failures <= 0:
        return 0.0
    return float(min(MAX_BACKOFF, 2 ** (failures - 1)))


def poll_backoff(
    failures: int, error: ApiError | None = None, *, rng: random.Random | None = None
) -> float:
    """The one backoff of every poll loop (monitor, job list, wall, follow-newest).

    ``jobtui.api.retry.backoff_delay``: exponential from 1 s, capped at 30 s,
    the server's ``Retry-After`` when it sends one, and up to 25 % jitter, so
    a room of monitors that lost the same server does not retry in lockstep.
    """
    return retry.backoff_delay(max(failures, 1), error, cap=MAX_BACKOFF, rng=rng)


def clamp_interval(seconds: float) -> float:
    return max(MIN_INTERVAL, min(MAX_INTERVAL, seconds))


class Due(NamedTuple):
    """Which parts a poll at some instant should fetch."""

    job: bool
    step: bool
    log: bool


@dataclass(slots=True)
class Part:
    """One polled part's web-UI cadence: ticks since its last change and its due time."""

    due: float = 0.0
    ticks: int = 0

    def delay(self, finished: bool) -> float:
        if finished:
            return FINISHED_DELAY
        if self.ticks < len(STEP_DELAYS):
            return STEP_DELAYS[self.ticks]
        return STEP_STEADY

    def changed(self, now: float) -> None:
        self.ticks = 0
        self.due = now

    def polled(self, now: float, finished: bool) -> None:
        self.due = now + self.delay(finished)
        self.ticks += 1


@dataclass(slots=True)
class Cadence:
    """Due times of the job, step and log polls, and the error backoff."""

    interval: float = 2.0
    failures: int = 0
    job_due: float = 0.0
    step: Part = field(default_factory=Part)
    log: Part = field(default_factory=Part)
    finished: bool = False
    resumable_until: float = 0.0  # a resumable end: the job status stays live until then
    rng: random.Random | None = None  # the jitter's source (tests seed it)

    def __post_init__(self) -> None:
        self.interval = clamp_interval(self.interval)

    # Read-only views kept for callers and tests that speak of "step".
    @property
    def step_due(self) -> float:
        return self.step.due

    @property
    def log_due(self) -> float:
        return self.log.due

    def step_delay(self) -> float:
        return self.step.delay(self.finished)

    def job_delay(self, now: float | None = None) -> float:
        """The job status's period at ``now`` (``None``: once any resume window closed)."""
        if not self.finished:
            return self.interval
        live = now is not None and now < self.resumable_until
        return self.interval if live else FINISHED_DELAY

    def changed(self, now: float) -> None:
        """Step or filter changed: the groups (and so the log) are due now, fast again."""
        self.step.changed(now)
        self.log.changed(now)

    def host_changed(self, now: float) -> None:
        """Another host: its log is due now and its fast cadence restarts."""
        self.log.changed(now)

    def job_ended(self, now: float, *, resumable: bool = False) -> None:
        """The job just finished: one last full refresh now, then every 30 s.

        ``resumable``: it ended where a person can resume it; its status keeps
        the live interval for ``RESUME_WINDOW``.
        """
        self.finished = True
        self.resumable_until = now + RESUME_WINDOW if resumable else 0.0
        self.job_due = min(self.job_due, now)
        self.changed(now)

    def due(self, now: float) -> Due:
        return Due(now >= self.job_due, now >= self.step.due, now >= self.log.due)

    def polled(self, now: float, *, job: bool, step: bool, log: bool = False) -> None:
        """Record a successful poll: only the parts it fetched move their due times."""
        self.failures = 0
        if job:
            self.job_due = now + self.job_delay(now)
        if step:
            self.step.polled(now, self.finished)
        if log:
            self.log.polled(now, self.finished)

    def failed(self, now: float, error: ApiError | None = None) -> float:
        """Record an error; returns the delay before the next attempt (every part waits)."""
        self.failures += 1
        delay = poll_backoff(self.failures, error, rng=self.rng)
        self.job_due = self.step.due = self.log.due = now + delay
        return delay

    def next_delay(self, now: float, *, log: bool = True) -> float:
        """Seconds until the next poll has something to do (≥ 0.1 s).

        ``log=False``: no host is selected, so the log's due time does not count.
        """
        dues = [self.job_due, self.step.due] + ([self.log.due] if log else [])
        return max(0.1, min(dues) - now)

    def bump_interval(self, delta: float) -> float:
        self.interval = clamp_interval(self.interval + delta)
        return self.interval
