"""`jobtui demo` in a real terminal (tmux) plays the whole demo scenario end to end.

The demo job now waits at a confirmation with a message (served by
``get_step_instance_detail``) and pauses between MANUAL rolling batches with the
job at 7; by default both end by themselves, so the job still finishes and the
demo loop moves on. Before them its deploy step fails: step and job at 4 (bk-job
retries nothing by itself) until the simulated operator retries it 8 s later, as
a person would from the web UI. Sim time runs 2.5x faster than the wall clock
here (that keeps the whole run shorter than before the operator's pause).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from jobtui.sim.scenarios import CONFIRM_MESSAGE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def _wait_for(check: Callable[[], bool], timeout: float) -> bool:
    """Poll a real terminal: there is no event to wait on across a process boundary."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_demo_confirms_pauses_and_finishes() -> None:
    session = f"jobtui-h10sim-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = f"cd {ROOT} && {sys.executable} -m jobtui demo --speed 2.5; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "48", command],
        check=True,
        env=env,
    )
    try:
        screen = lambda: _tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        deploy = lambda: next((ln for ln in screen().splitlines() if "Deploy package" in ln), "")  # noqa: E731
        # The deploy step fails and the job with it (sim time ~19 s), until the operator's
        # retry (~27 s) runs it again as retry 1.
        assert _wait_for(lambda: "✗ FAILED" in screen(), 30), screen()
        assert _wait_for(lambda: "r1" in deploy() and "RUNNING" in screen(), 15), screen()
        # The confirmation's message, as the server's step detail gives it (sim time ~46-66 s).
        words = CONFIRM_MESSAGE.split()[:4]
        assert _wait_for(lambda: " ".join(words) in screen(), 60), screen()
        # The job finishes (sim time ~110 s): both waits ended by themselves.
        assert _wait_for(lambda: "SUCCESS" in screen(), 60), screen()
        assert "Rolling restart" in screen()
        _tmux("send-keys", "-t", session, "q")
        assert _wait_for(lambda: "Steps" not in screen(), 10), screen()
    finally:
        _tmux("kill-session", "-t", session)
