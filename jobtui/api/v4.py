"""Gateway v4: ``{url}/api/v4/<name>`` (bk-job 3.12.1+), credentials in ``X-Bkapi-Authorization``.

The family that can describe a job whose targets are containers (v3 answers
1240002 on those: ``EsbGetJobInstanceStatusV3ResourceImpl`` reads a host from
every ``ExecuteObject``, which a container has not). It has three read resources:

- ``GET get_job_instance_status`` (``OpenApiGetJobInstanceStatusV4Resource``):
  with ``return_execute_object_result`` every step lists its hosts and
  containers for the latest retry, all batches;
- ``GET get_job_instance_list`` (``EsbGetJobInstanceListV4Resource``):
  ``offset`` ≤ 10,000, ``length`` ≤ 200 and no total, so it is paged until a
  short page comes back;
- ``POST batch_get_job_instance_execute_object_log``
  (``V4BatchGetJobInstanceExecuteObjectLogRequest``): 1..50 objects a call,
  one of ``host_id_list`` > ``ip_list`` > ``container_id_list`` (the server
  reads the first one present and ignores the rest).

There is no step-status, single-target log or operation resource: result
groups are built here from the job status (like ESB jobv3), one target's log
comes through the batch resource, and older retries or single batches cannot
be selected (``UnsupportedFilterError`` says so).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import TypeAdapter

from jobtui.api import v4err, v4map
from jobtui.api.base import Capabilities
from jobtui.api.confirm import NO_MESSAGE_API, is_confirm, result_from_step
from jobtui.api.errmap import Call, bkjob_error
from jobtui.api.errors import (
    ApiError,
    BadResponseError,
    ConfigError,
    NotFoundError,
    UnsupportedFilterError,
)
from jobtui.api.filters import StepFilter
from jobtui.api.grouping import build_groups, check_keyword, searchable
from jobtui.api.http import HttpCore, Params, decode
from jobtui.api.models import (
    ApiFamily,
    ConfirmInfo,
    HostLog,
    HostRef,
    HostResult,
    Job,
    JobPage,
    LogKind,
    Step,
    StepResult,
    TargetKind,
)

if TYPE_CHECKING:  # the operation code loads when an operation is sent (operate_*)
    from jobtui.api.operations import JobOperation, OperationReceipt, StepOperation
from jobtui.api.settings import ConnectionSettings
from jobtui.api.wire_v4 import V4Envelope, V4JobList, V4JobStatus, V4Logs

T = TypeVar("T")

JOB_STATUS = TypeAdapter(V4Envelope[V4JobStatus])
JOB_LIST = TypeAdapter(V4Envelope[V4JobList])
LOGS = TypeAdapter(V4Envelope[V4Logs])

FAMILY = "gateway v4"
LOG_LIMIT = 50  # execute objects per batch_get_job_instance_execute_object_log call
LIST_PAGE = 200  # get_job_instance_list length limit
LIST_MAX_OFFSET = 10_000
ENRICH_WINDOW = timedelta(days=1)
SCRIPT_LOG, FILE_LOG = 1, 2


def _ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


class V4Http(HttpCore):
    """HttpCore with v4's protocol: real HTTP statuses, ``{"data"}`` / ``{"error"}`` bodies."""

    def _status_error(
        self, status: int, reason: str, headers: Mapping[str, str], body: bytes, call: Call
    ) -> ApiError:
        return v4err.status_error(status, reason, headers, body, call)

    async def fetch_v4(
        self,
        method: str,
        path: str,
        adapter: TypeAdapter[V4Envelope[T]],
        call: Call,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> T:
        """Send, check, validate: the ``data`` of a 2xx answer."""
        try:
            response = await self._send(method, path, call, params=params, body=body)
            rid = response.headers.get("x-bkapi-request-id")
            envelope = decode(response, adapter, call)
            error = envelope.get("error")
            if error:  # a 2xx carrying an error (a proxy re-wrapping): still an error
                raise v4err.bkjob_error(response.status_code, error, response.headers, call)
            data = envelope.get("data")
            if data is None:
                legacy = _legacy_failure(response.content)
                if legacy is not None:  # a v3-style ``result:false`` body: say what it says
                    raise bkjob_error(legacy, call, rid)
                raise BadResponseError(f"{call.api}: the response carries no data", request_id=rid)
            return data
        except ApiError as exc:
            raise self._scrub(exc) from None


def _legacy_failure(raw: bytes) -> dict[str, Any] | None:
    try:
        loose = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return loose if isinstance(loose, dict) and loose.get("result") is False else None


def _via_v3(name: str) -> str:
    """The stage's v3 resource of an operation (v4 has none; ``operations.V4_VIA_V3``)."""
    return f"/api/v3/{name}"


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class V4Client:
    """JobApi over the API gateway v4: hosts and containers."""

    family = ApiFamily.V4
    capabilities = Capabilities(
        server_side_filters=False,
        batches=False,
        retries=False,
        keyword=True,
        job_list=True,
        batch_logs=True,
    )

    def __init__(self, http: V4Http, settings: ConnectionSettings) -> None:
        self._http = http
        self._settings = settings
        self._job_meta: dict[int, tuple[str | None, int | None] | None] = {}

    def __repr__(self) -> str:
        scope = f"{self._settings.scope_type}:{self._settings.scope_id}"
        return f"V4Client(url={self._settings.url!r}, scope={scope})"

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------ request shape

    def _params(self, **values: Any) -> dict[str, Any]:
        """Scope plus the given values, ``None`` left out (the server's defaults apply)."""
        scope = {
            "bk_scope_type": str(self._settings.scope_type),
            "bk_scope_id": self._settings.scope_id,
        }
        return {**scope, **{k: v for k, v in values.items() if v is not None}}

    async def _get(self, adapter: TypeAdapter[V4Envelope[Any]], call: Call, **values: Any) -> Any:
        params = {
            k: ("true" if v is True else "false" if v is False else v)
            for k, v in self._params(**values).items()
        }
        return await self._http.fetch_v4("GET", f"/api/v4/{call.api}", adapter, call, params=params)

    async def _post(self, adapter: TypeAdapter[V4Envelope[Any]], call: Call, **values: Any) -> Any:
        return await self._http.fetch_v4(
            "POST", f"/api/v4/{call.api}", adapter, call, body=self._params(**values)
        )

    # ------------------------------------------------------------ JobApi

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        data: V4JobStatus = await self._get(
            JOB_STATUS,
            Call("get_job_instance_status", job_instance_id),
            job_instance_id=job_instance_id,
            return_execute_object_result=with_hosts,
        )
        job = v4map.job(data)
        return await self.enrich_job(job) if enrich else job

    async def enrich_job(self, job: Job) -> Job:
        """Operator and launch mode from the job list (the status answer lacks them), cached."""
        if job.operator is not None and job.launch_mode is not None:
            return job
        jid = job.job_instance_id
        if jid not in self._job_meta:
            self._job_meta[jid] = await self._lookup_meta(job)
        meta = self._job_meta[jid]
        if meta is None:
            return job
        operator, mode = meta
        return replace(
            job,
            operator=job.operator if job.operator is not None else operator,
            launch_mode=job.launch_mode if job.launch_mode is not None else mode,
        )

    async def _lookup_meta(self, job: Job) -> tuple[str | None, int | None] | None:
        created = job.create_time or job.start_time
        if created is None:
            return None
        try:
            data: V4JobList = await self._get(
                JOB_LIST,
                Call("get_job_instance_list"),
                create_time_start=_ms(created - ENRICH_WINDOW),
                create_time_end=_ms(created + ENRICH_WINDOW),
                job_instance_id=job.job_instance_id,
                offset=0,
                length=1,
            )
        except ApiError:
            return None
        rows = [
            v4map.summary(item)
            for item in data.get("job_instance_list") or ()
            if item["job_instance_id"] == job.job_instance_id
        ]
        return (rows[0].operator, rows[0].launch_mode) if rows else None

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        """Groups built from the job status (latest retry, all batches), filtered here."""
        flt = flt or StepFilter()
        job = await self.get_job(job_instance_id, with_hosts=True, enrich=False)
        step = job.step(step_instance_id)
        if step is None:
            raise NotFoundError(f"step instance {step_instance_id} not found", code=1244007)
        _check_latest_only(flt, latest=step.execute_count)
        check_keyword(flt, step.type, family=FAMILY)
        keep = await self._keyword_targets(job_instance_id, step, flt)
        groups = build_groups(step.hosts, flt, None if keep is None else (lambda h: h.key in keep))
        # v4 has no step detail: a confirmation's message cannot be read
        confirm = ConfirmInfo(message_note=NO_MESSAGE_API) if is_confirm(step) else None
        return result_from_step(step, flt, groups, confirm)

    async def _keyword_targets(
        self, job_instance_id: int, step: Step, flt: StepFilter
    ) -> set[str] | None:
        """Keys of the targets whose log contains the keyword (50 a request)."""
        if not flt.keyword:
            return None
        candidates: list[HostResult] = [h for h in step.hosts if flt.matches_ip(*searchable(h))]
        logs = await self.get_host_logs(
            job_instance_id, step.step_instance_id, [h.ref for h in candidates]
        )
        return {log.ref.key for log in logs if flt.keyword in log.content}

    async def get_host_log(
        self, job_instance_id: int, step_instance_id: int, host: HostRef
    ) -> HostLog:
        """One target's latest log through the batch resource (v4 has no single-target one)."""
        logs, log_type = await self._logs(job_instance_id, step_instance_id, [host])
        for log in logs:
            if log.ref.key == host.key or _same_address(log.ref, host):
                return replace(log, ref=host)
        kind = LogKind.FILE if log_type == FILE_LOG else LogKind.SCRIPT
        return HostLog(ref=host, kind=kind)  # no log yet (not started, or none kept)

    async def get_host_logs(
        self, job_instance_id: int, step_instance_id: int, hosts: Sequence[HostRef]
    ) -> list[HostLog]:
        logs, _ = await self._logs(job_instance_id, step_instance_id, hosts)
        return logs

    async def _logs(
        self, job_instance_id: int, step_instance_id: int, targets: Sequence[HostRef]
    ) -> tuple[list[HostLog], int | None]:
        """≤50 objects a request, one selector each: the server reads only the first
        of ``host_id_list`` > ``ip_list`` > ``container_id_list`` present."""
        hosts = [t for t in targets if t.kind is TargetKind.HOST]
        with_id = [h.host_id for h in hosts if h.host_id is not None]
        by_ip = [
            {"bk_cloud_id": h.cloud_id or 0, "ip": h.ip}
            for h in hosts
            if h.host_id is None and h.ip
        ]
        containers = [
            t.container.cmdb_id
            for t in targets
            if t.container is not None and t.container.cmdb_id is not None
        ]
        selectors: list[dict[str, Any]] = [
            *({"host_id_list": list(c)} for c in _chunks(with_id, LOG_LIMIT)),
            *({"ip_list": list(c)} for c in _chunks(by_ip, LOG_LIMIT)),
            *({"container_id_list": list(c)} for c in _chunks(containers, LOG_LIMIT)),
        ]
        call = Call("batch_get_job_instance_execute_object_log", job_instance_id, step_instance_id)
        logs: list[HostLog] = []
        log_type: int | None = None
        for selector in selectors:
            data: V4Logs = await self._post(
                LOGS,
                call,
                job_instance_id=job_instance_id,
                step_instance_id=step_instance_id,
                **selector,
            )
            log_type = data.get("log_type") or log_type
            scripts = data.get("script_step_execute_object_logs") or ()
            logs.extend(v4map.script_log(item) for item in scripts)
            files = data.get("file_step_execute_object_logs") or ()
            logs.extend(v4map.file_log(item) for item in files)
        return logs, log_type

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
        """Pages of ≤200 from ``start`` until ``length`` rows or a short page.

        v4 sends no total and accepts offsets up to 10,000; it has no 30-day
        window limit either (``EsbGetJobInstanceListV4ResourceImpl``). The
        page's ``total`` is what was read, plus one when more may follow.
        """
        until = until or datetime.now(UTC)
        if _ms(until) < _ms(since):
            raise ConfigError("job list window ends before it starts")
        want = max(length, 1)
        offset = max(start, 0)
        rows: list[Any] = []
        more = False
        call = Call("get_job_instance_list")
        while len(rows) < want and offset <= LIST_MAX_OFFSET:
            size = min(LIST_PAGE, want - len(rows))
            data: V4JobList = await self._get(
                JOB_LIST,
                call,
                create_time_start=_ms(since),
                create_time_end=_ms(until),
                status=statuses[0] if len(statuses) == 1 else None,
                operator=operator or None,
                name=name or None,
                offset=offset,
                length=size,
            )
            page = list(data.get("job_instance_list") or ())
            rows.extend(page)
            offset += len(page)
            more = len(page) == size
            if not more:
                break
        jobs = sorted(
            (v4map.summary(item) for item in rows),
            key=lambda j: (j.create_time is not None, j.create_time, j.job_instance_id),
            reverse=True,
        )
        if len(statuses) > 1:  # one status per request on the server; the rest here
            jobs = [j for j in jobs if j.status in statuses]
        read = max(start, 0) + len(rows)
        return JobPage(
            start=max(start, 0), length=want, total=read + (1 if more else 0), jobs=tuple(jobs)
        )

    # ------------------------------------------------------------ operations

    async def operate_step_instance(
        self, job_instance_id: int, step_instance_id: int, operation: StepOperation
    ) -> OperationReceipt:
        """v4 has no operation resource: the same gateway's v3 ``operate_step_instance``.

        ``EsbOperateStepInstanceV3Request``, answered with the v3 envelope; its
        step and job ids are the ones v4 reports (one task-instance table).
        """
        from jobtui.api.operations import operate_step

        return await operate_step(
            self._http, _via_v3, self._params, job_instance_id, step_instance_id, operation
        )

    async def operate_job_instance(
        self, job_instance_id: int, operation: JobOperation
    ) -> OperationReceipt:
        """v4 has no operation resource: the same gateway's v3 ``operate_job_instance``."""
        from jobtui.api.operations import operate_job

        return await operate_job(self._http, _via_v3, self._params, job_instance_id, operation)


def _check_latest_only(flt: StepFilter, *, latest: int) -> None:
    """v4 has no step-status API: its job status holds the latest run, all batches.

    Unlike jobv3, pointing at v3 is no way out for a container job, so the
    message says what v4 lacks rather than which family to switch to.
    """
    if flt.execute_count is not None and flt.execute_count != latest:
        raise UnsupportedFilterError(
            f"{FAMILY} shows only the latest run (retry {latest}): bk-job has no v4 API "
            f"for retry {flt.execute_count} (--api v3 has one, for host targets only)"
        )
    if flt.batch not in (None, 0):
        raise UnsupportedFilterError(
            f"{FAMILY} cannot select rolling batch {flt.batch}: it shows all batches "
            "(--api v3 can, for host targets only)"
        )


def _same_address(a: HostRef, b: HostRef) -> bool:
    """A host asked for by IP and answered with its id: the same cloud and address."""
    if a.kind is not TargetKind.HOST or b.kind is not TargetKind.HOST:
        return False
    same_cloud = (a.cloud_id or 0) == (b.cloud_id or 0)
    return same_cloud and bool(b.ip) and a.ip == b.ip
