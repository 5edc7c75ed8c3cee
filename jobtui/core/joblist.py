"""The job list as the bk-job web UI's execution history shows it, as pure values.

``JobQuery`` is the history list's filter (created within a window of at most
30 days, status codes, operator, name); the rest orders and compares pages of
``JobSummary`` so the list and the wall update in place by job id and speak up
only on transitions (a job that was already failed when first seen is quiet).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from jobtui.api.catalog import FAILED_RUN_STATUSES, PERSON_WAIT_STATUSES, run_status
from jobtui.api.models import JobSummary
from jobtui.core.transitions import Level, Notice, job_title

MAX_WINDOW = timedelta(days=30)  # get_job_instance_list refuses longer windows
PAGE_MAX = 1000  # and longer pages
_EPOCH = datetime.min.replace(tzinfo=UTC)
_SINCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 3600, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(text: str) -> timedelta:
    """``24h`` / ``90m`` / ``7d`` / ``2w`` (a bare number is hours); ValueError past 30 days."""
    match = _SINCE.match(text)
    if match is None:
        raise ValueError(f"bad --since {text!r}: expected a number and s, m, h, d or w, e.g. 24h")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    window = timedelta(seconds=seconds)
    if window <= timedelta(0):
        raise ValueError("--since must be longer than zero")
    if window > MAX_WINDOW:
        raise ValueError(f"--since {text} is too long: bk-job lists at most 30 days")
    return window


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


#: Job statuses by name: the labels the screens show ("Failed", "Waiting for a person"),
#: case, spaces, "-" and "_" ignored; "waiting" for a person's turn, and bk-job's own
#: name for 7 ("Waiting for user", which jobtui said before).
STATUS_NAMES: dict[str, int] = {
    **{_key(run_status(code).label): code for code in range(1, 16) if run_status(code).known},
    "waiting": 7,
    "waitingforuser": 7,
}


def parse_statuses(text: str) -> tuple[int, ...]:
    """``3,4`` or ``failed,running`` → (4, 2); ValueError with a one-line message otherwise."""
    codes: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if part.isdigit():
            codes.append(int(part))
            continue
        code = STATUS_NAMES.get(_key(part))
        if code is None:
            known = ", ".join(sorted(k for k in STATUS_NAMES if len(k) <= 12))
            raise ValueError(
                f"unknown job status {part[:30]!r}: use codes like 2,4 or names like {known}"
            )
        codes.append(code)
    return tuple(dict.fromkeys(codes))


@dataclass(frozen=True, slots=True)
class JobQuery:
    """The history list's filter; ``since`` is clamped to bk-job's 30-day window."""

    since: timedelta = timedelta(hours=24)
    statuses: tuple[int, ...] = ()
    operator: str | None = None
    name: str | None = None
    length: int = PAGE_MAX

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """(create_time_start, create_time_end) ending at ``now``."""
        return now - min(self.since, MAX_WINDOW), now

    @property
    def page(self) -> int:
        return max(1, min(self.length, PAGE_MAX))

    def matches(self, job: JobSummary) -> bool:
        """Client-side check, so every family filters alike (name: case-insensitive substring)."""
        if self.statuses and job.status not in self.statuses:
            return False
        if self.operator and job.operator != self.operator:
            return False
        return not self.name or self.name.casefold() in job.name.casefold()

    @property
    def active(self) -> dict[str, str]:
        """The filters a bar shows: name → value."""
        shown = {"since": _short(self.since)}
        if self.statuses:
            shown["status"] = ",".join(run_status(s).label for s in self.statuses)
        if self.operator:
            shown["operator"] = self.operator
        if self.name:
            shown["name"] = self.name
        return shown


def _short(window: timedelta) -> str:
    """The window as the docs, ``--since`` and ``t`` say it: ``90m``, ``24h``, ``7d``.

    A day is ``24h`` (the default and ``t``'s second step), not ``1d``: days only
    from two days on.
    """
    seconds = int(window.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and (unit != "d" or seconds >= 2 * size):
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _created(job: JobSummary) -> datetime:
    return job.create_time or job.start_time or _EPOCH


def newest_first(jobs: Iterable[JobSummary]) -> list[JobSummary]:
    """By creation time, then id (ids grow), newest first; one row per job id."""
    unique = {job.job_instance_id: job for job in jobs}
    return sorted(unique.values(), key=lambda j: (_created(j), j.job_instance_id), reverse=True)


def is_live(status: int) -> bool:
    """Not finished: pending, running, waiting for a person, terminating."""
    return not run_status(status).finished


@dataclass(frozen=True, slots=True)
class JobDiff:
    """What changed between two pages, by job id."""

    added: tuple[int, ...] = ()
    changed: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def diff_jobs(old: Mapping[int, JobSummary], new: Sequence[JobSummary]) -> JobDiff:
    """Ids new, different or gone (frozen values compare by content)."""
    seen = {job.job_instance_id for job in new}
    added = tuple(j.job_instance_id for j in new if j.job_instance_id not in old)
    changed = tuple(
        j.job_instance_id for j in new if j.job_instance_id in old and old[j.job_instance_id] != j
    )
    removed = tuple(jid for jid in old if jid not in seen)
    return JobDiff(added, changed, removed)


def newest_live(jobs: Iterable[JobSummary], *, exclude: int | None = None) -> JobSummary | None:
    """The newest job still running (for --follow-newest), other than ``exclude``."""
    for job in newest_first(jobs):
        if is_live(job.status) and job.job_instance_id != exclude:
            return job
    return None


def wall_rank(status: int) -> int:
    """0 failed, 1 waiting for a person, 2 running, 3 pending, 4 anything else."""
    if status in FAILED_RUN_STATUSES:
        return 0
    if status in PERSON_WAIT_STATUSES:
        return 1
    info = run_status(status)
    if not info.finished and status != 1:
        return 2
    return 3 if status == 1 else 4


@dataclass(frozen=True, slots=True)
class WallPolicy:
    """Which jobs the wall shows: live ones, and failures that ended recently.

    ``statuses`` are the statuses this refresh's detail fetch read (newer than
    the list page read just before): a card's status, its place and the notice
    about it then come from one answer. ``max_failed`` bounds the failed cards
    so a job plan failing every minute never pushes the running jobs off the
    screen; failures of one plan fold into one card that counts them.
    """

    recent_failure: timedelta = timedelta(minutes=30)
    limit: int = 48  # cards fetched in detail per refresh
    statuses: Mapping[int, int] = field(default_factory=dict)  # fresher status by id
    max_failed: int = 6  # failed cards at most (newest first); the rest are counted

    def status(self, job: JobSummary) -> int:
        return self.statuses.get(job.job_instance_id, job.status)

    def shows(self, job: JobSummary, now: datetime) -> bool:
        status = self.status(job)
        if is_live(status):
            return True
        if status not in FAILED_RUN_STATUSES:
            return False
        return now - self.ended(job, now) <= self.recent_failure

    def ended(self, job: JobSummary, now: datetime) -> datetime:
        """When ``job`` ended; ``now`` when the list still said it was running."""
        if job.end_time is None and job.job_instance_id in self.statuses:
            return now  # the detail read after the list saw it end: it has just ended
        return job.end_time or _created(job)


@dataclass(frozen=True, slots=True)
class WallCard:
    """One card: the newest job of its kind, and how many failed runs it stands for."""

    job: JobSummary
    status: int
    failures: int = 1  # failed runs of the same job plan within the window (failed cards)


@dataclass(frozen=True, slots=True)
class WallLayout:
    """The wall's cards in order, and what it left out (for its status line)."""

    cards: tuple[WallCard, ...] = ()
    folded: int = 0  # failed runs counted on a newer card of the same plan
    hidden_failed: int = 0  # failed cards beyond ``max_failed``
    hidden: int = 0  # cards beyond ``limit``

    @property
    def ids(self) -> list[int]:
        return [card.job.job_instance_id for card in self.cards]


