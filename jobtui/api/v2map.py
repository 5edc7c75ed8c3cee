"""ESB v2 wire shapes → the domain model.

v2 times are zone-less strings in the user's zone (``+0800`` in old docs),
durations float seconds, logs HTML-escaped, and there is one block per step.
"""

from __future__ import annotations

import html
from datetime import tzinfo

from jobtui.api.catalog import FINISHED_RUN_STATUSES
from jobtui.api.convert import v2_time
from jobtui.api.models import (
    Block,
    HostLog,
    HostRef,
    HostResult,
    Job,
    LogKind,
    ResultGroup,
    Step,
    StepResult,
)
from jobtui.api.text import safe_line, safe_opt
from jobtui.api.wire import (
    V2Analyse,
    V2IpLog,
    V2JobStatus,
    V2Step,
    V2StepDetail,
    V2StepLog,
)


def step(s: V2Step, zone: tzinfo, *, with_hosts: bool) -> Step:
    count = s.get("execute_count") or 0
    hosts = (
        tuple(
            HostResult(
                HostRef(None, h.get("bk_cloud_id"), h.get("ip")), h["status"], execute_count=count
            )
            for h in s.get("step_ip_status") or ()
        )
        if with_hosts
        else ()
    )
    step_id = s.get("step_id")
    return Step(
        step_instance_id=s["step_instance_id"],
        name=safe_line(s.get("name")),
        type=s.get("type") or 0,
        status=s["status"],
        execute_count=count,
        step_id=None if step_id is None or step_id < 0 else step_id,
        operator=safe_opt(s.get("operator")),
        create_time=v2_time(s.get("create_time"), zone),
        start_time=v2_time(s.get("start_time"), zone),
        end_time=v2_time(s.get("end_time"), zone),
        total_seconds=s.get("total_time"),
        hosts=hosts,
    )


def job(data: V2JobStatus, zone: tzinfo, *, with_hosts: bool, scope_id: str) -> Job:
    """Blocks as sent (in reality one per step); a missing order falls back to position."""
    ji = data["job_instance"]
    blocks = tuple(
        Block(
            name=safe_opt(b.get("block_name")),
            order=b.get("block_order") or index,
            steps=tuple(
                step(s, zone, with_hosts=with_hosts) for s in b.get("step_instances") or ()
            ),
        )
        for index, b in enumerate(data.get("blocks") or (), start=1)
    )
    finished = data.get("is_finished")
    plan = ji.get("bk_job_id")
    scope = ji.get("bk_scope_id") or ji.get("bk_biz_id")
    return Job(
        job_instance_id=ji["job_instance_id"],
        name=safe_line(ji.get("name")),
        status=ji["status"],
        finished=ji["status"] in FINISHED_RUN_STATUSES if finished is None else finished,
        blocks=blocks,
        operator=safe_opt(ji.get("operator")),
        launch_mode=ji.get("start_way"),
        scope_type=ji.get("bk_scope_type") or "biz",
        scope_id=str(scope) if scope is not None else scope_id,
        plan_id=None if plan is None or plan < 0 else plan,
        current_step_instance_id=ji.get("current_step_instance_id"),
        create_time=v2_time(ji.get("create_time"), zone),
        start_time=v2_time(ji.get("start_time"), zone),
        end_time=v2_time(ji.get("end_time"), zone),
        total_seconds=ji.get("total_time"),
    )


def log_host(log: V2IpLog, status: int, tag: str, zone: tzinfo) -> HostResult:
    """One ``ip_logs`` entry as a host result (it carries exit code and times)."""
    return HostResult(
        ref=HostRef(None, log.get("bk_cloud_id"), log.get("ip")),
        status=status,
        tag=tag,
        exit_code=log.get("exit_code"),
        error_code=log.get("error_code"),
        start_time=v2_time(log.get("start_time"), zone),
        end_time=v2_time(log.get("end_time"), zone),
        total_seconds=log.get("total_time"),
        execute_count=log.get("execute_count"),
    )


def log_hosts(step_log: V2StepLog, zone: tzinfo) -> list[tuple[HostResult, str]]:
    """Every host of a step with its unescaped log, in the server's group order."""
    out: list[tuple[HostResult, str]] = []
    for result in step_log.get("step_results") or ():
        tag = safe_line(result.get("tag"))
        for log in result.get("ip_logs") or ():
            content = html.unescape(log.get("log_content") or "")
            out.append((log_host(log, result["ip_status"], tag, zone), content))
    return out


def analyse_groups(items: list[V2Analyse]) -> tuple[ResultGroup, ...]:
    """Fallback groups from get_step_instance_status (no tags, no exit codes)."""
    groups = []
    for item in items:
        hosts = tuple(
            HostResult(HostRef(None, ip.get("bk_cloud_id"), ip.get("ip")), item["result_type"])
            for ip in item.get("ip_list") or ()
        )
        count = item.get("count")
        groups.append(
            ResultGroup(
                status=item["result_type"],
                tag="",
                host_count=len(hosts) if count is None else count,
                hosts=hosts,
                status_desc=safe_opt(item.get("result_type_text")),
            )
        )
    return tuple(groups)


def step_result(
    detail: V2StepDetail, groups: tuple[ResultGroup, ...], zone: tzinfo, batch: int | None
) -> StepResult:
    return StepResult(
        step_instance_id=detail["step_instance_id"],
        name=safe_line(detail.get("name")),
        type=detail.get("type") or 0,
        status=detail["status"],
        execute_count=detail.get("execute_count") or 0,
        latest_execute_count=detail.get("execute_count") or 0,
        groups=groups,
        batch=batch,
        start_time=v2_time(detail.get("start_time"), zone),
        end_time=v2_time(detail.get("end_time"), zone),
        total_seconds=detail.get("total_time"),
    )


def host_log(ref: HostRef, content: str) -> HostLog:
    return HostLog(ref=ref, kind=LogKind.SCRIPT, content=content)
