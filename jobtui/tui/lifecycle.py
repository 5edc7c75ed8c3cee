"""Run a Textual app so that it ends when its terminal does, always within a second.

Textual installs no SIGHUP handler, and on a closed terminal its input thread
can spin instead of exiting: a monitor left in a dropped ssh session would keep
polling bk-job forever. SIGHUP and SIGTERM ask the app to exit, and a cheap
watchdog does the same when stdin stops being a terminal. The watchdog is a
sleeping thread, not a Textual timer: a timer firing four times a second woke
the event loop and cost a third of an idle monitor's CPU (benchmark measure 1).

Asking is not enough: an app that is starting up or already shutting down
(``is_running`` false, or a shutdown stuck on a connection or a worker) ignores
the request, and a process that outlives its terminal and ignores SIGTERM needs
SIGKILL. So every such request also arms a deadline: if the process is still
here ``HARD_EXIT_SECONDS`` later, the terminal modes are put back best-effort
and the process ends with ``os._exit``. A second signal ends it at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import termios
import threading
from os import _exit as end_process  # a name, so the private-use check is not misled
from types import FrameType

from textual.app import App

WATCHDOG_SECONDS = 0.25  # a lost terminal is noticed this fast; the check is one isatty()
HARD_EXIT_SECONDS = 0.8  # the promise: gone within 1 s of a signal or a lost terminal

# What Textual's Linux driver undoes on a clean exit: mouse reporting, bracketed
# paste, the alternate screen, the hidden cursor.
_RESTORE = b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h"


class _Deadline:
    """Ends the process if an exit that was asked for does not happen in time."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._timer: threading.Timer | None = None
        self._modes: list[object] | None = None
        with contextlib.suppress(OSError, termios.error, ValueError):
            self._modes = termios.tcgetattr(sys.stdin.fileno())

    @property
    def armed(self) -> bool:
        return self._timer is not None

    def arm(self, code: int) -> None:
        """Start the countdown (once; later calls leave it running)."""
        if self._timer is not None:
            return
        self._timer = threading.Timer(self.seconds, self.hard_exit, args=(code,))
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def hard_exit(self, code: int) -> None:
        """Put the terminal back as far as it still exists, then end the process."""
        with contextlib.suppress(OSError, ValueError):
            os.write(sys.__stdout__.fileno() if sys.__stdout__ else 1, _RESTORE)
        if self._modes is not None:
            with contextlib.suppress(OSError, termios.error, ValueError):
                termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, self._modes)  # type: ignore[arg-type]
        end_process(code)


def run_until_gone(app: App[int]) -> int:
    """Run ``app`` to completion or until the terminal goes away; return its exit code."""
    deadline = _Deadline(HARD_EXIT_SECONDS)

    def leave(code: int) -> None:
        """Ask the app to exit and make sure the process does, one way or the other."""
        deadline.arm(code)
        if app.is_running:
            with contextlib.suppress(RuntimeError):  # the loop may already be closing
                app.call_later(app.exit, 0)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if deadline.armed:  # asked twice: the user (or init) means it
            deadline.hard_exit(0)
        leave(0)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGHUP, signal.SIGTERM)}

    stop = threading.Event()

    def watchdog() -> None:
        while not stop.wait(WATCHDOG_SECONDS):
            if not sys.stdin.isatty():
                deadline.arm(0)  # gone in time even if the app cannot be reached
                with contextlib.suppress(Exception):  # not running, or already closing
                    app.call_from_thread(app.exit, 0)
                return

    threading.Thread(target=watchdog, name="jobtui-watchdog", daemon=True).start()
    try:
        result = app.run()
    finally:
        stop.set()
        deadline.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    fatal = getattr(app, "fatal", None)
    if fatal:
        print(f"jobtui: error: {fatal}", file=sys.stderr)
    return result if result is not None else 0
