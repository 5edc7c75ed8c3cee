"""The containers scenario in a real terminal (tmux), at the real clock:
`jobtui demo --scenario containers` watches over v4, `jobtui watch --api v3` stops with the hint."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jobtui.sim.config import SimConfig
from jobtui.sim.server import RunningSim
from tests.support.tmux import jobtui_in_tmux, keys, needs_tmux, quits, screen, shows, wait_for

pytestmark = needs_tmux


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_container_demo_shows_containers(size: tuple[int, int]) -> None:
    with jobtui_in_tmux("demo", "--scenario", "containers", size=size) as session:
        assert wait_for(shows(session, "Check pods"), 30), screen(session)
        assert wait_for(shows(session, "Container", "container "), 30), screen(session)
        text = screen(session)
        assert "-7d9f8-" in text  # a container's name in the table and the log title
        assert "1240002" not in text
        assert quits(session, gone="Check pods"), screen(session)


def test_v3_watch_of_a_container_job_stops_with_the_hint(
    serve: Callable[[SimConfig], RunningSim],
) -> None:
    running = serve(SimConfig(scenario="containers"))
    job = str(running.app.world.demo_job_id())
    args = ("watch", job, "--url", running.url, "--api", "v3", "--scope-id", "2")
    with jobtui_in_tmux(*args, size=(160, 48)) as session:
        # three 1240002 in a row at the real backoff (1 s, 2 s): the hint, then quiet
        assert wait_for(shows(session, "use --api"), 30), screen(session)  # the hint's toast
        shown = screen(session)  # the toast wraps: its words, line by line
        assert all(w in shown for w in ("bk-job failed", "internally on this job", "(1240002)"))
        keys(session, "q")
