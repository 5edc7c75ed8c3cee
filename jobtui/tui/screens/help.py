"""The `?` overlay: every key of the monitor and its panes, in one place."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("q / ctrl+q", "quit"),
            ("?", "this help"),
            ("ctrl+p", "command palette: jump to a step, host, batch; toggles"),
            ("tab / shift+tab", "next / previous pane"),
            ("ctrl+f", "find in the log (from any pane: focuses the log)"),
            ("z", "maximise the focused pane (again to restore)"),
            ("p", "pause / resume polling"),
            ("r", "refresh now"),
            ("+ / -", "poll interval up / down (1..60 s)"),
        ),
    ),
    (
        "Filters",
        (
            ("/", "search hosts by IP"),
            ("k", "log keyword"),
            ("s", "status (from the step's groups)"),
            ("t", "tag (from the step's groups)"),
            ("b", "rolling batch (current, all, 1..N)"),
            ("e", "retry (execute count; latest marked)"),
            ("x", "clear every filter"),
        ),
    ),
    (
        "Copy and save",
        (
            ("c", "copy the selected group's IPs (one per line, OSC 52)"),
            ("C", "copy them as cloud:ip"),
            ("l", "save the selected host's log to a file"),
            ("L", "save every host's log of the selected step"),
            ("escape", "cancel a copy or save in progress"),
        ),
    ),
    (
        "Step tree",
        (
            ("up / down", "select a step (stops following)"),
            ("F", "follow the running step again"),
            ("enter / space", "expand / collapse a block"),
        ),
    ),
    (
        "Results",
        (
            ("left / right", "previous / next group"),
            ("up / down", "select a host"),
            ("o", "cycle the sort (elapsed, exit code, IP)"),
            ("O", "reverse the sort"),
        ),
    ),
    (
        "Log",
        (
            ("f", "follow on / off"),
            ("w", "wrap on / off"),
            ("ctrl+f", "find"),
            ("n / N", "next / previous match"),
            ("g / G", "top / bottom"),
            ("end", "bottom and resume following"),
        ),
    ),
)


def help_text() -> str:
    lines: list[str] = []
    for section, keys in KEYS:
        lines.append(section)
        lines.extend(f"  {key:<16} {what}" for key, what in keys)
        lines.append("")
    lines.append("Esc, ? or q closes this help.")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Key reference; any of Esc, ? or q closes it."""

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

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_text(), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
