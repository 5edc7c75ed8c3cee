"""Small modal pickers for filters: a list of choices, or one line of text.

Both dismiss with ``None`` on Escape (nothing changes) and with a string
otherwise; the empty string means "clear this filter".
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

_MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 60; max-width: 95%; height: auto; max-height: 80%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} Label {{ width: 1fr; text-style: bold; margin-bottom: 1; }}
{name} OptionList {{ height: auto; max-height: 16; }}
"""


def _options(choices: list[tuple[str, str]]) -> list[Option]:
    return [Option(label, id=f"v{index}") for index, (label, _) in enumerate(choices)]


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one value from a list: ``(label, value)`` pairs."""

    DEFAULT_CSS = _MODAL_CSS.format(name="ChoiceScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = choices
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title)
            yield OptionList(*_options(self._choices))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _, value in self._choices]
        if self._current in values:
            options.highlighted = values.index(self._current)
        options.focus()

    def update_choices(self, choices: list[tuple[str, str]]) -> None:
        """New choices while open (a live count changed): the highlight stays on its value.

        The counts a picker offers are the groups' counts behind it; a list
        that kept the counts of the moment it opened would disagree with the
        pane it covers half of.
        """
        if choices == self._choices or not self.is_mounted:
            return
        options = self.query_one(OptionList)
        old_values = [value for _, value in self._choices]
        values = [value for _, value in choices]
        if values == old_values:  # the same values, new counts: only the prompts change
            for index, (label, _) in enumerate(choices):
                if label != self._choices[index][0]:
                    options.replace_option_prompt_at_index(index, label)
            self._choices = choices
            return
        at = options.highlighted
        kept = old_values[at] if at is not None and at < len(old_values) else self._current
        self._choices = choices
        options.clear_options()
        options.add_options(_options(choices))
        options.highlighted = values.index(kept) if kept in values else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._choices[event.option_index][1])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[str | None]):
    """Type one line (IP substring, log keyword, batch number)."""

    DEFAULT_CSS = _MODAL_CSS.format(name="TextScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self._title}  (Enter applies, empty clears, Esc cancels)")
            yield Input(self._value, placeholder=self._placeholder)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Text typed before the box had the focus goes into it.

        Letters typed in the same instant as the key that opened this screen
        (a paste, tmux ``send-keys '/10.1'``) reach the screen before its Input
        is focused; a printable key the Input did not take is one of them.
        """
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            field = self.query_one(Input)
            field.insert_text_at_cursor(event.character)
            field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
