"""Gateway v4 wire shapes → the domain model.

Every target is an execute object (``OpenApiExecuteObjectDTO``): type 1 a host
(``host`` set, ``resource_id`` = bk_host_id), type 2 a container (``container``
set, ``resource_id`` = the CMDB container id). Hosts map onto the same
``HostRef`` as v3 (so keys match across families); containers get a
``ContainerRef`` and a ``k:<id>`` key. A null field is absent in v4, so every
read is a ``.get``.
"""

from __future__ import annotations

from typing import Any

from jobtui.api.catalog import FINISHED_RUN_STATUSES
from jobtui.api.convert import ms_to_datetime, ms_to_seconds
from jobtui.api.filelog import parse_file_log
from jobtui.api.models import (
    Block,
    ContainerRef,
    FileTransfer,
    HostLog,
    HostRef,
    HostResult,
    Job,
    JobSummary,
    LogKind,
    Step,
)
from jobtui.api.text import safe_line, safe_opt
from jobtui.api.wire_v4 import (
    V4ExecuteObject,
    V4FileLog,
    V4FileObjectLog,
    V4JobStatus,
    V4ListItem,
    V4ObjectResult,
    V4ScriptLog,
    V4Step,
)

HOST_TYPE, CONTAINER_TYPE = 1, 2  # ExecuteObjectTypeEnum


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _scope_id(value: int | str | None) -> str | None:
    return None if value is None else str(value)


def target(obj: V4ExecuteObject | None) -> HostRef:
    """The target an execute object names; an unknown type is read by what it carries."""
    if obj is None:
        return HostRef()
    get: Any = obj.get
    container = get("container")
    kind = get("type")
    if container is not None or (kind == CONTAINER_TYPE and get("host") is None):
        c = container or {}
        return HostRef(
            container=ContainerRef(
                cmdb_id=_int(c.get("id")) if c.get("id") is not None else _int(get("resource_id")),
                container_id=safe_opt(c.get("container_id")),
                name=safe_opt(c.get("name")),
                node_host_id=c.get("node_host_id"),
            )
        )
    host = get("host") or {}
    host_id = host.get("bk_host_id")
    if host_id is None:
        host_id = _int(get("resource_id"))
    return HostRef(host_id, host.get("bk_cloud_id"), host.get("ip"), host.get("ipv6"))


def object_result(r: V4ObjectResult, execute_count: int) -> HostResult:
    obj = r.get("execute_object") or {}
    host: Any = obj.get("host") or {}
    tag = r.get("tag")
    return HostResult(
        ref=target(obj),
        status=r["status"],
        tag=safe_line(tag) if tag else "",
        exit_code=r.get("exit_code"),
        cloud_name=safe_opt(host.get("bk_cloud_name")),
        agent_id=host.get("bk_agent_id"),
        start_time=ms_to_datetime(r.get("start_time")),
        end_time=ms_to_datetime(r.get("end_time")),
        total_seconds=ms_to_seconds(r.get("total_time")),
        execute_count=execute_count,
    )


def step(s: V4Step) -> Step:
    count = s.get("execute_count") or 0
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
        hosts=tuple(
            object_result(r, count) for r in s.get("step_execute_object_result_list") or ()
        ),
    )


def job(data: V4JobStatus) -> Job:
    """Like v3, no blocks: every step goes into one implicit block."""
    ji = data["job_instance"]
    steps = tuple(step(s) for s in data.get("step_instance_list") or ())
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


def summary(item: V4ListItem) -> JobSummary:
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
        create_time=ms_to_datetime(item.get("create_time")),
        start_time=ms_to_datetime(item.get("start_time")),
        end_time=ms_to_datetime(item.get("end_time")),
        total_seconds=ms_to_seconds(item.get("total_time")),
    )


def file_transfer(f: V4FileLog) -> FileTransfer:
    """One file-log entry; size/speed/progress read from its text when absent."""
    content = f.get("log_content") or ""
    size, speed, progress = f.get("size"), f.get("speed"), f.get("process")
    if size is None or speed is None or progress is None:
        facts = parse_file_log(content)
        size = size if size is not None else facts.size
        speed = speed if speed is not None else facts.speed
        progress = progress if progress is not None else facts.progress
    src, dest = f.get("src_execute_object"), f.get("dest_execute_object")
    return FileTransfer(
        mode=f.get("mode") or 0,
        src_path=f.get("src_path"),
        src=None if src is None else target(src),
        dest_path=f.get("dest_path"),
        dest=None if dest is None else target(dest),
        status=f.get("status"),
        size=size,
        speed=speed,
        progress=progress,
        content=content,
    )


def script_log(item: V4ScriptLog) -> HostLog:
    return HostLog(
        ref=target(item.get("execute_object")),
        kind=LogKind.SCRIPT,
        content=item.get("log_content") or "",
    )


def file_log(item: V4FileObjectLog) -> HostLog:
    """Uploads (this object as a source) first, then downloads, as bk-job's UI lists them."""
    entries = [*(item.get("upload_log") or ()), *(item.get("download_log") or ())]
    return HostLog(
        ref=target(item.get("execute_object")),
        kind=LogKind.FILE,
        files=tuple(file_transfer(f) for f in entries),
    )
