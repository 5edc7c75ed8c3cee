"""Announce a transition: a toast always, the bell and a desktop notification on request.

Sequences are written the way Textual's own ``App.bell`` and
``App.copy_to_clipboard`` write theirs (``compat.terminal``), so they reach the
terminal between frames and never mid-update; headless test apps have nothing
to write.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Mapping

from textual.app import App

from jobtui.core.numfmt import plural
from jobtui.core.sanitize import safe_text
from jobtui.core.terminal_seq import for_terminal, notification, osc52
from jobtui.core.transitions import Announced, Notice
from jobtui.tui.compat import terminal


def write_sequence(app: App[object], sequence: str, env: Mapping[str, str] | None = None) -> bool:
    """Write one terminal sequence (tmux-wrapped when needed); False when there is no terminal."""
    return terminal.write(app, for_terminal(sequence, os.environ if env is None else env))


_announced: weakref.WeakKeyDictionary[App[object], Announced] = weakref.WeakKeyDictionary()


def announce(app: App[object], notice: Notice, *, bell: bool, desktop: bool) -> None:
    """Toast ``notice`` once per event; ring the bell and send OSC 777/9 when asked.

    The monitor, the job list under it and the wall each see a job change; the
    app remembers what it announced per job, so one event makes one toast (and
    one bell). The app's ``notify`` (``base_app``) keeps the whole text for `m`
    and cuts the toast to a few lines.
    """
    if _announced.setdefault(app, Announced()).is_repeat(notice):
        return
    app.notify(
        safe_text(notice.message),
        title=safe_text(notice.title, max_len=80),
        severity=notice.level.value,
        markup=False,
    )
    if bell:
        app.bell()
    if desktop:
        write_sequence(app, notification(notice.title, notice.message))


def copy_text(app: App[object], text: str) -> str:
    """Put ``text`` on the clipboard with OSC 52; return a one-line outcome for a toast."""
    try:
        sequence = osc52(text)
    except ValueError as error:
        return str(error)
    terminal.copy(app, text, for_terminal(sequence, os.environ))
    lines = text.count("\n") + 1 if text else 0
    return f"copied {plural(lines, 'line')} to the clipboard"
