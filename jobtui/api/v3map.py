"""v3 wire shapes (gateway v3 and ESB jobv3) → the domain model.

Hosts are mapped with plain dict lookups, no per-host validation beyond what
pydantic-core already did, because a step may list 10,000 of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from jobtui.api.catalog import FINISHED_RUN_STATUSES
from jobtui.api.convert import ms_to_datetime, ms_to_seconds
from jobtui.api.fastbuild import fast_constructor
from jobtui.api.filelog import parse_file_log
from jobtui.api.models import (
    Block,
    FileTransfer,
    HostLog,
    HostRef,
    HostResult,
    Job,
    JobPage,
    JobSummary,
    LogKind,
    ResultGroup,
    Step,
    StepResult,
)
from jobtui.api.reuse import Generation
from jobtui.api.text import safe_line, safe_opt
from jobtui.api.wire import (
    V3FileLog,
    V3Group,
    V3Host,
    V3IpLog,
    V3IpRef,
    V3JobList,
    V3JobStatus,
    V3ListItem,
    V3Step,
    V3StepStatus,
)


def _scope_id(value: int | str | None) -> str | None:
    return None if value is None else str(value)


_host_result = fast_constructor(HostResult)
_host_ref = fast_constructor(HostRef)


def _clean(text: str | None) -> str | None:
    """``safe_opt`` with the common case inlined (this runs twice per host)."""
    return text if text is None or text.isprintable() else safe_line(text)


def _when(ms: float | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms and ms > 0 else None


WAITING_HOST = 5  # ExecuteObjectTaskStatusEnum WAITING


def host(h: V3Host, execute_count: int | None = None) -> HostResult:
    """One host entry; ``ip`` may be null (IPv6-only hosts), so the key is the host id.

    Written for speed (10,000-host steps): positional construction, no helpers
    beyond what the untrusted text needs.
    """
    get: Any = h.get
    tag = get("tag")
    status = h["status"]
    # A waiting host has not run: bk-job still sends exit_code 0 and total_time 0
    # for the targets of a step not started (buildNotStartStepExecutionResult),
    # which would read as "exited 0 in no time".
    waiting = status == WAITING_HOST
    total = None if waiting else get("total_time")
    try:
        start, end = _when(get("start_time")), _when(get("end_time"))
    except (OverflowError, OSError, ValueError):
        start = end = None
    return _host_result(
        _host_ref(get("bk_host_id"), get("bk_cloud_id"), get("ip"), get("ipv6")),
        status,
        _clean(get("status_desc")),
        (tag if tag.isprintable() else safe_line(tag)) if tag else "",
        None if waiting else get("exit_code"),
        get("error_code"),
        _clean(get("bk_cloud_name")),
        get("bk_agent_id"),
        start,
        end,
        None if total is None else total / 1000,
        execute_count,
    )


def step(s: V3Step, reuse: Generation | None = None) -> Step:
    count = s.get("execute_count") or 0
    entries = s.get("step_ip_result_list") or ()
    return Step(
        step_instance_id=s["step_instance_id"],
        name=safe_line(s.get("name")),
        type=s.get("type") or 0,
        status=s["status"],
        execute_count=count,
        create_time=ms_to_datetime(s.get("create_time")),
        start_time=ms_to_datetime(s.get("start_time")),
        end_time=ms_to_datetime(s.get("end_time")),
        total_seconds=ms_to_seconds(s.get("total_time")),
        hosts=_hosts(entries, count, reuse),
    )


def _hosts(
    entries: Iterable[V3Host], count: int | None, reuse: Generation | None
) -> tuple[HostResult, ...]:
    if reuse is None:
        return tuple(host(h, count) for h in entries)
    return reuse.hosts(entries, count, host)


def job(data: V3JobStatus, reuse: Generation | None = None) -> Job:
    """v3 has no blocks: every step goes into one implicit block.

    ``reuse`` hands back the hosts of the previous answer that did not change
    (see ``api/reuse.py``).
    """
    ji = data["job_instance"]
    steps = tuple(step(s, reuse) for s in data.get("step_instance_list") or ())
    finished = data.get("finished")
    return Job(
        job_instance_id=ji["job_instance_id"],
        name=safe_line(ji.get("name")),
        status=ji["status"],
        finished=ji["status"] in FINISHED_RUN_STATUSES if finished is None else finished,
        blocks=(Block(name=None, order=1, steps=steps, implicit=True),),
        scope_type=ji.get("bk_scope_type"),
        scope_id=_scope_id(ji.get("bk_scope_id")),
        create_time=ms_to_datetime(ji.get("create_time")),
        start_time=ms_to_datetime(ji.get("start_time")),
        end_time=ms_to_datetime(ji.get("end_time")),
        total_seconds=ms_to_seconds(ji.get("total_time")),
    )


def group(g: V3Group, execute_count: int, reuse: Generation | None = None) -> ResultGroup:
    hosts = _hosts(g.get("host_result_list") or (), execute_count, reuse)
    size = g.get("host_size")
    return ResultGroup(
        status=g["result_type"],
        tag=safe_line(g.get("tag")),
        host_count=len(hosts) if size is None else size,
        hosts=hosts,
        status_desc=safe_opt(g.get("result_type_desc")),
    )


def step_result(
    data: V3StepStatus,
    batch: int | None,
    execute_count: int | None = None,
    reuse: Generation | None = None,
) -> StepResult:
    """The answer for the retry and batch ASKED for.

    The answer's ``execute_count``, ``status`` and times are the step's current
    values whatever was asked (``buildEsbStepInstanceStatusV3DTO``): the retry the
    host list belongs to is the requested ``execute_count`` (omitted = the latest,
    which is then the answer's), and the answer's count is kept as the latest.
    """
    latest = data.get("execute_count") or 0
    count = latest if execute_count is None else execute_count
    return StepResult(
        step_instance_id=data["step_instance_id"],
        name=safe_line(data.get("name")),
        type=data.get("type") or 0,
        status=data["status"],
        execute_count=count,
        groups=tuple(group(g, count, reuse) for g in data.get("step_result_group_list") or ()),
        batch=batch,
        create_time=ms_to_datetime(data.get("create_time")),
        start_time=ms_to_datetime(data.get("start_time")),
        end_time=ms_to_datetime(data.get("end_time")),
        total_seconds=ms_to_seconds(data.get("total_time")),
        latest_execute_count=latest,
    )


def _ref(r: V3IpRef | None) -> HostRef | None:
    if r is None:
        return None
    return HostRef(r.get("bk_host_id"), r.get("bk_cloud_id"), r.get("ip"), r.get("ipv6"))


def file_transfer(f: V3FileLog) -> FileTransfer:
    """One file-log entry; size/speed/progress read from its text when sent as null."""
    content = f.get("log_content") or ""
    size, speed, progress = f.get("size"), f.get("speed"), f.get("process")
    if size is None or speed is None or progress is None:
        facts = parse_file_log(content)
        size = size if size is not None else facts.size
        speed = speed if speed is not None else facts.speed
        progress = progress if progress is not None else facts.progress
    return FileTransfer(
        mode=f.get("mode") or 0,
        src_path=f.get("src_path"),
        src=_ref(f.get("src_ip")),
        dest_path=f.get("dest_path"),
        dest=_ref(f.get("dest_ip")),
        status=f.get("status"),
        size=size,
        speed=speed,
        progress=progress,
        content=content,
    )


def host_log(data: V3IpLog, log_type: int | None = None) -> HostLog:
    """A host's log; file steps (log_type 2 or a file_logs list) give FileTransfers."""
    ref = HostRef(data.get("bk_host_id"), data.get("bk_cloud_id"), data.get("ip"), data.get("ipv6"))
    files = data.get("file_logs")
    if (data.get("log_type") or log_type) == 2 or files is not None:
        return HostLog(
            ref=ref, kind=LogKind.FILE, files=tuple(file_transfer(f) for f in files or ())
        )
    return HostLog(ref=ref, kind=LogKind.SCRIPT, content=data.get("log_content") or "")


def summary(item: V3ListItem) -> JobSummary:
    return JobSummary(
        job_instance_id=item["job_instance_id"],
        name=safe_line(item.get("name")),
        status=item["status"],
        operator=safe_opt(item.get("operator")),
        launch_mode=item.get("launch_mode"),
        instance_type=item.get("type"),
        scope_type=item.get("bk_scope_type"),
        scope_id=_scope_id(item.get("bk_scope_id")),
        plan_id=item.get("job_plan_id"),
        cron_id=item.get("job_cron_id"),
        create_time=ms_to_datetime(item.get("create_time")),
        start_time=ms_to_datetime(item.get("start_time")),
        end_time=ms_to_datetime(item.get("end_time")),
        total_seconds=ms_to_seconds(item.get("total_time")),
    )


def job_page(data: V3JobList) -> JobPage:
    """Rows newest first, whatever order the server used."""
    jobs = sorted(
        (summary(item) for item in data.get("data") or ()),
        key=lambda j: (j.create_time is not None, j.create_time, j.job_instance_id),
        reverse=True,
    )
    return JobPage(
        start=data.get("start") or 0,
        length=data.get("length") or len(jobs),
        total=data.get("total") or len(jobs),
        jobs=tuple(jobs),
    )
