"""`jobtui demo` in a real terminal at the real cadence: the waits bk-job really has.

The demo's simulator follows bk-job's server: it refuses the result of a
confirmation step (1241003) and pauses its MANUAL rolling step at 7. The
monitor must stay live through both (never STALE), show the confirmation card
with its message, and name the rolling pause as one.
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
        time.sleep(0.2)
    return False


def test_confirmation_wait_and_rolling_pause_stay_live() -> None:
    session = f"jobtui-e2e-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    # 2.5x: the demo's failed step now waits 8 s for its (simulated) operator; a faster
    # clock keeps this run as short as before
    command = f"cd {ROOT} && {sys.executable} -m jobtui demo --speed 2.5; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "48", command],
        check=True,
        env=env,
    )
    try:
        screen = lambda: _tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        waiting = "Manual confirmation: waiting for confirmation since"
        assert _wait_for(lambda: waiting in screen(), 60), screen()
        assert "Message: Canary is green?" in screen()
        # several polls (every second) while the step waits: none goes stale
        seen: list[str] = []
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and waiting in (text := screen()):
            seen.append(text)
            time.sleep(0.3)
        assert len(seen) >= 3, "the wait lasted less than a second"
        assert not any("STALE" in text or "invalid parameter" in text for text in seen)
        assert not any("select a host" in text for text in seen)
        # the log pane says why it is empty (once the "waiting for a person" toasts go)
        assert _wait_for(lambda: "no hosts to show" in screen(), 10), screen()
        # the MANUAL rolling step pauses after its first batch (the job at 7)
        paused = "rolling pause: batch done, waiting to continue"
        assert _wait_for(lambda: paused in screen(), 60), screen()
        text = screen()
        assert "ROLLING PAUSE" in text and "STALE" not in text
        assert "WAITING FOR CONFIRMATION" not in text
        _tmux("send-keys", "-t", session, "q")
        assert _wait_for(lambda: "Steps" not in screen(), 10), screen()
    finally:
        _tmux("kill-session", "-t", session)
