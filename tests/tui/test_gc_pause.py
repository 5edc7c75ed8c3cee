"""The collector pauses for start-up and always comes back."""

from __future__ import annotations

import gc

from jobtui.tui import gc_pause
from tests.tui.sim_harness import make_rig, settle


def test_pause_and_resume_only_undo_what_was_done() -> None:
    assert gc.isenabled()
    gc_pause.pause()
    try:
        assert not gc.isenabled() and gc_pause.paused()
    finally:
        gc_pause.resume()
    assert gc.isenabled() and not gc_pause.paused()
    assert gc.get_freeze_count() > 0  # what start-up made is left out of collections
    gc.unfreeze()  # (the test process is no start-up)
    gc.disable()  # someone else's choice: pause/resume leave it alone
    try:
        gc_pause.pause()
        gc_pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_the_monitor_resumes_the_collector_and_paints_once_its_first_screen_is_up() -> None:
    rig = make_rig(advance=3600)
    gc_pause.pause()
    try:
        async with rig.app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            screen = rig.screen
            assert screen.log_pane.view.display and len(screen.log_pane.view.buffer) > 0
            assert gc.isenabled()
            assert not screen.query_one("#body").loading  # the first screen is up
    finally:
        gc_pause.resume()
        gc.unfreeze()
