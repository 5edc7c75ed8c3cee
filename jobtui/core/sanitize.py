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

The marks it writes (the newline mark, the cut mark, the control pictures) are
Unicode by default and plain ASCII while an ASCII-mode app runs
(``use_ascii``): the Linux console and ``LANG=C`` cannot draw ``⏎``, ``…`` or
``␇``, and every name, tag and log line on screen passes through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "ASCII_MARKS",
    "ELLIPSIS",
    "NEWLINE_MARK",
    "UNICODE_MARKS",
    "Marks",
    "marks",
    "safe_text",
    "tokens",
    "use_ascii",
    "visible",
]

ELLIPSIS = "…"
NEWLINE_MARK = " ⏎ "


@dataclass(frozen=True, slots=True)
class Marks:
    """The characters that stand in for what untrusted text may not show as is."""

    newline: str  # a newline inside one-line text (a name, a tag, a message)
    ellipsis: str  # the last character of text cut to its width: one character
    ascii: bool  # controls as ``\xNN`` escapes rather than Control Pictures


UNICODE_MARKS = Marks(newline=NEWLINE_MARK, ellipsis=ELLIPSIS, ascii=False)
#: ``\n`` is what a newline is, in the spelling every operator reads (and the
#: other controls become ``\x07``, ``\x1b``..., the same family); `` | `` would
#: read as ASCII mode's field separator, so a name "a\nb" would look like two
#: fields. The cut mark is ``~``, the one-character cut of the group tabs and
#: the follow-newest line in ASCII mode, so every width budget stays the same.
ASCII_MARKS = Marks(newline=" \\n ", ellipsis="~", ascii=True)

_marks = UNICODE_MARKS


def use_ascii(on: bool) -> None:
    """Write plain-ASCII marks from now on (``True``) or the Unicode ones again.

    Process-wide, like Textual's ``ScrollBar.renderer``: one terminal per
    process, and dozens of places (header, tree, tabs, cards, lists, logs,
    toasts) show untrusted text, so the mode is set once by the app for as long
    as it runs rather than passed to each of them, where a forgotten one would
    draw ``⏎`` on a console that cannot.
    """
    global _marks
    _marks = ASCII_MARKS if on else UNICODE_MARKS


def marks() -> Marks:
    """The marks in use (``use_ascii``), for text cut or marked outside this module."""
    return _marks


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
    if _marks.ascii and (code < 0x20 or code == 0x7F):
        return f"\\x{code:02x}"
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␀ ␇ ␈ ␍ ␛ ...
    if code == 0x7F:
        return "␡"
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # an undecodable byte, as surrogateescape kept it
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}" if _marks.ascii else "\ufffd"
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


def visible(text: str, *, newline: str | None = None, tab: str = " ") -> str:
    """Show every control character of ``text`` as visible text (no sequences parsed).

    ``newline`` defaults to the newline mark of the mode in use (``use_ascii``).
    """
    if not _UNSAFE.search(text):
        return text
    if newline is None:
        newline = _marks.newline

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
    cut to ``max_len`` characters (the last being "…"); in ASCII mode " \\n "
    and "~" (see ``ASCII_MARKS``).
    """
    if _FAST_UNSAFE.search(text):
        text = "".join(plain for plain, sgr in tokens(text) if sgr is None)
        text = visible(text)
    if max_len is not None and len(text) > max_len:
        text = text[: max(max_len - 1, 0)] + _marks.ellipsis if max_len > 0 else ""
    return text
