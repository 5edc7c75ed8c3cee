"""The job list's, the wall's and follow-newest's poll loop (core/poll_loop)."""

from __future__ import annotations

import random

from jobtui.api.errors import RateLimited, TransportError
from jobtui.core.cadence import MAX_BACKOFF
from jobtui.core.poll_loop import PollLoop


def test_answers_arm_the_interval_and_errors_back_off_never_faster() -> None:
    loop = PollLoop(5.0, rng=random.Random(1))
    assert loop.answered(failed=False) == 5.0
    delays = [loop.answered(failed=True, error=TransportError("down")) for _ in range(8)]
    assert delays[0] == 5.0  # never faster than the interval
    assert all(5.0 <= delay <= MAX_BACKOFF for delay in delays)
    assert 0.75 * MAX_BACKOFF <= delays[-1] <= MAX_BACKOFF
    assert loop.answered(failed=True, error=RateLimited("slow", retry_after=20)) == 20
    assert loop.answered(failed=False) == 5.0 and loop.failures == 0


def test_paused_or_test_driven_loops_arm_nothing() -> None:
    assert PollLoop(5.0, auto=False).answered(failed=False) is None
    loop = PollLoop(5.0)
    assert not loop.toggle_pause()
    assert loop.answered(failed=False) is None
    assert loop.toggle_pause()  # resuming polls at once


def test_a_poll_missed_while_covered_is_made_up_once_shown() -> None:
    loop = PollLoop(5.0)
    assert loop.fired(visible=True)
    assert not loop.fired(visible=False)
    assert loop.shown() and not loop.shown()
    loop.fired(visible=False)
    loop.toggle_pause()
    assert not loop.shown()  # paused: not even the missed one
