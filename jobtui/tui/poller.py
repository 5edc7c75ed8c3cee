"""One poll: fetch what is due, return what came back. Never touches a widget.

The monitor screen runs :meth:`Poller.poll` in an exclusive worker and re-arms a
one-shot timer once the answer is in, so polls never overlap. What to fetch is
decided by the screen (``PollPlan``); this module only talks to the client and
remembers what a finished step or host already returned, so a finished step's
groups and a finished host's log are fetched once, not every tick.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from jobtui.api.base import JobApi
from jobtui.api.catalog import host_status, run_status
from jobtui.api.errors import (
    ApiError,
    FailedPrecondition,
    JobTuiError,
    UnsupportedFilterError,
)
from jobtui.api.filters import StepFilter
from jobtui.api.models import HostLog, HostResult, Job, StepResult
from jobtui.core.groups import GroupKey, SortKey, first_host
from jobtui.core.snapshot import followed_step

#: Ask the job status for per-host results while the job has at most this many
#: host entries over all its steps; above it, counts come from step results.
HOSTS_WITH_JOB_LIMIT = 2000
NOT_STARTED = 1  # a step's RunStatus before it starts


def estimate_host_entries(job: Job, known: Mapping[int, int]) -> int | None:
    """Host entries a ``with_hosts`` job answer would carry, or ``None`` if unknown.

    A step's size is its known result size, else its host list; steps of
    unknown size are assumed as big as the biggest known one (they usually
    run on the same servers), so a huge job is never fetched whole by mistake.
    """
    sizes = [max(known.get(s.step_instance_id, 0), len(s.hosts)) or None for s in job.steps]
    seen = [size for size in sizes if size is not None]
    if not seen:
        return None
    biggest = max(seen)
    return sum(biggest if size is None else size for size in sizes)


@dataclass(frozen=True, slots=True)
class PollPlan:
    """What one poll should fetch."""

    job_instance_id: int
    job: bool
    step_instance_id: int | None = None
    filter: StepFilter = field(default_factory=StepFilter)
    host: HostResult | None = None
    force: bool = False  # ignore the finished-data cache (the user pressed r)
    fetch_result: bool = True  # False: the groups are not due (see ``Cadence``)
    fetch_log: bool = True  # False: the selected host's log is not due
    # No step chosen yet (the first poll): fetch the result of the step the tree
    # will follow in the same poll, instead of after the first paint.
    follow: bool = False
    # No host selected: the results pane's (group, sort, reversed), so the poll can
    # fetch the log of the host the pane will select (``first_host``) beside the result.
    pick: tuple[GroupKey | None, SortKey, bool] | None = None
    # Finished steps whose final counts the tree lacks (big jobs: their counts
    # come from step results, dropped when the step finished): fetched once each,
    # counts only, all batches (``CountBook.wanted``).
    finals: tuple[int, ...] = ()
    # Steps known not to roll (``StepRolling.flat``): no whole-step counts beside
    # their results (see ``Poller._whole``).
    flat: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What came back; ``None`` fields were not fetched (or were fetched before)."""

    plan: PollPlan
    job: Job | None = None
    result: StepResult | None = None
    log: HostLog | None = None
    error: ApiError | None = None
    unsupported: UnsupportedFilterError | None = None
    # (operator, launch mode) looked up on a poll that fetched no job status: the
    # screen fills them into the job it has, without re-applying the whole job.
    meta: tuple[str | None, int | None] | None = None
    # Whose log ``log`` (or ``log_error``) is: the plan's host, or the one picked
    # for ``plan.pick``.
    log_host: HostResult | None = None
    # The log request alone failed; the rest of the poll is good.
    log_error: ApiError | None = None
    finals: tuple[StepResult, ...] = ()  # see ``PollPlan.finals``
    # The whole step's counts (all batches, latest retry, no filter) beside
    # ``result``, for a running step of a big job that may roll (``Poller._whole``).
    whole: StepResult | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.unsupported is None


