"""The real program in a real terminal (tmux): start it, read its screen, wait on it.

Every tmux end-to-end test uses this one rig, so they all start the program the
same way (the environment in the command, the pane kept after it exits) and
wait the same way (a condition polled with a bound, never a fixed sleep).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = {"BK_APP_CODE": "jobtui-e2e", "BK_APP_SECRET": "e2e-secret", "BK_USERNAME": "e2e"}
#: How long the pane stays after the program exits, so a test can read its last screen.
LINGER = 30
#: For a module's ``pytestmark``: end-to-end, and skipped where tmux is missing.
needs_tmux = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def tmux(session: str, *args: str) -> str:
    """Run a tmux command on ``session``'s own server (``tmux -L``, named after it).

    One server per session: a shared server exits with its last session, and
    the next ``new-session`` could reach it while it was going ("server exited
    unexpectedly"), across pytest-xdist workers and then within one worker too.
    """
    return subprocess.run(
        ["tmux", "-L", session, *args], capture_output=True, text=True, check=False
    ).stdout


def wait_for(check: Callable[[], bool], timeout: float) -> bool:
    """Poll a real terminal: there is no event to wait on across a process boundary."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@contextmanager
def jobtui_in_tmux(
    *args: str,
    size: tuple[int, int] = (120, 40),
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run ``jobtui ARGS`` in a fresh tmux session of ``size``; yields the session name.

    The environment is the test credentials (never the developer's: no config
    file is read) plus ``env``, set in the command itself: a tmux server that
    is already running gives new sessions its own environment, not this process's.
    ``COLUMNS``/``LINES`` are removed: the session's size is the window's.
    """
    session = f"jobtui-e2e-{uuid.uuid4().hex[:8]}"
    variables = {
        **CREDENTIALS,
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": "/nonexistent",
        **(env or {}),
    }
    assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in variables.items())
    argv = " ".join(shlex.quote(arg) for arg in args)
    # -u: pytest exports COLUMNS=80 LINES=24, which Textual would take over the window's size
    command = (
        f"cd {ROOT} && env -u COLUMNS -u LINES {assignments} "
        f"{sys.executable} -m jobtui {argv}; sleep {LINGER}"
    )
    width, height = size
    size_args = ("-x", str(width), "-y", str(height))
    subprocess.run(
        ["tmux", "-L", session, "new-session", "-d", "-s", session, *size_args, command],
        check=True,
    )
    socket = tmux(session, "display-message", "-p", "#{socket_path}").strip()
    try:
        yield session
    finally:
        tmux(session, "kill-server")
        if socket:  # tmux leaves its socket file behind: one per test, in /tmp/tmux-UID
            Path(socket).unlink(missing_ok=True)


def screen(session: str, *, styled: bool = False) -> str:
    """The pane's text (``styled``: with its colours, so a moved cursor shows)."""
    return tmux(session, "capture-pane", "-p", *(["-e"] if styled else []), "-t", session)


def keys(session: str, *names: str) -> None:
    """Type into the pane (tmux key names: ``Enter``, ``Escape``, ``Down`` …)."""
    tmux(session, "send-keys", "-t", session, *names)


def shows(session: str, *texts: str) -> Callable[[], bool]:
    """A condition for ``wait_for``: every one of ``texts`` is on the screen."""

    def check() -> bool:
        text = screen(session)
        return all(wanted in text for wanted in texts)

    return check


def wait_for_screen(session: str, *texts: str, timeout: float) -> str | None:
    """The first screen showing every one of ``texts`` (``None`` if none did in time).

    A test that checks more on that screen checks the one that matched, not a
    later capture the program may already have moved on from.
    """
    found: list[str] = []

    def check() -> bool:
        text = screen(session)
        if all(wanted in text for wanted in texts):
            found.append(text)
            return True
        return False

    return found[0] if wait_for(check, timeout) else None


def line_with(text: str, word: str) -> str:
    """The first line of ``text`` holding ``word`` ("" when none does)."""
    return next((line for line in text.splitlines() if word in line), "")


def toasts(text: str) -> str:
    """The toasts' text on a screen, their wrapped lines joined (a toast's edge is ``▌``)."""
    edges = [line.split("▌ ", 1)[1] for line in text.splitlines() if "▌ " in line]
    return " ".join(edge.split("│", 1)[0].strip() for edge in edges)


def quits(session: str, gone: str = "Steps") -> bool:
    """``q`` ends the program: ``gone`` leaves the screen within 10 s."""
    keys(session, "q")
    return wait_for(lambda: gone not in screen(session), 10)
