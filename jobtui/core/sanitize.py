"""Make untrusted text (names, tags, messages, remote logs) safe for a terminal.

Everything that reaches the screen from bk-job was typed by someone else or
printed by a program on a remote machine, so it may carry escape sequences
that move the cursor, switch screens, set the clipboard (OSC 52) or the window
title. This module is the one place that knows how to take them apart:

* every ESC-introduced sequence (CSI, OSC, DCS, SOS, PM, APC, nF/Fp/Fe/Fs
  two-byte escapes) and its 8-bit C1 equivalent is removed; a string sequence
  without its terminator is consumed to the end of the line;
* every other C0/C1 control, DEL, lone surrogate (from ``surrogateescape``
  decoding) and bidi override is shown as visible text, so nothing is hidden.

``tokens`` exposes the scan so :mod:`jobtui.core.ansi` can keep SGR colours
while applying exactly the same rules to everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["ELLIPSIS", "NEWLINE_MARK", "safe_text", "tokens", "visible"]

ELLIPSIS = "…"
NEWLINE_MARK = " ⏎ "

# One alternation per sequence family; order matters (CSI before the generic escape).
_SEQUENCE = re.compile(
    r"(?P<csi>(?:\x1b\[|\x9b)(?P<params>[\x30-\x3f]*)(?P<inter>[\x20-\x2f]*)(?P<final>[\x40-\x7e])?)"
    # OSC, DCS, SOS, PM, APC: up to BEL / ST; unterminated runs to the end of the line.
    r"|(?P<string>(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?)"
    r"|(?P<esc>\x1b[\x20-\x2f]*[\x30-\x7e]?)",
)

# Characters that need attention after the sequences are gone.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)
_FAST_UNSAFE = _UNSAFE  # also matches ESC and the C1 introducers


def _picture(char: str) -> str:
    """The visible stand-in of one unsafe character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␀ ␇ ␈ ␍ ␛ ...
    if code == 0x7F:
        return "␡"
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # an undecodable byte, as surrogateescape kept it
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def tokens(text: str) -> Iterator[tuple[str, str | None]]:
    """Split ``text`` into ``(plain, None)`` runs and ``("", params)`` SGR sequences.

    Plain runs still contain controls (the caller decides how to show them);
    every non-SGR sequence is dropped here.
    """
    pos = 0
    for match in _SEQUENCE.finditer(text):
        start = match.start()
        if start > pos:
            yield text[pos:start], None
        pos = match.end()
        if match.group("csi") is not None and _is_sgr(match):
            yield "", match.group("params")
    if pos < len(text):
        yield text[pos:], None


def _is_sgr(match: re.Match[str]) -> bool:
    params = match.group("params")
    return (
        match.group("final") == "m"
        and not match.group("inter")
        and all(ch in "0123456789;:" for ch in params)
    )


def visible(text: str, *, newline: str = NEWLINE_MARK, tab: str = " ") -> str:
    """Show every control character of ``text`` as visible text (no sequences parsed)."""
    if not _UNSAFE.search(text):
        return text

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\n" or char in "\u2028\u2029":
            return newline
        if char == "\t":
            return tab
        if char == "\ufeff":
            return ""
        return _picture(char)

    return _UNSAFE.sub(replace, text.replace("\r\n", "\n"))


def safe_text(text: str, *, max_len: int | None = None) -> str:
    """Return ``text`` without escape sequences and with every control made visible.

    For one-line labels: newlines become " ⏎ ", tabs a space, and the result is
    cut to ``max_len`` characters (the last being "…").
    """
    if _FAST_UNSAFE.search(text):
        text = "".join(plain for plain, sgr in tokens(text) if sgr is None)
        text = visible(text)
    if max_len is not None and len(text) > max_len:
        text = text[: max(max_len - 1, 0)] + ELLIPSIS if max_len > 0 else ""
    return text
