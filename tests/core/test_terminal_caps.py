"""Terminal capabilities: 8-colour terminfo, the locale's encoding, bright codes limited."""

from __future__ import annotations

import shutil

import pytest

from jobtui.core.terminal_caps import (
    few_colours,
    limit_to_8,
    locale_encoding,
    terminfo_colours,
    wants_ascii,
)


@pytest.mark.parametrize(
    ("environ", "encoding"),
    [
        ({"LANG": "C"}, "ascii"),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "ascii"),
        ({"LANG": "POSIX"}, "ascii"),
        ({}, "ascii"),
        ({"LANG": "C.UTF-8"}, "utf-8"),
        ({"LANG": "en_US.utf8"}, "utf-8"),
        ({"LANG": "zh_CN.GB18030"}, "gb18030"),
        ({"LANG": "de_DE.ISO-8859-1@euro"}, "iso8859-1"),
        # Python's PEP 538 coercion writes LC_CTYPE=C.UTF-8 under LANG=C: not the user's.
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "ascii"),
        ({"LC_CTYPE": "C.UTF-8"}, "ascii"),
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C.UTF-8"}, "utf-8"),
        ({"LANG": "C", "LC_CTYPE": "en_US.UTF-8"}, "utf-8"),
    ],
)
def test_locale_encoding(environ: dict[str, str], encoding: str) -> None:
    assert locale_encoding(environ) == encoding


def test_ascii_mode_for_the_console_and_non_utf8_locales() -> None:
    assert wants_ascii({"TERM": "linux", "LANG": "C.UTF-8"})
    assert wants_ascii({"TERM": "xterm-256color", "LANG": "C"})
    assert not wants_ascii({"TERM": "xterm-256color", "LANG": "C.UTF-8"})


@pytest.mark.skipif(not shutil.which("infocmp"), reason="no terminfo tools")
def test_xterm_promises_8_colours() -> None:
    assert terminfo_colours("xterm") == 8
    assert few_colours({"TERM": "xterm"})
    assert not few_colours({"TERM": "xterm", "COLORTERM": "truecolor"})
    assert not few_colours({"TERM": "xterm-256color"})
    assert not few_colours({"TERM": "xterm", "NO_COLOR": "1"})
    assert not few_colours({"TERM": "no-such-terminal-here"})


def test_bright_codes_become_base_colours() -> None:
    assert limit_to_8("\x1b[91mx\x1b[0m") == "\x1b[31mx\x1b[0m"
    assert limit_to_8("\x1b[1;97;104mx") == "\x1b[1;37;44mx"
    assert limit_to_8("\x1b[90mmuted") == "\x1b[37mmuted"  # not black on black
    # 256-colour and RGB parameters are left alone, even when they look like 9x.
    assert limit_to_8("\x1b[38;5;91;48;2;100;95;92m") == "\x1b[38;5;91;48;2;100;95;92m"
    assert limit_to_8("plain") == "plain"
    assert limit_to_8("\x1b[2J\x1b[0m") == "\x1b[2J\x1b[0m"
