"""The monitor's polling and ordering decisions, event by event (core/monitor_state)."""

from __future__ import annotations

import itertools

from jobtui.api.errors import TransportError
from jobtui.core.monitor_state import (
    Answer,
    ArmTimer,
    Ask,
    ClearLog,
    MonitorMachine,
    ShowEarlyLog,
    ShowLogLoading,
    StartPoll,
    StopTimer,
)

ALL = Ask(job=True, result=True, log=True, force=True)


def machine(*, interval: float = 2, preselect: int | None = None) -> MonitorMachine:
    return MonitorMachine.create(interval, auto=True, preselect=preselect)


def answer(m: MonitorMachine, now: float, ask: Ask, *, log: bool = False) -> list[object]:
    m.received()
    return list(m.answered(now, Answer(ask, ok=True, log_fetched=log)))


def test_the_first_poll_asks_everything_and_arms_only_once_answered() -> None:
    m = machine()
    assert m.refresh() == [StartPoll(ALL)]
    assert m.arm(0.0) == []  # in flight: polls never overlap
    effects = answer(m, 0.0, ALL)
    assert effects == [ArmTimer(1.0)]  # the groups' first web-UI step
    assert m.arm(0.0) == []  # armed already


def test_a_cancelled_poll_is_asked_again_by_the_one_that_replaces_it() -> None:
    """A log-only poll for a new host must not drop the result the cancelled poll asked."""
    m = machine()
    m.poll(Ask(job=False, result=True, log=False))
    effects = m.host_selected(0.0, "h1")
    assert effects == [
        ShowLogLoading(),
        StartPoll(Ask(job=False, result=True, log=True, force=True)),
    ]


def test_a_job_poll_with_a_host_selected_never_pushes_the_groups_back() -> None:
    """The starvation bug, as the screen sees it: interval 1, a host selected."""
    m = machine(interval=1)
    answer(m, 0.0, ALL)
    m.host_selected(0.0, "h1")
    armed = answer(m, 0.0, Ask(False, False, True, True), log=True)
    now, group_polls = 0.0, []
    for _ in range(40):
        (timer,) = armed
        assert isinstance(timer, ArmTimer)
        now += timer.delay
        (start,) = m.tick(now)
        assert isinstance(start, StartPoll)
        if start.ask.result:
            group_polls.append(now)
        armed = answer(m, now, start.ask, log=start.ask.log)
    assert now > 30 and group_polls[-1] > now - 3.01  # still polled at the steady 3 s
    gaps = [b - a for a, b in itertools.pairwise(group_polls)]
    assert gaps[:7] == [1, 1, 1, 2, 2, 2, 3] and max(gaps) <= 3.0  # (the 1st was at 0)


def test_the_log_of_the_host_about_to_be_selected_is_not_fetched_twice() -> None:
    m = machine()
    m.refresh()
    m.received()
    m.log_came_early("h1")  # the answer carried it; HostSelected is queued behind
    assert not m.first_screen_done
    m.answered(0.0, Answer(ALL, ok=True, log_fetched=True))
    assert m.host_selected(0.0, "h1") == [ShowEarlyLog()]
    assert m.state.early_log_host is None


def test_an_early_log_for_another_host_is_dropped_and_the_right_one_fetched() -> None:
    m = machine()
    m.received()
    m.log_came_early("h1")
    effects = m.host_selected(0.0, "h2")
    assert effects[0] == ShowLogLoading()
    assert isinstance(effects[-1], StartPoll) and effects[-1].ask.log
    assert m.state.early_log_host is None


def test_a_step_change_drops_an_early_log_and_fetches_the_step_at_once() -> None:
    m = machine()
    m.received()
    m.log_came_early("h1")
    effects = m.step_changed(5.0, fetch=True)
    assert effects == [StartPoll(Ask(job=False, result=True, log=True, force=True))]
    assert m.state.early_log_host is None and m.state.host_key is None
    assert m.cadence.step_due == 5.0


