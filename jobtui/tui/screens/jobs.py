"""The job list screen: the scope's recent jobs, newest first, refreshed live.

Its poll loop is ``PollingScreen`` (``screens/polling.py``), shared with the wall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Key
from textual.widgets import Input, Static

from jobtui.api.base import JobApi
from jobtui.api.models import JobSummary
from jobtui.core.joblist import (
    LIST_SORTS,
    JobQuery,
    WallPolicy,
    arrange,
    list_notices,
    next_since,
    next_statuses,
)
from jobtui.core.numfmt import count, plural
from jobtui.core.sanitize import safe_text
from jobtui.tui.breakpoints import presize
from jobtui.tui.screens.polling import PollDone, PollingScreen, ScreenSettings, fetch_jobs
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.job_list import JobList

__all__ = ["JobsScreen", "PollDone", "PollingScreen", "ScreenSettings", "fetch_jobs"]


def filters_line(query: JobQuery, find_text: str, sort: str, width: int) -> str:
    """The filters in effect, fitted to ``width`` so the `/` filter's text is never lost.

    As the width shrinks the status list becomes its codes (``status: 4,9,11,13``),
    then a count (``status: 4 statuses``), the sort goes, operator and name are cut;
    last the `/` filter moves to the front (the rest is cut by the line's ``…``).
    """
    active = query.active
    statuses = query.statuses
    codes = ",".join(str(code) for code in statuses)
    ladder: list[dict[str, str]] = []
    for status in (active.get("status"), codes, f"{len(statuses)} statuses"):
        for keep_sort in (True, False):
            for cut in (40, 12):
                shown = {"since": active["since"]}
                if status and statuses:
                    shown["status"] = status
                for key in ("operator", "name"):
                    if key in active:
                        shown[key] = safe_text(active[key], max_len=cut)
                if find_text:
                    shown["filter"] = f'"{safe_text(find_text, max_len=40)}"'
                if sort and keep_sort:
                    shown["sort"] = sort
                ladder.append(shown)

    def text(shown: dict[str, str]) -> str:
        return "filters  " + "  ".join(f"{k}: {v}" for k, v in shown.items())

    for shown in ladder:
        if len(text(shown)) <= width:
            return text(shown)
    last = ladder[-1]
    if "filter" in last:  # the one value the rows depend on now: it goes first
        last = {"filter": last["filter"], **{k: v for k, v in last.items() if k != "filter"}}
    return text(last)


class JobsScreen(PollingScreen):
    """Recent job instances of the scope; Enter opens one, ``w`` the wall."""

    HELP_SECTION: ClassVar[str] = "Job list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
        Binding("w", "wall", "Wall", tooltip="the wall of running jobs"),
        Binding("r", "refresh", "Refresh", tooltip="refresh now"),
        Binding("p", "toggle_pause", "Pause", tooltip="pause / resume refreshing"),
        # priority: run when the App reads `/`, before it hands the next key to the
        # focused widget, so letters typed in the same instant reach the filter
        Binding(
            "slash",
            "find",
            "Filter",
            key_display="/",
            priority=True,
            tooltip="filter the list as you type",
        ),
        Binding("o", "cycle_sort", "Sort", tooltip="sort: newest, name, status, operator, time"),
        Binding("O", "reverse_sort", "Reverse", show=False, tooltip="reverse the sort"),
        Binding("t", "since", "Since", tooltip="window: 1h, 24h, 7d, 30d"),
        Binding("s", "statuses", "Status", tooltip="status filter: all, running, failed, waiting"),
    ]
    DEFAULT_CSS = """
    JobsScreen #jobs-status { height: 1; background: $panel; padding: 0 1; }
    JobsScreen #jobs-filters {
        height: 1; color: $foreground-muted; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    JobsScreen #jobs-empty { padding: 1 2; color: $foreground-muted; }
    JobsScreen #jobs-find { display: none; height: 3; }
    JobsScreen #jobs-find.-shown { display: block; }
    """

    def __init__(
        self,
        client: JobApi,
        query: JobQuery,
        clock: Callable[[], datetime],
        settings: ScreenSettings,
        *,
        wall: WallPolicy | None = None,
    ) -> None:
        super().__init__(client, query, clock, settings)
        self.wall = wall  # the wall's failure window and failed-card limit (config file)
        self.jobs: dict[int, JobSummary] | None = None
        self.find_text = ""  # `/`: rows whose id, name, operator or status hold it
        self.sort = LIST_SORTS[0]
        self.sort_reverse = False
        self.shown = 0  # rows on screen after the `/` filter (the header says "3 of 11 jobs")

    def compose(self) -> ComposeResult:
        yield Static(f"Jobs{self.sep}loading{self.dots}", id="jobs-status", markup=False)
        yield Static(
            self._filters_text(max(1, self.app.size.width - 2)), id="jobs-filters", markup=False
        )
        find = Input(placeholder="filter: id, name, operator or status", id="jobs-find")
        find.can_focus = False  # hidden until `/`: it must not take the list's focus
        yield find
        yield JobList(ascii_only=self.settings.ascii_only, id="jobs")
        yield Static("", id="jobs-empty", markup=False)
        yield KeyBar()

    @property
    def job_list(self) -> JobList:
        return self.query_one(JobList)

    async def fetch(self) -> object:
        return await fetch_jobs(self.client, self.query_, self.clock())

    def apply(self, payload: object) -> None:
        assert isinstance(payload, list)
        jobs: list[JobSummary] = payload
        self.announce(list_notices(self.jobs, jobs))
        self.jobs = {job.job_instance_id: job for job in jobs}
        self._show_rows()

    def _show_rows(self) -> None:
        """The page as the user arranged it: filtered as typed, sorted by a column."""
        jobs = list((self.jobs or {}).values())
        now = self.clock()
        rows = arrange(
            jobs, text=self.find_text, sort=self.sort, reverse=self.sort_reverse, now=now
        )
        self.job_list.show_jobs(rows, now)
        self.shown = len(rows)
        if not jobs:
            empty = "No jobs in this window. Widen it with t or --since (up to 30d)."
        elif not rows:
            empty = f"No job matches the filter ({count(len(jobs))} hidden); Escape clears it."
        else:
            empty = ""
        empty_line = self.query_one("#jobs-empty", Static)
        empty_line.display = bool(empty)
        empty_line.update(empty)
        self.query_one("#jobs-filters", Static).update(self._filters_text())
        self.show_status()

    def _filters_text(self, width: int | None = None) -> str:
        if width is None:
            line = self.query_one("#jobs-filters", Static)
            width = line.content_size.width or max(1, self.app.size.width - 2)
        sort = ""
        if self.sort != LIST_SORTS[0] or self.sort_reverse:
            sort = self.sort + (" reversed" if self.sort_reverse else "")
        return filters_line(self.query_, self.find_text, sort, width)

    def on_resize(self) -> None:
        self.query_one("#jobs-filters", Static).update(self._filters_text())

    # ------------------------------------------------------------ find, sort, window

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the filter is typed in, `/` is text (the binding is a priority one)."""
        if action == "find":
            return self.focused is not self.query_one("#jobs-find", Input)
        return True

    def action_find(self) -> None:
        """Show the filter and focus it synchronously.

        The binding is a priority one, so this runs while the App handles `/`,
        before it forwards the next key: a burst like ``/abc`` (a paste, tmux
        ``send-keys``) reaches the filter whole instead of the list's bindings.
        """
        find = self.query_one("#jobs-find", Input)
        find.can_focus = True
        find.add_class("-shown")
        self.set_focus(find)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "jobs-find":
            event.stop()
            self.find_text = event.value
            self._show_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "jobs-find":
            event.stop()
            self.job_list.focus()  # keep the filter, go back to the rows

    def on_key(self, event: Key) -> None:
        """Escape clears the filter: while typing it, or once applied (Enter) from the rows."""
        find = self.query_one("#jobs-find", Input)
        if event.key != "escape":
            return
        applied = bool(self.find_text) or find.has_class("-shown")
        if find.has_focus or (applied and self.job_list.has_focus):
            event.stop()
            event.prevent_default()
            find.value = ""
            find.remove_class("-shown")
            find.can_focus = False
            self.find_text = ""
            self._show_rows()
            self.job_list.focus()

    def action_cycle_sort(self) -> None:
        self.sort = LIST_SORTS[(LIST_SORTS.index(self.sort) + 1) % len(LIST_SORTS)]
        self._show_rows()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._show_rows()

    def action_statuses(self) -> None:
        """The next status filter (all, running, failed, waiting): the list is asked again."""
        self.query_ = replace(self.query_, statuses=next_statuses(self.query_.statuses))
        self.query_one("#jobs-filters", Static).update(self._filters_text())
        self.poll()

    def action_since(self) -> None:
        """The next window (1h, 24h, 7d, 30d): the list is asked for again."""
        self.query_ = replace(self.query_, since=next_since(self.query_.since))
        self.query_one("#jobs-filters", Static).update(self._filters_text())
        self.poll()

    def show_status(self) -> None:
        """``Jobs · 11 jobs``; with the `/` filter ``Jobs · 3 of 11 jobs``: the count is
        of the rows shown, never of a page the filter hides part of."""
        how_many = self.dots
        if self.jobs is not None:
            how_many = plural(len(self.jobs), "job")
            if self.find_text:
                how_many = f"{count(self.shown)} of {how_many}"
        badges = self.badges()
        text = f"Jobs{self.sep}{how_many}" + (f"{self.sep}{badges}" if badges else "")
        self.query_one("#jobs-status", Static).update(text, layout=False)  # height 1

    def action_wall(self) -> None:
        from jobtui.tui.screens.wall import WallScreen

        wall = WallScreen(self.client, self.query_, self.clock, self.settings, self.wall)
        self.app.push_screen(presize(self.app, wall))
