"""Timing "until painted" in a headless Textual app.

Textual renders a screen update (``Compositor.render_update`` → widgets'
``render_line``) and then hands it to ``App._display``; headless runs skip only
the final write. We wrap ``_display`` to note when each update was delivered,
and charge a subject the main thread's CPU time from the moment data is handed
over to the last update that followed: idle waiting on the 60 Hz update timer
costs nothing, so a fast widget is not rounded up to a frame.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot


class PaintClock:
    """Counts screen updates of one app and the thread CPU time at the latest one."""

    def __init__(self, app: App[Any]) -> None:
        self.updates = 0
        self.last_cpu = 0.0
        self.last_wall = 0.0
        self._event = asyncio.Event()
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.updates += 1
                self.last_cpu = time.thread_time()
                self.last_wall = time.perf_counter()
                self._event.set()

        app._display = display  # type: ignore[method-assign]

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
