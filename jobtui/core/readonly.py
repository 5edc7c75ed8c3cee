"""Why a session is read-only, so a refusal names the one cause that applies.

A refusal listing every way to be read-only ("--readonly, readonly = true in the
profile, or JOBTUI_READONLY=1") sends the user of ``jobtui demo``, which reads no
config file, looking for a profile that does not exist; and whoever must turn it
off needs the one setting that turned it on. The cause is fixed where the flag,
the variable and the profile are read (``jobtui.config.load``, the demo's own
reading in ``jobtui.cli``) and travels with the options instead of a bare bool.
"""

from __future__ import annotations

from enum import Enum


class ReadOnly(Enum):
    """The setting that made the session read-only: the value is how the user wrote it."""

    FLAG = "--readonly"
    ENV = "JOBTUI_READONLY"
    PROFILE = "readonly = true in the profile"


def read_only_refusal(cause: ReadOnly) -> str:
    """One line for ``jobtui act`` and the operation that was refused."""
    return f"this session is read-only ({cause.value}): no operation is sent"


def read_only_note(cause: ReadOnly) -> str:
    """The actions menu's warning line."""
    return f"This session is read-only ({cause.value}): no operation can be sent."
