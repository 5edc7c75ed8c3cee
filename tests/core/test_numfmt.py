"""One number format: separators on counts, a noun that agrees with its count."""

from __future__ import annotations

import pytest

from jobtui.core.numfmt import count, plural, ratio


def test_counts_and_ratios_have_thousands_separators() -> None:
    assert count(46842) == "46,842"
    assert count(7) == "7"
    assert ratio(46842, 50000) == "46,842/50,000"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 hosts"), (1, "1 host"), (2, "2 hosts"), (50_000, "50,000 hosts")],
)
def test_a_noun_agrees_with_its_count(n: int, expected: str) -> None:
    assert plural(n, "host") == expected


def test_an_irregular_plural() -> None:
    assert plural(1, "batch", "batches") == "1 batch"
    assert plural(3, "batch", "batches") == "3 batches"
