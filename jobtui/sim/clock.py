"""Clocks that drive the simulator: all scenario state is a function of ``now()``.

A :class:`ManualClock` makes tests deterministic; a :class:`SystemClock` with
``speed > 1`` makes the demo move faster than real time.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the simulated time in epoch seconds."""

    def now(self) -> float: ...


class SystemClock:
    """The wall clock, optionally accelerated around the moment it was created."""

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self._speed = speed
        self._origin = time.time()

    def now(self) -> float:
        return self._origin + (time.time() - self._origin) * self._speed


class ManualClock:
    """A clock that moves only when told to, for deterministic tests."""

    def __init__(self, start: float = 1_763_000_000.0) -> None:
        self._now = start

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a manual clock only moves forward")
        self._now += seconds

    def now(self) -> float:
        return self._now
