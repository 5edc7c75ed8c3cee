"""The scope's recent jobs as a table, updated in place by job id.

A refresh adds, changes and removes rows by key; the cursor stays on the same
job, and rows whose text did not change are not touched, so an idle list
repaints nothing. Enter (or a click on the highlighted row) posts ``OpenJob``.

The columns fit the pane: each is as wide as what it holds, the name takes
what is left (cut with a mark), and when even that does not fit the least
needed columns go (type, launch, start, operator), never the status or the
time: at 80 columns a table scrolled sideways hid the status it exists for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from jobtui.api.catalog import instance_type, launch_mode, run_status
from jobtui.api.models import JobSummary
from jobtui.core.joblist import is_live
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import elapsed_seconds, format_duration
from jobtui.tui.glyphs import glyph, rich_colour

COLUMNS = ("id", "name", "operator", "launch", "type", "status", "start", "elapsed")
Row = tuple[str | Text, ...]
#: Given up, in this order, when the pane is too narrow for every column.
DROP_ORDER = ("type", "launch", "start", "operator")
NAME_FLOOR = 20  # cells of a name kept before a column is given up
CELL_PAD = 2  # DataTable's cell padding, both sides


class OpenJob(Message):
    """The user wants the live monitor of this job."""

    def __init__(self, job_instance_id: int) -> None:
        super().__init__()
        self.job_instance_id = job_instance_id


def status_text(status: int, *, ascii_only: bool = False) -> Text:
    """Glyph + word, coloured: readable without colour too."""
    info = run_status(status)
    return Text(
        f"{glyph(info.severity, ascii_only)} {info.label}", style=rich_colour(info.severity)
    )


def job_row(job: JobSummary, now: datetime, *, ascii_only: bool = False) -> Row:
    """The cells of one job (all untrusted text made safe)."""
    running = is_live(job.status) and job.status != 1
    elapsed = elapsed_seconds(job.start_time, job.end_time, job.total_seconds, now, running=running)
    start = job.start_time or job.create_time
    return (
        str(job.job_instance_id),
        safe_text(job.name, max_len=36),
        safe_text(job.operator or "-", max_len=24),
        launch_mode(job.launch_mode),
        instance_type(job.instance_type),
        status_text(job.status, ascii_only=ascii_only),
        start.astimezone(now.tzinfo).strftime("%m-%d %H:%M:%S") if start else "-",
        format_duration(elapsed),
    )


def fit_columns(width: int, need: dict[str, int]) -> dict[str, int]:
    """Column → width for a table ``width`` cells wide (``need``: widest cell or title).

    The name gets what the others leave, at least ``NAME_FLOOR``; columns of
    ``DROP_ORDER`` go until that fits. Iteration order is ``COLUMNS``' order.
    """
    shown = list(COLUMNS)

    def others(columns: list[str]) -> int:
        return sum(need[c] + CELL_PAD for c in columns if c != "name")

    for column in DROP_ORDER:
        if others(shown) + min(NAME_FLOOR, need["name"]) + CELL_PAD <= width:
            break
        shown.remove(column)
    name = max(min(NAME_FLOOR, need["name"]), min(need["name"], width - others(shown) - CELL_PAD))
    return {c: name if c == "name" else need[c] for c in shown}


def _need(rows: Iterable[Row]) -> dict[str, int]:
    need = {c: cell_len(c) for c in COLUMNS}
    for row in rows:
        for column, cell in zip(COLUMNS, row, strict=True):
            length = cell.cell_len if isinstance(cell, Text) else cell_len(cell)
            need[column] = max(need[column], length)
    return need


def _cut(cell: str | Text, width: int, mark: str) -> str | Text:
    length = cell.cell_len if isinstance(cell, Text) else cell_len(cell)
    if length <= width:
        return cell
    text = cell.plain if isinstance(cell, Text) else cell
    return set_cell_size(text, width - 1) + mark


class JobList(DataTable[str | Text]):
    """Newest first; rows keyed by job id."""

    HELP_SECTION: ClassVar[str] = "Job list"
    HELP_STOCK: ClassVar[dict[str, str]] = {
        "select_cursor": "open the highlighted job",
        "cursor_up": "previous job",
        "cursor_down": "next job",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Up", show=False, tooltip="previous job"),
        Binding("j", "cursor_down", "Down", show=False, tooltip="next job"),
    ]
    DEFAULT_CSS = """
    JobList { height: 1fr; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id)
        self.ascii_only = ascii_only
        self._rows: dict[int, Row] = {}  # full cells, before fitting
        self._order: list[int] = []
        self._layout: dict[str, int] = {}
        self._need: dict[str, int] = {}  # widest cell each column has held

    def on_mount(self) -> None:
        self._apply_layout(self._fit())

    def on_resize(self) -> None:
        layout = self._fit()
        if layout != self._layout:
            self._apply_layout(layout)

    @property
    def shown_columns(self) -> list[str]:
        """The columns the pane's width leaves, in order."""
        return list(self._layout)

    def _fit(self, rows: Iterable[Row] = ()) -> dict[str, int]:
        """The layout for the pane's width; column needs only grow, so columns stay put."""
        for column, width in _need(rows).items():
            self._need[column] = max(self._need.get(column, 0), width)
        width = self.scrollable_content_region.width or self.size.width or 80
        return fit_columns(width - 1, {c: self._need.get(c, cell_len(c)) for c in COLUMNS})

    def _cells(self, row: Row) -> list[str | Text]:
        mark = "~" if self.ascii_only else "…"
        full = dict(zip(COLUMNS, row, strict=True))
        return [_cut(full[c], width, mark) for c, width in self._layout.items()]

    def _apply_layout(self, layout: dict[str, int]) -> None:
        """Columns rebuilt at their new widths, rows re-added in order, cursor kept."""
        keep = self.selected_job_id
        self._layout = layout
        self.clear(columns=True)
        for name, width in layout.items():
            self.add_column(name, width=width, key=name)
        for jid in self._order:
            self.add_row(*self._cells(self._rows[jid]), key=str(jid))
        if keep is not None and keep in self._order:
            self.move_cursor(row=self._order.index(keep), scroll=False)

    @property
    def job_ids(self) -> list[int]:
        """Row order as shown."""
        return list(self._order)

    @property
    def selected_job_id(self) -> int | None:
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    def show_jobs(self, jobs: Sequence[JobSummary], now: datetime) -> int:
        """Apply a newest-first page in place; return how many rows changed."""
        keep = self.selected_job_id
        fresh = {job.job_instance_id: job_row(job, now, ascii_only=self.ascii_only) for job in jobs}
        order = [job.job_instance_id for job in jobs]
        changed = sum(1 for jid, row in fresh.items() if self._rows.get(jid) != row)
        changed += sum(1 for jid in self._rows if jid not in fresh)
        layout = self._fit(fresh.values())
        if layout != self._layout:
            # a longer status ("Waiting for a person") or name moves every column
            self._rows, self._order = fresh, order
            self._apply_layout(layout)
            return changed
        for gone in [jid for jid in self._rows if jid not in fresh]:
            self.remove_row(str(gone))
            del self._rows[gone]
        for jid, row in fresh.items():
            old = self._rows.get(jid)
            if old is None:
                self.add_row(*self._cells(row), key=str(jid))
            elif old != row:
                for column, before, after in zip(
                    self._layout, self._cells(old), self._cells(row), strict=True
                ):
                    if before != after:
                        self.update_cell(str(jid), column, after)
            self._rows[jid] = row
        if order != self._order:
            rank = {jid: n for n, jid in enumerate(order)}
            self.sort("id", key=lambda cell: rank.get(int(str(cell)), len(rank)))
            self._order = order
            if keep is not None and keep in rank:
                self.move_cursor(row=rank[keep], scroll=False)
        return changed

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(OpenJob(int(event.row_key.value)))
