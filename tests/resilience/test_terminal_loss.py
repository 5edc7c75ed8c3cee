"""SIGHUP, SIGTERM and a closed pty end the monitor within 5 s, leaving nothing behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from jobtui.sim.config import SimConfig
from jobtui.sim.server import start_in_thread
from tests.resilience.ptyrun import PtyApp, spawn
from tests.support.canaries import CANARY, TOKEN_CANARY

pytestmark = pytest.mark.slow


def _group_gone(pgid: int, seconds: float = 2.0) -> bool:
    """No process (child, helper) is left in the app's process group."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _lose(app: PtyApp, how: str) -> None:
    if how == "close-pty":
        os.close(app.master)
    else:
        os.kill(app.proc.pid, getattr(signal, how))


def _ended_in_time(app: PtyApp, how: str) -> None:
    try:
        assert app.read_for(30, until=b"step"), app.output[-1500:]
        started = time.monotonic()
        _lose(app, how)
        if how == "close-pty":
            code = app.proc.wait(5) if _wait(app.proc, 5) else None
        else:
            code = app.wait_gone(5)
        assert code is not None, f"still running {time.monotonic() - started:.1f}s after {how}"
        assert _group_gone(app.proc.pid)
    finally:
        app.kill()


def _wait(proc, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM", "close-pty"])
def test_demo_ends_on_terminal_loss(how: str) -> None:
    _ended_in_time(spawn(["demo", "--speed", "5"]), how)


@pytest.mark.parametrize("how", ["SIGHUP", "close-pty"])
def test_watch_ends_on_terminal_loss(how: str) -> None:
    sim = start_in_thread(SimConfig(), "127.0.0.1", 0)
    try:
        env = {"BK_APP_CODE": "jobtui", "BK_APP_SECRET": CANARY, "BK_TOKEN": TOKEN_CANARY}
        job = str(sim.app.world.demo_job_id())
        args = ["watch", job, "--url", sim.url, "--scope-id", "2"]
        _ended_in_time(spawn(args, env={**env, "XDG_CONFIG_HOME": "/nonexistent"}), how)
    finally:
        sim.stop()
