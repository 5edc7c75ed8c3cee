"""safe_text: hostile text never reaches the terminal with control power."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobtui.core.sanitize import safe_text, tokens, visible


def _has_control(text: str) -> bool:
    return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain name", "plain name"),
        ("\x1b[?1049hscreen", "screen"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[10;20Hb\x1b[Ac", "abc"),
        ("x\x1b]52;c;ZXZpbA==\x07y", "xy"),
        ("x\x1b]0;title\x1b\\y", "xy"),
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
        ("a\x1b_apc\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d", "abcd"),
        ("a\x1b(Bb\x1b7c\x1b=d\x1bce", "abcde"),
        ("paste\x1b[200~evil\x1b[201~", "pasteevil"),
        ("a\x9b31mb", "ab"),
        ("a\x9d0;t\x07b", "ab"),
        ("a\x90dcs\x9cb", "ab"),
        ("end\x1b", "end"),
        ("a\x1b]0;never terminated", "a"),
        ("a\x1b[31mred\x1b[0m", "ared"),
    ],
)
def test_sequences_are_removed(raw: str, expected: str) -> None:
    assert safe_text(raw) == expected


def test_unterminated_osc_stops_at_the_line_end() -> None:
    assert safe_text("a\x1b]0;xx\nnext") == "a ⏎ next"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b", "a␀b"),
        ("a\x07b", "a␇b"),
        ("a\x08b", "a␈b"),
        ("a\x7fb", "a␡b"),
        ("a\rb", "a␍b"),
        ("a\x85b", "a\\x85b"),
        ("a\x9cb", "a\\x9cb"),
        ("a\tb", "a b"),
        ("a\nb", "a ⏎ b"),
        ("a\r\nb", "a ⏎ b"),
        ("bad\udcffbyte", "bad\\xffbyte"),
        ("lone\ud800", "lone\ufffd"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("iso\u2066x\u2069", "iso\\u2066x\\u2069"),
    ],
)
def test_controls_are_shown_visibly(raw: str, expected: str) -> None:
    assert safe_text(raw) == expected


def test_max_len_cuts_with_an_ellipsis() -> None:
    assert safe_text("abcdefgh", max_len=5) == "abcd…"
    assert safe_text("abc", max_len=5) == "abc"
    assert safe_text("abc", max_len=0) == ""


def test_max_len_counts_after_sanitising() -> None:
    assert safe_text("\x1b[31m" * 10 + "abc", max_len=3) == "abc"


def test_tokens_keep_only_sgr_parameters() -> None:
    parts = list(tokens("a\x1b[1;31mb\x1b[?25lc\x1b[0md"))
    assert parts == [("a", None), ("", "1;31"), ("b", None), ("c", None), ("", "0"), ("d", None)]


def test_private_sgr_lookalike_is_not_sgr() -> None:
    assert [p for p in tokens("\x1b[>4;1m") if p[1] is not None] == []


def test_visible_custom_newline_and_tab() -> None:
    assert visible("a\tb\nc", newline="|", tab="    ") == "a    b|c"


@given(st.text())
def test_any_text_is_safe(text: str) -> None:
    assert not _has_control(safe_text(text))


@given(st.text(alphabet=st.sampled_from("\x1b\x9b\x9d\x90[]P_^X\\;?0123456789mHJa\x07\n\x9c")))
def test_escape_soup_is_safe(text: str) -> None:
    out = safe_text(text)
    assert "\x1b" not in out
    assert not _has_control(out)


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_max_len_is_respected(text: str, max_len: int) -> None:
    assert len(safe_text(text, max_len=max_len)) <= max_len
