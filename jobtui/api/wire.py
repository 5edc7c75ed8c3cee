"""Wire shapes of the bk-job responses, as the server really sends them.

Lean ``TypedDict``s validated by pydantic-core straight from the response
bytes: unknown fields are ignored, explicit ``null`` is accepted wherever a
field is optional, codes stay plain ints, and where the docs and the server
disagree both spellings are accepted (bkjob-api.md §6). TypedDicts rather than
models because a 10,000-host step must parse at about the cost of
``json.loads``; the mapping to the domain model lives in ``v3map``/``v2map``.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Required, TypeVar

from pydantic import AliasChoices, Field
from typing_extensions import TypedDict

T = TypeVar("T")

Int = int | None
Str = str | None


class Envelope(TypedDict, Generic[T], total=False):
    """``{result, code, message?, data?, job_request_id?, permission?}``."""

    result: Required[bool]
    code: int | str | None
    message: Str
    data: T | None
    job_request_id: Str
    permission: dict[str, Any] | None


# ---------------------------------------------------------------- v3 / jobv3


class V3Host(TypedDict, total=False):
    """A host entry of ``step_ip_result_list`` or ``host_result_list``."""

    bk_host_id: Int
    ip: Str
    ipv6: Str
    bk_agent_id: Str
    bk_cloud_id: Int
    bk_cloud_name: Str
    status: Required[int]
    status_desc: Str
    tag: Str
    exit_code: Int
    error_code: Int
    start_time: float | None
    end_time: float | None
    total_time: float | None


class V3Step(TypedDict, total=False):
    step_instance_id: Required[int]
    name: Str
    type: Int
    status: Required[int]
    execute_count: Int
    create_time: float | None
    start_time: float | None
    end_time: float | None
    total_time: float | None
    step_ip_result_list: list[V3Host] | None


class V3JobInstance(TypedDict, total=False):
    job_instance_id: Required[int]
    name: Str
    status: Required[int]
    create_time: float | None
    start_time: float | None
    end_time: float | None
    total_time: float | None
    bk_scope_type: Str
    bk_scope_id: int | str | None
    bk_biz_id: Int


class V3JobStatus(TypedDict, total=False):
    finished: bool | None
    job_instance: Required[V3JobInstance]
    step_instance_list: list[V3Step] | None


class V3Group(TypedDict, total=False):
    result_type: Required[int]
    result_type_desc: Str
    tag: Str
    host_size: Int
    host_result_list: list[V3Host] | None


class V3StepStatus(TypedDict, total=False):
    step_instance_id: Required[int]
    execute_count: Int
    name: Str
    type: Int
    status: Required[int]
    create_time: float | None
    start_time: float | None
    end_time: float | None
    total_time: float | None
    step_result_group_list: list[V3Group] | None


class V3ApprovalInfo(TypedDict, total=False):
    """``EsbApprovalStepV3DTO``: get_step_instance_detail fills only the message."""

    approval_message: Str


class V3StepDetail(TypedDict, total=False):
    """``EsbStepV3DTO`` of get_step_instance_detail (script/file info not read)."""

    id: Int
    name: Str
    type: Int
    approval_info: V3ApprovalInfo | None


class V3PlanDetail(TypedDict, total=False):
    """``EsbPlanInfoV3DTO`` of get_job_plan_detail: only its enabled steps are read.

    Each step is ``TaskStepDTO.toEsbStepV3`` (the same ``EsbStepV3DTO`` shape as
    the step detail), a confirmation step's ``approval_info`` from
    ``TaskApprovalStepDTO.toEsbApprovalInfoV3``.
    """

    id: Int
    name: Str
    step_list: list[V3StepDetail] | None


class V3IpRef(TypedDict, total=False):
    bk_host_id: Annotated[Int, Field(validation_alias=AliasChoices("bk_host_id", "host_id"))]
    bk_cloud_id: Int
    ip: Str
    ipv6: Str


class V3FileLog(TypedDict, total=False):
    mode: Int
    src_ip: V3IpRef | None
    src_path: Str
    dest_ip: V3IpRef | None
    dest_path: Str
    status: Int
    log_content: Str
    size: Str
    speed: Str
    process: Str


class V3IpLog(TypedDict, total=False):
    """get_job_instance_ip_log data, and the items of the batch variant."""

    log_type: Int
    bk_host_id: Annotated[Int, Field(validation_alias=AliasChoices("bk_host_id", "host_id"))]
    bk_cloud_id: Int
    ip: Str
    ipv6: Str
    log_content: Str
    file_logs: list[V3FileLog] | None


class V3BatchLogs(TypedDict, total=False):
    log_type: Int
    script_task_logs: list[V3IpLog] | None
    file_task_logs: list[V3IpLog] | None


class V3ListItem(TypedDict, total=False):
    """A get_job_instance_list row; the doc's ``id/task_status/task_type`` also read."""

    job_instance_id: Required[
        Annotated[int, Field(validation_alias=AliasChoices("job_instance_id", "id"))]
    ]
    name: Str
    status: Required[Annotated[int, Field(validation_alias=AliasChoices("status", "task_status"))]]
    type: Annotated[Int, Field(validation_alias=AliasChoices("type", "task_type"))]
    operator: Str
    launch_mode: Int
    bk_scope_type: Str
    bk_scope_id: int | str | None
    bk_biz_id: Int
    job_template_id: Int
    job_plan_id: Int
    job_cron_id: Int
    create_time: float | None
    start_time: float | None
    end_time: float | None
    total_time: float | None


