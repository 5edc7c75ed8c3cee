"""The real program in tmux against a simulator served from the test process."""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = {"BK_APP_CODE": "jobtui-e2e", "BK_APP_SECRET": "e2e-secret", "BK_USERNAME": "e2e"}


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(check: Callable[[], bool], timeout: float) -> bool:
    """Poll a real terminal: there is no event to wait on across a process boundary."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@contextmanager
def jobtui_in_tmux(*args: str, size: tuple[int, int] = (120, 40)) -> Iterator[str]:
    """Run ``jobtui ARGS`` in a fresh tmux session (120×40 unless ``size``); yields its name."""
    session = f"jobtui-e2e-{uuid.uuid4().hex[:8]}"
    # In the command, not tmux's environment: a tmux server already running
    # gives new sessions its own environment, not this process's.
    env = {
        **CREDENTIALS,
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": "/nonexistent",
    }
    assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    argv = " ".join(shlex.quote(arg) for arg in args)
    command = f"cd {ROOT} && env {assignments} {sys.executable} -m jobtui {argv}; sleep 30"
    width, height = (str(n) for n in size)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", width, "-y", height, command],
        check=True,
    )
    try:
        yield session
    finally:
        tmux("kill-session", "-t", session)


def screen(session: str, *, styled: bool = False) -> str:
    """The pane's text (``styled``: with its colours, so a moved cursor shows)."""
    return tmux("capture-pane", "-p", *(["-e"] if styled else []), "-t", session)
