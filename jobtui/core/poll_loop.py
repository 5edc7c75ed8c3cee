"""The single-part poll loop of the job list, the wall and follow-newest, as plain logic.

The monitor polls three parts on their own schedules (``core/monitor_state``);
these poll one thing every ``interval``. Both share the rules: one poll at a
time, the next armed only once the answer is in, nothing armed while paused
or in tests that drive polls themselves, the one backoff of every poll loop
after an error (``cadence.poll_backoff``), and a poll that fell due while the
screen was covered (by a monitor) made up when it shows again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from jobtui.api.errors import ApiError
from jobtui.core.cadence import poll_backoff


@dataclass(slots=True)
class PollLoop:
    """When to poll next; each method is one event and returns what to do."""

    interval: float
    auto: bool = True  # arm the timer (tests drive polls with ``r``)
    paused: bool = False
    failures: int = 0
    missed: bool = False  # the timer fired while the screen was covered
    rng: random.Random | None = None

    def answered(self, *, failed: bool, error: ApiError | None = None) -> float | None:
        """An answer (or an error) is in: the delay to arm, or ``None`` to arm nothing."""
        if failed:
            self.failures += 1
            delay = max(self.interval, poll_backoff(self.failures, error, rng=self.rng))
        else:
            self.failures = 0
            delay = self.interval
        return delay if self.auto and not self.paused else None

    def fired(self, *, visible: bool) -> bool:
        """The timer fired: poll now, or (covered) remember to when shown again."""
        if visible:
            return True
        self.missed = True
        return False

    def shown(self) -> bool:
        """The screen shows again: poll now if a poll was missed meanwhile."""
        if self.missed and not self.paused:
            self.missed = False
            return True
        return False

    def toggle_pause(self) -> bool:
        """Pause or resume; True when resuming (poll now)."""
        self.paused = not self.paused
        return not self.paused