def test_the_same_host_again_asks_nothing_and_none_clears_the_log() -> None:
    m = machine()
    m.host_selected(0.0, "h1")
    assert m.host_selected(0.0, "h1") == []
    assert m.host_selected(0.0, None) == [ClearLog()]


def test_the_same_host_with_a_new_status_has_its_log_asked_at_once() -> None:
    """It just finished: its last lines must not wait for the log's due time."""
    m = machine()
    m.host_selected(0.0, "h1")
    answer(m, 0.0, Ask(job=False, result=True, log=True, force=True), log=True)
    effects = m.host_selected(0.5, "h1", moved=True)
    assert effects[-1] == StartPoll(Ask(job=False, result=False, log=True))
    assert ShowLogLoading() not in effects  # the log shown stays until the new one comes


def test_preselected_step_ignores_the_trees_first_highlights() -> None:
    m = machine(preselect=42)
    assert m.take_preselect(found=True) == 42
    assert m.take_preselect(found=True) is None  # once
    assert not m.step_highlighted(41)  # line 0 as the tree is built
    assert m.step_highlighted(42)
    assert m.step_highlighted(41)  # then the user moves freely


def test_a_preselected_step_not_in_the_job_awaits_nothing() -> None:
    m = machine(preselect=42)
    assert m.take_preselect(found=False) == 42
    assert m.step_highlighted(41)


def test_pause_stops_the_timer_and_resuming_rearms_it() -> None:
    m = machine()
    answer(m, 0.0, ALL)
    assert m.toggle_pause(0.0) == [StopTimer()]
    assert m.arm(0.0) == []
    assert m.toggle_pause(0.0) == [ArmTimer(1.0)]


def test_the_selected_step_finishing_makes_its_groups_due_at_once() -> None:
    m = machine()
    answer(m, 0.0, ALL)
    assert m.cadence.step_due == 1.0
    running, done = (3, 0), (3 + 0, 0)
    m.job_seen(0.5, was_finished=False, finished=False, step_before=running, step_after=done)
    assert m.cadence.step_due == 1.0  # nothing changed
    m.job_seen(0.5, was_finished=False, finished=False, step_before=(2, 0), step_after=(3, 0))
    assert m.cadence.step_due == 0.5


def test_the_end_of_the_job_and_a_retry_after_it() -> None:
    m = machine()
    answer(m, 0.0, ALL)
    assert not m.job_seen(2.0, was_finished=False, finished=True, step_before=None, step_after=None)
    assert m.cadence.finished and m.cadence.due(2.0) == (True, True, True)
    answer(m, 2.0, ALL)
    assert m.cadence.job_due == 32.0
    assert m.job_seen(9.0, was_finished=True, finished=False, step_before=None, step_after=None)
    assert not m.cadence.finished and m.cadence.step_due == 9.0


def test_a_failed_job_is_watched_live_for_a_retry_from_elsewhere() -> None:
    """Status 4 is finished but resumable: its status keeps the live interval, so a retry
    sent from the web UI shows within one interval, not up to 30 s later."""
    m = machine()
    answer(m, 0.0, ALL)
    m.job_seen(
        2.0, was_finished=False, finished=True, step_before=None, step_after=None, resumable=True
    )
    answer(m, 2.0, ALL)
    assert m.cadence.job_due == 2.0 + m.cadence.interval and m.cadence.step_due == 32.0
    assert m.job_seen(5.0, was_finished=True, finished=False, step_before=None, step_after=None)
    assert not m.cadence.finished and m.cadence.step_due == 5.0


def test_an_error_backs_off_every_part_and_a_success_resets() -> None:
    m = machine()
    m.refresh()
    m.received()
    (timer,) = m.answered(0.0, Answer(ALL, ok=False, error=TransportError("down")))
    assert isinstance(timer, ArmTimer) and 0.75 <= timer.delay <= 1.0
    assert m.cadence.failures == 1
    m.tick(1.0)
    answer(m, 1.0, ALL)
    assert m.cadence.failures == 0


def test_tests_that_drive_polls_never_get_a_timer() -> None:
    m = MonitorMachine.create(2, auto=False, preselect=None)
    assert answer(m, 0.0, ALL) == []
