"""The first screen costs one request of each kind, and the operator arrives after it."""

from __future__ import annotations

import time

import pytest

from jobtui.core.monitor_state import Ask
from jobtui.tui.breakpoints import presize
from jobtui.tui.screens import monitor
from jobtui.tui.widgets.header import JobHeader
from tests.support.monitor_rig import make_rig, settle
from tests.support.spy import BREAKPOINTS, breakpoints_at_mount

SIZE = (160, 48)


def _paths(rig) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.url.path.rsplit("/", 1)[-1] for r in rig.meter.requests]


async def test_first_screen_of_a_finished_job_asks_each_thing_once() -> None:
    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=SIZE, message_hook=rig.polls) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.host is not None and screen.log_pane.host is not None
        paths = _paths(rig)
        # One poll: the status, then the followed step's result and the log of
        # the host the pane selects, with the operator lookup beside them.
        assert paths[0] == "get_job_instance_status"
        assert paths.index("get_step_instance_status") < paths.index("get_job_instance_ip_log")
        assert sorted(paths[1:]) == [
            "get_job_instance_ip_log",
            "get_job_instance_list",
            "get_step_instance_status",
        ]
        assert rig.polls.count == 1  # no second poll for the log
        assert screen.log_pane.host.key == screen.host.key
        assert len(screen.log_pane.view.buffer) > 0
        assert paths.count("get_job_instance_status") == 1
        assert paths.count("get_step_instance_status") == 1
        assert screen.job is not None and screen.job.operator is not None
        assert f"by {screen.job.operator}" in screen.query_one(JobHeader).text
        # The groups are not due again at once (a log-only poll once made them so).
        assert screen.cadence.step_due > time.monotonic()


async def test_a_log_only_poll_does_not_drop_the_result_poll_it_cancels() -> None:
    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        rig.meter.reset()
        screen._run_effects(screen.machine.poll(Ask(job=False, result=True, log=False, force=True)))
        # a log-only poll cancels the first
        screen._run_effects(screen.machine.poll(Ask(job=False, result=False, log=True, force=True)))
        await settle(pilot)
        assert "get_step_instance_status" in _paths(rig)
        assert screen.result is not None and screen.host is not None


async def test_step_option_shows_that_step_without_visiting_the_followed_one() -> None:
    rig = make_rig(advance=3600, step=201001)  # the tree would follow the last step
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        asked = {
            r.url.params.get("step_instance_id")
            for r in rig.meter.requests
            if r.url.path.endswith(("get_step_instance_status", "get_job_instance_ip_log"))
        }
        assert asked == {"201001"}
        # no flip to the followed step and back (each flip dropped the log and asked it again)
        assert _paths(rig).count("get_job_instance_ip_log") == 1
        assert screen.step_id == 201001 and screen.step_tree.selected_step_id == 201001
        assert screen.result is not None and screen.result.step_instance_id == 201001
        assert not screen.step_tree.following


