"""The job list screen: the scope's recent jobs, newest first, refreshed live.

Its poll loop is ``PollingScreen`` (``screens/polling.py``), shared with the wall.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from jobtui.api.base import JobApi
from jobtui.api.models import JobSummary
from jobtui.core.joblist import JobQuery, list_notices
from jobtui.core.sanitize import safe_text
from jobtui.tui.screens.polling import PollDone, PollingScreen, ScreenSettings, fetch_jobs
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.job_list import JobList

__all__ = ["JobsScreen", "PollDone", "PollingScreen", "ScreenSettings", "fetch_jobs"]


class JobsScreen(PollingScreen):
    """Recent job instances of the scope; Enter opens one, ``w`` the wall."""

    HELP_SECTION: ClassVar[str] = "Job list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "wall", "Wall", tooltip="the wall of running jobs"),
        Binding("r", "refresh", "Refresh", tooltip="refresh now"),
        Binding("p", "toggle_pause", "Pause", tooltip="pause / resume refreshing"),
    ]
    DEFAULT_CSS = """
    JobsScreen #jobs-status { height: 1; background: $panel; padding: 0 1; }
    JobsScreen #jobs-filters { height: 1; color: $foreground-muted; padding: 0 1; }
    JobsScreen #jobs-empty { padding: 1 2; color: $foreground-muted; }
    """

    def __init__(
        self,
        client: JobApi,
        query: JobQuery,
        clock: Callable[[], datetime],
        settings: ScreenSettings,
    ) -> None:
        super().__init__(client, query, clock, settings)
        self.jobs: dict[int, JobSummary] | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Jobs{self.sep}loading{self.dots}", id="jobs-status", markup=False)
        filters = "  ".join(
            f"{k}: {safe_text(v, max_len=40)}" for k, v in self.query_.active.items()
        )
        yield Static(f"filters  {filters}", id="jobs-filters", markup=False)
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
        self.job_list.show_jobs(jobs, self.clock())
        empty = "" if jobs else "No jobs in this window. Widen it with --since (up to 30d)."
        empty_line = self.query_one("#jobs-empty", Static)
        empty_line.display = not jobs
        empty_line.update(empty)

    def show_status(self) -> None:
        count = self.dots
        if self.jobs is not None:
            count = f"{len(self.jobs)} job" + ("" if len(self.jobs) == 1 else "s")
        badges = self.badges()
        text = f"Jobs{self.sep}{count}" + (f"{self.sep}{badges}" if badges else "")
        self.query_one("#jobs-status", Static).update(text)

    def action_wall(self) -> None:
        from jobtui.tui.screens.wall import WallScreen

        self.app.push_screen(WallScreen(self.client, self.query_, self.clock, self.settings))
