"""ASCII scroll bars: the eighth-block characters are missing on the Linux console.

Relies on ``ScrollBar.renderer``, a documented class attribute (Textual 8.2.8's
docstring shows assigning it), but one that is process-wide: every scroll bar
of every app in the process reads it. So it is swapped only while an ASCII app
runs and put back when it unmounts. Fallback: Textual's own scroll bars.
"""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender

from jobtui.tui import compat


class AsciiScrollBarRender(ScrollBarRender):
    """Scroll bars without the eighth-block characters the Linux console lacks."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


STOCK = ScrollBar.renderer


def use_ascii() -> None:
    """Draw every scroll bar in ASCII (idempotent) until ``restore``."""
    if compat.enabled():
        ScrollBar.renderer = AsciiScrollBarRender


def restore() -> None:
    """Textual's own scroll bars again."""
    ScrollBar.renderer = STOCK
