"""When to poll next: the bk-job web UI's cadence as a pure state machine.

- the selected step's groups and the selected host's log: 1,1,1,1,2,2,2 s after
  a change (selection, filter, new data), then every 3 s;
- the job status: every ``interval`` seconds while it runs (bounded 1..60);
- a finished job: every 30 s (it can be retried);
- after an error: capped exponential backoff (1, 2, 4 … 30 s), reset on success.

Times are plain float seconds from a monotonic clock the caller passes in, so
tests drive it without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass

STEP_DELAYS: tuple[float, ...] = (1, 1, 1, 1, 2, 2, 2)
STEP_STEADY = 3.0
FINISHED_DELAY = 30.0
MAX_BACKOFF = 30.0
MIN_INTERVAL = 1.0
MAX_INTERVAL = 60.0


def backoff_delay(failures: int) -> float:
    """Delay after ``failures`` consecutive errors (1-based), capped at 30 s."""
    if failures <= 0:
        return 0.0
    return float(min(MAX_BACKOFF, 2 ** (failures - 1)))


def clamp_interval(seconds: float) -> float:
    return max(MIN_INTERVAL, min(MAX_INTERVAL, seconds))


@dataclass(slots=True)
class Cadence:
    """Due times of the job and step polls, and the error backoff."""

    interval: float = 2.0
    step_ticks: int = 0  # step polls since the last change
    failures: int = 0
    job_due: float = 0.0
    step_due: float = 0.0
    finished: bool = False

    def __post_init__(self) -> None:
        self.interval = clamp_interval(self.interval)

    def step_delay(self) -> float:
        if self.finished:
            return FINISHED_DELAY
        if self.step_ticks < len(STEP_DELAYS):
            return STEP_DELAYS[self.step_ticks]
        return STEP_STEADY

    def job_delay(self) -> float:
        return FINISHED_DELAY if self.finished else self.interval

    def changed(self, now: float) -> None:
        """Selection or filter changed: step data is due now and the fast cadence restarts."""
        self.step_ticks = 0
        self.step_due = now

    def due(self, now: float) -> tuple[bool, bool]:
        """(job due, step due) at ``now``."""
        return now >= self.job_due, now >= self.step_due

    def polled(self, now: float, *, job: bool, step: bool) -> None:
        """Record a successful poll of the given parts."""
        self.failures = 0
        if job:
            self.job_due = now + self.job_delay()
        if step:
            self.step_due = now + self.step_delay()
            self.step_ticks += 1

    def failed(self, now: float, retry_after: float | None = None) -> float:
        """Record an error; returns the delay before the next attempt."""
        self.failures += 1
        delay = max(backoff_delay(self.failures), retry_after or 0.0)
        delay = min(delay, MAX_BACKOFF)
        self.job_due = self.step_due = now + delay
        return delay

    def next_delay(self, now: float) -> float:
        """Seconds until the next poll has something to do (≥ 0.1 s)."""
        return max(0.1, min(self.job_due, self.step_due) - now)

    def bump_interval(self, delta: float) -> float:
        self.interval = clamp_interval(self.interval + delta)
        return self.interval
