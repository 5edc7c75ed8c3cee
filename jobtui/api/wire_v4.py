"""Wire shapes of the API gateway v4 family (bk-job 3.12.1+), as the server sends them.

v4 is written by ``EsbV4Jackson2HttpMessageConverter`` with ``NON_NULL``: a null
field is *omitted*, never ``null``, so every field here is optional (``total=False``)
and still accepts an explicit ``null`` from a proxy that re-serialises. Success is
HTTP 200 ``{"data": …, "job_request_id": …}``; errors are real HTTP statuses with
``{"error": {...}}`` (``EsbV4Response``, ``EsbV4RespError``, ``V4RespSubError``),
mapped in ``v4err``.

Sources (bk-job): ``V4JobInstanceStatusResp``, ``V4GetJobInstanceListResult``,
``V4JobInstanceDTO``, ``V4BatchExecuteObjectLogResp``,
``V4ScriptStepExecuteObjectLogDTO``, ``V4FileStepExecuteObjectLogDTO``,
``V4FileLogDTO``, ``OpenApiExecuteObjectDTO``, ``OpenApiHostDTO``,
``OpenApiContainerDTO``.
"""

from __future__ import annotations

from typing import Any, Generic, Required, TypeVar

from typing_extensions import TypedDict

T = TypeVar("T")

Int = int | None
Str = str | None
Ms = float | None


class V4Envelope(TypedDict, Generic[T], total=False):
    """A successful answer: ``data`` (absent on errors, which are not 2xx)."""

    data: T | None
    job_request_id: Str
    error: dict[str, Any] | None


class V4Host(TypedDict, total=False):
    """``OpenApiHostDTO``."""

    bk_host_id: Int
    bk_cloud_id: Int
    bk_cloud_name: Str
    ip: Str
    ipv6: Str
    bk_agent_id: Str
    alive: Int


class V4Container(TypedDict, total=False):
    """``OpenApiContainerDTO``: ``id`` is the CMDB container id."""

    id: Int
    container_id: Str
    node_host_id: Int
    name: Str


class V4ExecuteObject(TypedDict, total=False):
    """``OpenApiExecuteObjectDTO``: type 1 host, 2 container (``ExecuteObjectTypeEnum``)."""

    type: Int
    resource_id: int | str | None
    host: V4Host | None
    container: V4Container | None


class V4ObjectResult(TypedDict, total=False):
    """``V4JobInstanceStatusResp.ExecuteObjectResult`` (no ``error_code``: the DTO lacks it)."""

    execute_object: V4ExecuteObject | None
    status: Required[int]
    tag: Str
    exit_code: Int
    start_time: Ms
    end_time: Ms
    total_time: Ms


class V4Step(TypedDict, total=False):
    step_instance_id: Required[int]
    name: Str
    status: Required[int]
    type: Int
    execute_count: Int
    start_time: Ms
    end_time: Ms
    total_time: Ms
    create_time: Ms
    step_execute_object_result_list: list[V4ObjectResult] | None


class V4JobInstance(TypedDict, total=False):
    job_instance_id: Required[int]
    status: Required[int]
    name: Str
    create_time: Ms
    start_time: Ms
    end_time: Ms
    total_time: Ms
    bk_scope_type: Str
    bk_scope_id: int | str | None


class V4JobStatus(TypedDict, total=False):
    finished: bool | None
    job_instance: Required[V4JobInstance]
    step_instance_list: list[V4Step] | None


class V4ListItem(TypedDict, total=False):
    """``V4JobInstanceDTO`` (no ``job_cron_id`` in v4)."""

    job_instance_id: Required[int]
    job_plan_id: Int
    job_template_id: Int
    name: Str
    operator: Str
    launch_mode: Int
    status: Required[int]
    start_time: Ms
    end_time: Ms
    total_time: Ms
    create_time: Ms
    type: Int
    bk_scope_type: Str
    bk_scope_id: int | str | None


class V4JobList(TypedDict, total=False):
    """``V4GetJobInstanceListResult``: no total, no offset echo."""

    job_instance_list: list[V4ListItem] | None


class V4FileLog(TypedDict, total=False):
    """``V4FileLogDTO``: mode 0 upload (on a source), 1 download (on a target)."""

    mode: Int
    src_execute_object: V4ExecuteObject | None
    src_path: Str
    dest_execute_object: V4ExecuteObject | None
    dest_path: Str
    status: Int
    log_content: Str
    size: Str
    speed: Str
    process: Str


class V4ScriptLog(TypedDict, total=False):
    execute_object: V4ExecuteObject | None
    log_content: Str


class V4FileObjectLog(TypedDict, total=False):
    execute_object: V4ExecuteObject | None
    download_log: list[V4FileLog] | None
    upload_log: list[V4FileLog] | None


class V4Logs(TypedDict, total=False):
    """``V4BatchExecuteObjectLogResp``: log_type 1 script, 2 file."""

    job_instance_id: Int
    step_instance_id: Int
    log_type: Int
    script_step_execute_object_logs: list[V4ScriptLog] | None
    file_step_execute_object_logs: list[V4FileObjectLog] | None
