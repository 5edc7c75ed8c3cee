"""Focus moves recompose the footer; the keys it replaced must not stay alive.

Textual's own Footer keeps every FooterKey it ever showed (a data_bind watcher
that is pruned only when ``compact`` changes): days of use grew by hundreds of MB.
"""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from jobtui.tui.widgets.footer import LeanFooter
from tests.tui.sim_harness import make_rig, settle


def _footer_keys() -> tuple[int, int]:
    gc.collect()
    keys = [obj for obj in gc.get_objects() if isinstance(obj, FooterKey)]
    return len(keys), sum(1 for key in keys if key.is_attached)


async def test_focus_moves_do_not_accumulate_footer_keys() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for _ in range(15):  # each focus move changes the bindings: the footer recomposes
            await pilot.press("tab")
            await pilot.pause()
        await settle(pilot)
        alive, attached = _footer_keys()
        footer = rig.app.screen.query_one(LeanFooter)
        watchers = getattr(footer, "__watchers", {})
        bound = sum(len(entries) for entries in watchers.values())
    # Without pruning: ~40 keys per recompose stay referenced (about 600 here).
    assert alive - attached < 100, f"{alive - attached} detached FooterKeys still alive"
    assert bound <= attached + 5, f"{bound} watchers for {attached} keys"
