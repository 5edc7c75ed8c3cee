"""One number format for every count on screen and in the CLI.

A 50,000-host job puts ``46842/50000`` beside ``3,847`` unless every figure
goes through the same place (issue 15): counts get thousands separators, a
count with a noun agrees with it ("1 host", "2 hosts"). Ids (job, step,
request) are names, not quantities, and are not formatted here.
"""

from __future__ import annotations

__all__ = ["count", "plural", "ratio"]


def count(n: int) -> str:
    """``46842`` -> ``46,842``."""
    return f"{n:,}"


def ratio(done: int, total: int) -> str:
    """``done/total`` with separators: ``46,842/50,000``."""
    return f"{done:,}/{total:,}"


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """``1 host``, ``0 hosts``, ``2,048 hosts``; ``plural_form`` for irregular nouns."""
    word = noun if n == 1 else (plural_form or f"{noun}s")
    return f"{n:,} {word}"
