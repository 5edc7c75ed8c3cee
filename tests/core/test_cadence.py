"""The poll cadence: web UI delays, interval bounds, finished slowdown, backoff."""

from jobtui.core.cadence import MAX_BACKOFF, Cadence, backoff_delay


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
    assert cadence.due(14.9) == (False, True)
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
    assert max(delays) == MAX_BACKOFF
    assert cadence.failed(0.0, retry_after=500) == MAX_BACKOFF
    cadence.polled(1.0, job=True, step=True)
    assert cadence.failures == 0
    assert cadence.failed(0.0) == 1


def test_next_delay_is_the_nearest_due_time() -> None:
    cadence = Cadence(interval=2)
    cadence.polled(0.0, job=True, step=True)
    assert cadence.next_delay(0.0) == 1
    assert cadence.next_delay(5.0) == 0.1
