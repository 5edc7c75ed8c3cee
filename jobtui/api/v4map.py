"""Gateway v4 wire shapes → the domain model.

Every target is an execute object (``OpenApiExecuteObjectDTO``): type 1 a host
(``host`` set, ``resource_id`` = bk_host_id), type 2 a container (``container``
set, ``resource_id`` = the CMDB container id). Hosts map onto the same
``HostRef`` as v3 (so keys match across families); containers get a
``ContainerRef`` and a ``k:<id>`` key. A null field is absent in v4, so every
read is a ``.get``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jobtui.api.catalog import FINISHED_RUN_STATUSES
from jobtui.api.convert import ms_to_datetime, ms_to_seconds
from jobtui.api.fastbuild import fast_constructor
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


_host_result = fast_constructor(HostResult)
_host_ref = fast_constructor(HostRef)
_container_ref = fast_constructor(ContainerRef)


def _clean(text: str | None) -> str | None:
    """``safe_opt`` with the common case inlined (this runs per target)."""
    return text if text is None or text.isprintable() else safe_line(text)


def _when(ms: float | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms and ms > 0 else None


def target(obj: V4ExecuteObject | None) -> HostRef:
    """The target an execute object names; an unknown type is read by what it carries.

    Written for speed (a 10,000-target step): positional construction, plain gets.
    """
    if obj is None:
        return HostRef()
    get: Any = obj.get
    container = get("container")
    host = get("host")
    if container is not None or (host is None and get("type") == CONTAINER_TYPE):
        c: Any = (container or {}).get
        cmdb = c("id")
        return _host_ref(
            None,
            None,
            None,
            None,
            _container_ref(
                _int(get("resource_id")) if cmdb is None else cmdb,
                _clean(c("container_id")),
                _clean(c("name")),
                c("node_host_id"),
            ),
        )
    if host is None:
        return _host_ref(_int(get("resource_id")))
    h: Any = host.get
    host_id = h("bk_host_id")
    return _host_ref(
        _int(get("resource_id")) if host_id is None else host_id,
        h("bk_cloud_id"),
        h("ip"),
        h("ipv6"),
    )


def object_result(r: V4ObjectResult, execute_count: int) -> HostResult:
    get: Any = r.get
    obj = get("execute_object")
    host: Any = (obj.get("host") if obj is not None else None) or {}
    tag = get("tag")
    total = get("total_time")
    try:
        start, end = _when(get("start_time")), _when(get("end_time"))
    except (OverflowError, OSError, ValueError):
        start = end = None
    return _host_result(
        target(obj),
        r["status"],
        None,  # v4 sends no status text
        (tag if tag.isprintable() else safe_line(tag)) if tag else "",
        get("exit_code"),
        None,  # nor an error code (the DTO has none)
        _clean(host.get("bk_cloud_name")),
        host.get("bk_agent_id"),
        start,
        end,
        None if total is None else total / 1000,
        execute_count,
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
