"""A screen's breakpoint classes before it mounts: it is styled once, not twice.

Textual gives a screen its breakpoint classes (here ``-narrow``/``-wide`` and
``-short``/``-tall``) on its first resize, after it mounted: every widget of a
screen pushed without them is styled again when they arrive, whether or not its
CSS uses them. ``presize`` sets them beforehand, by Textual's rule
(``Screen._on_resize``), so that resize changes nothing. A function of Textual's
public ``App`` (its size and breakpoints), not of jobtui's app: any screen can
presize what it pushes, and a screen under test in a plain ``App`` still works.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import App
from textual.screen import Screen

__all__ = ["presize"]

S = TypeVar("S", bound=Screen[Any])


def presize(app: App[Any], screen: S, size: tuple[int, int] | None = None) -> S:
    """``screen`` with the breakpoint classes of ``app``'s terminal size; returns it.

    The screen's own breakpoints win over the app's, as in Textual; per
    dimension, the highest breakpoint the size reaches is set and the others
    cleared. ``size``: the terminal's new size, for a screen pushed from a
    resize handler that runs before ``app.size`` has it.
    """
    width, height = app.size if size is None else size
    horizontal = screen.HORIZONTAL_BREAKPOINTS
    vertical = screen.VERTICAL_BREAKPOINTS
    classes: dict[str, bool] = {}
    for dimension, breakpoints in (
        (width, (app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal) or []),
        (height, (app.VERTICAL_BREAKPOINTS if vertical is None else vertical) or []),
    ):
        reached = [(at, name) for at, name in breakpoints if dimension >= at]
        for _, name in breakpoints:
            classes[name] = False
        if reached:
            classes[max(reached)[1]] = True
    screen.update_classes(classes, update=False)
    return screen
