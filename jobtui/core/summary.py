"""A job as a printable summary: host counts, outcome, aligned text and JSON.

Pure functions on the domain model, shared by ``jobtui status`` (text and
``--json``) and the live monitor (host counts per step). Every name and label
that came from the server passes through ``safe_text`` here, so neither output
can carry a terminal escape sequence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from jobtui.api.catalog import (
    FAILED_RUN_STATUSES,
    FINISHED_RUN_STATUSES,
    PERSON_WAIT_STATUSES,
    host_outcome,
    launch_mode,
    run_status,
    step_type,
)
from jobtui.api.models import HostResult, Job, Step, TargetKind
from jobtui.core.sanitize import marks, safe_text
from jobtui.core.snapshot import HostCounts, format_duration
from jobtui.core.waits import job_status_name, status_name

#: JSON document version; bump on an incompatible change of ``--json`` output.
#: 2: each step has ``targets`` ({"host": n, "container": m}); its ``hosts``
#: counts every target, containers included (gateway v4 only has those).
SCHEMA_VERSION = 2
#: Job statuses a script may treat as success: Success, Skipped, Ignore Error.
SUCCESS_RUN_STATUSES = frozenset({3, 5, 6})
NAME_WIDTH = 48  # longest step/job name printed before cutting with "…"


class Outcome(StrEnum):
    """Where a job stands, as far as a script waiting on it cares."""

    SUCCESS = "success"  # 3, 5, 6
    FAILED = "failed"  # 4, 8, 9, 11, 12, 13, 14 or an unknown finished status
    NEEDS_PERSON = "waiting_for_person"  # 7: a confirmation or a manual rolling pause
    RUNNING = "running"  # anything else: pending, running, terminating


#: ``jobtui status`` exit code per outcome (usage/config errors 2, API errors 3).
EXIT_CODES: dict[Outcome, int] = {
    Outcome.SUCCESS: 0,
    Outcome.RUNNING: 0,
    Outcome.FAILED: 1,
    Outcome.NEEDS_PERSON: 4,
}


def outcome(job: Job) -> Outcome:
    """Classify a job's status for exit codes and ``--wait``."""
    if job.status in SUCCESS_RUN_STATUSES:
        return Outcome.SUCCESS
    if job.status in PERSON_WAIT_STATUSES:
        return Outcome.NEEDS_PERSON
    if job.status in FAILED_RUN_STATUSES:
        return Outcome.FAILED
    known = job.status in FINISHED_RUN_STATUSES or run_status(job.status).known
    if job.finished and not known:
        return Outcome.FAILED  # an unknown final state is not a proven success
    return Outcome.RUNNING


def host_counts(hosts: Iterable[HostResult]) -> HostCounts:
    """Count hosts by outcome (ok {3,9}, running {7}, waiting {5}, failed otherwise)."""
    return HostCounts.from_hosts(hosts)


def counts_document(counts: HostCounts) -> dict[str, int]:
    """Host counts as the ``hosts`` object of the JSON document."""
    return {
        "ok": counts.ok,
        "failed": counts.failed,
        "running": counts.running,
        "waiting": counts.waiting,
        "total": counts.total,
    }


def elapsed_seconds(
    start: datetime | None, total: float | None, finished: bool, now: datetime
) -> float | None:
    """The server's total when it has one, else time since start while unfinished."""
    if total is not None:
        return round(total, 3)
    if start is None or finished:
        return None
    return round(max((now - start).total_seconds(), 0.0), 3)


def format_time(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """``YYYY-MM-DD HH:MM:SS +08:00`` in ``zone`` (the configured one), ``-`` when unknown.

    The offset is printed because the configured zone (bk-job's, Asia/Shanghai by
    default) need not be the reader's, and the monitor shows local time.
    """
    if moment is None:
        return "-"
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S} {_offset(local)}"


def _offset(moment: datetime) -> str:
    raw = moment.strftime("%z")  # +0800
    return f"{raw[:3]}:{raw[3:5]}" if len(raw) >= 5 else "UTC"


def clock_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """``HH:MM:SS +08:00``: the time of a progress line."""
    local = moment.astimezone(zone)
    return f"{local:%H:%M:%S} {_offset(local)}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def step_document(step: Step, now: datetime) -> dict[str, Any]:
    """One step as a JSON-ready mapping (see ``job_document``)."""
    finished = run_status(step.status).finished
    return {
        "step_instance_id": step.step_instance_id,
        "name": safe_text(step.name),
        "type": step.type,
        "type_label": step_type(step.type),
        "status": step.status,
        "status_label": status_name(step.type, step.status),
        "retry_count": step.execute_count,
        "start_time": _iso(step.start_time),
        "end_time": _iso(step.end_time),
        "elapsed_seconds": elapsed_seconds(step.start_time, step.total_seconds, finished, now),
        "hosts": counts_document(host_counts(step.hosts)),
        "targets": target_kinds(step.hosts),
    }


def target_kinds(hosts: Iterable[HostResult]) -> dict[str, int]:
    """How many of a step's targets are hosts and how many containers."""
    counts = {kind.value: 0 for kind in TargetKind}
    for host in hosts:
        counts[host.ref.kind.value] += 1
    return counts


