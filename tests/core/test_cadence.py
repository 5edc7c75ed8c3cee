"""The poll cadence: web UI delays, interval bounds, finished slowdown, backoff."""

import itertools
import random

from jobtui.api.errors import RateLimited
from jobtui.core.cadence import (
    FINISHED_DELAY,
    MAX_BACKOFF,
    RESUME_WINDOW,
    Cadence,
    backoff_delay,
    poll_backoff,
)


def step_delays(cadence: Cadence, n: int) -> list[float]:
    now = 0.0
    delays = []
    for _ in range(n):
        cadence.polled(now, job=False, step=True)
        delays.append(cadence.step_due - now)
        now = cadence.step_due
    return delays


def test_step_cadence_follows_the_web_ui_then_steadies() -> None:
    assert step_delays(Cadence(), 9) == [1, 1, 1, 1, 2, 2, 2, 3, 3]


def test_a_change_restarts_the_fast_cadence_and_is_due_at_once() -> None:
    cadence = Cadence()
    step_delays(cadence, 8)
    cadence.changed(100.0)
    assert cadence.due(100.0)[1]
    assert step_delays(cadence, 2) == [1, 1]


def test_job_polls_on_its_interval_and_slowly_once_finished() -> None:
    cadence = Cadence(interval=5)
    cadence.polled(10.0, job=True, step=False)
    assert cadence.due(14.9) == (False, True, True)
    assert cadence.due(15.0)[0]
    cadence.finished = True
    cadence.polled(15.0, job=True, step=True)
    assert cadence.job_due == 45.0
    assert cadence.step_due == 45.0


def test_interval_is_bounded() -> None:
    cadence = Cadence(interval=0.1)
    assert cadence.interval == 1
    assert cadence.bump_interval(100) == 60
    assert cadence.bump_interval(-1) == 59


def test_backoff_doubles_and_caps_then_resets_on_success() -> None:
    assert [backoff_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    cadence = Cadence()
    delays = [cadence.failed(0.0) for _ in range(10)]
    assert max(delays) <= MAX_BACKOFF and delays[-1] >= 0.75 * MAX_BACKOFF
    limited = RateLimited("slow down", retry_after=500)
    assert cadence.failed(0.0, limited) == MAX_BACKOFF
    cadence.polled(1.0, job=True, step=True)
    assert cadence.failures == 0
    assert 0.75 <= cadence.failed(0.0) <= 1


def test_next_delay_is_the_nearest_due_time() -> None:
    cadence = Cadence(interval=2)
    cadence.polled(0.0, job=True, step=True, log=True)
    assert cadence.next_delay(0.0) == 1
    assert cadence.next_delay(5.0) == 0.1


def test_job_polls_never_push_the_groups_back() -> None:
    """The starvation bug: at interval 1 s a job poll every second (with a host
    selected) must leave the groups due on their own 1,1,1,1,2,2,2,3 cadence."""
    cadence = Cadence(interval=1)
    now = 0.0
    step_polls = []
    while now < 30:
        due = cadence.due(now)
        assert due.job or due.step or due.log
        cadence.polled(now, job=due.job, step=due.step, log=due.log)
        if due.step:
            step_polls.append(now)
        now += cadence.next_delay(now)
    gaps = [b - a for a, b in itertools.pairwise(step_polls)]
    assert gaps[:8] == [1, 1, 1, 1, 2, 2, 2, 3]
    assert max(gaps) == 3


def test_each_part_has_its_own_due_time() -> None:
    cadence = Cadence(interval=5)
    cadence.polled(0.0, job=True, step=True, log=True)
    cadence.host_changed(0.5)
    assert cadence.due(0.5) == (False, False, True)
    cadence.polled(0.5, job=False, step=False, log=True)
    assert cadence.step_due == 1.0 and cadence.log_due == 1.5 and cadence.job_due == 5.0
    assert cadence.next_delay(0.5) == 0.5
    assert cadence.next_delay(0.5, log=False) == 0.5
    assert cadence.next_delay(1.0, log=False) == 0.1


def test_the_end_of_a_job_is_one_last_full_refresh_then_30_s() -> None:
    cadence = Cadence(interval=2)
    for _ in range(10):
        cadence.polled(0.0, job=True, step=True, log=True)
    cadence.job_ended(7.0)
    assert cadence.due(7.0) == (True, True, True)
    cadence.polled(7.0, job=True, step=True, log=True)
    assert (cadence.job_due, cadence.step_due, cadence.log_due) == (37.0, 37.0, 37.0)


def test_a_resumable_end_keeps_the_job_status_live_for_a_while() -> None:
    """A failed job: someone may retry it from elsewhere; its status keeps the live interval
    for RESUME_WINDOW (groups and logs, which only a retry changes, go to 30 s at once)."""
    cadence = Cadence(interval=2)
    cadence.job_ended(7.0, resumable=True)
    cadence.polled(7.0, job=True, step=True, log=True)
    assert (cadence.job_due, cadence.step_due, cadence.log_due) == (9.0, 37.0, 37.0)
    assert cadence.job_delay(7.0) == 2 and cadence.job_delay() == FINISHED_DELAY
    late = 7.0 + RESUME_WINDOW
    cadence.polled(late - 1, job=True, step=False)
    assert cadence.job_due == late + 1  # the last live poll
    cadence.polled(late, job=True, step=False)
    assert cadence.job_due == late + FINISHED_DELAY and cadence.job_delay(late) == FINISHED_DELAY
    cadence.job_ended(100.0)  # a successful end: no window
    cadence.polled(100.0, job=True, step=True)
    assert cadence.job_due == 130.0


def test_backoff_has_jitter_so_monitors_do_not_retry_in_lockstep() -> None:
    room = [Cadence(rng=random.Random(seed)) for seed in range(8)]
    first = {cadence.failed(0.0) for cadence in room}
    assert len(first) == 8 and all(0.75 <= delay <= 1 for delay in first)
    assert all(0 < poll_backoff(n) <= MAX_BACKOFF for n in range(1, 40))
