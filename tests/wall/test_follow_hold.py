"""Follow-newest never switches under the user's hands (the real client against the simulator).

Anything open above the monitor (the action menu, its confirmation, help, the
notices, a picker, the palette) holds the countdown, and it starts again from
its full length once the last of them is closed.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.events import MouseScrollDown, MouseScrollUp
from textual.pilot import Pilot

from jobtui.core.audit import AuditContext
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.steps import SCRIPT, StepSpec
from jobtui.tui.run_jobs import FOLLOW_COUNTDOWN, Countdown, JobsApp, fit_wording
from jobtui.tui.screens.monitor import MonitorScreen
from tests.support.monitor_rig import settle
from tests.support.wall_rig import SimRig, make_app, sim_rig

SIZE = (120, 40)


async def _ended(pilot: object, app: JobsApp, rig: SimRig) -> MonitorScreen:
    await settle(pilot)  # type: ignore[arg-type]
    monitor = app.screen
    assert isinstance(monitor, MonitorScreen)
    rig.clock.advance(3600)  # the job ends; the loop starts the next one
    await pilot.press("r")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert monitor.job is not None and monitor.job.finished
    return monitor


JOB = 90_001


def _failed_job_app(tmp_path: Path) -> tuple[SimRig, JobsApp]:
    """Follow-newest opened on a job whose first step failed (a person can retry it)."""
    rig = sim_rig(advance=30, demo_loop=True)
    meta = JobMeta(job_instance_id=JOB, name="Deploy v1.2")
    specs = [
        StepSpec(
            step_instance_id=JOB * 10 + 1,
            step_id=1,
            name="step 1",
            type=SCRIPT,
            hosts=6,
            fail_plan=(0.5,),
            host_duration=3.0,
        ),
        StepSpec(step_instance_id=JOB * 10 + 2, step_id=2, name="step 2", type=SCRIPT, hosts=6),
    ]
    rig.sim.world.add_job(Job.build(meta, rig.clock.now(), rig.sim.world.pool, specs))
    rig.clock.advance(20)
    audit = AuditContext("admin", "test", "http://sim", tmp_path / "audit.jsonl")
    app = make_app(rig, follow_newest=True, open_job=JOB, audit=audit)
    return rig, app


def _line(monitor: MonitorScreen) -> str:
    return monitor.query_one(Countdown).text


@pytest.mark.parametrize(
    "keys",
    [
        ("a",),  # the action menu
        ("question_mark",),  # help
        ("m",),  # the notices
        ("s",),  # a picker
        ("ctrl+p",),  # the palette
    ],
)
async def test_a_screen_above_the_monitor_holds_the_countdown(keys: tuple[str, ...]) -> None:
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _ended(pilot, app, rig)
        app._follow_tick()
        app._follow_tick()  # counting: 9 s left
        await pilot.press(*keys)
        await settle(pilot)
        dialog = app.screen
        assert dialog is not monitor
        for _ in range(FOLLOW_COUNTDOWN * 2):
            app._follow_tick()
        await settle(pilot)
        assert app.screen is dialog  # still open: not closed by a switch
        assert app.monitor is monitor and app.countdown is None
        assert "waits while a dialog is open" in _line(monitor)
        app.pop_screen()
        await settle(pilot)
        app._follow_tick()  # from its full length again, not from where it was held
        assert app.countdown == FOLLOW_COUNTDOWN
        assert f"in {FOLLOW_COUNTDOWN} s" in _line(monitor)
        for _ in range(FOLLOW_COUNTDOWN - 1):
            app._follow_tick()
        assert app.screen is monitor and app.countdown == 1
        app._follow_tick()
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen) and app.screen is not monitor


async def test_the_confirmation_dialog_stays_past_the_countdown(tmp_path: Path) -> None:
    """The tester's case: a failed job, `a`, Enter: the y/n confirmation outlives the countdown,
    and the operation answered yes holds it too, until the job runs again."""
    from jobtui.tui.screens.actions import ConfirmActionScreen

    _, app = _failed_job_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen)
        assert monitor.job is not None and monitor.job.status == 4  # failed, resumable
        app._follow_tick()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # retry-failed, the primary action
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmActionScreen)
        for _ in range(FOLLOW_COUNTDOWN * 3):
            app._follow_tick()
        await settle(pilot)
        assert app.screen is confirm and app.monitor is monitor
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is monitor and monitor.acting.pending is not None
        for _ in range(FOLLOW_COUNTDOWN * 3):  # sent, its effect not yet seen: no switch
            app._follow_tick()
        await settle(pilot)
        assert app.screen is monitor and app.monitor is monitor
        assert monitor.job is not None
        if monitor.job.finished:  # the retry not yet seen: the countdown says why it waits
            assert "until the operation sent shows its effect" in _line(monitor)
        else:  # the job runs again: no countdown at all
            assert not monitor.query(Countdown)


async def test_the_switch_waits_when_a_dialog_opens_while_the_list_is_asked() -> None:
    """The countdown ran out and the list is being fetched when `?` opens: no switch."""
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _ended(pilot, app, rig)
        first = monitor.options.job_instance_id
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        await app._follow_newest(exclude=first)  # the answer comes with help open
        await settle(pilot)
        assert app.screen is help_screen and app.monitor is monitor
        app.pop_screen()
        await settle(pilot)
        app._follow_tick()
        assert app.countdown == FOLLOW_COUNTDOWN


async def _read(pilot: Pilot[Any], monitor: MonitorScreen, how: str) -> None:
    """Press ``how``, or turn the mouse wheel over the log (``wheel-down``/``wheel-up``:
    the scrolled widget stops the event; the app sees it on its way there)."""
    if not how.startswith("wheel-"):
        await pilot.press(how)
        return
    kind = MouseScrollDown if how == "wheel-down" else MouseScrollUp
    log = monitor.log_pane.view.region  # over the log, as a reader would scroll it
    x, y = log.x + 2, log.y + 2
    pilot.app.post_message(kind(None, x, y, 0, 1, 0, False, False, False, x, y))


@pytest.mark.parametrize(
    "how", ["j", "k", "down", "up", "pagedown", "right_square_bracket", "wheel-down", "wheel-up"]
)
async def test_moving_a_cursor_starts_the_countdown_again_from_full(how: str) -> None:
    """Someone reading rows (j/k, arrows, pages, the group tabs, the mouse wheel) is
    using the screen: each move starts the countdown again from its full length, and
    it switches only once the moves stop for the whole countdown."""
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _ended(pilot, app, rig)
        for _ in range(FOLLOW_COUNTDOWN - 2):
            app._follow_tick()
        assert app.countdown == 3
        await _read(pilot, monitor, how)
        await pilot.pause()
        assert app.countdown == FOLLOW_COUNTDOWN and app.screen is monitor
        assert f"in {FOLLOW_COUNTDOWN} s" in _line(monitor)
        for _ in range(FOLLOW_COUNTDOWN - 1):
            app._follow_tick()
        await settle(pilot)
        assert app.screen is monitor and app.countdown == 1  # not yanked mid-row
        app._follow_tick()
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen) and app.screen is not monitor


async def test_a_key_that_is_not_a_move_does_not_hold_the_countdown() -> None:
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ended(pilot, app, rig)
        for _ in range(3):
            app._follow_tick()
        await pilot.press("r")  # a refresh is not reading a row
        await settle(pilot)
        assert app.countdown == FOLLOW_COUNTDOWN - 2


async def test_a_move_while_the_list_is_asked_waits_for_another_countdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The countdown ran out and the job list is on its way when `j` is pressed: no
    switch; the countdown runs again from full."""
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _ended(pilot, app, rig)
        for _ in range(FOLLOW_COUNTDOWN):
            app._follow_tick()
        asked: list[Coroutine[Any, Any, None]] = []
        with monkeypatch.context() as patch:  # hold the list's answer until after the key
            patch.setattr(app, "run_worker", lambda work, **_: asked.append(work))
            app._follow_tick()  # 10, 9, ... 1, then the list is asked
        assert "looking for the newest running job" in _line(monitor) and len(asked) == 1
        await pilot.press("j")
        await asked[0]  # the answer, with a running job to switch to
        await settle(pilot)
        assert app.screen is monitor and app.monitor is monitor
        assert app.countdown == FOLLOW_COUNTDOWN and f"in {FOLLOW_COUNTDOWN} s" in _line(monitor)


