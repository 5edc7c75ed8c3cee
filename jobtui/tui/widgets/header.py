"""The monitor's header: what job, how far, how fresh the data is.

It is rebuilt from a plain ``HeaderState`` and only repaints when the rendered
text changes, so a finished job's idle screen does not redraw every second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.content import Content
from textual.widget import Widget

from jobtui.api.catalog import launch_mode, run_status
from jobtui.api.models import Job
from jobtui.core.numfmt import ratio
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import HostCounts, format_duration, job_elapsed, progress
from jobtui.core.waits import job_wait_word
from jobtui.tui.glyphs import colour, dots, glyph


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
    interval: float = 2.0  # seconds between job polls now (30 once the job finished)
    title: str = ""
    ascii_only: bool = False


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


def _updated(state: HeaderState) -> str:
    """A ticking age while the job runs or the data is stale; a fixed time once it ended,
    so an idle finished job's screen has nothing to redraw between its slow polls."""
    finished = state.job is not None and state.job.finished
    if finished and state.stale_since is None and state.last_ok is not None:
        return f"at {_clock(state.last_ok)}"
    return _age(state.last_ok, state.now)


def _clock(moment: datetime | None) -> str:
    return moment.strftime("%H:%M:%S") if moment else "-"


Part = str | tuple[str, str]

#: Width used before the widget knows its size (no fitting).
UNLIMITED = 10_000


def _width(parts: list[Part]) -> int:
    return sum(len(p if isinstance(p, str) else p[0]) for p in parts)


def _to_ascii(text: str, ascii_only: bool) -> str:
    """The separators and cut marks as the Linux console can draw them."""
    if not ascii_only:
        return text
    return text.replace(" · ", " | ").replace("…", "~")


def _started(job: Job, now: datetime, *, short: bool) -> str:
    if job.start_time is None:
        return " · not started"
    started = job.start_time.astimezone(now.tzinfo)
    if not short:  # with its zone: `status` and the logs may be read beside it
        offset = started.strftime("%z")
        zone = f" {offset[:3]}:{offset[3:]}" if len(offset) == 5 else ""
        return f" · started {started:%Y-%m-%d %H:%M:%S}{zone}"
    when = f"{started:%H:%M:%S}" if started.date() == now.date() else f"{started:%m-%d %H:%M}"
    return f" · started {when}"


def job_line(state: HeaderState, width: int = UNLIMITED) -> Content:
    """Line 1: status, name and id, elapsed; then operator, launch mode, start as room allows.

    Status word, name, id and elapsed always stay; as the width shrinks the
    start shortens to a time, then operator, launch mode and start are dropped,
    and last the name is cut (and, with a long wait word at 60 columns, the
    elapsed time loses its word), so the time itself is never cut.
    """
    job = state.job
    if job is None:
        return Content.assemble(
            ("Loading job ", "bold"), str(state.job_instance_id), f" {dots(state.ascii_only)}"
        )
    info = run_status(job.status)
    mark = glyph(info.severity, state.ascii_only)
    now = state.now or datetime.now().astimezone()
    word = job_wait_word(job) or info.label.upper()  # what a job at 7 waits for
    status: list[Part] = [(f"{mark} {word}", f"bold {colour(info.severity)}")]
    if job.finished:
        status.append(("  FINISHED", "bold"))
    tail: list[Part] = [
        f" #{job.job_instance_id}",
        f" · elapsed {format_duration(job_elapsed(job, now))}",
    ]
    operator = f" · by {safe_text(job.operator or '-', max_len=30)}"
    mode = f" · {launch_mode(job.launch_mode)}"
    long_start, short_start = _started(job, now, short=False), _started(job, now, short=True)
    name = safe_text(job.name, max_len=60)
    for extras in (
        [operator, mode, long_start],
        [operator, mode, short_start],
        [mode, short_start],
        [short_start],
        [],
    ):
        parts: list[Part] = [*status, "  ", (name, "bold"), *tail, *extras]
        if _width(parts) <= width:
            return _assemble(parts, state.ascii_only)
    room = max(8, width - _width([*status, "  ", *tail]))
    cut: list[Part] = [*status, "  ", (safe_text(name, max_len=room), "bold"), *tail]
    if _width(cut) > width:  # a long wait word at 60 columns: the elapsed time loses its word
        tail[-1] = f" · {format_duration(job_elapsed(job, now))}"
        room = max(4, width - _width([*status, "  ", *tail]))
        cut = [*status, "  ", (safe_text(name, max_len=room), "bold"), *tail]
    return _assemble(cut, state.ascii_only)


