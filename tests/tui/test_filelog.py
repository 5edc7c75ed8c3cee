"""File transfers update in place: a same-width change repaints its cell with the new text."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from jobtui.api.models import FileTransfer, HostRef
from jobtui.tui.widgets.filelog import FileLog

SRC = HostRef(host_id=1, cloud_id=0, ip="10.0.0.1")
DEST = HostRef(host_id=2, cloud_id=0, ip="10.0.0.2")
RUNNING = FileTransfer(
    mode=1, src=SRC, src_path="/a.tgz", dest=DEST, status=2, speed="1 KB/s", progress="40%"
)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FileLog()


def painted(table: FileLog) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_same_width_progress_is_painted_and_wider_text_grows_the_column() -> None:
    async with TableApp().run_test(size=(120, 12)) as pilot:
        table = pilot.app.query_one(FileLog)
        table.show_transfers([RUNNING])
        await pilot.pause()
        assert "40%" in painted(table)
        table.show_transfers([replace(RUNNING, progress="70%", speed="2 KB/s")])
        await pilot.pause()
        assert [str(c) for c in table.get_row_at(0)][-2:] == ["70%", "2 KB/s"]
        assert "70%" in painted(table) and "2 KB/s" in painted(table)
        assert "40%" not in painted(table)
        table.show_transfers([replace(RUNNING, progress="100%", speed="12.5 MB/s")])
        await pilot.pause()
        assert "100%" in painted(table) and "12.5 MB/s" in painted(table)


async def test_another_hosts_transfers_overwrite_the_rows_and_extra_rows_go() -> None:
    other = HostRef(host_id=3, cloud_id=0, ip="10.0.0.3")
    async with TableApp().run_test(size=(120, 12)) as pilot:
        table = pilot.app.query_one(FileLog)
        table.show_transfers([RUNNING, replace(RUNNING, src_path="/b.tgz")])
        await pilot.pause()
        assert table.row_count == 2
        table.clear_transfers()
        table.show_transfers([replace(RUNNING, dest=other)])
        await pilot.pause()
        assert table.row_count == 1
        assert "10.0.0.3" in painted(table) and "/b.tgz" not in painted(table)