def test_the_countdown_wording_fits_or_is_cut_with_a_mark() -> None:
    wordings = ("a long sentence that says everything", "a short one")
    assert fit_wording(wordings, 80) == wordings[0]
    assert fit_wording(wordings, 20) == "a short one"
    assert fit_wording(wordings, 8) == "a short…"
    assert fit_wording(wordings, 8, ascii_only=True) == "a short~"


async def test_at_80_columns_the_countdown_says_it_all_without_a_cut() -> None:
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=(80, 24)) as pilot:
        monitor = await _ended(pilot, app, rig)
        app._follow_tick()
        await pilot.pause()
        text = _line(monitor)
        assert "in 10 s" in text and text.endswith("Escape: the list"), text
        assert len(text) <= 78


async def test_an_operation_holds_the_countdown_until_its_lock_runs_out() -> None:
    """Sent and not yet seen applied: hold; no change seen for LOCK_SECONDS: hold no longer
    (the menu then says to check the job), so a screen is never stuck on an ended job."""
    from datetime import UTC, datetime, timedelta

    from jobtui.core.actions import ACTIONS, LOCK_SECONDS, Pending

    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        monitor = await _ended(pilot, app, rig)
        assert monitor.job is not None
        monitor.acting.pending = Pending(
            action=ACTIONS["terminate"],
            job_instance_id=monitor.job.job_instance_id,
            step_instance_id=None,
            job_status=monitor.job.status,
            step_status=None,
            execute_count=None,
            sent_at=datetime.now(UTC),
        )
        for _ in range(FOLLOW_COUNTDOWN * 2):
            app._follow_tick()
        assert app.countdown is None and "until the operation sent" in _line(monitor)
        old = datetime.now(UTC) - timedelta(seconds=LOCK_SECONDS + 1)
        monitor.acting.pending = replace(monitor.acting.pending, sent_at=old)
        app._follow_tick()
        assert app.countdown == FOLLOW_COUNTDOWN  # counting again