def status_line(state: HeaderState, width: int = UNLIMITED) -> Content:
    """Line 2: progress, refresh age, PAUSED / STALE badges; latency, interval, reason, title
    as room allows.

    The host count is never cut (it is the figure an operator bets on, with
    thousands separators like every count: ``hosts 46,842/50,000``). As the
    width shrinks, the title, latency and cadence go first; then the STALE
    reason is cut and dropped; then the age loses its word (``5s ago``), the
    STALE badge its ``since``; then the age goes (the STALE time, if any,
    still dates the data); last ``step i/N`` (the tree shows it). A 50,000-host
    step's count and both badges fit in 58 cells (60 columns less the padding).
    """
    core: list[Part] = []
    hosts: list[Part] = []  # what is left at the narrowest
    if state.job is not None:
        i, n = progress(state.job)
        core.append(f"step {i}/{n}")
        counts = state.active_counts
        if counts is not None and counts.total:
            hosts.append(f"hosts {ratio(counts.done, counts.total)}")
            core += [" · ", *hosts]
    when = _updated(state)
    age, short_age = f" · updated {when}", f" · {when}"
    latency = f" ({int(state.latency * 1000)} ms)" if state.latency is not None else ""
    # the job status's real cadence: a finished job is asked every 30 s, not every interval
    finished = state.job is not None and state.job.finished
    every = f" · {'finished · ' if finished else ''}every {state.interval:g}s"
    badges, short_badges = _badges(state, short=False), _badges(state, short=True)
    title = f"  [{safe_text(state.title, max_len=40)}]" if state.title else ""
    reason = safe_text(state.stale_reason, max_len=120) if state.stale_since else ""
    why: list[Part] = [(f" {reason}", "$error")] if reason else []
    for parts in (
        [*core, age, latency, every, *badges, *why, title],
        [*core, age, latency, every, *badges, *why],
        [*core, age, every, *badges, *why],
        [*core, age, *badges, *why],
    ):
        if _width(parts) <= width:
            return _assemble(parts, state.ascii_only)
    room = width - _width([*core, age, *badges]) - 1
    if reason and room >= 8:
        cut: list[Part] = [(f" {safe_text(reason, max_len=room)}", "$error")]
        return _assemble([*core, age, *badges, *cut], state.ascii_only)
    ladder: list[list[Part]] = [
        [*core, age, *badges],
        [*core, short_age, *badges],
        [*core, short_age, *short_badges],
        [*core, *short_badges],
        [*(hosts or core), *short_badges],
    ]
    fits = next((parts for parts in ladder if _width(parts) <= width), ladder[-1])
    return _assemble(fits, state.ascii_only)


def _badges(state: HeaderState, *, short: bool) -> list[Part]:
    """`` PAUSED `` and `` STALE since 12:00:01 `` (short: `` STALE 12:00:01 ``)."""
    badges: list[Part] = []
    if state.paused:
        badges += ["  ", (" PAUSED ", "bold reverse $warning")]
    if state.stale_since is not None:
        since = "" if short else "since "
        stale = f" STALE {since}{_clock(state.stale_since)} "
        badges += ["  ", (stale, "bold reverse $error")]
    return badges


def _assemble(parts: list[Part], ascii_only: bool) -> Content:
    return Content.assemble(
        *(
            _to_ascii(p, ascii_only) if isinstance(p, str) else (_to_ascii(p[0], ascii_only), p[1])
            for p in parts
        )
    )


class JobHeader(Widget):
    """Two lines at the top of the monitor.

    A change repaints only the cells that differ (the ticking elapsed time is
    two or three cells), not the two whole lines.
    """

    DEFAULT_CSS = """
    JobHeader {
        height: 2; background: $panel; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, state: HeaderState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Content | None = None
        self._state = state
        self.show(state)

    def on_resize(self) -> None:
        self._shown = None  # refitted: everything may move
        self.show(self._state)

    def render(self) -> Content:
        return self._shown if self._shown is not None else Content("")

    def show(self, state: HeaderState) -> None:
        """Repaint only when the text would change; parts are fitted to the width.

        A ticking clock repaints both lines; the shadow screen (``compat.shadow``)
        writes only the cells that changed.
        """
        self._state = state
        width = self.content_size.width or UNLIMITED
        content = Content("\n").join([job_line(state, width), status_line(state, width)])
        if content == self._shown:
            return
        self._shown = content
        self.refresh()

    @property
    def text(self) -> str:
        """The plain text shown, for tests."""
        return self._shown.plain if self._shown is not None else ""
