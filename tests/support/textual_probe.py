"""The tests' only contact with Textual's private parts, as ``jobtui/tui/compat`` is the app's.

Textual has no public way to read the composited screen of a headless app, to
see what a driver is asked to write, to list the toasts raised or to count an
app's timers; the tests need all four. Each is one small function here, so a
Textual upgrade that moves one of them breaks this file and nothing else.
(``benchmarks/paint.py`` wraps ``App._display`` for the same reason: it times
the updates Textual hands to the terminal.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.app import App
from textual.notifications import Notification
from textual.strip import Strip


def screen_strips(app: App[Any]) -> list[Strip]:
    """The composited lines of the active screen (relies on ``Screen._compositor``)."""
    return list(app.screen._compositor.render_strips())


def screen_lines(app: App[Any]) -> list[str]:
    """The active screen as plain text, one string per line."""
    return ["".join(segment.text for segment in strip) for strip in screen_strips(app)]


def full_update(app: App[Any]) -> Any:
    """A full-screen update renderable, as Textual would write it (``render_update``)."""
    return app.screen._compositor.render_update(full=True)


def driver(app: App[Any]) -> Any:
    """The app's driver (relies on ``App._driver``)."""
    return app._driver


@contextmanager
def driver_replaced(app: App[Any], stand_in: Any) -> Iterator[None]:
    """Writes go to ``stand_in`` instead of the app's driver (relies on ``App._driver``)."""
    real = app._driver
    app._driver = stand_in
    try:
        yield
    finally:
        app._driver = real


def notifications(app: App[Any]) -> list[Notification]:
    """The toasts on screen (relies on ``App._notifications``); jobtui's apps keep
    every notice in ``app.notices`` too, which is what tests of jobtui's apps read."""
    return list(app._notifications)


def timer_count(app: App[Any]) -> int:
    """How many timers the app holds (relies on ``MessagePump._timers``)."""
    return len(app._timers)
