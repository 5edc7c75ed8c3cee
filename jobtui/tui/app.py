"""The Textual application: one monitor screen, a help overlay, a too-small notice.

``run_monitor`` is what the CLI calls. It also ends the process when the
terminal goes away (SIGHUP, SIGTERM, or stdin no longer a tty): Textual has no
handler for these and would otherwise spin on a dead pty.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from textual.screen import Screen

from jobtui.api.base import JobApi
from jobtui.core.options import WatchOptions
from jobtui.core.terminal_caps import few_colours, wants_ascii
from jobtui.tui.base_app import JobtuiApp
from jobtui.tui.breakpoints import presize
from jobtui.tui.lifecycle import run_until_gone
from jobtui.tui.screens.monitor import MonitorScreen


class MonitorApp(JobtuiApp):
    """Live monitor of one bk-job job instance."""

    TITLE = "jobtui"

    def __init__(
        self,
        client: JobApi,
        options: WatchOptions,
        *,
        clock: Callable[[], datetime] | None = None,
        auto_poll: bool = True,
    ) -> None:
        super().__init__(client, ascii_only=options.ascii_only, clock=clock, auto_poll=auto_poll)
        self.options = options

    def on_mount(self) -> None:
        super().on_mount()
        self.push_screen(presize(self, self.monitor))
        self.check_size(self.size.width, self.size.height)

    def not_found(self, screen: Screen[Any], message: str) -> bool:
        """``jobtui watch`` on a job or step that does not exist: one line, exit 3."""
        self.fail(message)
        return True

    @property
    def monitor(self) -> MonitorScreen:
        """The one monitor screen, created on first use."""
        screen = getattr(self, "_monitor", None)
        if screen is None:
            screen = MonitorScreen(self.client, self.options, self.clock, auto=self.auto_poll)
            self._monitor = screen
        return screen


def for_terminal(options: WatchOptions, environ: Mapping[str, str]) -> WatchOptions:
    """``TERM=linux`` (no box drawing) or a non-UTF-8 locale (``LANG=C``) implies ASCII."""
    if wants_ascii(environ) and not options.ascii_only:
        return replace(options, ascii_only=True)
    return options


def run_monitor(client: JobApi, options: WatchOptions) -> int:
    """Run the monitor until the user quits or the terminal goes away; return the exit code."""
    app = MonitorApp(client, for_terminal(options, os.environ))
    if few_colours(os.environ):
        app.limit_colours()
    return run_until_gone(app)
