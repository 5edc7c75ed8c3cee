"""What the terminal can show: its colours (terminfo) and its character set (the locale).

Pure (no Textual): the CLI reads it too, before any app starts.

Two things a newcomer's terminal decides before the first frame:

* **Colours.** ``TERM=xterm`` (and ``linux``, ``vt220``…) promise 8 colours in
  terminfo, but Rich treats every terminal without ``-256color`` as 16-colour
  and sends the bright codes 90-97 / 100-107, which such a terminal may draw as
  anything; with the default theme "Running" even came out bright red beside a
  magenta "Failed". On those terminals the app uses its ANSI theme (the
  terminal's own colours, Running cyan, Failed red) and every frame is passed
  through ``limit_to_8`` so no bright code goes out.
* **Characters.** Under ``LANG=C`` / ``LC_ALL=C`` the locale's encoding is
  ASCII: box drawing and the status glyphs would arrive as mojibake, so the app
  uses ASCII mode, as ``--ascii`` and ``TERM=linux`` do.
"""

from __future__ import annotations

import codecs
import contextlib
import locale
import re
import struct
from collections.abc import Mapping
from pathlib import Path

_COERCED = ("C.UTF-8", "C.utf8", "UTF-8")  # what PEP 538 sets LC_CTYPE to
_MANY_COLOURS = ("256color", "truecolor", "24bit", "direct")


_COLORS_INDEX = 13  # "colors" is the 14th numeric capability in term(5)


def _terminfo_file(term: str, environ: Mapping[str, str]) -> Path | None:
    """Where ncurses would find the compiled entry of ``term`` (term(5) search order)."""
    dirs: list[str] = []
    if environ.get("TERMINFO"):
        dirs.append(environ["TERMINFO"])
    if environ.get("HOME"):
        dirs.append(str(Path(environ["HOME"]) / ".terminfo"))
    dirs += [d for d in environ.get("TERMINFO_DIRS", "").split(":") if d]
    dirs += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
    for folder in dirs:
        for sub in (term[0], f"{ord(term[0]):x}"):
            path = Path(folder) / sub / term
            if path.is_file():
                return path
    return None


def terminfo_colours(term: str, environ: Mapping[str, str] | None = None) -> int | None:
    """The ``colors`` capability of ``term`` in its compiled terminfo entry (None: unknown).

    Read from the file (term(5): legacy 16-bit and ncurses 6 32-bit formats)
    rather than through ``curses.setupterm``, which Python runs only once per
    process and which would answer for the first terminal asked about.
    """
    if not term or "/" in term or term.startswith("."):
        return None
    path = _terminfo_file(term, environ or {})
    if path is None:
        return None
    try:
        data = path.read_bytes()
        magic, names, bools, numbers = struct.unpack_from("<hhhh", data, 0)
        size = {0o432: 2, 0o1036: 4}.get(magic)
        if size is None or numbers <= _COLORS_INDEX:
            return None
        offset = 12 + names + bools
        offset += offset % 2  # numbers start on an even byte
        (count,) = struct.unpack_from(
            "<h" if size == 2 else "<i", data, offset + size * _COLORS_INDEX
        )
    except (OSError, struct.error):
        return None
    return count if count > 0 else None


def few_colours(environ: Mapping[str, str]) -> bool:
    """True when the terminal promises fewer than 16 colours (``TERM=xterm``: 8)."""
    if environ.get("NO_COLOR"):
        return False  # no colour is sent at all
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return False
    term = environ.get("TERM", "").strip().lower()
    if any(term.endswith(suffix) for suffix in _MANY_COLOURS) or term.endswith("16color"):
        return False
    count = terminfo_colours(term, environ)
    return count is not None and count < 16


def locale_encoding(environ: Mapping[str, str]) -> str:
    """The character encoding the user's locale names (``LC_ALL`` > ``LC_CTYPE`` > ``LANG``).

    Read from the environment rather than from Python: Python 3.7+ coerces a C
    locale to UTF-8 for itself (and writes ``LC_CTYPE=C.UTF-8`` into the
    environment, which is undone here), but the terminal on the other end is
    still configured for what the user's locale says.
    """
    value = environ.get("LC_ALL", "")
    if not value:
        value = environ.get("LC_CTYPE", "")
        lang = environ.get("LANG", "")
        if value in _COERCED and lang in ("", "C", "POSIX"):
            value = lang  # Python's own coercion of a C locale (PEP 538), not the user's
    if not value:
        value = environ.get("LANG", "")
    if not value:
        return "ascii"  # no locale at all is the C locale
    if value in ("C", "POSIX"):
        return "ascii"
    _, _, rest = value.partition(".")
    charset = rest.partition("@")[0]
    if not charset:
        with contextlib.suppress(ValueError, TypeError):
            charset = locale.normalize(value).partition(".")[2].partition("@")[0]
    try:
        return codecs.lookup(charset).name if charset else "ascii"
    except LookupError:
        return charset.lower()


def wants_ascii(environ: Mapping[str, str]) -> bool:
    """ASCII mode for the Linux console and for a locale whose encoding is not UTF-8."""
    if environ.get("TERM") == "linux":
        return True
    return locale_encoding(environ) != "utf-8"


_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def _limit_params(params: str) -> str:
    parts = params.split(";")
    out: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part in ("38", "48") and index + 1 < len(parts):
            # 256-colour / RGB colours take 2 or 4 more parameters: keep them as
            # they are (Rich sends none on a 16-colour console).
            width = 2 if parts[index + 1] == "5" else 4
            out.extend(parts[index : index + 1 + width])
            index += 1 + width
            continue
        if part.isdigit():
            code = int(part)
            if code == 90:  # bright black: plain black would vanish on a dark terminal
                part = "37"
            elif 91 <= code <= 97 or 100 <= code <= 107:
                part = str(code - 60)
        out.append(part)
        index += 1
    return ";".join(out)


def limit_to_8(text: str) -> str:
    """``text`` with every bright colour code (90-97, 100-107) turned into its base colour."""
    if "\x1b[" not in text:
        return text
    return _SGR.sub(lambda match: f"\x1b[{_limit_params(match.group(1))}m", text)
