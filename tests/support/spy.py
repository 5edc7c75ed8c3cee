"""Counting calls of a method from the test side, so production classes keep no test counters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


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


def record_calls(
    monkeypatch: pytest.MonkeyPatch, cls: type, name: str, what: Callable[..., T]
) -> list[T]:
    """Wrap ``cls.name`` for the test; each call first appends ``what(*args, **kwargs)``."""
    seen: list[T] = []
    original: Callable[..., Any] = getattr(cls, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(what(*args, **kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(cls, name, recorded)
    return seen


#: The breakpoint classes of the apps (``JobtuiApp.*_BREAKPOINTS``).
BREAKPOINTS = frozenset({"-narrow", "-wide", "-short", "-tall"})


def breakpoints_at_mount(monkeypatch: pytest.MonkeyPatch, cls: type) -> list[set[str]]:
    """The breakpoint classes each ``cls`` screen has as it composes its widgets.

    Textual gives them on a screen's first resize, after that: a screen that has
    them here was presized (``jobtui.tui.breakpoints``) and is styled once.
    """
    return record_calls(
        monkeypatch, cls, "compose", lambda screen: set(screen.classes) & BREAKPOINTS
    )