async def test_a_poll_showing_the_job_revived_drops_the_countdown_at_once(tmp_path: Path) -> None:
    """Someone else retries the failed step: the next poll shows it running, and the
    "Job ended" line goes with that poll, not a second later under a RUNNING header."""
    from jobtui.api.operations import StepOperation
    from jobtui.sim.operations import ENGINE_DELAY

    rig, app = _failed_job_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen) and monitor.job is not None
        app._follow_tick()
        await pilot.pause()
        assert monitor.query(Countdown)
        step = monitor.job.steps[0].step_instance_id
        await rig.client.operate_step_instance(JOB, step, StepOperation.RETRY_FAILED)  # type: ignore[attr-defined]
        rig.clock.advance(ENGINE_DELAY + 0.1)
        await pilot.press("r")
        await settle(pilot)
        assert not monitor.job.finished
        assert not monitor.query(Countdown) and app.countdown is None


async def test_a_resumable_end_says_that_a_acts_on_it(tmp_path: Path) -> None:
    """A failed job a person can retry: the countdown says `a` acts on it (and `a` holds it)."""
    _, app = _failed_job_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen)
        app._follow_tick()
        await pilot.pause()
        assert "a: act on it" in _line(monitor) and "Escape: the list" in _line(monitor)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        app._follow_tick()
        await pilot.pause()
        text = _line(monitor)
        assert "a: act" in text and len(text) <= 78, text
