"""Untrusted text from the server, made safe before it leaves ``api/``.

Names, tags and messages come from remote machines and people; a stray escape
sequence in a step name must not repaint the operator's terminal, and an error
message must stay on one line. Log bodies are kept verbatim (the log view owns
their rendering).
"""

from __future__ import annotations

import re

# CSI / OSC / other ESC sequences, then any remaining C0/C1 control character.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\t\n]+")
# HTML/XML tags (a proxy's page pasted into a JSON ``message``); "a < b > c" survives.
_TAGS = re.compile(r"</?[A-Za-z!][^<>]{0,200}>")


def safe_line(text: str | None) -> str:
    """One line of untrusted text with escape sequences and controls removed."""
    if not text:
        return ""
    if text.isprintable():  # fast path: the usual case costs one C call
        return text
    text = _ESCAPES.sub("", text)
    text = _SPACES.sub(" ", text)
    return _CONTROLS.sub("", text)


def safe_opt(text: str | None) -> str | None:
    """``safe_line`` that keeps ``None``."""
    return None if text is None else safe_line(text)


def one_line(text: str, *, limit: int = 300) -> str:
    """An error-message fragment: safe, whitespace collapsed, bounded length."""
    flat = " ".join(_TAGS.sub(" ", safe_line(text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
