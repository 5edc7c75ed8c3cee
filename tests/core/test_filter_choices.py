"""Picker choices come from the data; answers map back onto StepFilter."""

from dataclasses import replace

import pytest

from jobtui.api.filters import StepFilter
from jobtui.api.models import Block, Job, ResultGroup, Step, StepResult
from jobtui.core.filter_choices import (
    apply_choice,
    batch_choices,
    retry_choices,
    status_choices,
    tag_choices,
)
from jobtui.core.rolling import RollingEvidence, StepRolling

RESULT = StepResult(
    5,
    "s",
    1,
    4,
    1,
    groups=(ResultGroup(9, "", 10), ResultGroup(104, "exit 1", 3), ResultGroup(104, "exit 2", 2)),
)


def test_status_and_tag_offer_only_present_values_with_counts() -> None:
    assert status_choices(RESULT) == [
        ("any status", ""),
        ("Success (10)", "9"),
        ("Non-zero Exit Code (5)", "104"),
    ]
    assert [value for _, value in tag_choices(RESULT)] == ["", "exit 1", "exit 2"]
    assert status_choices(None) == [("any status", "")]


def test_retry_marks_the_latest() -> None:
    choices = retry_choices(Step(5, "s", 1, 4, execute_count=2))
    assert choices[1] == ("retry 2  ← latest", "2")
    assert [value for _, value in choices] == ["", "2", "1", "0"]


def test_batches_offer_current_all_and_numbers() -> None:
    rolls = StepRolling(rolls=True)
    values = [value for _, value in batch_choices(StepFilter(batch=12), None, rolls)]
    assert values[:3] == ["", "0", "1"] and values[-1] == "12"


def test_batch_numbers_only_for_a_step_known_to_roll() -> None:
    """bk-job answers batch=k of a step that does not roll with empty groups."""
    assert [v for _, v in batch_choices(StepFilter(), None)] == ["", "0"]
    assert [v for _, v in batch_choices(StepFilter(), None, StepRolling())] == ["", "0"]
    # a batch already chosen stays offered
    assert [v for _, v in batch_choices(StepFilter(batch=3), None)] == ["", "0", "3"]


def test_batch_numbers_run_to_the_known_last_batch() -> None:
    evidence = RollingEvidence()
    base = StepResult(5, "s", 1, 3, 0)
    group = ResultGroup(9, "", 4)
    evidence.observe_result(replace(base, batch=3, groups=(group,)))
    assert evidence.get(5) is not None and evidence.get(5).rolls  # batch 3 had hosts
    evidence.observe_result(replace(base, batch=4))  # empty: past the end
    choices = batch_choices(StepFilter(), None, evidence.get(5))
    assert choices[-1] == ("batch 3 of 3", "3") and len(choices) == 5


def test_rolling_evidence_from_statuses() -> None:
    evidence = RollingEvidence()
    job = Job(
        1,
        "j",
        7,
        False,
        blocks=(
            Block(
                None,
                1,
                (Step(5, "rolling", 1, 7), Step(6, "confirm", 3, 1), Step(8, "auto", 2, 15)),
            ),
        ),
    )
    evidence.observe_job(job)
    assert evidence.get(5).rolls and evidence.get(8).rolls  # 7 on a script step; 15
    assert evidence.get(6) is None  # a confirmation step does not roll


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("status", "104", StepFilter(statuses=(104,))),
        ("status", "", StepFilter()),
        ("tag", "exit 1", StepFilter(tag="exit 1")),
        ("batch", "0", StepFilter(batch=0)),
        ("batch", "", StepFilter()),
        ("batch", "nonsense", StepFilter()),
        ("execute_count", "1", StepFilter(execute_count=1)),
        ("search_ip", "10.0", StepFilter(search_ip="10.0")),
        ("keyword", "", StepFilter()),
    ],
)
def test_apply_choice(name: str, value: str, expected: StepFilter) -> None:
    assert apply_choice(StepFilter(), name, value) == expected


def test_unknown_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown filter"):
        apply_choice(StepFilter(), "colour", "red")


def test_only_batches_known_to_exist_are_offered() -> None:
    """A 3-batch step in batch 2: batches 1 and 2, not 1..10 (batch 8 was empty)."""
    known = StepRolling(rolls=True, current=2, sizes={1: 8, 2: 8})
    assert [v for _, v in batch_choices(StepFilter(), None, known)] == ["", "0", "1", "2"]
    known.last = 3
    labels = [label for label, _ in batch_choices(StepFilter(), None, known)]
    assert labels[2:] == ["batch 1 of 3", "batch 2 of 3", "batch 3 of 3"]
