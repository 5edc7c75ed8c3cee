"""``jobtui status``: print one job headless, optionally waiting until it needs nobody.

Built for scripts and CI: one fetch (or a poll loop with ``--wait``), one
document on stdout (aligned text or JSON), and an exit code that says how the
job stands (see ``jobtui.core.summary.EXIT_CODES``). API errors propagate as
``ApiError`` for the command line to print; with ``--wait`` a few transient
errors in a row are retried first, as ``jobtui.api.retry`` advises.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TextIO

import httpx

from jobtui.api.base import JobApi
from jobtui.api.catalog import host_status
from jobtui.api.errors import ApiError
from jobtui.api.models import HostResult, Job, Step
from jobtui.api.retry import backoff_delay, should_retry
from jobtui.api.settings import ConnectionSettings
from jobtui.api.streak import INTERNAL_CODE
from jobtui.core.numfmt import plural
from jobtui.core.sanitize import marks, safe_text
from jobtui.core.summary import (
    EXIT_CODES,
    Outcome,
    failed_hosts,
    failed_steps,
    job_document,
    last_lines,
    outcome,
    progress_lines,
    render_text,
)

Sleep = Callable[[float], Awaitable[None]]
Now = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class StatusOptions:
    """What ``jobtui status`` was asked to do."""

    job_instance_id: int
    json: bool = False
    wait: bool = False
    interval: float = 2.0  # poll period with --wait
    max_retries: int = 3  # consecutive transient errors tolerated with --wait
    failed: bool = False  # --failed: the failing hosts of failed steps and their last log lines
    log_lines: int = 5  # last log lines per failing host
    max_failed_hosts: int = 20  # per step; the rest are counted, not fetched


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def run_status(
    settings: ConnectionSettings,
    options: StatusOptions,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO | None = None,
    sleep: Sleep = asyncio.sleep,
    now: Now = _utc_now,
) -> int:
    """Connect with ``settings`` (through ``transport`` in tests), report, return the exit code."""
    from jobtui.api.factory import make_client

    client = make_client(settings, transport=transport)
    try:
        return await report_status(client, options, out=out, zone=None, sleep=sleep, now=now)
    finally:
        await client.aclose()


async def report_status(
    client: JobApi,
    options: StatusOptions,
    *,
    out: TextIO | None = None,
    zone: tzinfo | None = None,
    sleep: Sleep = asyncio.sleep,
    now: Now = _utc_now,
) -> int:
    """Fetch (and with ``--wait`` poll) the job, print it, return its exit code.

    With ``--wait`` a line goes out for each change as it happens (as ``gh run
    watch`` does): on stdout for text, on stderr with ``--json`` so that stdout
    stays one JSON document.
    """
    stream = out if out is not None else sys.stdout
    progress = stream if not options.json else sys.stderr
    last: list[Job] = []

    def on_snapshot(job: Job) -> None:
        for line in progress_lines(last[-1] if last else None, job, now(), zone):
            progress.write(line + "\n")
        progress.flush()
        last[:] = [job]

    job = await fetch_job(client, options, sleep=sleep, on_snapshot=on_snapshot)
    if options.wait:
        progress.write("\n" if not options.json else "")
    moment = now()
    failures = await fetch_failures(client, job, options) if options.failed else []
    if options.json:
        document = job_document(job, moment)
        if options.failed:
            document["failed_hosts"] = [failure.document() for failure in failures]
        stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        stream.write(render_text(job, moment, zone))
        if options.failed:
            stream.write(render_failures(job, failures))
    stream.flush()
    return EXIT_CODES[outcome(job)]


@dataclass(frozen=True, slots=True)
class HostFailure:
    """One failing host of a failed step, with the end of its log."""

    step_index: int
    step: Step
    host: HostResult
    lines: tuple[str, ...]
    log_error: str | None = None  # the log could not be fetched

    def document(self) -> dict[str, object]:
        return {
            "step_instance_id": self.step.step_instance_id,
            "host": safe_text(self.host.ref.display),
            "status": self.host.status,
            "status_label": host_status(self.host.status).label,
            "exit_code": self.host.exit_code,
            "last_log_lines": list(self.lines),
            "log_error": self.log_error,
        }


async def fetch_failures(client: JobApi, job: Job, options: StatusOptions) -> list[HostFailure]:
    """Each failed step's failing hosts (``max_failed_hosts`` at most) with their last lines."""
    found: list[HostFailure] = []
    for index, step in failed_steps(job):
        hosts = failed_hosts(step)[: options.max_failed_hosts]
        if not hosts:
            continue
        try:
            logs = await client.get_host_logs(
                job.job_instance_id, step.step_instance_id, [host.ref for host in hosts]
            )
        except ApiError as error:  # the hosts are still worth naming
            found += [HostFailure(index, step, host, (), str(error)) for host in hosts]
            continue
        by_key = {log.ref.key: log for log in logs}
        for host in hosts:
            log = by_key.get(host.ref.key)
            text = log.content if log is not None else ""
            if log is not None and not text and log.files:
                text = "\n".join(f.content for f in log.files if f.content)
            found.append(HostFailure(index, step, host, tuple(last_lines(text, options.log_lines))))
    return found


def render_failures(job: Job, failures: list[HostFailure]) -> str:
    """The ``--failed`` text: per failed step, its failing hosts and their last log lines."""
    if not failed_steps(job):
        return "\nNo failed hosts.\n"
    lines: list[str] = []
    for index, step in failed_steps(job):
        mine = [f for f in failures if f.step_index == index]
        every = failed_hosts(step)
        name = safe_text(step.name, max_len=60)
        of = plural(len(step.hosts), "host")
        lines += ["", f"Step {index} {name}: {len(every):,} failed of {of}"]
        for failure in mine:
            exit_code = failure.host.exit_code
            code = f"  exit {exit_code}" if exit_code is not None else ""
            label = host_status(failure.host.status).label
            lines.append(f"  {safe_text(failure.host.ref.display, max_len=60)}  {label}{code}")
            if failure.log_error:
                lines.append(f"    (log not fetched: {safe_text(failure.log_error, max_len=200)})")
            elif not failure.lines:
                lines.append("    (no output)")
            lines += [f"    | {line}" for line in failure.lines]
        if len(every) > len(mine):
            more = len(every) - len(mine)
            lines.append(
                f"  {'...' if marks().ascii else '…'} and {more:,} more: "
                f"jobtui watch {job.job_instance_id} "
                f"--step {step.step_instance_id}"
            )
    return "\n".join(lines) + "\n"


async def fetch_job(
    client: JobApi,
    options: StatusOptions,
    *,
    sleep: Sleep,
    on_snapshot: Callable[[Job], None] | None = None,
) -> Job:
    """The job once, or with ``wait`` the first snapshot that is no longer running.

    ``on_snapshot`` sees every snapshot fetched while waiting (for progress lines).
    """
    failures = 0
    while True:
        try:
            job = await client.get_job(options.job_instance_id, with_hosts=True)
        except ApiError as error:
            # One 1240002 is a transient failure, or a container job on a host-only
            # family: the client tells them apart after a few in a row (api.streak).
            retried = options.wait or error.code == INTERNAL_CODE
            if not retried or failures >= options.max_retries or not should_retry(error):
                raise
            failures += 1
            await sleep(backoff_delay(failures, error))
            continue
        failures = 0
        if options.wait and on_snapshot is not None:
            on_snapshot(job)
        if not options.wait or outcome(job) is not Outcome.RUNNING:
            return job
        await sleep(options.interval)