async def test_steps_and_results_are_hidden_until_the_first_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first answer is drawn once, whole; the log pane is shown (and sized) from the
    start, so the first log comes with its scroll bars in the same frame."""
    from jobtui.sim.config import FaultConfig

    monkeypatch.setattr(monitor, "SHOW_PANES_AFTER", 60.0)  # a loaded box starts slowly
    rig = make_rig(advance=3600)
    rig.sim.config.faults = FaultConfig(latency=0.3)
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = rig.screen
        panes = [screen.query_one("#left"), screen.query_one("#results")]
        assert "Loading job" in screen.query_one(JobHeader).text
        assert not any(p.visible for p in panes)
        view = screen.log_pane.view
        assert view.visible and view.size.width > 0 and view.size.height > 0
        assert screen.log_pane.empty_text is not None and "loading" in screen.log_pane.empty_text
        rig.sim.config.faults = FaultConfig()
        await settle(pilot)
        assert screen.job is not None and all(p.visible for p in panes)
        assert screen.log_pane.empty_text is None  # the log is shown


async def test_a_slow_first_answer_shows_the_empty_panes_after_a_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jobtui.sim.config import FaultConfig

    assert monitor.SHOW_PANES_AFTER == 0.5
    monkeypatch.setattr(monitor, "SHOW_PANES_AFTER", 1.0)
    rig = make_rig(advance=3600)
    rig.sim.config.faults = FaultConfig(latency=30.0)  # no answer during this test
    started = time.monotonic()  # before the screen mounts and sets its timer
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = rig.screen
        left = screen.query_one("#left")
        assert not left.visible or time.monotonic() - started >= 1.0
        while not left.visible and time.monotonic() - started < 10:
            await pilot.pause(0.05)
        assert time.monotonic() - started >= 1.0  # not before its time
        assert screen.job is None and left.visible  # still loading, the panes show
        assert "Loading job" in screen.query_one(JobHeader).text
        for worker in list(rig.app.workers):
            worker.cancel()


@pytest.mark.parametrize("size", [(60, 15), (99, 19), (100, 20), (160, 48)])
async def test_the_monitor_mounts_with_the_breakpoint_classes_textual_gives_it(
    size: tuple[int, int],
) -> None:
    """``presize`` follows Textual's rule, so the first resize changes no class and the
    screen is not styled whole a second time."""
    from textual.screen import Screen

    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        given = set(rig.screen.classes) & BREAKPOINTS  # as Textual set them on the resize
        assert len(given) == 2
        assert set(presize(rig.app, Screen()).classes) & BREAKPOINTS == given


@pytest.mark.parametrize("size", [(99, 19), (160, 48)])
async def test_the_monitor_and_the_screens_it_opens_mount_with_their_breakpoint_classes(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Each is presized when pushed (``jobtui.tui.breakpoints``), so its first resize
    changes no class: a picker is styled once (26 style applications, not 36)."""
    from jobtui.tui.screens.actions import ActionsScreen
    from jobtui.tui.screens.help import HelpScreen
    from jobtui.tui.screens.notices import NoticesScreen
    from jobtui.tui.screens.pickers import ChoiceScreen, TextScreen
    from jobtui.tui.screens.too_small import TooSmallScreen

    keys = {
        HelpScreen: "question_mark",
        NoticesScreen: "m",
        ChoiceScreen: "s",
        TextScreen: "slash",
        ActionsScreen: "a",
    }
    mounted = {cls: breakpoints_at_mount(monkeypatch, cls) for cls in keys}
    monitors = breakpoints_at_mount(monkeypatch, monitor.MonitorScreen)
    too_small = breakpoints_at_mount(monkeypatch, TooSmallScreen)
    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        given = set(rig.screen.classes) & BREAKPOINTS  # as Textual set them on the resize
        assert len(given) == 2 and monitors == [given]
        for cls, key in keys.items():
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(rig.app.screen, cls)
            assert set(rig.app.screen.classes) & BREAKPOINTS == given
            await pilot.press("escape")
            await settle(pilot)
            assert rig.app.screen is rig.screen
        await pilot.resize_terminal(50, 12)  # below 60x15: the too-small notice
        await settle(pilot)
        assert isinstance(rig.app.screen, TooSmallScreen)
        small = set(rig.app.screen.classes) & BREAKPOINTS
        assert small == {"-narrow", "-short"}
    assert mounted == {cls: [given] for cls in keys}
    assert too_small == [small]  # the resize's size, not the one app.size still had


async def test_a_screens_own_breakpoints_win_over_the_apps_as_in_textual() -> None:
    from textual.screen import Screen

    class Own(Screen[None]):
        HORIZONTAL_BREAKPOINTS = [(0, "-small"), (150, "-big")]  # noqa: RUF012

    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = presize(rig.app, Own())
        presized = set(screen.classes)
        assert presized == {"-big", "-tall"}
        rig.app.push_screen(screen)
        await settle(pilot)
        assert set(screen.classes) == presized  # Textual's resize: the same classes
