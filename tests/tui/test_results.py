"""Pilot tests of ResultsPane fed with StepResult values built from the domain model."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from jobtui.api.models import HostRef, HostResult, ResultGroup, StepResult
from jobtui.core.groups import SortKey
from jobtui.tui.widgets.group_tabs import GroupTabs
from jobtui.tui.widgets.host_table import HostTable
from jobtui.tui.widgets.results import ResultsPane
from tests.support.spy import count_calls
from tests.support.textual_probe import screen_lines


def host(n: int, *, status: int = 9, secs: float = 1.0, code: int | None = 0) -> HostResult:
    ref = HostRef(host_id=n, cloud_id=0, ip=f"10.0.{n // 256}.{n % 256}")
    return HostResult(ref=ref, status=status, exit_code=code, total_seconds=secs, tag="")


def step(*groups: ResultGroup, status: int = 2, type_: int = 1) -> StepResult:
    return StepResult(
        step_instance_id=1, name="deploy", type=type_, status=status, execute_count=0,
        groups=groups,
    )  # fmt: skip


OK = ResultGroup(9, "", 3, (host(1, secs=3), host(2, secs=1), host(3, secs=2)))
BAD = ResultGroup(104, "disk full", 2, (host(4, status=104, code=1), host(5, status=104, code=2)))


class PaneApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield ResultsPane(id="results")

    @property
    def pane(self) -> ResultsPane:
        return self.query_one(ResultsPane)

    @property
    def table(self) -> HostTable:
        return self.query_one(HostTable)

    def on_results_pane_host_selected(self, event: ResultsPane.HostSelected) -> None:
        self.messages.append(event)

    def on_results_pane_more_hosts_wanted(self, event: ResultsPane.MoreHostsWanted) -> None:
        self.messages.append(event)

    def selected(self) -> list[str | None]:
        return [
            m.host.key if m.host else None
            for m in self.messages
            if isinstance(m, ResultsPane.HostSelected)
        ]

    def wanted(self) -> list[int]:
        return [m.wanted for m in self.messages if isinstance(m, ResultsPane.MoreHostsWanted)]


def screen_text(app: App[None]) -> str:
    return "\n".join(screen_lines(app))


async def test_failed_group_first_and_first_host_selected() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK, BAD))
        await pilot.pause()
        assert app.pane.selected_group == BAD
        assert app.selected() == ["h:4"]
        text = screen_text(app)
        assert "✗ Non-zero Exit Code (disk full) 2" in text
        assert "✓ Success 3" in text


async def test_group_switching_with_brackets_and_tabs() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK, BAD))
        app.table.focus()
        await pilot.press("right_square_bracket")
        assert app.pane.selected_group == OK
        # elapsed descending by default: host 1 (3 s) first
        assert app.selected()[-1] == "h:1"
        await pilot.press("left_square_bracket")
        assert app.pane.selected_group == BAD
        app.query_one(GroupTabs).focus()
        await pilot.press("right")
        assert app.pane.selected_group == OK


async def test_selection_survives_refresh_and_no_repeat_message() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK))
        app.table.focus()
        await pilot.press("down")
        assert app.pane.selected_host == host(3, secs=2)
        before = len(app.messages)
        # same data again, then a reorder that moves host 3 to the top
        app.pane.show_result(step(OK))
        moved = ResultGroup(9, "", 3, (host(1, secs=3), host(2, secs=1), host(3, secs=9)))
        app.pane.show_result(step(moved))
        await pilot.pause()
        assert app.pane.selected_host is not None
        assert app.pane.selected_host.key == "h:3"
        assert app.table.cursor_row == 0
        assert len(app.messages) == before  # key and status unchanged: no HostSelected


async def test_host_status_change_posts_host_selected() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        running = ResultGroup(7, "", 1, (host(1, status=7),))
        app.pane.show_result(step(running))
        await pilot.pause()
        both = step(ResultGroup(7, "", 2, (host(1, status=7), host(2, status=7))))
        app.pane.show_result(both)
        await pilot.pause()
        assert app.selected() == ["h:1"]
        # host 1 finishes: its group vanishes, the first group is reselected
        done = step(ResultGroup(9, "", 1, (host(1),)), ResultGroup(7, "", 1, (host(2, status=7),)))
        app.pane.show_result(done)
        await pilot.pause()
        assert app.pane.selected_group is not None
        assert app.pane.selected_group.key == (7, "")
        assert app.selected() == ["h:1", "h:2"]


async def test_reselect_first_group_when_selected_vanishes() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK, BAD))
        await pilot.press("right_square_bracket")
        assert app.pane.selected_group == OK
        other = ResultGroup(11, "", 1, (host(9, status=11),))
        app.pane.show_result(step(BAD, other))
        assert app.pane.selected_group == other  # failed groups first, by status code


async def test_sort_cycle_and_reverse() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        hosts = (host(3, secs=1, code=2), host(1, secs=3, code=0), host(2, secs=2, code=1))
        app.pane.show_result(step(ResultGroup(9, "", 3, hosts)))
        app.table.focus()
        ids = lambda: [h.key for h in app.table.rows]  # noqa: E731
        assert ids() == ["h:1", "h:2", "h:3"]
        await pilot.press("o")
        assert app.table.sort_key is SortKey.EXIT_CODE
        assert ids() == ["h:3", "h:2", "h:1"]
        await pilot.press("o")
        assert app.table.sort_key is SortKey.IP
        assert ids() == ["h:1", "h:2", "h:3"]
        await pilot.pause()
        assert "IP▲" in screen_text(app)  # ascending: the arrow points up
        await pilot.press("O")
        assert ids() == ["h:3", "h:2", "h:1"]
        await pilot.pause()
        assert "IP▼" in screen_text(app)


async def test_more_hosts_wanted_posted_once_per_growth() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        first = tuple(host(i) for i in range(100))
        app.pane.show_result(step(ResultGroup(9, "", 500, first)))
        await pilot.pause()
        assert app.wanted() == []  # cursor at the top: a page is far from the end
        assert "100 of 500" in screen_text(app)
        app.table.focus()
        await pilot.press("end")
        await pilot.press("up", "down")
        await pilot.pause()
        page = app.pane.visible_rows
        assert app.wanted() == [100 + page]
        # the same data again: nothing new asked
        app.pane.show_result(step(ResultGroup(9, "", 500, first)))
        await pilot.pause()
        assert app.wanted() == [100 + page]
        # grown: the next request only after scrolling near the new end
        more = tuple(host(i) for i in range(100 + page))
        app.pane.show_result(step(ResultGroup(9, "", 500, more)))
        await pilot.press("end")
        await pilot.pause()
        assert app.wanted() == [100 + page, 100 + 2 * page]


async def test_complete_group_never_asks_for_more() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK))
        app.table.focus()
        await pilot.press("end", "home", "end")
        await pilot.pause()
        assert app.wanted() == []


async def test_empty_states() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert "No step selected." in screen_text(app)
        app.pane.show_result(step(status=7, type_=3))
        await pilot.pause()
        assert "waiting for confirmation" in screen_text(app)
        app.pane.show_result(step(status=3, type_=3))
        await pilot.pause()
        assert "confirmed" in screen_text(app)
        app.pane.show_result(step(ResultGroup(104, "", 12)))
        await pilot.pause()
        assert "12 hosts (filtered out" in screen_text(app)
        assert app.pane.selected_host is None
        waiting = ResultGroup(5, "", 2, (host(1, status=5), host(2, status=5)))
        app.pane.show_result(step(waiting, status=1))
        await pilot.pause()
        assert "Not started: 2 hosts waiting" in screen_text(app)


async def test_select_host_switches_group_and_copy_ips() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK, BAD))
        assert app.pane.select_host("10.0.0.2")
        await pilot.pause()
        assert app.pane.selected_group == OK
        assert app.selected()[-1] == "h:2"
        assert not app.pane.select_host("192.168.")
        assert app.pane.copy_ips("cloud:ip") == "0:10.0.0.1\n0:10.0.0.3\n0:10.0.0.2"


async def test_hostile_text_never_reaches_the_terminal() -> None:
    evil = "\x1b]0;pwned\x07\x1b[2J" + "t" * 300
    bad_host = HostResult(
        ref=HostRef(host_id=1, cloud_id=0, ip="10.0.0.1\x1b[31m", ipv6="::1\x9b1m"),
        status=104,
        tag=evil,
        exit_code=1,
        cloud_name="area\x07\x1b[5m",
    )
    app = PaneApp()
    async with app.run_test(size=(120, 20)) as pilot:
        app.pane.show_result(step(ResultGroup(104, evil, 1, (bad_host,))))
        await pilot.pause()
        text = "".join(screen_lines(app))
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "⚠" in text  # 256-char tag flagged
        assert "10.0.0.1" in text


async def test_ten_thousand_hosts_render_only_visible_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = count_calls(monkeypatch, HostTable, "_row")
    hosts = tuple(host(i, secs=float(i % 97)) for i in range(10_000))
    app = PaneApp()
    async with app.run_test(size=(100, 24)) as pilot:
        app.pane.show_result(step(ResultGroup(9, "", 10_000, hosts)))
        await pilot.pause()
        assert 0 < rows.count <= app.table.size.height
        rendered = rows.count
        app.pane.show_result(step(ResultGroup(9, "", 10_000, hosts)))  # unchanged
        await pilot.pause()
        assert rows.count == rendered


class AsciiApp(PaneApp):
    def compose(self) -> ComposeResult:
        yield ResultsPane(ascii_only=True, id="results")


async def test_ascii_glyph_set_for_the_linux_console() -> None:
    app = AsciiApp()
    async with app.run_test(size=(100, 12)) as pilot:
        app.pane.show_result(step(OK, BAD, ResultGroup(104, "t" * 256, 1, (host(7, status=104),))))
        await pilot.pause()
        table_and_tabs = screen_text(app).splitlines()[:8]
        text = "\n".join(line.rstrip("▁▇█▃▅ ") for line in table_and_tabs)  # scrollbar cells
        assert "x Non-zero Exit Code" in text
        assert "Timev" in text
        assert all(ord(ch) < 128 for ch in text), text


async def test_click_selects_a_row() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK))
        await pilot.pause()
        # header is line 0 of the table; the third host row is line 3
        await pilot.click(HostTable, offset=(5, 3))
        await pilot.pause()
        assert app.table.has_focus
        assert app.selected()[-1] == "h:2"


async def test_unchanged_result_repaints_nothing() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        app.pane.show_result(step(OK, BAD))
        await pilot.pause()
        calls: list[str] = []
        for widget in app.pane.query("*"):
            original = widget.refresh

            def spy(*args: object, _name: str = str(widget), _orig=original, **kw: object):  # type: ignore[no-untyped-def]
                calls.append(_name)
                return _orig(*args, **kw)

            widget.refresh = spy  # type: ignore[method-assign]
        app.pane.show_result(step(OK, BAD))
        await pilot.pause()
        assert calls == []


async def test_a_refresh_that_moves_the_selected_host_keeps_it_in_view() -> None:
    app = PaneApp()
    hosts = tuple(host(n, secs=float(n)) for n in range(1, 41))  # slowest first: 40, 39, ...
    async with app.run_test(size=(100, 12)) as pilot:
        app.pane.show_result(step(ResultGroup(9, "", 40, hosts)))
        await pilot.pause()
        table = app.table
        assert app.pane.selected_host is not None and app.pane.selected_host.key == "h:40"
        # host 40 becomes the fastest: sorted last, far below the rows on screen
        moved = tuple(host(n, secs=0.5 if n == 40 else float(n)) for n in range(1, 41))
        app.pane.show_result(step(ResultGroup(9, "", 40, moved)))
        await pilot.pause()
        assert app.pane.selected_host is not None and app.pane.selected_host.key == "h:40"
        assert table.cursor_row == 39
        top = int(table.scroll_y)
        assert top <= table.cursor_row < top + table.page_rows  # still on screen
        # scrolled away by the user on purpose: a refresh does not pull the view back
        table.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        app.pane.show_result(step(ResultGroup(9, "", 40, hosts)))
        await pilot.pause()
        assert int(table.scroll_y) == 0


def _v6(n: int, ipv6: str | None, cloud: str = "Default Area") -> HostResult:
    ref = HostRef(host_id=n, cloud_id=0, ip=f"10.0.0.{n}", ipv6=ipv6)
    return HostResult(ref=ref, status=9, exit_code=0, total_seconds=1.0, cloud_name=cloud)


async def test_columns_are_sized_from_what_they_hold_and_do_not_jump() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        wide = (_v6(1, "fd00::1234:5678", cloud="Cloud-Shenzhen-3"), _v6(2, None))
        app.pane.show_result(step(ResultGroup(9, "", 2, wide)))
        await pilot.pause()
        text = screen_text(app)
        assert "Cloud-Shenzhen-3" in text and "fd00::1234:5678" in text  # nothing cut
        assert "Cloud ar…" not in text and "…" not in text.split("Status")[0]
        header = next(line for line in screen_text(app).splitlines() if "IPv6" in line)
        # a refresh whose hosts have no IPv6 keeps the column where it was
        app.pane.show_result(step(ResultGroup(9, "", 2, (_v6(3, None), _v6(4, None)))))
        await pilot.pause()
        again = next(line for line in screen_text(app).splitlines() if "IPv6" in line)
        assert again.index("Cloud area") == header.index("Cloud area")


def test_a_group_of_one_host_says_one_host() -> None:
    """The results line once said "1 hosts" (issue 15 review): one plural helper."""
    from jobtui.tui.widgets.results import empty_text, info_text

    one = ResultGroup(9, "", 1, (host(1),))
    assert "1 host" in info_text(step(one), one, SortKey.IP, False, ascii_only=False)
    assert "1 hosts" not in info_text(step(one), one, SortKey.IP, False, ascii_only=False)
    counted = ResultGroup(9, "", 1, ())  # counts only: the status filter left it out
    text = empty_text(step(counted), counted)
    assert text is not None and text.startswith("1 host (filtered out")
