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

from jobtui.api import commonmap as cm
from jobtui.api.fastbuild import fast_constructor
from jobtui.api.models import (
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


_host_result, _host_ref, _clean, _when = cm.host_result, cm.host_ref, cm.clean, cm.when
_container_ref = fast_constructor(ContainerRef)


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
        cm.tag(tag),
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
    """A step of the job status; its targets are execute objects."""
    return cm.step(
        s,
        lambda count: (
            object_result(r, count) for r in s.get("step_execute_object_result_list") or ()
        ),
    )


def job(data: V4JobStatus) -> Job:
    """Like v3, no blocks: every step goes into one implicit block."""
    return cm.job(data, step)


def summary(item: V4ListItem) -> JobSummary:
    return cm.summary(item, None)  # V4JobInstanceDTO has no job_cron_id


def file_transfer(f: V4FileLog) -> FileTransfer:
    """One file-log entry; its ends are execute objects."""
    src, dest = f.get("src_execute_object"), f.get("dest_execute_object")
    return cm.file_transfer(
        f, None if src is None else target(src), None if dest is None else target(dest)
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
