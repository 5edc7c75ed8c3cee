"""Leaving a monitor before its first answer never freezes the job list.

The monitor once held the whole app's painting (``App.batch_update``) until its
first answer, and the timer that would end the hold died with the screen: back
on ``jobtui jobs`` nothing was ever painted again. Here the real program runs in
tmux; the simulator answers slowly while a monitor opens, Escape leaves it at
once, and the job list must still move its cursor on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from jobtui.sim.config import SimConfig
from jobtui.sim.server import RunningSim
from tests.support.tmux import jobtui_in_tmux, keys, needs_tmux, screen, shows, wait_for

pytestmark = needs_tmux


def test_leaving_a_monitor_before_its_first_answer_keeps_the_job_list_painting(
    serve: Callable[[SimConfig], RunningSim],
) -> None:
    sim = serve(SimConfig())
    with jobtui_in_tmux("jobs", "--url", sim.url, "--scope-id", "2") as session:
        assert wait_for(shows(session, "Deploy app"), 30), screen(session)
        sim.app.config.faults.latency = 3.0  # the monitor's first answer is 3 s away
        keys(session, "Enter")
        assert wait_for(shows(session, "Loading job"), 2), screen(session)
        keys(session, "Escape")

        def back() -> bool:
            text = screen(session)
            return "Loading job" not in text and "Deploy app" in text

        # back on the job list while the monitor's first answer is still on its way
        assert wait_for(back, 2), f"the job list was not painted again:\n{screen(session)}"
        sim.app.config.faults.latency = 0.0
        before = screen(session, styled=True)
        keys(session, "Down", "Down", "Down")
        moved = wait_for(lambda: screen(session, styled=True) != before, 10)
        assert moved, f"the job list froze after leaving the monitor:\n{screen(session)}"
        assert "Deploy app" in screen(session)
