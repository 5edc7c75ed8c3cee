"""Quitting is quick: ctrl+c, q, SIGHUP and SIGTERM end jobtui within 1 s, even mid-shutdown."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.resilience.ptyrun import PtyApp, spawn

pytestmark = pytest.mark.slow

LIMIT = 1.0  # issue 15: "exit within 1 s of SIGHUP/SIGTERM or a lost terminal"

# A shutdown that never finishes: the app's unmount handler hangs, as one stuck on
# a dead connection would. Only the hard deadline in lifecycle.py can end it.
STUCK = """
import asyncio, sys
from jobtui.tui import base_app
async def hang(self):
    await asyncio.sleep(3600)
base_app.JobtuiApp.on_unmount = hang
from jobtui.cli import main
sys.exit(main(["demo", "--speed", "5"]))
"""


def _started(app: PtyApp) -> None:
    assert app.read_for(30, until=b"step"), app.output[-1500:]
    app.read_for(0.5)


def _seconds_to_exit(app: PtyApp, act: bytes | int) -> tuple[int | None, float]:
    started = time.monotonic()
    if isinstance(act, bytes):
        os.write(app.master, act)
    else:
        os.kill(app.proc.pid, act)
    code = app.wait_gone(5)
    return code, time.monotonic() - started


@pytest.mark.parametrize("key", [b"\x03", b"q"], ids=["ctrl+c", "q"])
def test_keys_quit_at_once(key: bytes) -> None:
    app = spawn(["demo", "--speed", "5"])
    try:
        _started(app)
        code, took = _seconds_to_exit(app, key)
        assert code == 0, app.output[-800:]
        assert took < LIMIT, f"{took:.2f}s to quit"
        assert b"to quit the app" not in app.output  # Textual's "press ctrl+q" nag
    finally:
        app.kill()


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_signal_ends_within_a_second(sig: int) -> None:
    app = spawn(["demo", "--speed", "5"])
    try:
        _started(app)
        code, took = _seconds_to_exit(app, sig)
        assert code is not None and took < LIMIT, f"{took:.2f}s after {sig}"
    finally:
        app.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_ends_a_stuck_shutdown(sig: int) -> None:
    app = spawn([], code=STUCK)
    try:
        _started(app)
        os.write(app.master, b"q")  # starts a shutdown that never completes
        app.read_for(0.5)
        assert app.proc.poll() is None, "the stuck shutdown finished: the rig is broken"
        code, took = _seconds_to_exit(app, sig)
        assert code is not None and took < LIMIT, f"stuck: {took:.2f}s after {sig}"
        assert b"\x1b[?1049l" in app.output  # the alternate screen was left
    finally:
        app.kill()
