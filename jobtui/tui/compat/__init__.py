"""The only place in jobtui that touches Textual's private internals.

Each use is one small function in this package whose docstring says what it
relies on, and each has a fallback to stock Textual behaviour. The private path
is taken only when

- the installed Textual is one this code was tested with (``TESTED_TEXTUAL``;
  a new Textual gets the fallback until someone checks it and adds it here), and
- the environment does not say ``JOBTUI_TEXTUAL_COMPAT=off`` (for a user who hits
  a problem, and for tests/tui/test_compat.py, which runs the monitor that way).

What the fallbacks cost (the measures are in docs/benchmarks.md):

- ``shadow``: without it Textual writes every cell of a dirty region, so a
  running job sends several times more bytes (measure 9).
- ``scroll.set_virtual_size``: without it a growing log re-lays-out the screen
  and paints two frames per poll (measure 5).
- ``terminal``: without it desktop notifications (OSC 777/9) are not sent and
  clipboard copies use Textual's ``copy_to_clipboard`` (no tmux passthrough).
"""

from __future__ import annotations

import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version

__all__ = ["ENV", "TESTED_TEXTUAL", "enabled", "textual_version"]

#: Textual releases the private paths were tested with (pyproject pins the first).
TESTED_TEXTUAL: frozenset[str] = frozenset({"8.2.8"})
#: Set to ``off`` (or ``0``, ``no``, ``false``) to force every fallback.
ENV = "JOBTUI_TEXTUAL_COMPAT"


@cache
def textual_version() -> str:
    try:
        return version("textual")
    except PackageNotFoundError:  # pragma: no cover - Textual is a dependency
        return "unknown"


def enabled() -> bool:
    """Whether the private paths may be used (read on every call: tests flip it)."""
    if os.environ.get(ENV, "").strip().lower() in {"off", "0", "no", "false"}:
        return False
    return textual_version() in TESTED_TEXTUAL
