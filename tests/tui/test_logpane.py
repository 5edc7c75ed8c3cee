"""LogPane in a tiny app: follow, search, wrap, files, hostile text."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.strip import Strip
from textual.widgets import Input, Static

from jobtui.api.models import FileTransfer, HostLog, HostRef, HostResult, LogKind
from jobtui.tui.base_app import JobtuiApp
from jobtui.tui.widgets.filelog import FileLog
from jobtui.tui.widgets.log_view import LogView
from jobtui.tui.widgets.logpane import FullLineScreen, LogPane
from tests.support.spy import BREAKPOINTS, breakpoints_at_mount

HOST = HostResult(ref=HostRef(host_id=1, cloud_id=0, ip="10.0.0.1"), status=7)
OTHER = HostResult(ref=HostRef(host_id=2, cloud_id=0, ip="10.0.0.2"), status=9)


def script(text: str, host: HostResult = HOST) -> HostLog:
    return HostLog(ref=host.ref, kind=LogKind.SCRIPT, content=text)


def numbered(count: int, start: int = 0) -> str:
    return "".join(f"line {i}\n" for i in range(start, start + count))


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LogPane()


def title(pane: LogPane) -> str:
    return str(pane.query_one("#log-title", Static).render())


def strips_text(view: LogView) -> str:
    return "\n".join(
        "".join(seg.text for seg in view.render_line(y)) for y in range(view.size.height)
    )


async def test_empty_states() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        assert pane.empty_text == "select a host"
        assert "select a host" in strips_text(pane.view)
        pane.show_log(HOST, None, running=True)
        await pilot.pause()
        assert pane.empty_text == "no log yet"
        assert "no log yet" in strips_text(pane.view)  # drawn by the view itself
        assert pane.view.virtual_size.height == 0  # no scroll bars over the words


@pytest.mark.parametrize("before", ["empty", "files"])
async def test_first_paint_of_a_log_shows_its_tail(
    monkeypatch: pytest.MonkeyPatch, before: str
) -> None:
    """The first painted rows of a log are its tail (the head was once painted, then
    the view jumped to the end a frame later). After a file table the view has no
    size yet when the log comes: it is anchored for its first layout."""
    painted: list[int] = []
    render_line = LogView.render_line

    def recording(view: LogView, y: int) -> Strip:
        if view.placeholder is None and len(view.buffer):  # a row of the log
            painted.append(round(view.scroll_offset.y) + y)
        return render_line(view, y)

    monkeypatch.setattr(LogView, "render_line", recording)
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        if before == "files":
            files = HostLog(ref=HOST.ref, kind=LogKind.FILE, files=())
            pane.show_log(HOST, files, running=True)
            await pilot.pause()
            assert not pane.view.display
        pane.show_log(HOST, script(numbered(500)), running=True)
        await pilot.pause()
        assert painted, "the log was never painted"
        assert min(painted) >= 500 - pane.view.size.height, painted[:5]


async def test_first_log_with_long_lines_shows_its_last_line_above_the_bar() -> None:
    """Lines wider than the pane bring a horizontal bar with the first log: the view is
    at its end with the bar in place, so the last line is not hidden under it."""
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        wide = "".join(f"line {i} " + "x" * 120 + "\n" for i in range(300))
        pane.show_log(HOST, script(wide), running=True)
        await pilot.pause()
        view = pane.view
        assert view.show_horizontal_scrollbar and view.show_vertical_scrollbar
        assert view.scroll_y == view.max_scroll_y
        assert "line 299 " in strips_text(view)


async def test_follow_pauses_on_scroll_up_and_counts_new_lines() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        content = numbered(200)
        pane.show_log(HOST, script(content), running=True)
        await pilot.pause()
        assert view.follow and view.scroll_y == view.max_scroll_y > 0
        assert "FOLLOW" in title(pane) and "running" in title(pane)
        view.focus()
        await pilot.press("pageup")
        await pilot.pause()
        assert not view.follow
        content += numbered(5, 200)
        pane.show_log(HOST, script(content), running=True)
        await pilot.pause()
        assert view.pending == 5
        assert "FOLLOW off · 5 new" in title(pane) and "PAUSED" not in title(pane)
        assert view.scroll_y < view.max_scroll_y
        await pilot.press("end")
        await pilot.pause()
        assert view.follow and view.pending == 0
        assert view.scroll_y == view.max_scroll_y
        assert "line 204" in strips_text(view)


async def test_top_and_bottom_keys() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, script(numbered(100)), running=False)
        pane.view.focus()
        await pilot.press("g")
        await pilot.pause()
        assert pane.view.scroll_y == 0 and not pane.view.follow
        assert strips_text(pane.view).startswith("line 0")
        await pilot.press("G")
        await pilot.pause()
        assert pane.view.scroll_y == pane.view.max_scroll_y and pane.view.follow


async def test_search_next_previous_and_highlight() -> None:
    log = "start\n" + numbered(50) + "an ERROR here\n" + numbered(50) + "error again\nend\n"
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        pane.show_log(HOST, script(log), running=False)
        view.focus()
        await pilot.press("g", "ctrl+f")
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*"error", "enter")
        await pilot.pause()
        assert view.current == (51, 3)
        assert view.match_total == 2 and view.match_index == 1
        assert "1/2" in title(pane)
        y = view.row_of(51) - round(view.scroll_y)
        styles = [seg.style for seg in view.render_line(y) if seg.text == "ERROR"]
        assert styles and styles[0] is not None and styles[0].bold
        await pilot.press("n")
        await pilot.pause()
        assert view.current == (102, 0) and "2/2" in title(pane)
        await pilot.press("N")
        await pilot.pause()
        assert view.current == (51, 3)
        await pilot.press("n", "n")
        assert view.current == (51, 3)  # wraps around


async def test_search_without_match_says_so() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, script(numbered(10)), running=False)
        pane.view.search("nothing")
        pane._refresh_title()
        assert "no match" in title(pane)


async def test_wrap_toggle_reflows_long_lines() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        pane.show_log(HOST, script("x" * 300 + "\nshort\n"), running=False)
        await pilot.pause()
        assert view.virtual_size.height == 2
        view.focus()
        await pilot.press("w")
        await pilot.pause()
        assert view.wrap and "WRAP" in title(pane)
        assert view.virtual_size.height >= 5
        assert view.max_scroll_x == 0
        await pilot.press("w")
        await pilot.pause()
        assert view.virtual_size.height == 2


async def test_wrap_index_grows_with_appends() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        view.wrap = True
        content = "y" * 200 + "\n"
        pane.show_log(HOST, script(content), running=True)
        await pilot.pause()
        rows = view.virtual_size.height
        pane.show_log(HOST, script(content + "z" * 200 + "\n"), running=True)
        await pilot.pause()
        assert view.virtual_size.height == 2 * rows


async def test_other_host_resets_and_same_host_appends() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, script("one\n"), running=True)
        pane.show_log(HOST, script("one\ntwo\n"), running=True)
        assert len(pane.view.buffer) == 2
        pane.show_log(OTHER, script("other\n", OTHER), running=False)
        await pilot.pause()
        assert [pane.view.buffer.full(i) for i in range(len(pane.view.buffer))] == ["other"]
        assert "10.0.0.2" in title(pane) and "running" not in title(pane)


async def test_appending_renders_only_new_visible_lines() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        content = "".join(f"line {i} " + "x" * 40 + "\n" for i in range(100_000))  # ~5 MB
        pane.show_log(HOST, script(content), running=True)
        await pilot.pause()
        before = view.rendered
        pane.show_log(HOST, script(content + numbered(10, 100_000)), running=True)
        await pilot.pause()
        assert 1 <= view.rendered - before <= 10


async def test_hostile_text_never_reaches_the_terminal() -> None:
    hostile = (
        "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[?1049hok \x1b[31mred\x1b[0m \x9b6n"
        "\x1bP+q\x1b\\ bell\x07 nul\x00 \udcff \u202eevil\n"
    )
    host = HostResult(ref=HostRef(host_id=3, ip="10.0.0.3\x1b[2J"), status=9)
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(host, script(hostile, host), running=False)
        await pilot.pause()
        shown = strips_text(pane.view)
        assert "ok red" in shown
        assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in shown)
        red = [seg for seg in pane.view.render_line(0) if seg.text == "red"]
        assert red and red[0].style is not None and red[0].style.color is not None
        assert "\x1b" not in title(pane)


class BreakpointPaneApp(PaneApp):
    """The pane under the breakpoints of jobtui's apps."""

    HORIZONTAL_BREAKPOINTS = JobtuiApp.HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = JobtuiApp.VERTICAL_BREAKPOINTS


