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
from zoneinfo import ZoneInfo

import httpx

from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError
from jobtui.api.models import Job
from jobtui.api.retry import backoff_delay, should_retry
from jobtui.api.settings import ConnectionSettings
from jobtui.api.streak import INTERNAL_CODE
from jobtui.core.summary import EXIT_CODES, Outcome, job_document, outcome, render_text

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
        return await report_status(
            client, options, out=out, zone=ZoneInfo(settings.timezone), sleep=sleep, now=now
        )
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
    """Fetch (and with ``--wait`` poll) the job, print it, return its exit code."""
    job = await fetch_job(client, options, sleep=sleep)
    stream = out if out is not None else sys.stdout
    moment = now()
    if options.json:
        stream.write(json.dumps(job_document(job, moment), ensure_ascii=False, indent=2) + "\n")
    else:
        stream.write(render_text(job, moment, zone))
    stream.flush()
    return EXIT_CODES[outcome(job)]


async def fetch_job(client: JobApi, options: StatusOptions, *, sleep: Sleep) -> Job:
    """The job once, or with ``wait`` the first snapshot that is no longer running."""
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
        if not options.wait or outcome(job) is not Outcome.RUNNING:
            return job
        await sleep(options.interval)
