"""`jobtui demo` in a real terminal (tmux): the panes fill with data and `q` quits."""

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
        time.sleep(0.25)
    return False


@pytest.mark.parametrize("compat", ["on", "off"])  # off: stock Textual only (tui/compat)
def test_demo_shows_data_and_quits(compat: str) -> None:
    session = f"jobtui-e2e-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    # In the command: a running tmux server gives new sessions its own environment.
    run = f"JOBTUI_TEXTUAL_COMPAT={compat} {sys.executable} -m jobtui demo"
    command = f"cd {ROOT} && {run}; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command],
        check=True,
        env=env,
    )
    try:
        screen = lambda: _tmux("capture-pane", "-p", "-t", session)  # noqa: E731
        assert _wait_for(lambda: "Deploy" in screen() and "Steps" in screen(), 30), screen()
        assert _wait_for(lambda: "step " in screen() and "10." in screen(), 30), screen()
        text = screen()
        assert "Results" in text and "Log" in text
        _tmux("send-keys", "-t", session, "q")
        assert _wait_for(lambda: "Steps" not in screen(), 10), screen()
    finally:
        _tmux("kill-session", "-t", session)
