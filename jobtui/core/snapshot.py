"""The job as the step tree shows it: rows keyed by step instance id.

The tree is updated in place, so this module turns a ``Job`` into comparable
rows and says which rows changed; unchanged rows are never repainted.

Host counts: a small job's status is fetched with per-host data, so every
step's counts come from its host list; a big one's (over ~2,000 host entries,
where a 50,000-host step would cost megabytes a poll) without, so a step's
counts come from the last ``StepResult`` fetched for it (group ``host_count``
totals) and a step never selected shows none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from jobtui.api.catalog import host_outcome, run_status
from jobtui.api.models import HostResult, Job, Step, StepResult
from jobtui.core.waits import needs_person

#: Step statuses that mean "this is where the job is now".
ACTIVE_STEP_STATUSES = frozenset({2, 7, 10, 15})


@dataclass(frozen=True, slots=True)
class HostCounts:
    """Hosts of one step bucketed by outcome."""

    ok: int = 0
    failed: int = 0
    running: int = 0
    waiting: int = 0
    #: What narrowed these counts ("" = the whole step's latest run): "batch"
    #: (the current or one rolling batch), "retry N", "filtered" (an IP or
    #: keyword search). Shown beside them, never in the header (``core/counts``).
    scope: str = ""

    @property
    def filtered(self) -> bool:
        return bool(self.scope)

    @property
    def total(self) -> int:
        return self.ok + self.failed + self.running + self.waiting

    @property
    def done(self) -> int:
        return self.ok + self.failed

    @classmethod
    def from_result(cls, result: StepResult) -> HostCounts:
        """Counts from group sizes (full ``host_size``, not the capped host list)."""
        return cls._tally((group.status, group.host_count) for group in result.groups)

    @classmethod
    def from_hosts(cls, hosts: Iterable[HostResult]) -> HostCounts:
        return cls._tally((host.status, 1) for host in hosts)

    @classmethod
    def _tally(cls, pairs: Iterable[tuple[int, int]]) -> HostCounts:
        buckets = {"ok": 0, "failed": 0, "running": 0, "waiting": 0}
        for status, count in pairs:
            buckets[host_outcome(status)] += count
        return cls(buckets["ok"], buckets["failed"], buckets["running"], buckets["waiting"])


@dataclass(frozen=True, slots=True)
class StepRow:
    """One line of the step tree, comparable so unchanged lines are skipped."""

    step_instance_id: int
    order: int  # 1-based position in the job
    block: int  # index of the block it belongs to
    name: str
    type: int
    status: int
    execute_count: int
    elapsed: float | None
    counts: HostCounts | None

    @property
    def waiting_for_person(self) -> bool:
        """A confirmation or a manual rolling pause (7); never 15 (``core/waits``)."""
        return needs_person(self.type, self.status)


def elapsed_seconds(
    start: datetime | None,
    end: datetime | None,
    total: float | None,
    now: datetime,
    *,
    running: bool,
) -> float | None:
    """Elapsed time: the server's total when finished, else counted from start."""
    if running and start is not None:
        return max(0.0, (now - start).total_seconds())
    if total is not None:
        return total
    if start is not None and end is not None:
        return max(0.0, (end - start).total_seconds())
    return None


def step_elapsed(step: Step, now: datetime) -> float | None:
    running = not run_status(step.status).finished and step.status != 1
    return elapsed_seconds(step.start_time, step.end_time, step.total_seconds, now, running=running)


def job_elapsed(job: Job, now: datetime) -> float | None:
    running = not job.finished and job.status != 1
    return elapsed_seconds(job.start_time, job.end_time, job.total_seconds, now, running=running)


def step_rows(job: Job, counts: Mapping[int, HostCounts], now: datetime) -> tuple[StepRow, ...]:
    """The tree's rows; counts from ``counts`` else from the step's own host list."""
    rows: list[StepRow] = []
    order = 0
    for block_index, block in enumerate(job.blocks):
        for step in block.steps:
            order += 1
            known = counts.get(step.step_instance_id)
            if known is None and step.hosts:
                known = HostCounts.from_hosts(step.hosts)
            rows.append(
                StepRow(
                    step.step_instance_id,
                    order,
                    block_index,
                    step.name,
                    step.type,
                    step.status,
                    step.execute_count,
                    step_elapsed(step, now),
                    known,
                )
            )
    return tuple(rows)


def show_blocks(job: Job) -> bool:
    """Whether a block level is worth showing (v3's implicit block and 1-step blocks are not)."""
    real = [block for block in job.blocks if not block.implicit]
    if len(real) != len(job.blocks):
        return False
    return any(len(block.steps) > 1 for block in real)


def active_step(job: Job) -> Step | None:
    """The step the job is at: the server's current step if active, else the first active one."""
    if job.current_step_instance_id is not None:
        current = job.step(job.current_step_instance_id)
        if current is not None and current.status in ACTIVE_STEP_STATUSES:
            return current
    for step in job.steps:
        if step.status in ACTIVE_STEP_STATUSES:
            return step
    return None


def progress(job: Job) -> tuple[int, int]:
    """(i, N): the active step's position, else the count of finished steps, of all steps."""
    steps = job.steps
    active = active_step(job)
    if active is not None:
        return steps.index(active) + 1, len(steps)
    done = sum(1 for step in steps if run_status(step.status).finished)
    return done, len(steps)


def changed_rows(
    old: Mapping[int, StepRow], new: Iterable[StepRow]
) -> tuple[list[StepRow], list[int]]:
    """(rows new or different, ids gone) between two tree states."""
    fresh = list(new)
    changed = [row for row in fresh if old.get(row.step_instance_id) != row]
    seen = {row.step_instance_id for row in fresh}
    gone = [sid for sid in old if sid not in seen]
    return changed, gone


def format_duration(seconds: float | None) -> str:
    """Friendly elapsed time: 4.2s, 3m05s, 2h07m, 3d04h."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s" if seconds < 10 else f"{int(seconds)}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def followed_step(job: Job) -> Step | None:
    """The step to follow: the active one, else the last that has started (a failure)."""
    active = active_step(job)
    if active is not None:
        return active
    started = [step for step in job.steps if step.status != 1]
    return started[-1] if started else None
