"""A line-API virtual table of hosts: renders only the rows on screen.

Textual's DataTable builds every row up front, so a 10,000-host group costs a
second before its first paint. Here a data change costs one sort (O(n log n))
and a key index; a paint costs only the visible rows, each cached as a Strip
keyed by its value so unchanged rows are never re-rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from jobtui.api.catalog import Severity, host_status
from jobtui.api.models import HostResult
from jobtui.core.groups import SortKey, sort_hosts
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import format_duration
from jobtui.tui.glyphs import cut_mark, glyph

_CacheKey = tuple[HostResult | None, bool, bool, int, tuple[SortKey, bool, tuple[int, ...], str]]


#: Widest a column grows for its content; the minimum it shrinks to when the pane is narrow.
_CAP = {"ip": 32, "ipv6": 39, "cloud": 24, "status": 26, "exit": 5, "elapsed": 7}
_FLOOR = {"ip": 7, "ipv6": 4, "cloud": 6, "status": 10, "exit": 4, "elapsed": 6}
#: When the content does not fit, these give way first (and down to their floor).
_SHRINK_ORDER = ("cloud", "ipv6", "status", "ip")


def column_widths(
    width: int, need: dict[str, int] | None = None, kinds: str = "host"
) -> dict[str, int]:
    """Widths of the columns for a table ``width`` cells wide (separators excluded).

    Each column is as wide as its title (with the sort arrow) or the widest value
    it has held, up to a cap; ``need`` is that content width per column (grown,
    never shrunk, by the table, so columns do not jump between refreshes). Only
    when the whole row does not fit do the cloud area, IPv6, status and IP
    columns give way, in that order, down to a floor. Without any IPv6 address
    its column is its title. ``kinds`` picks the titles (hosts, containers, both).
    """
    need = need or {}
    titles = {**_TITLES, **_TITLES_BY_KIND.get(kinds, {})}
    widths = {"mark": 1}
    for name in ("ip", "ipv6", "cloud", "status", "exit", "elapsed"):
        title = cell_len(titles[name]) + (1 if name in _SORTABLE else 0)
        widths[name] = min(_CAP[name], max(title, need.get(name, 0), _FLOOR[name]))
    over = sum(widths.values()) + 6 - width  # six one-cell gaps
    for name in _SHRINK_ORDER:
        if over <= 0:
            break
        give = min(over, widths[name] - _FLOOR[name])
        widths[name] -= give
        over -= give
    return widths


def content_need(hosts: Sequence[HostResult], ascii_only: bool) -> dict[str, int]:
    """The widest value of each column over ``hosts`` (cheap: no cell is formatted)."""
    need = {"ip": 1, "ipv6": 1, "cloud": 1, "status": 1, "exit": 1, "elapsed": 1}
    labels: set[int] = set()
    for host in hosts:
        ip, ipv6, cloud = _place(host)
        need["ip"] = max(need["ip"], cell_len(ip))
        need["ipv6"] = max(need["ipv6"], cell_len(ipv6))
        need["cloud"] = max(need["cloud"], cell_len(cloud))
        labels.add(host.status)
        if host.exit_code is not None:
            need["exit"] = max(need["exit"], len(str(host.exit_code)))
        need["elapsed"] = max(need["elapsed"], len(format_duration(host.total_seconds)))
    for status in labels:
        need["status"] = max(need["status"], 2 + cell_len(host_status(status).label))
    return need


_ORDER = ("mark", "ip", "ipv6", "cloud", "status", "exit", "elapsed")
_RIGHT = {"exit", "elapsed"}
_TITLES = {
    "mark": "",
    "ip": "IP",
    "ipv6": "IPv6",
    "cloud": "Cloud area",
    "status": "Status",
    "exit": "Exit",
    "elapsed": "Time",
}
#: Titles when the list holds containers (gateway v4): all of them, or hosts and containers.
_TITLES_BY_KIND = {
    "container": {"ip": "Container", "ipv6": "ID", "cloud": "Node"},
    "mixed": {"ip": "IP / name", "ipv6": "IPv6 / ID", "cloud": "Cloud / node"},
}
_SORT_COLUMN = {SortKey.ELAPSED: "elapsed", SortKey.EXIT_CODE: "exit", SortKey.IP: "ip"}
_SORTABLE = frozenset(_SORT_COLUMN.values())


def _cell(text: str, width: int, right: bool = False, cut: str = "…") -> str:
    """``text`` padded or cut (with ``cut`` as the marker) to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text[: width * 2], width - 1) + cut if width > 1 else cut
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


