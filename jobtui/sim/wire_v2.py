"""ESB v2 payloads: string times without offset (Asia/Shanghai), float seconds, escaped logs."""

from __future__ import annotations

import html
from typing import Any

from jobtui.sim.errors import step_not_found, unsupported_operation
from jobtui.sim.groups import grouped, step_states
from jobtui.sim.hosts import Host
from jobtui.sim.jobs import Job
from jobtui.sim.logs import file_entries, fmt_ts, script_log
from jobtui.sim.params import Params, req_int
from jobtui.sim.steps import CONFIRM, FILE, StepRun
from jobtui.sim.tables import FINISHED_RUN_STATUSES, host_error_code, host_status_desc
from jobtui.sim.wire_v3 import step_times
from jobtui.sim.world import World

Json = dict[str, Any]


def ts(t: float | None) -> str | None:
    return None if t is None else fmt_ts(t)


def secs(start: float | None, end: float | None) -> float | None:
    return None if start is None or end is None else round(end - start, 3)


def _biz(world: World) -> int | None:
    scope = world.config.scope_id
    return int(scope) if scope.isdigit() else None


def job_status(world: World, job: Job, now: float) -> Json:
    """One block per step (as the real server sends), each with one step item.

    Each step's ``step_ip_status`` is its latest retry, every batch, with no
    batch field (``EsbGetJobInstanceStatusResourceImpl``: ``listTasks(step,
    executeCount, null)``; ``EsbJobInstanceStatusDTO.StepInst``), so a rolling
    step's running batch cannot be read from it.
    """
    status = job.status(now)
    end = job.end_time(now)
    blocks = []
    for order, run in enumerate(job.steps, start=1):
        attempt = run.execute_count(now)
        start, stop = step_times(run, now)
        states = step_states(world, run, attempt, 0, now)
        ip_status = [
            {
                "ip": world.pool.host(s.index).ip,
                "bk_cloud_id": world.pool.host(s.index).cloud_id,
                "status": s.status,
            }
            for s in states
        ]
        world.stats.host_results_built += len(ip_status)
        blocks.append(
            {
                "block_order": order,
                "block_name": run.spec.name,
                "step_instances": [
                    {
                        "step_instance_id": run.spec.step_instance_id,
                        "step_id": run.spec.step_id,
                        "name": run.spec.name,
                        "type": run.spec.type,
                        "operator": run.confirmed_by or job.meta.operator,
                        "status": run.status(now),
                        "execute_count": attempt,
                        "create_time": ts(job.create_time),
                        "start_time": ts(start),
                        "end_time": ts(stop),
                        "total_time": secs(start, stop),
                        "pause": None,
                        "step_ip_status": ip_status,
                    }
                ],
            }
        )
    return {
        "is_finished": status in FINISHED_RUN_STATUSES,
        "job_instance": {
            "job_instance_id": job.job_instance_id,
            "bk_biz_id": _biz(world),
            "bk_scope_type": world.config.scope_type,
            "bk_scope_id": world.config.scope_id,
            "bk_job_id": job.meta.plan_id if job.meta.plan_id is not None else -1,
            "name": job.meta.name,
            "operator": job.meta.operator,
            "status": status,
            "start_way": job.meta.launch_mode,
            "current_step_instance_id": job.current_step(now).spec.step_instance_id,
            "create_time": ts(job.create_time),
            "start_time": ts(job.create_time),
            "end_time": ts(end),
            "total_time": secs(job.create_time, end),
        },
        "blocks": blocks,
    }


def job_log(world: World, job: Job, now: float) -> list[Json]:
    """Every host's full log per step, grouped by (status, tag), HTML-escaped."""
    out = []
    for run in job.steps:
        attempt = run.execute_count(now)
        results = []
        for group in grouped(step_states(world, run, attempt, 0, now)):
            logs = [_ip_log(world, run, attempt, s.index, now) for s in group.hosts]
            results.append({"ip_status": group.status, "tag": group.tag, "ip_logs": logs})
        status = run.status(now)
        out.append(
            {
                "is_finished": status in FINISHED_RUN_STATUSES,
                "step_instance_id": run.spec.step_instance_id,
                "name": run.spec.name,
                "status": status,
                "step_results": results,
            }
        )
    return out


def _ip_log(world: World, run: StepRun, attempt: int, index: int, now: float) -> Json:
    host = world.pool.host(index)
    state = run.host_state(attempt, index, now)
    if run.spec.type == FILE:
        text = "".join(e.log_content for e in file_entries(run, attempt, host, now, 1))
    else:
        text = script_log(run, attempt, host, now)
    world.stats.host_results_built += 1
    return {
        "start_time": ts(state.start),
        "end_time": ts(state.end),
        "total_time": secs(state.start, state.end),
        "execute_count": attempt,
        "error_code": host_error_code(state.status),
        "exit_code": state.exit_code,
        "bk_cloud_id": host.cloud_id,
        "ip": host.ip,
        "log_content": html.escape(text, quote=False),  # Utils.htmlEncode: & < > only
    }


