"""v3 wire shapes (gateway v3 and ESB jobv3) → the domain model.

Hosts are mapped with plain dict lookups, no per-host validation beyond what
pydantic-core already did, because a step may list 10,000 of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jobtui.api import commonmap as cm
from jobtui.api.convert import ms_to_datetime, ms_to_seconds
from jobtui.api.models import (
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

_host_result, _host_ref, _clean, _when = cm.host_result, cm.host_ref, cm.clean, cm.when


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
        cm.tag(tag),
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
    """A step of the job status; its targets are hosts in ``step_ip_result_list``."""
    return cm.step(s, lambda count: _hosts(s.get("step_ip_result_list") or (), count, reuse))


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
    return cm.job(data, lambda s: step(s, reuse))


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
    """One file-log entry; its ends are ``EsbIpDTO``s (``src_ip``/``dest_ip``)."""
    return cm.file_transfer(f, _ref(f.get("src_ip")), _ref(f.get("dest_ip")))


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
    return cm.summary(item, item.get("job_cron_id"))


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
