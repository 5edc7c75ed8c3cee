"""Parse one log line into plain text plus SGR-styled spans.

Scripts on remote hosts colour their output (``ls --color``, coloured log
levels), and operators expect to see those colours. Only SGR (``ESC[...m``)
survives; every other sequence is removed and every control made visible by
exactly the rules of :mod:`jobtui.core.sanitize`. The style struct is pure data
so the core stays free of rich/textual; the tui converts it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jobtui.core.sanitize import tokens, visible

__all__ = ["PLAIN", "Color", "Span", "StyledLine", "TextStyle", "parse_line"]

# An int is a palette index (0-15 standard/bright, 16-255 the 256-colour cube);
# a tuple is a truecolour (r, g, b).
Color = int | tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class TextStyle:
    """The SGR attributes in effect for a run of text."""

    fg: Color | None = None
    bg: Color | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False
    strike: bool = False


PLAIN = TextStyle()


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` is drawn in ``style``."""

    start: int
    end: int
    style: TextStyle


@dataclass(frozen=True, slots=True)
class StyledLine:
    """A sanitised line: what to print and how to colour it."""

    text: str
    spans: tuple[Span, ...] = ()


_FLAGS_ON = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 7: "reverse", 9: "strike"}
_FLAGS_OFF = {
    22: ("bold", "dim"),
    23: ("italic",),
    24: ("underline",),
    27: ("reverse",),
    29: ("strike",),
}


def parse_line(line: str, *, tab_size: int = 8) -> StyledLine:
    """Split ``line`` into sanitised text and the spans its SGR codes colour."""
    if "\x1b" not in line and "\x9b" not in line and not _needs_visible(line):
        return StyledLine(line)
    parts: list[str] = []
    spans: list[Span] = []
    column = 0
    style = PLAIN
    for plain, sgr in tokens(line):
        if sgr is not None:
            style = apply_sgr(style, sgr)
            continue
        text = _expand(visible(plain, tab="\t"), column, tab_size)
        if not text:
            continue
        if style != PLAIN:
            spans.append(Span(column, column + len(text), style))
        parts.append(text)
        column += len(text)
    return StyledLine("".join(parts), tuple(spans))


def _needs_visible(line: str) -> bool:
    return visible(line, tab="\t") != line or "\t" in line


def _expand(text: str, column: int, tab_size: int) -> str:
    """Expand tabs to the next tab stop, counting from the line's ``column``."""
    if "\t" not in text:
        return text
    out: list[str] = []
    col = column
    for index, piece in enumerate(text.split("\t")):
        if index:
            pad = tab_size - (col % tab_size)
            out.append(" " * pad)
            col += pad
        out.append(piece)
        col += len(piece)
    return "".join(out)


def apply_sgr(style: TextStyle, params: str) -> TextStyle:
    """Return ``style`` after one SGR sequence's parameters."""
    codes = [int(p) if p.isdigit() else 0 for p in params.replace(":", ";").split(";")]
    index = 0
    while index < len(codes):
        code = codes[index]
        index += 1
        if code == 0:
            style = PLAIN
        elif code in _FLAGS_ON:
            style = replace(style, **{_FLAGS_ON[code]: True})
        elif code in _FLAGS_OFF:
            style = replace(style, **dict.fromkeys(_FLAGS_OFF[code], False))
        elif 30 <= code <= 37 or 90 <= code <= 97:
            style = replace(style, fg=code - 30 if code < 90 else code - 82)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            style = replace(style, bg=code - 40 if code < 100 else code - 92)
        elif code == 39:
            style = replace(style, fg=None)
        elif code == 49:
            style = replace(style, bg=None)
        elif code in (38, 48):
            color, index = _extended(codes, index)
            if color is not None and code == 38:
                style = replace(style, fg=color)
            elif color is not None:
                style = replace(style, bg=color)
    return style


def _extended(codes: list[int], index: int) -> tuple[Color | None, int]:
    """Read ``5;n`` or ``2;r;g;b`` after a 38/48; return the colour and the next index."""
    if index < len(codes) and codes[index] == 5 and index + 1 < len(codes):
        return min(codes[index + 1], 255), index + 2
    if index < len(codes) and codes[index] == 2 and index + 3 < len(codes):
        red, green, blue = (min(c, 255) for c in codes[index + 1 : index + 4])
        return (red, green, blue), index + 4
    return None, len(codes)
