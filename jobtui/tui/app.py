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
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.scrollbar import ScrollBar, ScrollBarRender

from jobtui.api.base import JobApi
from jobtui.core.options import WatchOptions
from jobtui.tui import partial_writes
from jobtui.tui.commands import MonitorCommands
from jobtui.tui.lifecycle import run_until_gone
from jobtui.tui.screens.monitor import MonitorScreen
from jobtui.tui.screens.too_small import TooSmallScreen, too_small

ASCII_THEME = "ansi-dark"  # the terminal's own 16 colours (Textual 8 has no "textual-ansi")


class AsciiScrollBarRender(ScrollBarRender):
    """Scroll bars without the eighth-block characters the Linux console lacks."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def _local_now() -> datetime:
    return datetime.now().astimezone()


class MonitorApp(App[int]):
    """Live monitor of one bk-job job instance."""

    CSS_PATH = "app.tcss"
    TITLE = "jobtui"
    COMMANDS = App.COMMANDS | {MonitorCommands}
    # Textual types this as an instance variable, so no ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        client: JobApi,
        options: WatchOptions,
        *,
        clock: Callable[[], datetime] | None = None,
        auto_poll: bool = True,
    ) -> None:
        partial_writes.install()  # write only changed cells (see the module)
        super().__init__()
        self.client = client
        self.options = options
        self.clock = clock or _local_now
        self.auto_poll = auto_poll
        self._scrollbar_renderer = ScrollBar.renderer
        if options.ascii:
            if ASCII_THEME in self.available_themes:
                self.theme = ASCII_THEME
            self.add_class("-ascii")

    def on_mount(self) -> None:
        if self.options.ascii:  # class-wide in Textual; put back on unmount
            ScrollBar.renderer = AsciiScrollBarRender
        self.push_screen(self.monitor)
        self._check_size(self.size.width, self.size.height)

    @property
    def monitor(self) -> MonitorScreen:
        """The one monitor screen, created on first use."""
        screen = getattr(self, "_monitor", None)
        if screen is None:
            screen = MonitorScreen(self.client, self.options, self.clock, auto=self.auto_poll)
            self._monitor = screen
        return screen

    async def on_unmount(self) -> None:
        """Close the client (its connection pool) and undo the ASCII scroll bars."""
        ScrollBar.renderer = self._scrollbar_renderer
        await self.client.aclose()

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        """Swap in the too-small notice below ~60x15 and back out above it."""
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not showing:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and showing:
            self.pop_screen()

    async def action_quit(self) -> None:
        self.exit(0)


def for_terminal(options: WatchOptions, environ: Mapping[str, str]) -> WatchOptions:
    """``TERM=linux`` (the Linux console: 16 colours, no box drawing) implies ASCII."""
    if environ.get("TERM") == "linux" and not options.ascii:
        return replace(options, ascii=True)
    return options


def run_monitor(client: JobApi, options: WatchOptions) -> int:
    """Run the monitor until the user quits or the terminal goes away; return the exit code."""
    app = MonitorApp(client, for_terminal(options, os.environ))
    return run_until_gone(app)
