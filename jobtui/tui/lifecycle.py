"""Run a Textual app so that it ends when its terminal does.

Textual installs no SIGHUP handler, and on a closed terminal its input thread
can spin instead of exiting: a monitor left in a dropped ssh session would keep
polling bk-job forever. SIGHUP and SIGTERM exit the app, and a cheap watchdog
exits it when stdin stops being a terminal.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from textual.app import App

WATCHDOG_SECONDS = 2.0  # the terminal-loss tests require an exit within 5 s


def run_until_gone(app: App[int]) -> int:
    """Run ``app`` to completion or until the terminal goes away; return its exit code."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if app.is_running:
            app.call_later(app.exit, 0)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGHUP, signal.SIGTERM)}

    def watchdog() -> None:
        if not sys.stdin.isatty():
            app.exit(0)

    app.call_later(lambda: app.set_interval(WATCHDOG_SECONDS, watchdog))
    try:
        result = app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return result if result is not None else 0
