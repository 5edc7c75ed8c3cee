"""Writing to the terminal between frames: the bell's way, for OSC 52 and OSC 777/9.

Relies on (Textual 8.2.8): ``App._driver`` (None when headless or not yet
running) with ``write(str)``, which is how ``App.bell`` and
``App.copy_to_clipboard`` themselves write, so a sequence reaches the terminal
between frames and never inside one; and ``App._clipboard``, Textual's own copy
of the clipboard (``App.clipboard``, used by ctrl+v in inputs), which
``copy_to_clipboard`` sets.

Fallback: ``write`` writes nothing (desktop notifications are not sent; the
toast still shows), and ``copy`` is ``App.copy_to_clipboard`` (OSC 52 without
jobtui's tmux passthrough or size check).
"""

from __future__ import annotations

from textual.app import App

from jobtui.tui import compat


def write(app: App[object], text: str) -> bool:
    """Write ``text`` to the terminal now; False when there is none (headless, fallback)."""
    if not compat.enabled() or app.is_headless:
        return False
    driver = getattr(app, "_driver", None)
    if driver is None:
        return False
    driver.write(text)
    return True


def copy(app: App[object], text: str, sequence: str) -> None:
    """Put ``text`` on the clipboard by writing ``sequence`` (an OSC 52 jobtui built)."""
    if not compat.enabled():
        app.copy_to_clipboard(text)
        return
    app._clipboard = text  # what copy_to_clipboard does, so App.clipboard agrees
    write(app, sequence)
