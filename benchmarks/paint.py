"""Timing "until painted" in a Textual app driven by a Pilot, with public API only.

Textual renders a screen update (``Compositor.render_update`` → widgets'
``render_line``), turns it into terminal text and hands that to its driver's
``write``. A headless run skips the last two steps, so the apps measured here
run with ``PaintDriver``: Textual's headless driver (no terminal, the Pilot's
size) that says it is not headless, so every update is rendered to text, as on
a real terminal, and its ``write`` notes when. A subject is charged the main
thread's CPU time from the moment data is handed over to the last write that
followed: idle waiting on the 60 Hz update timer costs nothing, so a fast widget
is not rounded up to a frame.

Start such an app with ``run_test(headless=False)`` and ``driver_class=PaintDriver``
(both public; ``App(driver_class=…)`` is the documented way to choose a driver).
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot

_clocks: weakref.WeakKeyDictionary[App[Any], PaintClock] = weakref.WeakKeyDictionary()


class PaintDriver(HeadlessDriver):
    """No terminal, but not headless: Textual renders each update and writes it here."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.measured_app = app

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        clock = _clocks.get(self.measured_app)
        if clock is not None and data:
            clock.written()


class PaintClock:
    """Counts the screen updates written by one app and the thread CPU time at the latest."""

    def __init__(self, app: App[Any]) -> None:
        self.updates = 0
        self.last_cpu = 0.0
        self.last_wall = 0.0
        self._event = asyncio.Event()
        _clocks[app] = self

    def written(self) -> None:
        self.updates += 1
        self.last_cpu = time.thread_time()
        self.last_wall = time.perf_counter()
        self._event.set()

    async def settle(self, pilot: Pilot[Any], quiet: float = 0.08, limit: float = 10.0) -> None:
        """Wait until no screen update arrives for ``quiet`` seconds (at most ``limit``)."""
        deadline = time.perf_counter() + limit
        await pilot.pause()
        while time.perf_counter() < deadline:
            self._event.clear()
            try:
                await asyncio.wait_for(self._event.wait(), quiet)
            except TimeoutError:
                return

    async def measure(
        self, pilot: Pilot[Any], apply: Callable[[], object], limit: float = 10.0
    ) -> tuple[float, float]:
        """(CPU seconds, wall seconds) from ``apply()`` to the last update it caused."""
        await self.settle(pilot)
        before = self.updates
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        apply()
        cpu_sync, wall_sync = time.thread_time(), time.perf_counter()
        await self.settle(pilot, limit=limit)
        if self.updates == before:  # nothing repainted: only the synchronous part counts
            return cpu_sync - cpu0, wall_sync - wall0
        return self.last_cpu - cpu0, self.last_wall - wall0