def job_document(job: Job, now: datetime) -> dict[str, Any]:
    """The ``jobtui status --json`` document (schema version ``SCHEMA_VERSION``)."""
    state = outcome(job)
    return {
        "schema_version": SCHEMA_VERSION,
        "job": {
            "job_instance_id": job.job_instance_id,
            "name": safe_text(job.name),
            "status": job.status,
            "status_label": job_status_name(job),
            "finished": job.finished,
            "operator": safe_text(job.operator) if job.operator is not None else None,
            "launch_mode": job.launch_mode,
            "launch_mode_label": launch_mode(job.launch_mode),
            "start_time": _iso(job.start_time),
            "end_time": _iso(job.end_time),
            "elapsed_seconds": elapsed_seconds(
                job.start_time, job.total_seconds, job.finished, now
            ),
        },
        "steps": [step_document(step, now) for step in job.steps],
        "outcome": state.value,
        "exit_code": EXIT_CODES[state],
    }


# ---------------------------------------------------------------- text


def cell_width(text: str) -> int:
    """Terminal cells of ``text``: East Asian wide/fullwidth count two, combining marks zero."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def fit(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` cells, ending in "…" (ASCII mode: "~") when cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        step = cell_width(char)
        if used + step > width - 1:
            break
        out.append(char)
        used += step
    return "".join(out) + marks().ellipsis


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - cell_width(text), 0)
    return gap + text if right else text + gap


def render_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    """Align columns by display width; ``numeric`` columns are right-aligned."""
    widths = [max(cell_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(cell, widths[i], right=i in numeric) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


def render_text(job: Job, now: datetime, zone: tzinfo | None = None) -> str:
    """The ``jobtui status`` text: a job header and one aligned row per step."""
    doc = job_document(job, now)
    head = doc["job"]
    lines = [
        f"Job       {fit(head['name'], NAME_WIDTH)} (id {job.job_instance_id})",
        f"Status    {head['status_label']}",
        f"Operator  {head['operator'] or '-'}   launched via {head['launch_mode_label']}",
        f"Started   {format_time(job.start_time, zone)}   "
        f"elapsed {format_duration(head['elapsed_seconds'])}",
    ]
    kinds = target_kinds(host for step in job.steps for host in step.hosts)
    if kinds[TargetKind.CONTAINER.value]:  # counts below are of hosts and containers
        lines.append(
            f"Targets   {kinds[TargetKind.HOST.value]} host and "
            f"{kinds[TargetKind.CONTAINER.value]} container results (counted together below)"
        )
    lines.append("")
    header = ["#", "STEP", "TYPE", "STATUS", "RETRY", "OK", "FAILED", "RUNNING", "WAITING"]
    rows = [_step_row(i, step) for i, step in enumerate(doc["steps"], start=1)]
    if rows:
        lines += render_table(header, rows, numeric={0, 4, 5, 6, 7, 8})
    else:
        lines.append("(no steps)")
    return "\n".join(lines) + "\n"


def _step_row(index: int, step: dict[str, Any]) -> list[str]:
    hosts = step["hosts"]
    return [
        str(index),
        fit(step["name"], NAME_WIDTH),
        step["type_label"],
        step["status_label"],
        str(step["retry_count"]),
        str(hosts["ok"]),
        str(hosts["failed"]),
        str(hosts["running"]),
        str(hosts["waiting"]),
    ]


# ---------------------------------------------------------------- --wait progress


PENDING_STEP_STATUS = 1  # bk-job RunStatusEnum BLANK: not started


def _step_state(step: Step) -> tuple[int, int]:
    """What makes a step worth a progress line: its status and its failed-host count."""
    return step.status, host_counts(step.hosts).failed


def progress_lines(
    previous: Job | None, job: Job, now: datetime, zone: tzinfo | None = None
) -> list[str]:
    """Lines for what changed between two snapshots (``status --wait``, as ``gh run watch``).

    The first snapshot gives the job's line; later ones a line for the job when
    its status changes and one per step whose status or number of failed hosts
    changed. Host counts that merely advance are not a change worth a line.
    """
    stamp = clock_time(now, zone)
    lines: list[str] = []
    if previous is None or previous.status != job.status:
        name = fit(safe_text(job.name), NAME_WIDTH)
        lines.append(f"{stamp}  job {job.job_instance_id} {name}: {job_status_name(job)}")
    before = (
        {step.step_instance_id: _step_state(step) for step in previous.steps} if previous else {}
    )
    total = len(job.steps)
    for index, step in enumerate(job.steps, start=1):
        state = _step_state(step)
        if before.get(step.step_instance_id) == state:
            continue
        if previous is None and step.status == PENDING_STEP_STATUS:
            continue  # the first line names the job; pending steps say nothing yet
        counts = host_counts(step.hosts)
        hosts = f" ({counts.ok:,}/{counts.total:,} ok" + (
            f", {counts.failed:,} failed)" if counts.failed else ")"
        )
        name = fit(safe_text(step.name), NAME_WIDTH)
        label = status_name(step.type, step.status)
        hosts = hosts if counts.total else ""  # a confirmation step has no hosts
        lines.append(f"{stamp}    step {index}/{total} {name}: {label}{hosts}")
    return lines


# ---------------------------------------------------------------- --failed


def failed_hosts(step: Step) -> list[HostResult]:
    """The hosts of ``step`` counted as failed (the ``FAILED`` column), in server order."""
    return [host for host in step.hosts if host_outcome(host.status) == "failed"]


def failed_steps(job: Job) -> list[tuple[int, Step]]:
    """(1-based position, step) of each step with failed hosts or a failed status."""
    return [
        (index, step)
        for index, step in enumerate(job.steps, start=1)
        if step.status in FAILED_RUN_STATUSES or failed_hosts(step)
    ]


def last_lines(content: str, count: int) -> list[str]:
    """The last ``count`` non-empty lines of a log, each made safe to print."""
    lines = [line for line in content.splitlines() if line.strip()]
    return [safe_text(line, max_len=300) for line in lines[-count:]]
