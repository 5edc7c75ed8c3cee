"""Gateway v3: ``{url}/api/v3/<name>``, credentials only in ``X-Bkapi-Authorization``.

The one family that filters step results on the server (retries, rolling
batches, keyword, status, tag); ``jobv3`` reuses everything here but the URL,
the auth and get_step_instance_status, which ESB lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from jobtui.api import v3map
from jobtui.api.base import Capabilities
from jobtui.api.confirm import clean_message, is_confirm, result_from_step
from jobtui.api.errmap import Call
from jobtui.api.errors import (
    ApiError,
    ConfigError,
    FailedPrecondition,
    GatewayForbidden,
    GatewayNotFound,
    NotFoundError,
    PermissionDenied,
)
from jobtui.api.filters import StepFilter
from jobtui.api.grouping import narrowed
from jobtui.api.http import HttpCore
from jobtui.api.models import (
    CONFIRM_STEP_TYPE,
    ApiFamily,
    ConfirmInfo,
    HostLog,
    HostRef,
    Job,
    JobPage,
    Step,
    StepResult,
)
from jobtui.api.reuse import HostReuse
from jobtui.api.settings import ConnectionSettings
from jobtui.api.wire import (
    Envelope,
    V3BatchLogs,
    V3IpLog,
    V3JobList,
    V3JobStatus,
    V3StepDetail,
    V3StepStatus,
)

if TYPE_CHECKING:  # the operation code loads when an operation is sent (operate_*)
    from jobtui.api.operations import JobOperation, OperationReceipt, StepOperation

JOB_STATUS = TypeAdapter(Envelope[V3JobStatus])
STEP_STATUS = TypeAdapter(Envelope[V3StepStatus])
IP_LOG = TypeAdapter(Envelope[V3IpLog])
BATCH_LOGS = TypeAdapter(Envelope[V3BatchLogs])
JOB_LIST = TypeAdapter(Envelope[V3JobList])
STEP_DETAIL = TypeAdapter(Envelope[V3StepDetail])

BATCH_LOG_LIMIT = 500  # hosts per batch_get_job_instance_ip_log request
LIST_WINDOW = timedelta(days=30)
LIST_MAX_LENGTH = 1000
ENRICH_WINDOW = timedelta(days=1)  # around the job's create_time, for the list lookup
#: Job statuses bk-job's RunStatusEnum knows: any other ``status`` filter on the job
#: list throws inside ``RunStatusEnum.valueOf`` and comes back as 1240002 (12, the
#: web UI's "force terminate failed", is not one of them).
LIST_STATUSES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15})


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _chunks(items: Sequence[HostRef], size: int) -> list[Sequence[HostRef]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _no_detail(exc: ApiError) -> str:
    """Why there is no confirmation message, short enough for the card's second line."""
    if isinstance(exc, GatewayNotFound):
        return "message not available: this server has no get_step_instance_detail (3.8.6+)"
    if isinstance(exc, (PermissionDenied, GatewayForbidden)):
        return "message not available: no permission for get_step_instance_detail"
    return f"message not available: {exc.message[:100]}"


def check_list_window(since: datetime, until: datetime) -> None:
    """Refuse what ``EsbGetJobInstanceListV3ResourceImpl.checkRequest`` refuses.

    A window over 30 days gets 1241002 and one that does not move forward
    (``end - start <= 0``) 1241007: said here in words, never sent.
    """
    span = _ms(until) - _ms(since)
    if span > LIST_WINDOW.total_seconds() * 1000:
        raise ConfigError(
            f"job list window of {span / 86_400_000:.1f} days is too long: "
            "bk-job allows at most 30 days"
        )
    if span <= 0:
        raise ConfigError("job list window must end after it starts (bk-job refuses an empty one)")


