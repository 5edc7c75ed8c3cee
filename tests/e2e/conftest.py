"""Fixtures for the end-to-end tests (the tmux rig itself: tests/support/tmux.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from jobtui.sim.config import SimConfig
from jobtui.sim.server import RunningSim, start_in_thread


@pytest.fixture
def serve() -> Iterator[Callable[[SimConfig], RunningSim]]:
    """``serve(config)``: a simulator on a loopback port, on the real clock, stopped after."""
    started: list[RunningSim] = []

    def start(config: SimConfig) -> RunningSim:
        running = start_in_thread(config, "127.0.0.1", 0)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
