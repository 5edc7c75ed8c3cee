"""The bounded done/failed series behind the sparkline."""

from __future__ import annotations

import pytest

from jobtui.core.history import HistoryBook, StepHistory


def test_repeats_and_time_going_back_are_not_stored() -> None:
    history = StepHistory(1)
    assert history.record(0, done=0, failed=0, total=10)
    assert not history.record(1, done=0, failed=0, total=10)
    assert history.record(2, done=3, failed=1, total=10)
    assert not history.record(1.5, done=4, failed=1, total=10)
    assert len(history) == 2


def test_bounded() -> None:
    history = StepHistory(1, maxlen=5)
    for t in range(50):
        history.record(t, done=t, failed=0, total=100)
    assert len(history) == 5
    assert history.samples[0].done == 45


def test_columns_step_up_where_hosts_finished() -> None:
    history = StepHistory(1)
    history.record(0, done=0, failed=0, total=4)
    history.record(10, done=2, failed=1, total=4)
    history.record(20, done=4, failed=1, total=4)
    columns = history.columns(4)
    assert columns == [(0.0, 0.0), (0.5, 0.25), (0.5, 0.25), (1.0, 0.25)]
    assert history.columns(0) == []
    assert StepHistory(2).columns(5) == []


def test_single_sample_fills_the_width_and_nonsense_is_clamped() -> None:
    history = StepHistory(1)
    history.record(5, done=3, failed=9, total=0)  # failed > done, total < done
    assert history.columns(3) == [(1.0, 1.0)] * 3


def test_book_starts_over_on_a_new_step_or_retry() -> None:
    book = HistoryBook()
    first = book.record(1, 0, 0, done=1, failed=0, total=4)
    assert book.record(1, 0, 1, done=2, failed=0, total=4) is first
    retry = book.record(1, 1, 2, done=0, failed=0, total=4)
    assert retry is not first and len(retry) == 1
    assert book.record(2, 1, 3, done=0, failed=0, total=4) is not retry


def test_rejects_a_tiny_bound() -> None:
    with pytest.raises(ValueError):
        StepHistory(1, maxlen=1)
