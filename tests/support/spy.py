"""Counting calls of a method from the test side, so production classes keep no test counters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Calls:
    count: int = 0


def count_calls(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> Calls:
    """Wrap ``cls.name`` for the test; each call (on any instance) adds one to the result."""
    calls = Calls()
    original: Callable[..., Any] = getattr(cls, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.count += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls
