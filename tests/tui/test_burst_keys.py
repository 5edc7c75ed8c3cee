"""Keys typed in the same instant as the key that opens a text box go into the box.

The driver hands a burst (a paste, tmux ``send-keys '/10.1'``) over in one read:
the keys are posted together here, not pressed one by one, as that is when they
once went to the panes' keys (or nowhere) while the box was still opening.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from jobtui.tui.screens.pickers import TextScreen
from tests.support.monitor_rig import make_rig, settle


def _burst(app: object, keys: str) -> None:
    names = {"/": "slash", ".": "full_stop"}
    for char in keys:
        app.post_message(events.Key(names.get(char, char), char))  # type: ignore[attr-defined]


async def test_an_ip_typed_with_slash_goes_into_the_search_box() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _burst(rig.app, "/10.1")
        await settle(pilot)
        box = rig.app.screen
        assert isinstance(box, TextScreen)
        assert box.query_one(Input).value == "10.1"
        await pilot.press("escape")
        _burst(rig.app, "Kfail")  # `f` (follow) and `l` (save log) are keys of the panes
        await settle(pilot)
        box = rig.app.screen
        assert isinstance(box, TextScreen)
        assert box.query_one(Input).value == "fail"


async def test_slash_and_k_are_text_in_the_log_find_bar() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("slash", "K")
        await pilot.pause()
        assert rig.app.screen is rig.screen  # no picker opened
        find = rig.screen.query_one("#log-find", Input)
        assert find.value == "/K"