class V3Client:
    """JobApi over the API gateway v3."""

    family = ApiFamily.V3
    capabilities = Capabilities(
        server_side_filters=True,
        batches=True,
        retries=True,
        keyword=True,
        job_list=True,
        batch_logs=True,
    )

    def __init__(self, http: HttpCore, settings: ConnectionSettings) -> None:
        self._http = http
        self._settings = settings
        # job id → (operator, launch mode, plan id) from get_job_instance_list;
        # None = lookup failed
        self._job_meta: dict[int, tuple[str | None, int | None, int | None] | None] = {}
        # step id → step type, from every job status seen (confirmation steps are
        # never asked for their result: see ``api/confirm.py``)
        self._step_types: dict[int, int] = {}
        # step id → its approval card facts (get_step_instance_detail, once per step)
        self._confirm: dict[int, ConfirmInfo] = {}
        # step id → the (status, tag) keys of its last answer: what a status/tag
        # filter picks from (see ``StepFilter.picks``)
        self._group_keys: dict[int, tuple[tuple[int, str], ...]] = {}
        # the hosts of the last answers, handed back where an entry did not change
        # (api/reuse.py): step results by step, job statuses by job
        self._step_hosts = HostReuse()
        self._job_hosts = HostReuse()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self._settings.url!r}, scope={self._scope()})"

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------ request shape

    def _scope(self) -> dict[str, str]:
        return {
            "bk_scope_type": str(self._settings.scope_type),
            "bk_scope_id": self._settings.scope_id,
        }

    def _path(self, name: str) -> str:
        return f"/api/v3/{name}"

    def _params(self, **values: Any) -> dict[str, Any]:
        """Scope plus the given values, ``None`` left out (the server's defaults apply)."""
        return {**self._scope(), **{k: v for k, v in values.items() if v is not None}}

    async def _get(self, adapter: TypeAdapter[Envelope[Any]], call: Call, **values: Any) -> Any:
        return await self._http.fetch(
            "GET", self._path(call.api), adapter, call, params=self._params(**values)
        )

    async def _post(self, adapter: TypeAdapter[Envelope[Any]], call: Call, **values: Any) -> Any:
        return await self._http.fetch(
            "POST", self._path(call.api), adapter, call, body=self._params(**values)
        )

    # ------------------------------------------------------------ JobApi

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        data = await self._get(
            JOB_STATUS,
            Call("get_job_instance_status", job_instance_id),
            job_instance_id=job_instance_id,
            return_ip_result=with_hosts,
        )
        job = v3map.job(data, self._job_hosts.start(job_instance_id))
        self._learn_types(job)
        return await self.enrich_job(job) if enrich else job

    def _learn_types(self, job: Job) -> None:
        for step in job.steps:
            self._step_types[step.step_instance_id] = step.type

    async def enrich_job(self, job: Job) -> Job:
        """Add operator and launch mode, which get_job_instance_status does not send.

        Looked up once per job id in get_job_instance_list (filtered by
        ``job_instance_id``, ±1 day around its create time) and cached; a failed
        lookup is cached too, so the fields stay unknown instead of costing a
        request every poll.
        """
        if job.operator is not None and job.launch_mode is not None:
            return job
        meta = await self._meta(job)
        if meta is None:
            return job
        operator, mode, plan = meta
        return replace(
            job,
            operator=job.operator if job.operator is not None else operator,
            launch_mode=job.launch_mode if job.launch_mode is not None else mode,
            plan_id=job.plan_id if job.plan_id is not None else plan,
        )

    async def _meta(self, job: Job) -> tuple[str | None, int | None, int | None] | None:
        """The job's list row facts, looked up once per job id (see ``enrich_job``)."""
        jid = job.job_instance_id
        if jid not in self._job_meta:
            self._job_meta[jid] = await self._lookup_meta(job)
        return self._job_meta[jid]

    async def _lookup_meta(self, job: Job) -> tuple[str | None, int | None, int | None] | None:
        created = job.create_time or job.start_time
        if created is None:
            return None
        try:
            data = await self._get(
                JOB_LIST,
                Call("get_job_instance_list"),
                create_time_start=_ms(created - ENRICH_WINDOW),
                create_time_end=_ms(created + ENRICH_WINDOW),
                job_instance_id=job.job_instance_id,
                start=0,
                length=1,
            )
        except ApiError:
            return None
        rows = [j for j in v3map.job_page(data).jobs if j.job_instance_id == job.job_instance_id]
        return (rows[0].operator, rows[0].launch_mode, rows[0].plan_id) if rows else None

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        """The step's groups for ``flt``; a confirmation step's from the job status.

        A status/tag filter picks ``(status, tag)`` groups from the step's last
        answer: exactly one → ``status`` and ``tag`` go to the server, which then
        lists only that group; none known or several → neither is sent (every
        group listed, capped by ``max_host_num_per_group``) and the groups not
        picked are narrowed here. An answer whose groups no longer match the one
        asked for (the step moved on) is asked again without them.
        """
        flt = flt or StepFilter()
        if self._step_types.get(step_instance_id) == CONFIRM_STEP_TYPE:
            return await self._confirm_result(job_instance_id, step_instance_id, flt)
        sent = self._one_group(step_instance_id, flt)
        try:
            result = await self._step_status(job_instance_id, step_instance_id, flt, sent)
            if sent is not None and [g.key for g in result.groups if flt.picks(g.key)] != [sent]:
                result = await self._step_status(job_instance_id, step_instance_id, flt, None)
        except FailedPrecondition:
            # 1241003: a confirmation step this client had not seen in a job status
            # yet (or the step changed); the job status says which.
            job = await self.get_job(job_instance_id, with_hosts=False, enrich=False)
            if not is_confirm(job.step(step_instance_id)):
                raise
            return await self._confirm_result(job_instance_id, step_instance_id, flt, job)
        self._group_keys[step_instance_id] = tuple(g.key for g in result.groups)
        return narrowed(result, flt)

    def _one_group(self, step_instance_id: int, flt: StepFilter) -> tuple[int, str] | None:
        """The one group key the filter picks from the step's last answer, else ``None``."""
        if not flt.picks_groups:
            return None
        picked = [k for k in self._group_keys.get(step_instance_id, ()) if flt.picks(k)]
        return picked[0] if len(picked) == 1 else None

    async def _step_status(
        self,
        job_instance_id: int,
        step_instance_id: int,
        flt: StepFilter,
        group: tuple[int, str] | None,
    ) -> StepResult:
        status, tag = group if group is not None else (None, None)
        data = await self._get(
            STEP_STATUS,
            Call("get_step_instance_status", job_instance_id, step_instance_id),
            job_instance_id=job_instance_id,
            step_instance_id=step_instance_id,
            execute_count=flt.execute_count,
            batch=flt.batch,
            max_host_num_per_group=flt.max_hosts_per_group,
            keyword=flt.keyword,
            search_ip=flt.search_ip,
            status=status,
            tag=tag or None,  # the server reads a missing tag as "" (ResultGroupBaseDTO)
        )
        result = v3map.step_result(
            data, flt.batch, flt.execute_count, self._step_hosts.start(step_instance_id)
        )
        self._step_types[step_instance_id] = result.type
        return result

    async def _confirm_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter, job: Job | None = None
    ) -> StepResult:
        """A confirmation step: its status from the job status, its message once."""
        if job is None:
            job = await self.get_job(job_instance_id, with_hosts=False, enrich=False)
        step = job.step(step_instance_id)
        if step is None:
            raise NotFoundError(
                f"step instance {step_instance_id} not found in job instance {job_instance_id}",
                code=1244007,
            )
        confirm = await self._confirm_info(job_instance_id, step)
        return result_from_step(step, flt, confirm=confirm)

    async def _confirm_info(self, job_instance_id: int, step: Step) -> ConfirmInfo:
        """The confirmation message (get_step_instance_detail, gateway 3.8.6+), cached.

        A failure is cached too (an older server has no such API; a permission
        stays missing), except a transient one, which the next poll tries again.
        """
        sid = step.step_instance_id
        known = self._confirm.get(sid)
        if known is not None:
            return known
        try:
            data = await self._get(
                STEP_DETAIL,
                Call("get_step_instance_detail", job_instance_id, sid),
                job_instance_id=job_instance_id,
                step_instance_id=sid,
            )
        except ApiError as exc:
            info = ConfirmInfo(message_note=_no_detail(exc))
            if not exc.retryable:
                self._confirm[sid] = info
            return info
        approval = data.get("approval_info") or {}
        message = clean_message(approval.get("approval_message"))
        info = ConfirmInfo(message=message or None, message_note=None if message else "no message")
        self._confirm[sid] = info
        return info

    async def get_host_log(
        self, job_instance_id: int, step_instance_id: int, host: HostRef
    ) -> HostLog:
        where = (
            {"bk_host_id": host.host_id}
            if host.host_id is not None
            else {"bk_cloud_id": host.cloud_id or 0, "ip": host.ip}
        )
        data = await self._get(
            IP_LOG,
            Call("get_job_instance_ip_log", job_instance_id, step_instance_id),
            job_instance_id=job_instance_id,
            step_instance_id=step_instance_id,
            **where,
        )
        return v3map.host_log(data)

    async def get_host_logs(
        self, job_instance_id: int, step_instance_id: int, hosts: Sequence[HostRef]
    ) -> list[HostLog]:
        """≤500 hosts a request; hosts with an id and IP-only hosts go separately
        because the server ignores ``ip_list`` when ``host_id_list`` is present."""
        with_id = [h for h in hosts if h.host_id is not None]
        by_ip = [h for h in hosts if h.host_id is None and h.ip]
        call = Call("batch_get_job_instance_ip_log", job_instance_id, step_instance_id)
        logs: list[HostLog] = []
        requests: list[dict[str, Any]] = [
            {"host_id_list": [h.host_id for h in chunk]}
            for chunk in _chunks(with_id, BATCH_LOG_LIMIT)
        ] + [
            {"ip_list": [{"bk_cloud_id": h.cloud_id or 0, "ip": h.ip} for h in chunk]}
            for chunk in _chunks(by_ip, BATCH_LOG_LIMIT)
        ]
        for selector in requests:
            data = await self._post(
                BATCH_LOGS,
                call,
                job_instance_id=job_instance_id,
                step_instance_id=step_instance_id,
                **selector,
            )
            log_type = data.get("log_type")
            for item in (data.get("script_task_logs") or []) + (data.get("file_task_logs") or []):
                logs.append(v3map.host_log(item, log_type))
        return logs

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
        until = until or datetime.now(UTC)
        check_list_window(since, until)
        # Unknown codes are never sent (1240002 on the server): they and a choice
        # of several are narrowed here.
        sent = statuses[0] if len(statuses) == 1 and statuses[0] in LIST_STATUSES else None
        data = await self._get(
            JOB_LIST,
            Call("get_job_instance_list"),
            create_time_start=_ms(since),
            create_time_end=_ms(until),
            status=sent,
            operator=operator or None,
            name=name or None,
            start=max(start, 0),
            length=min(max(length, 1), LIST_MAX_LENGTH),
        )
        page = v3map.job_page(data)
        if statuses and sent is None:  # one known status per request; the rest here
            page = replace(page, jobs=tuple(j for j in page.jobs if j.status in statuses))
        return page

    # ------------------------------------------------------------ operations

    async def operate_step_instance(
        self, job_instance_id: int, step_instance_id: int, operation: StepOperation
    ) -> OperationReceipt:
        """POST operate_step_instance (``EsbOperateStepInstanceV3Request``); never retried.

        jobv3 inherits it with its own path and body (ESB credentials)."""
        from jobtui.api.operations import operate_step

        return await operate_step(
            self._http, self._path, self._params, job_instance_id, step_instance_id, operation
        )

    async def operate_job_instance(
        self, job_instance_id: int, operation: JobOperation
    ) -> OperationReceipt:
        """POST operate_job_instance (``EsbOperateJobInstanceV3Request``); never retried."""
        from jobtui.api.operations import operate_job

        return await operate_job(self._http, self._path, self._params, job_instance_id, operation)