async def test_cut_line_opens_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    mounted = breakpoints_at_mount(monkeypatch, FullLineScreen)
    async with BreakpointPaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        long_line = "a" * 2_500 + "TAIL"
        pane.show_log(HOST, script(long_line + "\n"), running=False)
        await pilot.pause()
        pane.view.focus()
        pane.view.scroll_to(x=1_990, animate=False, immediate=True)
        await pilot.pause()
        assert "[+504 chars, press enter to expand]" in strips_text(pane.view)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, FullLineScreen)
        assert "TAIL" in str(screen.query_one("#full-line", Static).render())
        # presized: mounted with the classes Textual gives it, so styled once, not twice
        assert mounted == [{"-narrow", "-tall"}] == [set(screen.classes) & BREAKPOINTS]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FullLineScreen)


async def test_file_step_shows_transfers_in_place() -> None:
    src = HostRef(host_id=1, cloud_id=0, ip="10.0.0.1")
    dest = HostRef(host_id=2, cloud_id=0, ip="10.0.0.2")
    first = FileTransfer(
        mode=1,
        src=src,
        src_path="/data/[red]a.tgz",
        dest=dest,
        dest_path="/tmp/",
        status=2,
        size="9.0 KB",
        speed="1 KB/s",
        progress="50%",
    )
    done = FileTransfer(
        mode=1,
        src=src,
        src_path="/data/[red]a.tgz",
        dest=dest,
        dest_path="/tmp/",
        status=4,
        size="9.0 KB",
        speed="0 KB/s",
        progress="100%",
    )
    async with PaneApp().run_test(size=(120, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, HostLog(ref=HOST.ref, kind=LogKind.FILE, files=(first,)), running=True)
        await pilot.pause()
        table = pane.query_one(FileLog)
        assert table.display and not pane.view.display
        assert table.row_count == 1
        pane.show_log(HOST, HostLog(ref=HOST.ref, kind=LogKind.FILE, files=(done,)), running=False)
        await pilot.pause()
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[0] == "download" and "100%" in row and "[red]a.tgz" in row


class CappedApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LogView(max_lines=5)


async def test_cap_shows_a_dropped_lines_note() -> None:
    async with CappedApp().run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(LogView)
        view.load(numbered(8))
        await pilot.pause()
        shown = strips_text(view).splitlines()
        assert shown[0].startswith("… 3 earlier lines dropped")
        assert shown[1].startswith("line 3") and shown[5].startswith("line 7")


async def test_pane_keys_type_into_the_find_bar() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, script("a going wifi\n" + numbered(30)), running=False)
        pane.view.focus()
        await pilot.press("ctrl+f", *"going wifi", "enter")
        await pilot.pause()
        assert pane.view.query_text == "going wifi"
        assert not pane.view.wrap and pane.view.current == (0, 2)


