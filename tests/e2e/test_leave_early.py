"""Leaving a monitor before its first answer never freezes the job list.

The monitor once held the whole app's painting (``App.batch_update``) until its
first answer, and the timer that would end the hold died with the screen: back
on ``jobtui jobs`` nothing was ever painted again. Here the real program runs in
tmux; the simulator answers slowly while a monitor opens, Escape leaves it at
once, and the job list must still move its cursor on screen.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest

from jobtui.sim.config import SimConfig
from jobtui.sim.server import RunningSim, start_in_thread
from tests.e2e.tmuxrig import jobtui_in_tmux, screen, tmux, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def sim() -> Iterator[RunningSim]:
    running = start_in_thread(SimConfig(), "127.0.0.1", 0)
    try:
        yield running
    finally:
        running.stop()


def test_leaving_a_monitor_before_its_first_answer_keeps_the_job_list_painting(
    sim: RunningSim,
) -> None:
    with jobtui_in_tmux("jobs", "--url", sim.url, "--scope-id", "2") as session:
        assert wait_for(lambda: "Deploy app" in screen(session), 30), screen(session)
        sim.app.config.faults.latency = 3.0  # the monitor's first answer is 3 s away
        tmux("send-keys", "-t", session, "Enter")
        time.sleep(0.5)
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.5)
        sim.app.config.faults.latency = 0.0
        before = screen(session, styled=True)
        tmux("send-keys", "-t", session, "Down", "Down", "Down")
        moved = wait_for(lambda: screen(session, styled=True) != before, 10)
        assert moved, f"the job list froze after leaving the monitor:\n{screen(session)}"
        assert "Deploy app" in screen(session)
