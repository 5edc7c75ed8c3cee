"""``jobtui act``: one operation on a job, from a shell, as deliberately as from the monitor.

A contract (names and exit codes are kept): the job is polled first and an
action its state does not allow is refused, naming the ones it allows; on a
terminal the person confirms, without one ``--yes`` is required; the
operation is sent once, never retried, and recorded in the audit file.

Exit codes: 0 bk-job accepted it (with ``--wait``: as ``status --wait``);
2 usage, configuration, read-only or no confirmation; 3 API or network error
(a non-confirmer included); 5 not allowed in the current state (by this check
or by bk-job's 1241003).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

import httpx

from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError, FailedPrecondition
from jobtui.api.models import Job
from jobtui.api.operations import JobOperator, route_note
from jobtui.api.retry import backoff_delay, should_retry
from jobtui.api.settings import ConnectionSettings
from jobtui.core.actions import ACTIONS, Offer, Pending, offers, refusal
from jobtui.core.audit import AuditContext
from jobtui.core.operate import send
from jobtui.core.readonly import ReadOnly, read_only_refusal
from jobtui.core.sanitize import safe_text
from jobtui.core.summary import EXIT_CODES, Outcome, outcome, render_text

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_API = 3
EXIT_NOT_ALLOWED = 5

Sleep = Callable[[float], Awaitable[None]]
Ask = Callable[[str], str | None]  # the prompt → the answer; None: no terminal to ask on


@dataclass(frozen=True, slots=True)
class ActOptions:
    """What ``jobtui act`` was asked to do."""

    job_instance_id: int
    action: str
    step_instance_id: int | None = None
    yes: bool = False
    wait: bool = False
    interval: float = 2.0
    max_retries: int = 3  # consecutive transient errors tolerated while waiting


def terminal_ask(prompt: str) -> str | None:
    """Ask on the terminal (prompt on stderr, so stdout stays clean); None without one."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        return sys.stdin.readline()
    except (OSError, ValueError):
        return None


def prompt_for(offer: Offer, job: Job) -> str:
    """``Confirm "confirm" of step "Confirm rollout" (2004) of job 1001 (Deploy)? [y/N] ``."""
    name = safe_text(job.name, max_len=80)
    where = ""
    if offer.step is not None:
        step = safe_text(offer.step.name, max_len=60)
        where = f'step "{step}" ({offer.step.step_instance_id}) of '
    return (
        f'Confirm "{offer.action.name}" of {where}job {job.job_instance_id} ({name})? '
        f"({offer.consequence}) [y/N] "
    )


async def run_act(
    settings: ConnectionSettings,
    options: ActOptions,
    *,
    audit: AuditContext | None,
    readonly: ReadOnly | None,
    transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    ask: Ask = terminal_ask,
    sleep: Sleep = asyncio.sleep,
) -> int:
    """Connect, check, confirm, send once, report; return the exit code."""
    from jobtui.api.factory import make_client

    stderr = err if err is not None else sys.stderr
    if readonly is not None:
        stderr.write(f"jobtui: error: {read_only_refusal(readonly)}\n")
        return EXIT_USAGE
    client = make_client(settings, transport=transport)
    try:
        return await act(
            client,
            options,
            audit=audit,
            out=out if out is not None else sys.stdout,
            err=stderr,
            ask=ask,
            sleep=sleep,
            zone=None,  # the local zone, as the monitor shows (TZ changes it)
        )
    finally:
        await client.aclose()


async def act(
    client: JobApi,
    options: ActOptions,
    *,
    audit: AuditContext | None,
    out: TextIO,
    err: TextIO,
    ask: Ask,
    sleep: Sleep,
    zone: ZoneInfo | None = None,
) -> int:
    """The whole command over an open client (tests drive it directly)."""
    if options.action not in ACTIONS:
        err.write(f"jobtui: error: unknown action {options.action!r}\n")
        return EXIT_USAGE
    if not isinstance(client, JobOperator):
        err.write("jobtui: error: this client cannot send operations\n")
        return EXIT_USAGE
    job = await client.get_job(options.job_instance_id, with_hosts=False)
    offer = _find(job, options)
    if offer is None:
        err.write(f"jobtui: {refusal(job, options.action, options.step_instance_id)}\n")
        return EXIT_NOT_ALLOWED
    route = route_note(client.family)
    if route is not None:  # on its own line, before the prompt (whose shape is kept)
        err.write(f"jobtui: note: {route}\n")
    if not options.yes:
        answer = ask(prompt_for(offer, job))
        if answer is None:
            err.write(
                "jobtui: error: no terminal to confirm on: add --yes to send "
                f'"{options.action}" without asking\n'
            )
            return EXIT_USAGE
        if answer.strip().lower() not in ("y", "yes"):
            err.write("jobtui: not confirmed: nothing sent\n")
            return EXIT_USAGE
    sent_at = datetime.now(UTC)
    result = await send(client, offer, job.job_instance_id, audit=audit, readonly=None)
    name = safe_text(job.name, max_len=80)
    if result.audit_error:
        err.write(f"jobtui: warning: {result.audit_error}\n")
    if result.error is not None:
        err.write(
            f"jobtui: error: {safe_text(result.summary(job.job_instance_id, name), max_len=500)}\n"
        )
        return EXIT_NOT_ALLOWED if isinstance(result.error, FailedPrecondition) else EXIT_API
    out.write(safe_text(result.summary(job.job_instance_id, name), max_len=500) + "\n")
    out.flush()
    if not options.wait:
        return EXIT_OK
    pending = Pending.sent(offer, job, sent_at)
    final = await _wait(client, options, pending, sleep)
    out.write(render_text(final, datetime.now(UTC), zone))
    return EXIT_CODES[outcome(final)]


def _find(job: Job, options: ActOptions) -> Offer | None:
    for offer in offers(job, options.step_instance_id):
        if offer.action.name == options.action:
            return offer
    return None


async def _wait(client: JobApi, options: ActOptions, pending: Pending, sleep: Sleep) -> Job:
    """Until the step (or job) has left the state the operation was sent in, then as
    ``status --wait`` until the job no longer runs."""
    failures = 0
    moved = False
    while True:
        await sleep(options.interval)
        try:
            job = await client.get_job(options.job_instance_id, with_hosts=True)
        except ApiError as error:
            if failures >= options.max_retries or not should_retry(error):
                raise
            failures += 1
            await sleep(backoff_delay(failures, error))
            continue
        failures = 0
        moved = moved or pending.moved(job)
        if moved and outcome(job) is not Outcome.RUNNING:
            return job
