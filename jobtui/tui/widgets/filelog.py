"""The transfers of a file step, as a table updated in place.

A file step's "log" is a list of transfers (an upload on each source host, a
download on each target). There are few of them, so a DataTable is right here;
rows are positional and updated cell by cell, so the cursor and scroll survive
every refresh (and a switch to another host) and unchanged cells are not touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from jobtui.api.catalog import file_status
from jobtui.api.models import FileTransfer, HostRef
from jobtui.core.sanitize import safe_text

__all__ = ["FileLog", "transfer_key", "transfer_row"]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("mode", "Mode"),
    ("src", "Source host"),
    ("src_path", "Source path"),
    ("dest", "Destination"),
    ("file", "File"),
    ("size", "Size"),
    ("status", "Status"),
    ("progress", "Progress"),
    ("speed", "Speed"),
)


def _host(ref: HostRef | None) -> str:
    return safe_text(ref.display, max_len=45) if ref is not None else "-"


def transfer_key(transfer: FileTransfer) -> str:
    """Stable row key: the same transfer keeps its row across refreshes."""
    src = transfer.src.key if transfer.src else "-"
    dest = transfer.dest.key if transfer.dest else "-"
    return f"{transfer.mode}|{src}|{transfer.src_path}|{dest}|{transfer.dest_path}"


def transfer_row(transfer: FileTransfer) -> tuple[str, ...]:
    """The sanitised cells of one transfer, in ``COLUMNS`` order."""
    path = transfer.src_path or ""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return (
        "upload" if transfer.mode == 0 else "download",
        _host(transfer.src),
        safe_text(path or "-", max_len=60),
        _host(transfer.dest) + (f":{safe_text(transfer.dest_path)}" if transfer.dest_path else ""),
        safe_text(name or "-", max_len=40),
        safe_text(transfer.size or "-", max_len=16),
        file_status(transfer.status),
        safe_text(transfer.progress or "-", max_len=8),
        safe_text(transfer.speed or "-", max_len=16),
    )


class FileLog(DataTable[Text]):
    """Table of file transfers of the selected host."""

    DEFAULT_CSS = """
    FileLog { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: list[tuple[str, ...]] = []  # row i has key f"r{i}"

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show_transfers(self, transfers: Sequence[FileTransfer]) -> None:
        """Update rows in place by position: changed cells only; add or drop at the end.

        Rows are positional (a host's transfers come in a stable order), so the
        next host's transfers reuse the rows too. ``update_cell`` repaints the
        table; the shadow screen (``compat.shadow``) writes only the cells that
        differ, so a changed progress or speed costs those cells on the terminal.
        """
        wanted = [transfer_row(t) for t in transfers]
        while len(self._rows) > len(wanted):
            self.remove_row(f"r{len(self._rows) - 1}")
            self._rows.pop()
        for index, row in enumerate(wanted):
            key = f"r{index}"
            if index == len(self._rows):
                self.add_row(*(Text(cell) for cell in row), key=key)  # Text: no markup
                self._rows.append(row)
                continue
            old = self._rows[index]
            for (column, _label), value, before in zip(COLUMNS, row, old, strict=True):
                if value != before:
                    self.update_cell(key, column, Text(value), update_width=True)
            self._rows[index] = row

    def clear_transfers(self) -> None:
        """Another host was selected: its transfers will overwrite these rows in place.

        Nothing is cleared here (the pane shows the new host's table, or hides
        it, in the same update), so a host switch costs only the changed cells.
        """
