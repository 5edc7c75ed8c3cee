"""`jobtui demo --manual` in a real terminal (tmux): retry the failed step, confirm the
waiting one, see the job move on.

The whole path at the real cadence and clock: the monitor polls the simulator
over HTTP, `a` opens the menu from a fresh poll, Enter picks the primary action
(retry failed hosts on the failed deploy step, which with `--manual` nobody else
retries; then confirm), `y` sends it, and the screen shows the job running again
and then the next step running; the audit file (in a temporary XDG state dir)
records both operations.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

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


def _line(screen: str, word: str) -> str:
    return next((line for line in screen.splitlines() if word in line), "")


def _toasts(screen: str) -> str:
    """The toasts' text, their wrapped lines joined (a toast's edge is ``▌``)."""
    edges = [line.split("▌ ", 1)[1] for line in screen.splitlines() if "▌ " in line]
    return " ".join(edge.split("│", 1)[0].strip() for edge in edges)


def test_confirm_a_waiting_step_and_the_job_moves_on(tmp_path: Path) -> None:
    session = f"jobtui-act-{uuid.uuid4().hex[:8]}"
    state = tmp_path / "state"
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = (
        f"cd {ROOT} && XDG_STATE_HOME={state} {sys.executable} -m jobtui demo --manual "
        "--speed 4; sleep 30"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command],
        check=True,
        env=env,
    )
    try:
        screen = lambda: _tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        # the deploy step fails: step and job at 4, and with --manual nobody retries it
        assert _wait_for(lambda: "✗ FAILED" in screen(), 60), screen()
        _tmux("send-keys", "-t", session, "a")
        assert _wait_for(lambda: "▶ Retry failed hosts (step)" in screen(), 15), screen()
        _tmux("send-keys", "-t", session, "Enter")
        question = 'Retry the failed hosts of step "Deploy package"?'
        assert _wait_for(lambda: question in screen(), 10), screen()
        _tmux("send-keys", "-t", session, "y")
        assert _wait_for(lambda: 'accepted "retry-failed"' in screen(), 15), screen()
        assert _wait_for(lambda: "r1" in _line(screen(), "Deploy package"), 15), screen()
        # with --manual the confirmation waits for a person, however long it takes
        # (a narrow tree line cuts the step's name before its state: "⚑ Confirm… WAITING")
        assert _wait_for(lambda: "WAITING" in _line(screen(), "⚑ Confirm"), 60), screen()
        _tmux("send-keys", "-t", session, "a")
        assert _wait_for(lambda: "▶ Confirm (step)" in screen(), 15), screen()
        _tmux("send-keys", "-t", session, "Enter")
        assert _wait_for(lambda: 'Confirm the step "Confirm rollout"?' in screen(), 10), screen()
        assert 'step "Confirm rollout"' in screen()
        _tmux("send-keys", "-t", session, "y")
        assert _wait_for(lambda: 'accepted "confirm"' in _toasts(screen()), 15), screen()
        # the job moves on: the confirmation is done and the rolling restart runs
        assert _wait_for(lambda: "✓ Confirm rollout" in screen(), 15), screen()
        assert _wait_for(lambda: "▶ Rolling" in screen(), 15), screen()
        entries = [
            json.loads(line) for line in (state / "jobtui" / "audit.jsonl").read_text().splitlines()
        ]
        assert [(e["action"], e["outcome"]) for e in entries] == [
            ("retry-failed", "accepted"),
            ("confirm", "accepted"),
        ]
        _tmux("send-keys", "-t", session, "q")
    finally:
        _tmux("kill-session", "-t", session)