def _column_spans(
    width: int, need: dict[str, int], kinds: str = "host"
) -> dict[str, tuple[int, int]]:
    """Each shown column's (x, cells) in a row of ``width``: one space between columns."""
    spans: dict[str, tuple[int, int]] = {}
    x = 0
    widths = column_widths(width, need, kinds)
    for name in _ORDER:
        cells = widths[name]
        if cells:
            spans[name] = (x, cells)
            x += cells + 1
    return spans


def _place(host: HostResult) -> tuple[str, str, str]:
    """The raw (unsanitised) first three columns: IP / name, IPv6 / id, cloud / node."""
    container = host.ref.container
    if container is not None:  # name, short runtime id, the node's host id
        node = container.node_host_id
        cloud = f"host {node}" if node is not None else "-"
        return host.ref.display, container.short_id or "-", cloud
    return host.ref.ip or "-", host.ref.ipv6 or "-", cloud_cell(host)


def cloud_cell(host: HostResult) -> str:
    """The cloud area's name; ``id 0`` when the family sends only the id (ESB jobv3 and
    v2 do: docs/api-client.md), so an id never reads as an area called "0"."""
    if host.cloud_name:
        return host.cloud_name
    return "-" if host.ref.cloud_id is None else f"id {host.ref.cloud_id}"


def host_cells(host: HostResult, ascii_only: bool) -> dict[str, str]:
    """The sanitised text of each column of one host row."""
    info = host_status(host.status)
    ip, ipv6, cloud = _place(host)
    return {
        "ip": safe_text(ip),
        "ipv6": safe_text(ipv6),
        "cloud": safe_text(cloud),
        "status": f"{glyph(info.severity, ascii_only)} {safe_text(info.label)}",
        "exit": "-" if host.exit_code is None else str(host.exit_code),
        "elapsed": format_duration(host.total_seconds),  # as the step tree: 4.2s, 12s, 3m05s
    }


def _kinds(rows: Sequence[HostResult]) -> str:
    """``host``, ``container`` or ``mixed``: which column titles the list needs."""
    containers = sum(1 for host in rows if host.ref.container is not None)
    if not containers:
        return "host"
    return "container" if containers == len(rows) else "mixed"


