"""One table of status glyphs and colours, shared by every pane.

A state is never shown by colour alone: each severity has a glyph (unicode, or
an ASCII fallback for the Linux console) and a word comes from ``catalog``.
Colours are Textual theme variables so themes and ``NO_COLOR`` keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobtui.api.catalog import Severity


@dataclass(frozen=True, slots=True)
class Glyph:
    """How one severity is drawn."""

    unicode: str
    ascii: str
    colour: str  # a theme variable, e.g. "$success"

    def char(self, ascii_only: bool = False) -> str:
        """The glyph for this terminal."""
        return self.ascii if ascii_only else self.unicode


GLYPHS: dict[Severity, Glyph] = {
    Severity.SUCCESS: Glyph("✓", "+", "$success"),
    Severity.RUNNING: Glyph("▶", ">", "$accent"),
    Severity.PENDING: Glyph("·", ".", "$foreground-muted"),
    Severity.ATTENTION: Glyph("⚑", "!", "$warning"),
    Severity.FAILED: Glyph("✗", "x", "$error"),
    Severity.SKIPPED: Glyph("↷", "-", "$secondary"),
    Severity.UNKNOWN: Glyph("?", "?", "$foreground-muted"),
}

#: Rich-style colour names used where theme variables cannot reach (Content markup
#: accepts ``$variables``; plain Rich ``Text`` does not).
RICH_COLOURS: dict[Severity, str] = {
    Severity.SUCCESS: "green",
    Severity.RUNNING: "cyan",
    Severity.PENDING: "bright_black",
    Severity.ATTENTION: "yellow",
    Severity.FAILED: "red",
    Severity.SKIPPED: "magenta",
    Severity.UNKNOWN: "bright_black",
}


def glyph(severity: Severity, ascii_only: bool = False) -> str:
    """The status glyph of a severity."""
    return GLYPHS[severity].char(ascii_only)


def colour(severity: Severity) -> str:
    """The theme colour variable of a severity."""
    return GLYPHS[severity].colour


def sep(ascii_only: bool = False) -> str:
    """The separator between the parts of a status line (``·``, or ``|`` on the console)."""
    return " | " if ascii_only else " · "


def dots(ascii_only: bool = False) -> str:
    """The mark of something still coming ("loading…", or ``...``)."""
    return "..." if ascii_only else "…"


def cut_mark(ascii_only: bool = False) -> str:
    """The one-cell mark of text cut to its room (``…``, or ``~`` on the console).

    One cell in both modes, so a cut line is as wide on the console as elsewhere;
    the same mark as untrusted text cut by ``core/sanitize`` (its ``Marks``).
    """
    return "~" if ascii_only else "…"


def rich_colour(severity: Severity) -> str:
    """A plain Rich colour name for a severity (16-colour safe)."""
    return RICH_COLOURS[severity]
