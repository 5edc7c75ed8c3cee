"""Accelerated soak: many refreshes with random faults, in-process on a manual clock.

No crash, and bounded growth: memory, asyncio tasks, timers, widgets, file descriptors.
The default run does 100 refreshes; ``-m soak`` runs the 10,000-refresh version
(about 20 minutes on 2 cores, so it is kept out of the default run and CI).
"""

from __future__ import annotations

import asyncio
import gc
import os
import random

import pytest

from jobtui.sim.config import FaultConfig
from jobtui.tui.widgets.header import JobHeader
from tests.support.fault_rig import make_fault_rig
from tests.support.monitor_rig import settle
from tests.support.textual_probe import timer_count

FAULTS = [
    FaultConfig(),
    FaultConfig(),
    FaultConfig(error_rate=1.0),
    FaultConfig(rate_limit_rate=1.0),
    FaultConfig(html_rate=1.0),
    FaultConfig(malformed_rate=1.0),
    FaultConfig(error_rate=0.3, malformed_rate=0.2),
]
KEYS = ["down", "up", "tab", "down", "G", "g", "tab", "tab"]


def _rss() -> int:
    """Resident memory in bytes (no tracing overhead, unlike tracemalloc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _soak(refreshes: int) -> None:
    rng = random.Random(7)
    rig = make_fault_rig(scenario="faults", advance=5)
    rig.sim.config.faults = FaultConfig()
    async with rig.app.run_test(size=(160, 48), message_hook=rig.polls) as pilot:
        await settle(pilot)
        screen = rig.app.monitor
        warm = max(20, refreshes // 10)
        baseline: dict[str, int] = {}
        for i in range(refreshes):
            if i == warm:
                gc.collect()
                baseline = {
                    "rss": _rss(),
                    "tasks": len(asyncio.all_tasks()),
                    "timers": timer_count(rig.app),
                    "widgets": len(list(rig.app.screen.walk_children())),
                    "fds": _fds(),
                }
            rig.sim.config.faults = rng.choice(FAULTS)
            rig.clock.advance(rng.choice([0.5, 1.0, 3.0]))
            if rng.random() < 0.2:
                await pilot.press(rng.choice(KEYS))
            screen.refresh_now()
            await pilot.pause()
            await rig.app.workers.wait_for_complete()
            await pilot.pause()
        rig.sim.config.faults = FaultConfig()
        screen.refresh_now()
        await settle(pilot)
        assert rig.app.is_running
        assert "STALE" not in screen.query_one(JobHeader).text  # recovered at the end
        gc.collect()
        grown = _rss() - baseline["rss"]
        assert grown < 60 * 1024 * 1024, f"RSS grew {grown / 1e6:.1f} MB"
        assert len(asyncio.all_tasks()) <= baseline["tasks"] + 5
        assert timer_count(rig.app) <= baseline["timers"] + 3
        assert len(list(rig.app.screen.walk_children())) <= baseline["widgets"] + 20
        assert _fds() <= baseline["fds"] + 5
        assert rig.polls.count >= refreshes


async def test_soak_short() -> None:
    await _soak(100)


@pytest.mark.soak
async def test_soak_10000_refreshes() -> None:
    await _soak(10_000)