def step_status(world: World, job: Job, params: Params, now: float, language: str) -> Json:
    """v2 step detail plus the result analysis, as ``EsbGetStepInstanceStatusResourceImpl``.

    - The ids are read at the top level of the body only (``checkRequest``:
      1241007 without them; :func:`jobtui.sim.app._params` does not unpack ``params``).
    - A confirmation step is refused with 1241003
      (``TaskResultServiceImpl.preProcessViewStepExecutionResult``).
    - The analysis is built with ``fetchAllGroupData`` false and no status, so
      ``removeAgentTasksForNotSpecifiedResultGroup`` keeps hosts in the first
      group only: it alone has ``ip_list``, and ``count`` is the number of hosts
      *listed* (0 for every other group; ``convertToStandardAnalyseResult``).
    - A step not yet started is one group of waiting targets
      (``buildNotStartStepExecutionResult``).
    - ``step_instance_detail`` is ``convertStepInstance``: the step's current
      values; the host counts and ``abnormal_agent_ips`` are never set (null).
    - Every batch of a rolling step: the ``StepExecutionResultQuery`` sets
      neither ``batch`` nor ``filterByLatestBatch`` (v3 sets the latter), and
      nothing in the answer names the running batch.
    """
    run = job.step(req_int(params, "step_instance_id"))
    if run is None:
        raise step_not_found()
    if run.spec.type == CONFIRM:
        raise unsupported_operation()
    attempt = run.execute_count(now)
    status = run.status(now)
    if status == 1:
        listed_groups = [(5, list(range(run.spec.hosts)))]
    else:
        groups = grouped(step_states(world, run, attempt, 0, now))
        listed_groups = [
            (g.status, [s.index for s in g.hosts] if k == 0 else []) for k, g in enumerate(groups)
        ]
    hosts = [world.pool.host(i) for i in range(run.spec.hosts)]
    world.stats.host_results_built += len(hosts)
    start, stop = step_times(run, now)
    analyse = []
    for result_type, indices in listed_groups:
        entry: Json = {
            "result_type": result_type,
            "result_type_text": host_status_desc(result_type, language),
            "count": len(indices),
        }
        if indices:
            entry["ip_list"] = [_esb_ip(world.pool.host(i)) for i in indices]
        analyse.append(entry)
    return {
        "is_finished": status in FINISHED_RUN_STATUSES,
        "step_instance_detail": {
            "step_instance_id": run.spec.step_instance_id,
            "name": run.spec.name,
            "type": run.spec.type,
            "operator": run.confirmed_by or job.meta.operator,
            "status": status,
            "step_id": run.spec.step_id,
            "job_instance_id": job.job_instance_id,
            "bk_biz_id": _biz(world),
            "bk_scope_type": world.config.scope_type,
            "bk_scope_id": world.config.scope_id,
            "target_ips": ",".join(f"{h.cloud_id}:{h.ip}" for h in hosts),
            "execute_count": attempt,
            "start_time": ts(start),
            "end_time": ts(stop),
            "total_time": secs(start, stop),
            # convertStepInstance never sets these: they are written as null.
            "abnormal_agent_ips": None,
            "total_ip_num": None,
            "abnormal_agent_ip_num": None,
            "running_ip_num": None,
            "fail_ip_num": None,
            "success_ip_num": None,
        },
        "step_instance_analyse_result": analyse,
    }


def _esb_ip(host: Host) -> Json:
    """``new EsbIpDTO(hostId, cloudId, ip)``: the other fields are written as null."""
    return {
        "bk_host_id": host.host_id,
        "bk_cloud_id": host.cloud_id,
        "bk_cloud_name": None,
        "ip": host.ip,
        "ipv6": None,
        "bk_agent_id": None,
        "alive": None,
    }


def job_detail(job: Job, plan_id: int) -> dict[str, Any]:
    """get_job_detail (ESB v2), as ``EsbGetJobDetailResourceImpl.getJobDetail``.

    ``buildJobDetail`` names the plan ``bk_job_id`` (``EsbJobDetailDTO``) and lists
    its steps by ``buildStep`` (``EsbStepDTO``: ``step_id``, ``name``, ``type``); a
    confirmation step gets only ``confirm_message`` (``buildApprovalStep``). Step
    ids are the plan's own (``StepSpec.step_id``). Script and file fields are left
    out: jobtui reads only the confirmation.
    """
    steps: list[dict[str, Any]] = []
    for run in job.steps:
        spec = run.spec
        step: dict[str, Any] = {"step_id": spec.step_id, "name": spec.name, "type": spec.type}
        if spec.type == CONFIRM:
            step["confirm_message"] = spec.confirm_message
        steps.append(step)
    return {"bk_job_id": plan_id, "name": job.meta.name, "steps": steps, "global_vars": []}