def plan_key(job: JobSummary) -> tuple[object, ...]:
    """What makes two runs "the same job": its plan (or cron), else its name and type."""
    if job.plan_id:
        return ("plan", job.plan_id)
    if job.cron_id:
        return ("cron", job.cron_id)
    return ("name", job.name, job.instance_type)


def wall_layout(jobs: Iterable[JobSummary], now: datetime, policy: WallPolicy) -> WallLayout:
    """The wall's cards: failed (folded by plan, at most ``max_failed``), waiting, running, pending.

    Failed cards: the latest failure first (a job that has just failed leads);
    the others newest first within each group. A plan whose newest run is live again (a
    retry, the next cron run) shows that run; its recent failures still fold
    into nothing else, so the same plan is never on two failed cards.
    """
    shown = [job for job in newest_first(jobs) if policy.shows(job, now)]
    failed: dict[tuple[object, ...], list[JobSummary]] = {}
    others: list[JobSummary] = []
    for job in shown:
        if policy.status(job) in FAILED_RUN_STATUSES:
            failed.setdefault(plan_key(job), []).append(job)
        else:
            others.append(job)
    failed_cards = [
        WallCard(runs[0], policy.status(runs[0]), len(runs)) for runs in failed.values()
    ]
    failed_cards.sort(key=lambda card: policy.ended(card.job, now), reverse=True)  # latest first
    folded = sum(card.failures - 1 for card in failed_cards)
    hidden_failed = max(0, len(failed_cards) - policy.max_failed)
    others.sort(key=lambda job: wall_rank(policy.status(job)))  # stable: newest first within
    cards = failed_cards[: policy.max_failed] + [WallCard(j, policy.status(j)) for j in others]
    hidden = max(0, len(cards) - policy.limit)
    return WallLayout(tuple(cards[: policy.limit]), folded, hidden_failed, hidden)