class HostTable(ScrollView, can_focus=True):
    """Sorted hosts of one group with a row cursor kept by host key."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "host-table--header",
        "host-table--cursor",
        "host-table--cursor-blurred",
        *(f"host-table--{s.value}" for s in Severity),
    }
    DEFAULT_CSS = """
    HostTable { height: 1fr; overflow-x: hidden; }
    HostTable > .host-table--header { text-style: bold; background: $panel; }
    HostTable > .host-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    HostTable > .host-table--cursor-blurred { background: $block-cursor-blurred-background; }
    HostTable > .host-table--success { color: $success; }
    HostTable > .host-table--failed { color: $error; text-style: bold; }
    HostTable > .host-table--running { color: $accent; }
    HostTable > .host-table--attention { color: $warning; }
    HostTable > .host-table--pending { color: $foreground-muted; }
    HostTable > .host-table--skipped { color: $secondary; }
    HostTable > .host-table--unknown { color: $foreground-muted; }
    """
    HELP_SECTION: ClassVar[str] = "Results"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, tooltip="previous host"),
        Binding("down", "move(1)", "Down", show=False, tooltip="next host"),
        Binding("k", "move(-1)", "Up", show=False, tooltip="previous host"),
        Binding("j", "move(1)", "Down", show=False, tooltip="next host"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="a page of hosts up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="a page of hosts down"),
        Binding("home", "jump(0)", "First", show=False, tooltip="first host"),
        Binding("end", "jump(-1)", "Last", show=False, tooltip="last host"),
    ]

    class CursorMoved(Message):
        """The cursor landed on another row (by key or click)."""

    class NearEnd(Message):
        """Cursor or scroll came within a page of the end of an incomplete list."""

        def __init__(self, loaded: int) -> None:
            super().__init__()
            self.loaded = loaded

    def __init__(
        self,
        *,
        ascii_only: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.ascii_only = ascii_only
        self._source: tuple[HostResult, ...] = ()
        self._rows: tuple[HostResult, ...] = ()
        self._index: dict[str, int] = {}
        self._need: dict[str, int] = {}  # widest content per column so far (see column_widths)
        self._kinds = "host"  # host, container or mixed: the column titles
        self._total = 0
        self._list_id: object = None
        self._asked: tuple[object, int] | None = None
        self.cursor_row = 0
        self.sort_key = SortKey.ELAPSED
        self.sort_reverse = False
        self._cache: LRUCache[_CacheKey, Strip] = LRUCache(1024)
        self._styles: tuple[Style, ...] = ()
        self._styles_dirty = True
        self._header_shown: tuple[object, ...] | None = None

    # ------------------------------------------------------------ data

    @property
    def rows(self) -> tuple[HostResult, ...]:
        return self._rows

    @property
    def cursor_host(self) -> HostResult | None:
        return self._rows[self.cursor_row] if self._rows else None

    @property
    def page_rows(self) -> int:
        """Data rows that fit on screen (the header takes one line)."""
        return max(1, self.scrollable_content_region.height - 1)

    def set_hosts(self, hosts: Sequence[HostResult], *, total: int, list_id: object) -> bool:
        """Show ``hosts`` (of ``total``); True when anything visible changed.

        ``list_id`` names the list (the group key): a new id resets cursor and
        scroll to the top; the same id keeps the cursor on its host and the
        scroll offset where the user left it.
        """
        hosts = tuple(hosts)
        same_list = list_id == self._list_id
        if same_list and hosts == self._source and total == self._total:
            return False
        current = self.cursor_host.key if same_list and self.cursor_host else None
        self._list_id, self._source, self._total = list_id, hosts, total
        self._apply(current, keep_scroll=same_list)
        return True

    def set_sort(self, key: SortKey, reverse: bool) -> None:
        """Re-sort, keeping the cursor on its host and bringing it into view."""
        if (key, reverse) == (self.sort_key, self.sort_reverse):
            return
        current = self.cursor_host.key if self.cursor_host else None
        self.sort_key, self.sort_reverse = key, reverse
        self._apply(current, keep_scroll=True)
        self._scroll_to_cursor()

    def select_key(self, key: str) -> bool:
        """Put the cursor on the host with this key, if listed."""
        row = self._index.get(key)
        if row is None:
            return False
        self._move_to(row)
        return True

    def _apply(self, cursor_key: str | None, *, keep_scroll: bool) -> None:
        old_rows = self._rows
        was_in_view = self._cursor_in_view()
        self._rows = sort_hosts(self._source, self.sort_key, reverse=self.sort_reverse)
        self._index = {host.key: row for row, host in enumerate(self._rows)}
        had = self._need_key()
        grown = content_need(self._rows, self.ascii_only)
        self._need = {k: max(v, self._need.get(k, 0)) for k, v in grown.items()}
        had_kinds, self._kinds = self._kinds, _kinds(self._rows)
        row = self._index.get(cursor_key, self.cursor_row) if cursor_key else 0
        self.cursor_row = min(row, max(0, len(self._rows) - 1))
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)
        if not keep_scroll:
            self.scroll_to(y=0, animate=False, immediate=True)
        elif was_in_view and not self._cursor_in_view():
            # the selected host moved (re-sorted by a refresh): keep it on screen,
            # or the log pane would show a host no row marks
            self._scroll_to_cursor()
        if had != self._need_key() or had_kinds != self._kinds:
            self.refresh()  # a column grew or its titles changed: every row moves
        else:
            self._refresh_changed(old_rows)
        self._check_near_end()

    def _refresh_changed(self, old_rows: tuple[HostResult, ...]) -> None:
        """Repaint only the cells whose text changed; the cache key makes their rows miss.

        A running host's elapsed time changes every poll: that costs its few
        cells, not the whole row, on the terminal.
        """
        if len(old_rows) != len(self._rows):
            self.refresh()
            return
        width = self.scrollable_content_region.width
        spans = _column_spans(width, self._need, self._kinds)
        top = int(self.scroll_y)
        for row in range(top, min(len(self._rows), top + self.page_rows + 1)):
            before, after = old_rows[row], self._rows[row]
            if before == after:
                continue
            old_cells = host_cells(before, self.ascii_only)
            new_cells = host_cells(after, self.ascii_only)
            y = row - top + 1
            for name, (x, cells) in spans.items():
                if old_cells.get(name) != new_cells.get(name):
                    self.refresh(Region(x, y, cells, 1))
        header = (self.sort_key, self.sort_reverse, self._need_key(), self._kinds)
        if header != self._header_shown:
            self._header_shown = header
            self.refresh(Region(0, 0, width, 1))  # the sort arrow moved

    # ------------------------------------------------------------ cursor

    def action_move(self, delta: int) -> None:
        self._move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * self.page_rows)

    def action_jump(self, row: int) -> None:
        self._move_to(row if row >= 0 else len(self._rows) - 1)

    def _move_to(self, row: int) -> None:
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        if row != self.cursor_row:
            old, self.cursor_row = self.cursor_row, row
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
            self.post_message(self.CursorMoved())
        self._scroll_to_cursor()
        self._check_near_end()

    def _cursor_in_view(self) -> bool:
        top = int(self.scroll_y)
        return top <= self.cursor_row < top + self.page_rows

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self.page_rows:
            self.scroll_to(y=self.cursor_row - self.page_rows + 1, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.focus()
            self._move_to(int(self.scroll_y) + event.y - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_near_end()

    def _check_near_end(self) -> None:
        """Ask for more hosts once per (list, loaded count) near the end."""
        loaded = len(self._rows)
        if loaded >= self._total or not self.is_mounted or self.size.height < 2:
            return
        page = self.page_rows
        reach = max(self.cursor_row, int(self.scroll_y) + page)
        if reach >= loaded - page and self._asked != (self._list_id, loaded):
            self._asked = (self._list_id, loaded)
            self.post_message(self.NearEnd(loaded))

    # ------------------------------------------------------------ paint

    def on_resize(self) -> None:
        # The width is part of the cache key: no need to drop cached rows here.
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)
        self._check_near_end()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_dirty = True

    def _check_styles(self) -> None:
        """Drop cached rows only when a style they use really changed (theme switch)."""
        self._styles_dirty = False
        styles = (
            self.rich_style,
            *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)),
        )
        if styles != self._styles:
            self._styles = styles
            self._cache.clear()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor_row + 1)  # a virtual line: the header is line 0

    def on_blur(self) -> None:
        self.on_focus()

    def render_line(self, y: int) -> Strip:
        if self._styles_dirty:
            self._check_styles()
        width = self.scrollable_content_region.width
        if y == 0:
            return self._line(None, False, width)
        row = int(self.scroll_y) + y - 1
        if row >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._line(self._rows[row], row == self.cursor_row, width)

    def _line(self, host: HostResult | None, cursor: bool, width: int) -> Strip:
        key: _CacheKey = (
            host,
            cursor,
            self.has_focus,
            width,
            (self.sort_key, self.sort_reverse, self._need_key(), self._kinds),
        )
        strip = self._cache.get(key)
        if strip is None:
            strip = self._header(width) if host is None else self._row(host, cursor, width)
            self._cache[key] = strip
        return strip

    def _need_key(self) -> tuple[int, ...]:
        return tuple(self._need.get(name, 0) for name in _ORDER)

    def _header(self, width: int) -> Strip:
        widths = column_widths(width, self._need, self._kinds)
        descending = (self.sort_key is not SortKey.IP) != self.sort_reverse  # see sort_hosts
        ascii_arrow = "v" if descending else "^"
        arrow = ascii_arrow if self.ascii_only else ("▼" if descending else "▲")
        sorted_col = _SORT_COLUMN[self.sort_key]
        texts = []
        for name in _ORDER:
            if not widths[name]:
                continue
            titles = _TITLES_BY_KIND.get(self._kinds, _TITLES)
            title = titles.get(name, _TITLES[name]) + (arrow if name == sorted_col else "")
            texts.append(_cell(title, widths[name], name in _RIGHT, cut_mark(self.ascii_only)))
        style = self.rich_style + self.get_component_rich_style("host-table--header")
        return Strip([Segment(" ".join(texts), style)]).adjust_cell_length(width, style)

    def _row(self, host: HostResult, cursor: bool, width: int) -> Strip:
        widths = column_widths(width, self._need, self._kinds)
        cells = host_cells(host, self.ascii_only)
        cells["mark"] = ("*" if self.ascii_only else "▸") if cursor else " "  # ">" is "running"
        base = self.rich_style
        if cursor:
            name = "host-table--cursor" if self.has_focus else "host-table--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        tint = self.get_component_rich_style(f"host-table--{host_status(host.status).severity}")
        segments: list[Segment] = []
        for name in _ORDER:
            if not widths[name]:
                continue
            if segments:
                segments.append(Segment(" ", base))
            style = base + Style(color=tint.color, bold=tint.bold) if name == "status" else base
            cell = _cell(cells[name], widths[name], name in _RIGHT, cut_mark(self.ascii_only))
            segments.append(Segment(cell, style))
        return Strip(segments).adjust_cell_length(width, base)
