"""parse_line keeps SGR colours and nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jobtui.core.ansi import PLAIN, Span, StyledLine, TextStyle, apply_sgr, parse_line


def test_plain_line_has_no_spans() -> None:
    assert parse_line("hello world") == StyledLine("hello world")


def test_basic_colour_and_reset() -> None:
    line = parse_line("a\x1b[31mred\x1b[0mb")
    assert line.text == "aredb"
    assert line.spans == (Span(1, 4, TextStyle(fg=1)),)


def test_bright_and_background() -> None:
    line = parse_line("\x1b[1;92;104mX")
    assert line.spans[0].style == TextStyle(fg=10, bg=12, bold=True)


def test_256_and_truecolour() -> None:
    assert apply_sgr(PLAIN, "38;5;208").fg == 208
    assert apply_sgr(PLAIN, "48;2;1;2;3").bg == (1, 2, 3)
    assert apply_sgr(PLAIN, "38;2;999;0;0").fg == (255, 0, 0)


def test_truncated_extended_colour_is_ignored() -> None:
    assert apply_sgr(PLAIN, "38;5") == PLAIN
    assert apply_sgr(PLAIN, "38;2;1") == PLAIN


def test_attribute_on_and_off() -> None:
    style = apply_sgr(PLAIN, "1;2;3;4;7;9")
    assert style == TextStyle(
        bold=True, dim=True, italic=True, underline=True, reverse=True, strike=True
    )
    assert apply_sgr(style, "22;23;24;27;29") == PLAIN


def test_default_colours_reset_only_that_colour() -> None:
    style = apply_sgr(PLAIN, "31;42;1")
    assert apply_sgr(style, "39") == TextStyle(bg=2, bold=True)
    assert apply_sgr(style, "49") == TextStyle(fg=1, bold=True)


def test_empty_sgr_is_a_reset() -> None:
    line = parse_line("\x1b[31ma\x1b[mb")
    assert line.spans == (Span(0, 1, TextStyle(fg=1)),)


def test_non_sgr_sequences_are_removed() -> None:
    line = parse_line("\x1b[2J\x1b[H\x1b]0;t\x07\x1b[?1049h\x1b[32mok\x1b[K")
    assert line.text == "ok"
    assert line.spans == (Span(0, 2, TextStyle(fg=2)),)


def test_controls_are_visible() -> None:
    assert parse_line("a\x07b\x00").text == "a␇b␀"


def test_tabs_expand_to_tab_stops() -> None:
    assert parse_line("ab\tc").text == "ab      c"
    assert parse_line("\x1b[31mab\x1b[0m\tc").text == "ab      c"


@given(st.text())
def test_never_raises_and_is_safe(text: str) -> None:
    line = parse_line(text)
    assert "\x1b" not in line.text
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line.text)
    for span in line.spans:
        assert 0 <= span.start < span.end <= len(line.text)


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_any_sgr_parameters_never_raise(codes: list[int]) -> None:
    apply_sgr(PLAIN, ";".join(map(str, codes)))
