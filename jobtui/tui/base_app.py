"""What both jobtui apps share: look, ASCII mode, size guard, quitting, the client.

``MonitorApp`` (one job) and ``JobsApp`` (job list, wall, follow-newest) differ
in their screens only; everything a terminal sees the same way lives here, so
``--ascii`` / ``TERM=linux`` and the too-small notice behave alike in both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import Resize

from jobtui.api.base import JobApi
from jobtui.tui.commands import MonitorCommands
from jobtui.tui.compat import scrollbars, shadow
from jobtui.tui.screens.too_small import TooSmallScreen, too_small

ASCII_THEME = "ansi-dark"  # the terminal's own 16 colours (Textual 8 has no "textual-ansi")


def local_now() -> datetime:
    return datetime.now().astimezone()


class JobtuiApp(App[int]):
    """Base of the jobtui apps: owns the client and closes it on exit."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {MonitorCommands}
    # Textual types this as an instance variable, so no ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, tooltip="quit"),
    ]

    def __init__(
        self,
        client: JobApi,
        *,
        ascii_only: bool,
        clock: Callable[[], datetime] | None = None,
        auto_poll: bool = True,
    ) -> None:
        shadow.install()  # write only changed cells (see compat.shadow)
        super().__init__()
        self.client = client
        self.ascii_only = ascii_only
        self.clock = clock or local_now
        self.auto_poll = auto_poll
        if ascii_only:
            if ASCII_THEME in self.available_themes:
                self.theme = ASCII_THEME
            self.add_class("-ascii")

    def on_mount(self) -> None:
        if self.ascii_only:  # class-wide in Textual; put back on unmount
            scrollbars.use_ascii()

    async def on_unmount(self) -> None:
        """Close the client (its connection pool) and undo the ASCII scroll bars."""
        if self.ascii_only:
            scrollbars.restore()
        await self.client.aclose()

    def on_resize(self, event: Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        """Swap in the too-small notice below ~60x15 and back out above it."""
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not showing:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and showing:
            self.pop_screen()

    async def action_quit(self) -> None:
        self.exit(0)
