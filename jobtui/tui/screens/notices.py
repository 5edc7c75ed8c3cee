"""The `m` overlay: every notice of this run in full, newest at the bottom.

Toasts are cut to a few lines (``core.notices.toast_text``) and go after
seconds; an error with its request id or a saved file's path is read whole
here. Each entry wraps under its text column, as the help does.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget

from jobtui.core.notices import NoticeEntry, hanging

UNSIZED = 76  # the overlay's width before layout
_MARKS = {"information": "info", "warning": "warn", "error": "ERROR"}
CLOSE = "Esc, m or q closes this list."


def notice_lines(entries: list[NoticeEntry], width: int) -> list[str]:
    """``12:00:01 ERROR  text…`` per entry, each wrapped under its text column."""
    if not entries:
        return ["No notices yet.", "", CLOSE]
    out: list[str] = []
    for entry in entries:
        head = f"{entry.at:%H:%M:%S} {_MARKS.get(entry.severity, entry.severity):<5}  "
        out += hanging(head, entry.text, width)
    return [*out, "", CLOSE]


class NoticeBody(Widget):
    """The notices wrapped to the overlay's width (measured the same way)."""

    DEFAULT_CSS = "NoticeBody { height: auto; }"

    def __init__(self, entries: list[NoticeEntry]) -> None:
        super().__init__()
        self._entries = entries

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(notice_lines(self._entries, width))

    def render(self) -> Content:
        width = self.content_size.width or UNSIZED
        return Content("\n".join(notice_lines(self._entries, width)))

    @property
    def text(self) -> str:
        """The plain text shown, for tests."""
        return "\n".join(notice_lines(self._entries, self.content_size.width or UNSIZED))


class NoticesScreen(ModalScreen[None]):
    """Every notice so far, newest last (scrolled to it); Esc, m or q closes."""

    DEFAULT_CSS = """
    NoticesScreen { align: center middle; }
    NoticesScreen > VerticalScroll {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
        border-title-align: left;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m,q", "close", "Close"),
    ]

    def __init__(self, entries: list[NoticeEntry]) -> None:
        super().__init__()
        self._entries = entries

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Notices"
            yield NoticeBody(self._entries)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
