"""The `?` overlay: every key of the screen below it, generated from the bindings.

The reference is built by :mod:`jobtui.tui.keys` from the ``BINDINGS`` of the
app, the screen and the widgets on it (in screen order), so it cannot drift
from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from jobtui.tui.keys import KeySection, owner_bindings, render, sections

UNSIZED = 76  # the overlay's width before layout


def owners_of(screen: Screen[Any]) -> list[type[DOMNode]]:
    """The app's class, the screen's, then each widget class on it with documented keys."""
    found: list[type[DOMNode]] = [type(screen.app), type(screen)]
    for widget in screen.query("*"):
        cls = type(widget)
        if cls not in found and any(True for _ in owner_bindings(cls)):
            found.append(cls)
    return found


CLOSE = "Esc, ? or q closes this help."


class HelpBody(Widget):
    """The reference wrapped to the overlay's width, each entry under its description column.

    A ``Static`` would wrap a long entry back to column 0; this widget renders
    the text for the width it is given (and measures its height the same way).
    """

    DEFAULT_CSS = "HelpBody { height: auto; }"

    def __init__(self, found: Sequence[KeySection]) -> None:
        super().__init__()
        self._found = found

    def text_for(self, columns: int) -> str:
        return render(self._found, columns=columns) + CLOSE

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.text_for(width).splitlines())

    def render(self) -> Content:
        return Content(self.text_for(self.content_size.width or UNSIZED))

    @property
    def text(self) -> str:
        """The plain text shown, for tests."""
        return self.text_for(self.content_size.width or UNSIZED)


class HelpScreen(ModalScreen[None]):
    """Key reference of the screen below; any of Esc, ? or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close help"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self._found = sections(owners_of(under))

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield HelpBody(self._found)

    def action_close(self) -> None:
        self.dismiss(None)
