"""The one async interface every API family implements.

``core/`` and ``tui/`` hold a ``JobApi`` and never know which family is behind
it; ``Capabilities`` tells them what that family can do, so a picker can be
disabled instead of silently doing nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostLog, HostRef, Job, JobPage, StepResult


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a family supports beyond the common core."""

    server_side_filters: bool  # StepFilter applied by the server (v3)
    batches: bool  # rolling batch selection
    retries: bool  # results of older retries (execute_count)
    keyword: bool  # log keyword filter
    job_list: bool  # get_job_instance_list
    batch_logs: bool  # batch_get_job_instance_ip_log (≤500 hosts a request)


@runtime_checkable
class JobApi(Protocol):
    """Read-only access to job executions of one scope."""

    family: ApiFamily
    capabilities: Capabilities

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        """Job status with its blocks and steps (hosts per step when ``with_hosts``).

        ``enrich=False`` skips any extra request for fields the status answer
        lacks (v3: operator and launch mode), so a first screen need not wait
        for it; :meth:`enrich_job` adds them later.
        """
        ...

    async def enrich_job(self, job: Job) -> Job:
        """``job`` with the fields a separate, cached lookup provides; never raises."""
        ...

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        """The step's result groups for the filter's retry and batch."""
        ...

    async def get_host_log(
        self, job_instance_id: int, step_instance_id: int, host: HostRef
    ) -> HostLog:
        """The latest log of one host (logs have no retry or batch selector)."""
        ...

    async def get_host_logs(
        self, job_instance_id: int, step_instance_id: int, hosts: Sequence[HostRef]
    ) -> list[HostLog]:
        """Logs of many hosts (batched ≤500 a request where the family allows)."""
        ...

    async def list_jobs(
        self,
        *,
        since: datetime,
        until: datetime | None = None,
        statuses: Sequence[int] = (),
        operator: str | None = None,
        name: str | None = None,
        start: int = 0,
        length: int = 100,
    ) -> JobPage:
        """Job instances created in [since, until] (window ≤30 days), newest first."""
        ...

    async def aclose(self) -> None:
        """Close the underlying HTTP client if this object owns it."""
        ...
