"""The key bar: the focused pane's keys, fitted to the width, clickable, no widget churn."""

from __future__ import annotations

import gc

from textual.widget import Widget

from jobtui.tui.widgets.footer import KeyBar, KeyItem, layout_items
from tests.support.monitor_rig import make_rig, screen_text, settle

A = KeyItem("question_mark", "?", "Help")
B = KeyItem("p", "p", "Pause")
PAL = KeyItem("ctrl+p", "^p", "palette")


def test_items_fit_whole_and_the_palette_keeps_the_right_edge() -> None:
    placed, right = layout_items((A, B), PAL, 40, "▏")
    assert [x for x, _ in placed] == [0, A.width]
    assert right == (40 - PAL.width, PAL)
    # too narrow for both: the last item goes whole, never cut
    placed, right = layout_items((A, B), PAL, A.width + PAL.width + 1, "▏")
    assert [item for _, item in placed] == [A] and right is not None
    # too narrow for the palette beside anything: the palette goes first
    placed, right = layout_items((A, B), PAL, A.width + 2, "▏")
    assert [item for _, item in placed] == [A] and right is None
    assert layout_items((), None, 10, "▏") == ([], None)


def _widgets() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Widget))


async def test_focus_moves_change_the_keys_without_creating_widgets() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        bar = rig.app.screen.query_one(KeyBar)
        seen = {tuple(item.label for item in bar.items)}
        before = _widgets()
        for _ in range(15):  # each focus move updates the bindings
            await pilot.press("tab")
            await pilot.pause()
            seen.add(tuple(item.label for item in bar.items))
        await settle(pilot)
        after = _widgets()
        assert len(seen) > 1  # the keys followed the focus
        assert after - before < 20, f"{after - before} widgets more after 15 focus moves"
        text = "\n".join(screen_text(rig.app))
        assert "? Help" in text and "palette" in text


async def test_a_click_on_an_item_presses_its_key() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        bar = rig.app.screen.query_one(KeyBar)
        pause = next(i for i, (_, _, item) in enumerate(bar._spans) if item.label == "Pause")
        start, _end, _item = bar._spans[pause]
        assert not rig.screen.paused
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await pilot.pause()
        assert rig.screen.paused


async def test_80_columns_show_whole_items_only() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = rig.app.screen.query_one(KeyBar)
        line = screen_text(rig.app)[-1]
        drawn = [item for _, _, item in bar._spans]
        assert drawn and len(drawn) < len(bar.items) + 1
        for item in drawn:
            assert f"{item.display} {item.label}" in line
        assert "palette" in line