def wall_jobs(jobs: Iterable[JobSummary], now: datetime, policy: WallPolicy) -> list[JobSummary]:
    """The jobs of ``wall_layout``'s cards, in wall order."""
    return [card.job for card in wall_layout(jobs, now, policy).cards]


def list_notices(old: Mapping[int, JobSummary] | None, new: Sequence[JobSummary]) -> list[Notice]:
    """Toasts for jobs whose status changed since the last page (none on the first)."""
    if old is None:
        return []
    notices: list[Notice] = []
    for job in new:
        before = old.get(job.job_instance_id)
        if before is None or before.status == job.status:
            continue
        notice = status_notice(job.name, before.status, job.status, job.job_instance_id)
        if notice is not None:
            notices.append(notice)
    return notices


def status_notice(name: str, old: int, new: int, job_id: int | None = None) -> Notice | None:
    """The notice a job's status change deserves, if any (``job_id`` dedupes it, see Notice)."""
    label = run_status(new).label
    text = f"{name}: {label}"
    if new in FAILED_RUN_STATUSES and old not in FAILED_RUN_STATUSES:
        return Notice(Level.ERROR, job_title(job_id, "failed"), text, job_id, "job=end")
    if new in PERSON_WAIT_STATUSES and old not in PERSON_WAIT_STATUSES:
        title = job_title(job_id, "waiting for a person")
        return Notice(Level.WARNING, title, text, job_id, "job=wait")
    if run_status(new).finished and not run_status(old).finished:
        return Notice(Level.INFO, job_title(job_id, "finished"), text, job_id, "job=end")
    if run_status(old).finished and not run_status(new).finished:
        return Notice(Level.INFO, job_title(job_id, "running again"), text, job_id, "job=again")
    return None


# ---------------------------------------------------------------- the list on screen

#: What ``o`` cycles through on the job list (k9s-like column sort); "newest" is bk-job's order.
LIST_SORTS: tuple[str, ...] = ("newest", "name", "status", "operator", "elapsed")
#: What ``t`` cycles the window through (bk-job keeps 30 days of history).
SINCE_STEPS: tuple[timedelta, ...] = (
    timedelta(hours=1),
    timedelta(hours=24),
    timedelta(days=7),
    timedelta(days=30),
)


#: What ``s`` cycles the job list's status filter through: all, running, failed, waiting.
STATUS_STEPS: tuple[tuple[int, ...], ...] = (
    (),
    (2,),
    tuple(sorted(FAILED_RUN_STATUSES)),
    tuple(sorted(PERSON_WAIT_STATUSES)),
)


def next_statuses(current: tuple[int, ...]) -> tuple[int, ...]:
    """The status filter after ``current`` in ``STATUS_STEPS`` (a custom one goes to all)."""
    if current in STATUS_STEPS:
        return STATUS_STEPS[(STATUS_STEPS.index(current) + 1) % len(STATUS_STEPS)]
    return STATUS_STEPS[0]


def next_since(current: timedelta) -> timedelta:
    """The next window of ``SINCE_STEPS`` after ``current`` (wrapping to the first)."""
    for step in SINCE_STEPS:
        if step > current:
            return step
    return SINCE_STEPS[0]


def _elapsed(job: JobSummary, now: datetime) -> float:
    if job.total_seconds is not None:
        return job.total_seconds
    start = job.start_time or job.create_time
    return (now - start).total_seconds() if start is not None else 0.0


def arrange(
    jobs: Iterable[JobSummary],
    *,
    text: str = "",
    sort: str = "newest",
    reverse: bool = False,
    now: datetime | None = None,
) -> list[JobSummary]:
    """The rows the list shows: those matching ``text`` (id, name, operator or status
    word, case-insensitive), sorted by ``sort``; ties stay newest first."""
    needle = text.strip().casefold()
    rows = newest_first(jobs)
    if needle:
        rows = [
            job
            for job in rows
            if needle in str(job.job_instance_id)
            or needle in job.name.casefold()
            or needle in (job.operator or "").casefold()
            or needle in run_status(job.status).label.casefold()
        ]
    when = now or datetime.now().astimezone()
    keys: dict[str, Callable[[JobSummary], Any]] = {
        "name": lambda j: j.name.casefold(),
        "status": lambda j: (wall_rank(j.status), run_status(j.status).label),
        "operator": lambda j: (j.operator or "").casefold(),
        "elapsed": lambda j: -_elapsed(j, when),  # longest first
    }
    key = keys.get(sort)
    if key is not None:
        rows = sorted(rows, key=key)  # stable: newest first within a key
    return list(reversed(rows)) if reverse else rows