async def test_escape_closes_the_find_bar() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, script(numbered(3)), running=False)
        pane.view.focus()
        await pilot.press("ctrl+f")
        find = pane.query_one("#log-find", Input)
        assert find.display
        await pilot.press("escape")
        assert not find.display and pilot.app.focused is pane.view
        assert pane.check_action("close_find", ()) is False


async def test_growing_past_the_view_brings_the_scroll_bar_and_follows() -> None:
    """Lines arrive without a screen re-layout, yet the bar still appears and tracks the end."""
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        pane.show_log(HOST, script(numbered(3)), running=True)
        await pilot.pause()
        assert not view.show_vertical_scrollbar
        content = numbered(3) + numbered(300, 3)
        pane.show_log(HOST, script(content), running=True)
        await pilot.pause()
        assert view.show_vertical_scrollbar
        assert view.virtual_size.height == 303
        assert view.scroll_y == view.max_scroll_y > 0
        assert view.vertical_scrollbar.window_virtual_size == 303
        pane.show_log(HOST, script(content + numbered(5, 303)), running=True)
        await pilot.pause()
        assert view.vertical_scrollbar.window_virtual_size == 308
        assert "line 307" in strips_text(view)


class SideBySideApp(App[None]):
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield LogPane(id="a")
            yield LogPane(id="b")


