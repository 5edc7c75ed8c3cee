"""The result pane: group tabs above the host table of the selected group.

It is fed whole ``StepResult`` values on every poll and updates in place by
key: the selected group, the cursor host and the scroll offset survive every
refresh, and ``HostSelected`` is posted only when the selected host (or its
status) really changes, so the log pane is not reset by routine polls.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from jobtui.api.catalog import HOST_WAITING_STATUSES
from jobtui.api.models import HostResult, ResultGroup, Step, StepResult
from jobtui.core.groups import (
    CopyFormat,
    GroupKey,
    SortKey,
    copy_ips,
    counts_only,
    find_host,
    n_of_m,
    order_groups,
)
from jobtui.core.numfmt import plural
from jobtui.core.rolling import StepRolling
from jobtui.core.stepcard import confirm_card, empty_batch_text, selection_labels
from jobtui.tui.glyphs import sep
from jobtui.tui.widgets.group_tabs import GroupTabs
from jobtui.tui.widgets.host_table import HostTable


def empty_text(
    result: StepResult | None,
    group: ResultGroup | None,
    now: datetime | None = None,
    step: Step | None = None,
) -> str | None:
    """What to say instead of a host table, or ``None`` when there are hosts to list."""
    if result is None:
        return "No step selected."
    if result.is_confirm and result.host_count == 0:
        return confirm_card(result, now, step)
    if group is None:
        return empty_batch_text(result) or "No hosts in this step (yet)."
    if counts_only(group):
        return (
            f"{plural(group.host_count, 'host')} "
            "(filtered out: change the status/tag filter to list them)"
        )
    return None


def info_text(
    result: StepResult,
    group: ResultGroup,
    sort: SortKey,
    reverse: bool,
    *,
    ascii_only: bool,
    rolling: StepRolling | None = None,
) -> str:
    """The line above the table: retry/batch shown, not-started note, "N of M", sort order."""
    parts: list[str] = selection_labels(result, rolling)
    hosts = [h for g in result.groups for h in g.hosts]
    if result.status == 1 and hosts and all(h.status in HOST_WAITING_STATUSES for h in hosts):
        parts.append(f"Not started: {plural(result.host_count, 'host')} waiting")
    parts.append(n_of_m(group) or plural(group.host_count, "host"))
    parts.append(f"sort: {sort.value} {'ascending' if reverse else 'descending'}")
    if sort is SortKey.IP:
        parts[-1] = f"sort: IP {'descending' if reverse else 'ascending'}"
    return sep(ascii_only).join(parts)


class ResultsPane(Widget):
    """Group tabs + host table for the selected step."""

    # `z` on any widget inside (tab bar, table, find bar) maximises the whole pane.
    ALLOW_MAXIMIZE = True

    DEFAULT_CSS = """
    ResultsPane { layout: vertical; height: 1fr; }
    ResultsPane > #result-info { height: 1; color: $text-muted; }
    ResultsPane > #result-empty { height: 1fr; padding: 1 2; color: $text-muted; }
    ResultsPane > #result-empty.-card { padding: 0 1; color: $text; }
    """
    HELP_SECTION: ClassVar[str] = "Results"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "group(-1)", "Prev group", tooltip="previous group"),
        Binding("right_square_bracket", "group(1)", "Next group", tooltip="next group"),
        Binding("o", "cycle_sort", "Sort", tooltip="cycle the sort (elapsed, exit code, IP)"),
        Binding("O", "reverse_sort", "Reverse sort", key_display="O", tooltip="reverse the sort"),
    ]

    class HostSelected(Message):
        """The selected host changed (another host, or its status changed)."""

        def __init__(self, host: HostResult | None) -> None:
            super().__init__()
            self.host = host

    class MoreHostsWanted(Message):
        """The user neared the end of an incomplete group: raise the per-group cap."""

        def __init__(self, wanted: int) -> None:
            super().__init__()
            self.wanted = wanted

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
        self._result: StepResult | None = None
        self._now: datetime | None = None  # the screen's clock at the last result
        self._step: Step | None = None  # the selected step in the last job status
        self._rolling: StepRolling | None = None
        self._groups: tuple[ResultGroup, ...] = ()
        self._group_key: GroupKey | None = None
        self._posted: tuple[str, int] | None = None
        self._texts: dict[str | None, str] = {}

    def compose(self) -> ComposeResult:
        yield GroupTabs(ascii_only=self.ascii_only, id="result-groups")
        yield Static(id="result-info")
        yield HostTable(ascii_only=self.ascii_only, id="result-hosts")
        yield Static("No step selected.", id="result-empty")

    def on_mount(self) -> None:
        self._show_group()

    @property
    def _tabs(self) -> GroupTabs:
        return self.query_one("#result-groups", GroupTabs)

    @property
    def _table(self) -> HostTable:
        return self.query_one("#result-hosts", HostTable)

    # ------------------------------------------------------------ public

    @property
    def group_key(self) -> GroupKey | None:
        """The selected group's key; kept across results while the group exists."""
        return self._group_key

    @property
    def selected_group(self) -> ResultGroup | None:
        for group in self._groups:
            if group.key == self._group_key:
                return group
        return None

    @property
    def selected_host(self) -> HostResult | None:
        if empty_text(self._result, self.selected_group, self._now, self._step) is not None:
            return None
        return self._table.cursor_host

    @property
    def visible_rows(self) -> int:
        """Page size for ``max_host_num_per_group``: host rows that fit + 6, as the web UI."""
        return self._table.page_rows + 6

    def show_result(
        self,
        result: StepResult | None,
        now: datetime | None = None,
        rolling: StepRolling | None = None,
    ) -> None:
        """Show a step's groups, keeping group, cursor and scroll by key.

        ``now`` gives the zone (and day) the confirmation card's times are told
        in; ``rolling`` what is known of the step's batches (for the labels).
        """
        self._result = result
        self._now = now
        self._rolling = rolling
        self._groups = order_groups(result.groups) if result else ()
        keys = [group.key for group in self._groups]
        if self._group_key not in keys:
            # the first group a status/tag filter picked (one with hosts listed)
            listed = [group.key for group in self._groups if not counts_only(group)]
            first = listed or keys
            self._group_key = first[0] if first else None
        self._tabs.set_groups(self._groups, self._group_key)
        self._show_group()

    @property
    def result(self) -> StepResult | None:
        """The step result shown (as the last ``show_result`` gave it)."""
        return self._result

    def follow_step(self, step: Step | None, now: datetime | None = None) -> None:
        """The selected step as the latest job status tells it (the tree's source).

        A confirmation card follows it at once: the step's result is polled
        less often while the step waits, and must not say "waiting" under a
        tree that shows the step done.
        """
        if step == self._step:
            return
        self._step = step
        if now is not None:
            self._now = now
        if self._result is not None and self._result.is_confirm:
            self._show_group()

    def select_host(self, query: str) -> bool:
        """Jump to the first host whose IP/IPv6 contains ``query`` (switching group)."""
        found = find_host(self._groups, query)
        if found is None:
            return False
        group_key, host_key = found
        if group_key != self._group_key:
            self._group_key = group_key
            self._tabs.set_groups(self._groups, group_key)
            self._show_group()
        self._table.select_key(host_key)
        self._emit_selection()
        return True

    @property
    def table_sort(self) -> tuple[SortKey, bool]:
        """The host table's (sort key, reversed), to order hosts fetched beside it."""
        return self._table.sort_key, self._table.sort_reverse

    def copy_ips(self, fmt: CopyFormat = "ip") -> str:
        """The selected group's addresses in table order, one per line."""
        if self.selected_group is None:
            return ""
        return copy_ips(self._table.rows, fmt)

    # ------------------------------------------------------------ internals

    def _show_group(self) -> None:
        group = self.selected_group
        message = empty_text(self._result, group, self._now, self._step)
        table, info = self._table, self.query_one("#result-info", Static)
        empty = self.query_one("#result-empty", Static)
        table.display = info.display = message is None
        empty.display = message is not None
        card = message is not None and self._result is not None and self._result.is_confirm
        self._tabs.display = not card  # no groups to tab through: the card gets the room
        if message is not None:
            empty.set_class(card, "-card")
            self._update(empty, message)
        else:
            assert self._result is not None and group is not None
            result = self._result
            list_id = (result.step_instance_id, result.execute_count, result.batch, group.key)
            table.set_hosts(group.hosts, total=group.host_count, list_id=list_id)
            sort = info_text(
                result,
                group,
                table.sort_key,
                table.sort_reverse,
                ascii_only=self.ascii_only,
                rolling=self._rolling,
            )
            self._update(info, sort)
        self._emit_selection()

    def _update(self, widget: Static, text: str) -> None:
        """Replace a line's text only when it changed: an idle poll repaints nothing.

        Never a re-layout: both lines have a fixed height (1 and 1fr), and the
        info line changes on every poll of a running step; a layout of the whole
        screen per poll was half the CPU of a running 10,000-host monitor.
        """
        if self._texts.get(widget.id) != text:
            self._texts[widget.id] = text
            widget.update(Content(text), layout=False)

    def _emit_selection(self) -> None:
        host = self.selected_host
        signature = (host.key, host.status) if host else None
        if signature != self._posted:
            self._posted = signature
            self.post_message(self.HostSelected(host))

    def action_group(self, delta: int) -> None:
        self._tabs.action_step(delta)

    def action_cycle_sort(self) -> None:
        self._resort(self._table.sort_key.next(), False)

    def action_reverse_sort(self) -> None:
        self._resort(self._table.sort_key, not self._table.sort_reverse)

    def _resort(self, key: SortKey, reverse: bool) -> None:
        self._table.set_sort(key, reverse)
        self._show_group()

    def on_group_tabs_changed(self, event: GroupTabs.Changed) -> None:
        event.stop()
        self._group_key = event.key
        self._show_group()

    def on_host_table_cursor_moved(self, event: HostTable.CursorMoved) -> None:
        event.stop()
        self._emit_selection()

    def on_host_table_near_end(self, event: HostTable.NearEnd) -> None:
        event.stop()
        self.post_message(self.MoreHostsWanted(event.loaded + self.visible_rows))
