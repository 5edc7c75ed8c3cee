"""The monitor's header: what job, how far, how fresh the data is.

It is rebuilt from a plain ``HeaderState`` and only repaints when the rendered
text changes, so a finished job's idle screen does not redraw every second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from jobtui.api.catalog import launch_mode, run_status
from jobtui.api.models import Job
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import HostCounts, format_duration, job_elapsed, progress
from jobtui.tui.glyphs import colour, glyph


@dataclass(frozen=True, slots=True)
class HeaderState:
    """Everything the header shows, as plain values."""

    job_instance_id: int
    job: Job | None = None
    now: datetime | None = None
    active_counts: HostCounts | None = None
    last_ok: datetime | None = None
    latency: float | None = None
    paused: bool = False
    stale_since: datetime | None = None
    stale_reason: str = ""
    interval: float = 2.0
    title: str = ""
    ascii: bool = False


def _age(last: datetime | None, now: datetime | None) -> str:
    """Coarse age so the line changes rarely: seconds, then minutes."""
    if last is None or now is None:
        return "never"
    seconds = max(0, int((now - last).total_seconds()))
    if seconds < 2:
        return "just now"
    if seconds < 60:
        return f"{seconds}s ago"
    return f"{seconds // 60}m ago"


def _clock(moment: datetime | None) -> str:
    return moment.strftime("%H:%M:%S") if moment else "-"


def job_line(state: HeaderState) -> Content:
    """Line 1: status, name and id, operator, launch mode, start, elapsed."""
    job = state.job
    if job is None:
        return Content.assemble(("Loading job ", "bold"), str(state.job_instance_id), " …")
    info = run_status(job.status)
    mark = glyph(info.severity, state.ascii)
    now = state.now or datetime.now().astimezone()
    started = job.start_time.astimezone(now.tzinfo) if job.start_time else None
    finished = "  FINISHED" if job.finished else ""
    return Content.assemble(
        (f"{mark} {info.label.upper()}", f"bold {colour(info.severity)}"),
        (finished, "bold"),
        "  ",
        (safe_text(job.name, max_len=60), "bold"),
        f" #{job.job_instance_id}",
        f"  by {safe_text(job.operator or '-', max_len=30)}",
        f" · {launch_mode(job.launch_mode)}",
        f" · started {started:%Y-%m-%d %H:%M:%S}" if started else " · not started",
        f" · elapsed {format_duration(job_elapsed(job, now))}",
    )


def status_line(state: HeaderState) -> Content:
    """Line 2: progress, refresh age and latency, PAUSED / STALE badges."""
    parts: list[str | tuple[str, str]] = []
    if state.job is not None:
        i, n = progress(state.job)
        parts.append(f"step {i}/{n}")
        counts = state.active_counts
        if counts is not None and counts.total:
            parts.append(f" · hosts {counts.done}/{counts.total}")
    latency = f" ({int(state.latency * 1000)} ms)" if state.latency is not None else ""
    parts.append(f" · updated {_age(state.last_ok, state.now)}{latency}")
    parts.append(f" · every {state.interval:g}s")
    if state.paused:
        parts += ["  ", (" PAUSED ", "bold reverse $warning")]
    if state.stale_since is not None:
        reason = safe_text(state.stale_reason, max_len=120)
        parts += ["  ", (f" STALE since {_clock(state.stale_since)} ", "bold reverse $error")]
        parts.append((f" {reason}", "$error"))
    if state.title:
        parts.append(f"  [{safe_text(state.title, max_len=40)}]")
    return Content.assemble(*parts)


class JobHeader(Static):
    """Two lines at the top of the monitor."""

    DEFAULT_CSS = """
    JobHeader {
        height: 2; background: $panel; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, state: HeaderState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Content | None = None
        self.show(state)

    def show(self, state: HeaderState) -> None:
        """Repaint only when the text would change."""
        content = Content("\n").join([job_line(state), status_line(state)])
        if content == self._shown:
            return
        self._shown = content
        self.update(content)

    @property
    def text(self) -> str:
        """The plain text shown, for tests."""
        return self._shown.plain if self._shown is not None else ""