class V3JobList(TypedDict, total=False):
    start: Int
    length: Int
    total: Int
    data: list[V3ListItem] | None


# ---------------------------------------------------------------- ESB v2

ExecCount = Annotated[Int, Field(validation_alias=AliasChoices("execute_count", "retry_count"))]


class V2IpStatus(TypedDict, total=False):
    ip: Str
    bk_cloud_id: Int
    status: Required[int]


class V2Step(TypedDict, total=False):
    step_instance_id: Required[int]
    step_id: Int
    name: Str
    type: Int
    operator: Str
    status: Required[int]
    execute_count: ExecCount
    create_time: Str
    start_time: Str
    end_time: Str
    total_time: float | None
    step_ip_status: list[V2IpStatus] | None


class V2Block(TypedDict, total=False):
    block_order: Int
    block_name: Str
    step_instances: list[V2Step] | None


class V2JobInstance(TypedDict, total=False):
    job_instance_id: Required[int]
    name: Str
    status: Required[int]
    operator: Str
    start_way: Int
    bk_job_id: Int
    bk_biz_id: Int
    bk_scope_type: Str
    bk_scope_id: int | str | None
    current_step_instance_id: Int
    create_time: Str
    start_time: Str
    end_time: Str
    total_time: float | None


class V2PlanStep(TypedDict, total=False):
    """``EsbStepDTO`` of get_job_detail: ``confirm_message`` by ``buildApprovalStep``."""

    step_id: Int
    name: Str
    type: Int
    confirm_message: Str


class V2JobDetail(TypedDict, total=False):
    """``EsbJobDetailDTO`` of ESB v2 get_job_detail (the plan, ``bk_job_id``)."""

    bk_job_id: Int
    name: Str
    steps: list[V2PlanStep] | None


class V2JobStatus(TypedDict, total=False):
    is_finished: bool | None
    job_instance: Required[V2JobInstance]
    blocks: list[V2Block] | None


class V2IpLog(TypedDict, total=False):
    ip: Str
    bk_cloud_id: Int
    execute_count: ExecCount
    error_code: Int
    exit_code: Int
    start_time: Str
    end_time: Str
    total_time: float | None
    log_content: Str


class V2StepResultGroup(TypedDict, total=False):
    ip_status: Required[int]
    tag: Str
    ip_logs: list[V2IpLog] | None


class V2StepLog(TypedDict, total=False):
    is_finished: bool | None
    step_instance_id: Required[int]
    name: Str
    status: Int
    step_results: list[V2StepResultGroup] | None


class V2IpAddr(TypedDict, total=False):
    ip: Str
    bk_cloud_id: Int


class V2Analyse(TypedDict, total=False):
    result_type: Required[int]
    result_type_text: Str
    count: Int
    ip_list: list[V2IpAddr] | None


class V2StepDetail(TypedDict, total=False):
    step_instance_id: Required[int]
    name: Str
    type: Int
    operator: Str
    status: Required[int]
    step_id: Int
    execute_count: ExecCount
    start_time: Str
    end_time: Str
    total_time: float | None


class V2StepStatus(TypedDict, total=False):
    is_finished: bool | None
    step_instance_detail: Required[V2StepDetail]
    step_instance_analyse_result: list[V2Analyse] | None
