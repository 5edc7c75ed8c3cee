"""The scope's recent jobs as a table, updated in place by job id.

A refresh adds, changes and removes rows by key; the cursor stays on the same
job, and rows whose text did not change are not touched, so an idle list
repaints nothing. Enter (or a click on the highlighted row) posts ``OpenJob``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
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


class JobList(DataTable[str | Text]):
    """Newest first; rows keyed by job id."""

    HELP_SECTION: ClassVar[str] = "Job list"
    HELP_STOCK: ClassVar[dict[str, str]] = {
        "select_cursor": "open the highlighted job",
        "cursor_up": "previous job",
        "cursor_down": "next job",
    }
    DEFAULT_CSS = """
    JobList { height: 1fr; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id)
        self.ascii_only = ascii_only
        self._rows: dict[int, Row] = {}
        self._order: list[int] = []

    def on_mount(self) -> None:
        for name in COLUMNS:
            self.add_column(name, key=name)

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
        changed = 0
        for gone in [jid for jid in self._rows if jid not in fresh]:
            self.remove_row(str(gone))
            del self._rows[gone]
            changed += 1
        for jid, row in fresh.items():
            old = self._rows.get(jid)
            if old is None:
                self.add_row(*row, key=str(jid))
                changed += 1
            elif old != row:
                for column, (before, after) in zip(
                    COLUMNS, zip(old, row, strict=True), strict=True
                ):
                    if before != after:
                        # a longer status ("Waiting (manual confirm)") widens its column
                        self.update_cell(str(jid), column, after, update_width=True)
                changed += 1
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
