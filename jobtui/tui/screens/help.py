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
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from jobtui.tui.keys import owner_bindings, render, sections


def owners_of(screen: Screen[Any]) -> list[type[DOMNode]]:
    """The app's class, the screen's, then each widget class on it with documented keys."""
    found: list[type[DOMNode]] = [type(screen.app), type(screen)]
    for widget in screen.query("*"):
        cls = type(widget)
        if cls not in found and any(True for _ in owner_bindings(cls)):
            found.append(cls)
    return found


def help_text(owners: Sequence[type[DOMNode]]) -> str:
    return render(sections(owners)) + "Esc, ? or q closes this help."


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
        self._text = help_text(owners_of(under))

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._text, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
