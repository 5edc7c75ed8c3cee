"""What both jobtui apps share: look, ASCII mode, size guard, quitting, the client.

``MonitorApp`` (one job) and ``JobsApp`` (job list, wall, follow-newest) differ
in their screens only; everything a terminal sees the same way lives here, so
``--ascii`` / ``TERM=linux`` and the too-small notice behave alike in both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.markup import MarkupError
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme
from textual.widget import Widget
from textual.widgets import Input, LoadingIndicator, Static

from jobtui.api.base import JobApi
from jobtui.core import sanitize
from jobtui.core.notices import NoticeLog, toast_text
from jobtui.core.sanitize import safe_text
from jobtui.core.terminal_caps import limit_to_8
from jobtui.tui.breakpoints import presize
from jobtui.tui.commands import MonitorCommands
from jobtui.tui.compat import scrollbars, shadow
from jobtui.tui.keys import key_for
from jobtui.tui.screens.too_small import TooSmallScreen, too_small

#: The palette for few-colour terminals and ASCII mode: Textual's ``ansi-dark``
#: (the terminal's own colours), with Running (``$accent``) cyan so it can never
#: be mistaken for success (green) or failure (red), and skipped magenta.
ANSI_THEME = Theme(
    name="jobtui-ansi",
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_magenta",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    accent="ansi_cyan",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **BUILTIN_THEMES["ansi-dark"].variables,
        "input-selection-background": "ansi_blue",
        "screen-selection-background": "ansi_blue",
        "input-cursor-foreground": "ansi_white",
    },
)

ASCII_THEME = ANSI_THEME.name


def local_now() -> datetime:
    return datetime.now().astimezone()


WIDE = 100  # the monitor's side-by-side layout from here (HORIZONTAL_BREAKPOINTS)
TOAST_LINES = 5  # a toast's text lines at most; the rest is in the notices (`m`)
MAX_NOTICE = 2_000  # one notice's text at most, as kept and as shown in the notices


def toast_width(columns: int) -> int:
    """Text cells of a toast (its gutter is 3 cells), from the terminal's width.

    Narrow (under ``WIDE`` columns): 38% of the screen, 28 to 60 cells, which at
    80 columns clears the step lines (about 50 cells) beside it. Wide: inside the
    steps column (38%, app.tcss) less its borders.
    """
    if columns >= WIDE:
        return columns * 38 // 100 - 2 - 3
    return max(28, min(60, columns * 38 // 100)) - 3


def _plain(message: str) -> str:
    """A message Textual would read as markup, as the text it shows."""
    try:
        return Content.from_markup(message).plain
    except MarkupError:  # bad markup: show it as it came
        return message


class JobtuiApp(App[int]):
    """Base of the jobtui apps: owns the client and closes it on exit."""

    CSS_PATH = "app.tcss"
    # Only jobtui's own entries: Textual's (Keys, Maximize, Theme, Screenshot...) mixed
    # in read as jobtui features and some (Theme) undo ASCII mode or the 8-colour palette.
    COMMANDS = {MonitorCommands}  # noqa: RUF012 - Textual types it as an instance variable
    # Textual types this as an instance variable, so no ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012
    # Below 20 lines (the documented minimum is 60x15) the panes share less room.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, tooltip="quit"),
        # ctrl+c quits, as in k9s, lazygit and less (Textual would only say
        # "press ctrl+q"); with text selected it still copies it.
        Binding(
            "ctrl+c",
            "interrupt",
            "Quit",
            show=False,
            priority=True,
            tooltip="quit (copies selected text)",
        ),
        Binding(
            "m",
            "notices",
            "Notices",
            show=False,
            tooltip="every notice of this run, in full",
        ),
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
        self.few_colours = False
        self.fatal: str | None = None  # printed as "jobtui: error: ..." once the screen is gone
        self.notices = NoticeLog()  # every toast's full text (`m`)
        self.register_theme(ANSI_THEME)
        if ascii_only:
            self.theme = ASCII_THEME
            self.add_class("-ascii")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the app: kept whole in ``notices``, shown cut to a few lines.

        Title and message make one text (the generic "jobtui" title is left
        out: a line saved for the message). The text is made safe and never
        read as markup: it carries server and job text. The toast is wrapped to
        a bounded width and cut after ``TOAST_LINES`` lines with a pointer to
        `m`, where the whole text is.
        """
        body = _plain(message) if markup else message
        whole = f"{title}: {body}" if title and title != "jobtui" else body
        text = safe_text(" ".join(whole.split()), max_len=MAX_NOTICE)
        self.notices.add(self.clock(), severity, text)
        keys = key_for(type(self), "notices")
        shown = toast_text(
            text,
            toast_width(self.size.width),
            lines=TOAST_LINES,
            more=f"({keys}: in full)",
            ellipsis="..." if self.ascii_only else "…",
        )
        super().notify(shown, severity=severity, timeout=timeout, markup=False)

    def remember(self, message: str, *, severity: SeverityLevel = "error") -> None:
        """Keep ``message`` whole in the notices (`m`) without raising a toast.

        For what the screen already says in a line that may be cut (the
        header's STALE reason): the whole text, with its request id, is one
        key away.
        """
        text = safe_text(" ".join(message.split()), max_len=MAX_NOTICE)
        self.notices.add(self.clock(), severity, text)

    def action_notices(self) -> None:
        """`m`: every notice of this run in full (from any screen)."""
        from jobtui.tui.screens.notices import NoticesScreen  # loaded on first use

        if not isinstance(self.screen, NoticesScreen):
            self.push_screen(presize(self, NoticesScreen(list(self.notices))))

    def get_loading_widget(self) -> Widget:
        """Textual's dots are ``●``: in ASCII mode a plain word stands in for them."""
        if self.ascii_only:
            return Static("loading...", classes="ascii-loading")
        return LoadingIndicator()

    def limit_colours(self) -> None:
        """For a terminal that promises 8 colours: its own palette, and no bright codes."""
        self.few_colours = True
        self.theme = ANSI_THEME.name

    def on_mount(self) -> None:
        if self.few_colours:
            shadow.filter_output(self.console, limit_to_8)
        if self.ascii_only:  # class-wide in Textual; put back on unmount
            scrollbars.use_ascii()
            sanitize.use_ascii(True)  # untrusted text: a spelt-out \n and ~, not ⏎ and …

    async def on_unmount(self) -> None:
        """Close the client (its connection pool) and undo the ASCII scroll bars and marks."""
        if self.ascii_only:
            scrollbars.restore()
            sanitize.use_ascii(False)
        shadow.filter_output(self.console, None)
        await self.client.aclose()

    def on_resize(self, event: Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        """Swap in the too-small notice below ~60x15 and back out above it."""
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not showing:
            self.push_screen(presize(self, TooSmallScreen(), (width, height)))
        elif not too_small(width, height) and showing:
            self.pop_screen()

    def not_found(self, screen: Screen[Any], message: str) -> bool:
        """A monitor found its job or step missing on the first poll; True if the app ends.

        The default keeps the screen (a job opened from a list may have been
        archived since); ``jobtui watch`` ends, as ``jobtui status`` does.
        """
        return False

    def fail(self, message: str, code: int = 3) -> None:
        """End the app with ``code`` and one error line on stderr after the screen is gone."""
        self.fatal = message
        self.exit(code, return_code=code)

    async def action_quit(self) -> None:
        self.exit(0)

    def action_interrupt(self) -> None:
        """ctrl+c: copy the selection if there is one, otherwise quit."""
        selected = self.screen.get_selected_text()
        focused = self.focused
        if isinstance(focused, Input) and focused.selected_text:
            selected = focused.selected_text
        if selected:
            self.copy_to_clipboard(selected)
            return
        self.exit(0)
