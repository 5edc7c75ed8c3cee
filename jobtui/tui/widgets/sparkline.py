"""A two-line chart of a step's hosts done and failed over time.

One row of block characters for hosts done, one for hosts failed, each scaled
to the step's host total and labelled with the numbers, so the chart is read
without colour; ``ascii_only`` swaps the blocks for ``_.:-=+*#`` on the Linux
console. It repaints only when the history or the width changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from jobtui.core.history import StepHistory

BLOCKS = " ▁▂▃▄▅▆▇█"
ASCII_LEVELS = " _.:-=+*#"
LABEL_WIDTH = 14


def bar(fractions: list[float], *, ascii_only: bool = False) -> str:
    """One character per fraction (0..1); any non-zero fraction shows at least the lowest mark."""
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    top = len(levels) - 1
    out = []
    for value in fractions:
        value = min(max(value, 0.0), 1.0)
        index = round(value * top)
        out.append(levels[max(index, 1) if value > 0 else 0])
    return "".join(out)


def chart_lines(
    history: StepHistory | None, width: int, *, ascii_only: bool = False, note: str | None = None
) -> tuple[str, str]:
    """(done line, failed line) fitting ``width`` cells, labels included.

    ``note`` replaces the chart (a step with no hosts has nothing to count:
    "done 0/0" would read as a step that failed to start).
    """
    if note is not None:
        return (note[:width], "")
    if history is None or not history.samples:
        return ("no samples yet"[:width], "")
    last = history.samples[-1]
    done_text, failed_text = f"done {last.done:,}/{last.total:,}", f"fail {last.failed:,}"
    # a gap before the bars however long the figures (50,000 hosts: "done 3,746/50,000")
    label_width = max(LABEL_WIDTH, len(done_text) + 1, len(failed_text) + 1)
    done_label, failed_label = done_text.ljust(label_width), failed_text.ljust(label_width)
    columns = history.columns(max(0, width - label_width))
    done = bar([d for d, _ in columns], ascii_only=ascii_only)
    failed = bar([f for _, f in columns], ascii_only=ascii_only)
    return ((done_label + done)[:width], (failed_label + failed)[:width])


class Sparkline(Widget):
    """Hosts done (success colour) and failed (error colour) for the running step."""

    DEFAULT_CSS = """
    Sparkline { height: 2; width: 1fr; }
    """

    def __init__(
        self, *, ascii_only: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.ascii_only = ascii_only
        self._history: StepHistory | None = None
        self._note: str | None = None
        self._shown: tuple[object, ...] | None = None  # _key() of the last paint

    def _key(self) -> tuple[object, ...]:
        """What the picture depends on: which history, its newest sample, the width."""
        history = self._history
        last = history.last if history is not None else None
        size = len(history) if history is not None else 0
        return (id(history), size, last, self.size.width, self._note)

    def show(self, history: StepHistory | None, *, note: str | None = None) -> None:
        """Use this history; repaint only if it gained samples since the last paint.

        ``note`` shows instead of the chart (see ``chart_lines``).
        """
        self._history = history
        self._note = note
        if self._key() != self._shown:
            # The content only: a bare refresh() also rewrites the border and its title.
            self.refresh(Region(0, 0, self.content_size.width, self.content_size.height))

    def render(self) -> Text:
        width = self.size.width
        self._shown = self._key()
        done, failed = chart_lines(
            self._history, width, ascii_only=self.ascii_only, note=self._note
        )
        text = Text(done, style="green", no_wrap=True, overflow="crop")
        if failed:
            text.append("\n")
            text.append(failed, style="red")
        return text