async def test_panes_side_by_side_share_the_row() -> None:
    async with SideBySideApp().run_test(size=(80, 24)) as pilot:
        left, right = pilot.app.query(LogPane)
        assert left.region.width == right.region.width == 40
        assert right.region.x == 40


async def test_a_big_finished_log_is_indexed_for_search_while_idle() -> None:
    from jobtui.tui.widgets.logpane import PREPARE_SEARCH_AT

    big = numbered(PREPARE_SEARCH_AT // 7 + 10)
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(OTHER, script(big, OTHER), running=False)
        assert pane.view.buffer._search is None  # not before the first paint
        for _ in range(30):  # built 0.2 s later; a loaded machine may be slower
            await pilot.pause(0.1)
            if pane.view.buffer._search is not None:
                break
        assert pane.view.buffer._search is not None
        pane.show_log(HOST, script(big), running=True)  # a running log changes: no index
        await pilot.pause(0.4)
        assert pane.view.buffer._search is None


async def test_an_empty_log_says_no_output_and_a_finished_log_no_follow_badge() -> None:
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        pane.show_log(HOST, script(""), running=False)  # an agent-abnormal host
        await pilot.pause()
        assert pane.empty_text == "no output"
        assert "FOLLOW" not in title(pane)
        pane.show_log(HOST, script(""), running=True)
        await pilot.pause()
        assert "no output yet" in (pane.empty_text or "")
        pane.show_log(HOST, script(numbered(50)), running=False)  # finished: it won't grow
        await pilot.pause()
        assert pane.view.display and pane.empty_text is None
        assert "FOLLOW" not in title(pane) and "PAUSED" not in title(pane)


async def test_n_and_shift_n_step_by_match_not_by_line() -> None:
    log = "start\nerr err err\n" + numbered(30) + "one err\nend\n"
    async with PaneApp().run_test(size=(80, 24)) as pilot:
        pane = pilot.app.query_one(LogPane)
        view = pane.view
        pane.show_log(HOST, script(log), running=False)
        view.focus()
        await pilot.press("g", "ctrl+f", *"err", "enter")
        await pilot.pause()
        assert view.match_total == 4
        seen = [(view.current, view.match_index)]
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
            seen.append((view.current, view.match_index))
        assert seen == [((1, 0), 1), ((1, 4), 2), ((1, 8), 3), ((32, 4), 4)]
        assert "4/4" in title(pane)
        await pilot.press("N")
        await pilot.pause()
        assert (view.current, view.match_index) == ((1, 8), 3)  # the last match of the line
        await pilot.press("N", "N")
        await pilot.pause()
        assert (view.current, view.match_index) == ((1, 0), 1)
