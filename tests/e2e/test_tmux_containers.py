"""The containers scenario in a real terminal (tmux), at the real clock:
`jobtui demo --scenario containers` watches over v4, `jobtui watch --api v3` stops with the hint."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from jobtui.sim.config import SimConfig
from jobtui.sim.server import start_in_thread
from tests.e2e.test_tmux_demo import _tmux, _wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


def _session(command: str, width: int, height: int, env: dict[str, str]) -> str:
    session = f"jobtui-e2e-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), command],
        check=True,
        env=env,
    )
    return session


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_container_demo_shows_containers(size: tuple[int, int]) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = f"cd {ROOT} && {sys.executable} -m jobtui demo --scenario containers; sleep 30"
    session = _session(command, *size, env)
    try:
        screen = lambda: _tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        assert _wait_for(lambda: "Check pods" in screen(), 30), screen()
        assert _wait_for(lambda: "Container" in screen() and "container " in screen(), 30), screen()
        text = screen()
        assert "-7d9f8-" in text  # a container's name in the table and the log title
        assert "1240002" not in text
        _tmux("send-keys", "-t", session, "q")
        assert _wait_for(lambda: "Check pods" not in screen(), 10), screen()
    finally:
        _tmux("kill-session", "-t", session)


def test_v3_watch_of_a_container_job_stops_with_the_hint() -> None:
    running = start_in_thread(SimConfig(scenario="containers"), "127.0.0.1", 0)
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    job = running.app.world.demo_job_id()
    # a running tmux server keeps its own environment: the credentials go in the command
    command = (
        f"cd {ROOT} && BK_APP_CODE=demo BK_APP_SECRET=demo BK_USERNAME=admin "
        f"{sys.executable} -m jobtui watch {job} --url {running.url} --api v3 --scope-id 2; "
        "sleep 30"
    )
    session = _session(command, 160, 48, env)
    try:
        screen = lambda: _tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        # three 1240002 in a row at the real backoff (1 s, 2 s): the hint, then quiet
        assert _wait_for(lambda: "use --api v4" in screen(), 30), screen()
        assert "bk-job failed internally on this job (1240002)" in screen()
        _tmux("send-keys", "-t", session, "q")
    finally:
        _tmux("kill-session", "-t", session)
        running.stop()
