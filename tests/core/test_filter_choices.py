"""Picker choices come from the data; answers map back onto StepFilter."""

import pytest

from jobtui.api.filters import StepFilter
from jobtui.api.models import ResultGroup, Step, StepResult
from jobtui.core.filter_choices import (
    apply_choice,
    batch_choices,
    retry_choices,
    status_choices,
    tag_choices,
)

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
    values = [value for _, value in batch_choices(StepFilter(batch=12), None)]
    assert values[:3] == ["", "0", "1"] and values[-1] == "12"


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