@dataclass(slots=True)
class _Got:
    """What a poll has fetched so far (an error keeps the parts already in)."""

    job: Job | None = None
    result: StepResult | None = None
    log: HostLog | None = None
    meta: tuple[str | None, int | None] | None = None
    log_host: HostResult | None = None
    log_error: ApiError | None = None
    finals: tuple[StepResult, ...] = ()
    whole: StepResult | None = None

    def outcome(
        self,
        plan: PollPlan,
        *,
        error: ApiError | None = None,
        unsupported: UnsupportedFilterError | None = None,
    ) -> PollOutcome:
        return PollOutcome(
            plan,
            self.job,
            self.result,
            self.log,
            error,
            unsupported,
            meta=self.meta,
            log_host=self.log_host,
            log_error=self.log_error,
            finals=self.finals,
            whole=self.whole,
        )


class Poller:
    """Fetches job, step result and log through a ``JobApi``."""

    def __init__(self, client: JobApi) -> None:
        self.client = client
        self._result_key: tuple[object, ...] | None = None
        self._log_key: tuple[object, ...] | None = None
        self.host_limit = HOSTS_WITH_JOB_LIMIT
        self._step_sizes: dict[int, int] = {}  # step id → host count seen in its result
        self._host_estimate: int | None = None  # None: not known yet → no hosts
        self._enriched = False  # operator/launch mode looked up (after the first screen)
        self._finals_failed: set[int] = set()  # final counts that could not be fetched

    @property
    def with_hosts(self) -> bool:
        """Whether the next job status request asks for per-host results."""
        return self._host_estimate is not None and self._host_estimate <= self.host_limit

    def forget(self) -> None:
        """Drop the finished-data cache (a retry or a forced refresh)."""
        self._result_key = self._log_key = None
        self._finals_failed.clear()

    async def poll(self, plan: PollPlan, job: Job | None) -> PollOutcome:
        """Fetch the plan's parts in order: job, then step result, then log.

        The first job status comes without the operator lookup (a separate
        request on v3); the lookup runs beside the step result and the log,
        which follow one another.
        """
        return await self._poll(plan, job)

    async def _poll(self, plan: PollPlan, job: Job | None) -> PollOutcome:
        if plan.force:
            self.forget()
        got = _Got()
        try:
            if plan.job:
                got.job = await self._get_job(plan.job_instance_id)
                self._learn(got.job)
            current = got.job or job
            # Beside the step result and the log (two requests in a row), never
            # before them: the first screen waits for the slower of the two paths.
            target = None if self._enriched else current
            try:
                _, enriched = await asyncio.gather(
                    self._step_data(plan, current, got), self._enrich(target)
                )
            except FailedPrecondition:
                # 1241003: the step's state moved under the request (bk-job refuses
                # what the state no longer allows). Not a fault to back off from:
                # the job status again, and the step once more with it.
                got.job = await self._get_job(plan.job_instance_id)
                self._learn(got.job)
                self._result_key = None
                await self._step_data(plan, got.job, got)
                enriched = None
            got.finals = await self._finals(plan)
            if enriched is not None and got.job is not None:
                got.job = enriched
            elif enriched is not None:
                got.meta = _meta(enriched)
        except UnsupportedFilterError as exc:
            return got.outcome(plan, unsupported=exc)
        except ApiError as exc:
            return got.outcome(plan, error=exc)
        return got.outcome(plan)

    async def _step_data(self, plan: PollPlan, job: Job | None, got: _Got) -> None:
        """The step result, then the log, kept in ``got`` as they arrive."""
        got.result = await self._maybe_result(plan, job)
        if got.result is not None and job is not None:
            self._step_sizes[got.result.step_instance_id] = got.result.host_count
            self._learn(job)
            got.whole = await self._whole(plan, job, got.result)
        host, sid = plan.host, plan.step_instance_id
        if host is not None and not plan.fetch_log:
            return
        if host is None and plan.pick is not None and got.result is not None:
            group_key, sort_key, reverse = plan.pick
            host = first_host(got.result.groups, group_key, sort_key, reverse=reverse)
            sid = got.result.step_instance_id
        try:
            got.log = await self._maybe_log(plan.job_instance_id, sid, host, job)
        except UnsupportedFilterError:
            raise
        except ApiError as exc:
            # One host's log failing (a broken log, a timeout on a huge one) says
            # nothing about the job data this poll brought: that stays fresh.
            got.log_error = exc
            got.log_host = host
            return
        if got.log is not None:
            got.log_host = host

    async def _whole(self, plan: PollPlan, job: Job, result: StepResult) -> StepResult | None:
        """The whole step's counts beside its result, one small request, while a step of a
        big job runs and may roll; ``None`` when not needed or not had.

        v3 says nothing of rolling, and ``batch`` omitted answers the current
        batch only: without this, batch 1 of a 50,000-host step showed as
        ``hosts 16,128/16,667``, the 33,333 hosts of the later batches nowhere.
        Also asked while a filter narrows the result (a search, a batch, an
        older retry), so the tree and header keep the whole step's live figure.
        Not asked when the job status lists the step's hosts (they are every
        batch's), for an unfiltered result of a step known not to roll
        (``plan.flat``: its first such answer equalled its result), for a step
        not running (a finished step's final counts are ``finals``), nor when the
        result asked is already the whole step.
        """
        sid = result.step_instance_id
        step = job.step(sid)
        if step is None or step.hosts or result.is_confirm or not self.client.capabilities.batches:
            return None
        if step.status == NOT_STARTED or run_status(step.status).finished:
            return None
        flt = plan.filter
        searching = bool(flt.search_ip or flt.keyword)
        if flt.batch == 0 and not searching and flt.execute_count is None:
            return None  # the result is the whole step already
        if sid in plan.flat and flt.batch is None and not searching and flt.execute_count is None:
            return None  # its result is the whole step: it does not roll
        every = StepFilter(batch=0, max_hosts_per_group=1)
        try:
            return await self.client.get_step_result(plan.job_instance_id, sid, every)
        except JobTuiError:
            return None  # the tree keeps what it had; asked again with the next result

    async def _finals(self, plan: PollPlan) -> tuple[StepResult, ...]:
        """The final counts of finished steps, one small request each. A failure is
        skipped and not asked again until a refresh (``forget``): a step whose
        result cannot be had must not cost a request every job poll."""
        found: list[StepResult] = []
        batches = self.client.capabilities.batches
        every = StepFilter(batch=0 if batches else None, max_hosts_per_group=1)
        for sid in plan.finals:
            if sid in self._finals_failed:
                continue
            try:
                found.append(await self.client.get_step_result(plan.job_instance_id, sid, every))
            except JobTuiError:
                self._finals_failed.add(sid)  # not again until a refresh or a retry
        return tuple(found)

    async def _enrich(self, job: Job | None) -> Job | None:
        """``job`` with operator and launch mode (cached by the client), or ``None``."""
        if job is None:
            return None
        enriched = await self.client.enrich_job(job)
        self._enriched = True
        return enriched

    async def _get_job(self, job_instance_id: int) -> Job:
        return await self.client.get_job(
            job_instance_id, with_hosts=self.with_hosts, enrich=self._enriched
        )

    def _learn(self, job: Job) -> None:
        """Re-estimate the job's size from its host lists and the step results seen."""
        estimate = estimate_host_entries(job, self._step_sizes)
        if estimate is not None:
            self._host_estimate = estimate

    async def _maybe_result(self, plan: PollPlan, job: Job | None) -> StepResult | None:
        sid = plan.step_instance_id
        if sid is None and plan.follow and job is not None:
            followed = followed_step(job)
            sid = followed.step_instance_id if followed is not None else None
        if sid is None or job is None or not plan.fetch_result:
            return None
        step = job.step(sid)
        status = step.status if step else None
        key = (sid, status, step.execute_count if step else None, plan.filter)
        if step is not None and run_status(status).finished and key == self._result_key:
            return None
        result = await self.client.get_step_result(plan.job_instance_id, sid, plan.filter)
        self._result_key = key
        return result

    async def _maybe_log(
        self, job_instance_id: int, sid: int | None, host: HostResult | None, job: Job | None
    ) -> HostLog | None:
        if host is None or sid is None or job is None:
            return None
        step = job.step(sid)
        key = (sid, host.key, host.status, step.execute_count if step else None)
        if host_status(host.status).finished and key == self._log_key:
            return None
        log = await self.client.get_host_log(job_instance_id, sid, host.ref)
        self._log_key = key
        return log


def _meta(job: Job) -> tuple[str | None, int | None]:
    return job.operator, job.launch_mode
