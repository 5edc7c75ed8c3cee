"""v3 (gateway and ESB jobv3) payloads built from the simulator state.

Times are epoch milliseconds, durations milliseconds; nested nulls are explicit.
"""

from __future__ import annotations

from typing import Any

from jobtui.sim.errors import SimError, step_not_found
from jobtui.sim.groups import filtered, grouped, step_states
from jobtui.sim.hosts import Host
from jobtui.sim.jobs import Job
from jobtui.sim.logs import file_entries
from jobtui.sim.params import Params, opt_bool, opt_int, opt_str, req_int
from jobtui.sim.steps import CONFIRM, FILE, HostState, StepRun
from jobtui.sim.tables import FINISHED_RUN_STATUSES, host_error_code, host_status_desc
from jobtui.sim.world import World

Json = dict[str, Any]


def ms(t: float | None) -> int | None:
    return None if t is None else round(t * 1000)


def span_ms(start: float | None, end: float | None) -> int | None:
    return None if start is None or end is None else round((end - start) * 1000)


def job_instance(world: World, job: Job, now: float) -> Json:
    end = job.end if now >= job.end else None
    return {
        "job_instance_id": job.job_instance_id,
        "name": job.meta.name,
        "status": job.status(now),
        "create_time": ms(job.create_time),
        "start_time": ms(job.create_time),
        "end_time": ms(end),
        "total_time": span_ms(job.create_time, end),
        "bk_scope_type": world.config.scope_type,
        "bk_scope_id": world.config.scope_id,
        "bk_biz_id": None,
    }


def step_times(run: StepRun, attempt: int, now: float) -> tuple[float | None, float | None]:
    if run.start is None or now < run.start:
        return None, None
    start = run.attempt_starts[attempt] if run.attempt_starts else run.start
    end = run.attempt_end(attempt)
    return start, end if now >= end else None


def job_status(world: World, job: Job, params: Params, now: float) -> Json:
    with_hosts = opt_bool(params, "return_ip_result")
    steps = []
    for run in job.steps:
        attempt = run.execute_count(now)
        start, end = step_times(run, attempt, now)
        item: Json = {
            "step_instance_id": run.spec.step_instance_id,
            "name": run.spec.name,
            "type": run.spec.type,
            "status": run.status(now),
            "execute_count": attempt,
            "create_time": ms(job.create_time),
            "start_time": ms(start),
            "end_time": ms(end),
            "total_time": span_ms(start, end),
        }
        if with_hosts:
            item["step_ip_result_list"] = _ip_results(world, run, attempt, now)
        steps.append(item)
    status = job.status(now)
    return {
        "finished": status in FINISHED_RUN_STATUSES,
        "job_instance": job_instance(world, job, now),
        "step_instance_list": steps,
    }


def _ip_results(world: World, run: StepRun, attempt: int, now: float) -> list[Json]:
    """Latest attempt, all batches, targets only, no ipv6; confirm steps get []."""
    if run.spec.type == CONFIRM:
        return []
    out = []
    pool = world.pool
    for state in step_states(world, run, attempt, 0, now):
        host = pool.host(state.index)
        out.append(
            {
                "bk_host_id": host.host_id,
                "ip": host.ip,
                "bk_cloud_id": host.cloud_id,
                "status": state.status,
                "tag": state.tag,
                "exit_code": state.exit_code,
                "error_code": host_error_code(state.status),
                "start_time": ms(state.start),
                "end_time": ms(state.end),
                "total_time": span_ms(state.start, state.end),
            }
        )
    world.stats.host_results_built += len(out)
    return out


def host_result(world: World, state: HostState, language: str) -> Json:
    host = world.pool.host(state.index)
    world.stats.host_results_built += 1
    return {
        "bk_host_id": host.host_id,
        "ip": host.ip,
        "ipv6": host.ipv6,
        "bk_agent_id": host.agent_id,
        "bk_cloud_id": host.cloud_id,
        "bk_cloud_name": host.cloud_name,
        "status": state.status,
        "status_desc": host_status_desc(state.status, language),
        "tag": state.tag or None,
        "exit_code": state.exit_code,
        "start_time": ms(state.start),
        "end_time": ms(state.end),
        "total_time": span_ms(state.start, state.end),
    }


def step_status(world: World, job: Job, params: Params, now: float, language: str) -> Json:
    """get_step_instance_status with bkjob-api.md §2 parameter semantics."""
    run = job.step(_step_id(params))
    if run is None:
        raise step_not_found()
    latest = run.execute_count(now)
    attempt = opt_int(params, "execute_count")
    attempt = latest if attempt is None else attempt
    if not 0 <= attempt <= latest:
        raise SimError(1241007, "Missing or illegal parameter [execute_count]")
    batch = opt_int(params, "batch")
    batch = run.current_batch(now) if batch is None else batch
    if not 0 <= batch <= run.spec.batches:
        raise SimError(1241007, "Missing or illegal parameter [batch]")
    if run.spec.batches == 1:
        batch = 0
    cap = opt_int(params, "max_host_num_per_group")
    status_filter = opt_int(params, "status")
    tag_filter = opt_str(params, "tag")
    states = step_states(world, run, attempt, batch, now)
    states = filtered(
        world, run, attempt, states, now, opt_str(params, "keyword"), opt_str(params, "search_ip")
    )
    groups = []
    for group in grouped(states):
        listed = (status_filter is None or status_filter == group.status) and (
            tag_filter is None or tag_filter == group.tag
        )
        hosts = group.hosts if cap is None or cap < 0 else group.hosts[:cap]
        groups.append(
            {
                "result_type": group.status,
                "result_type_desc": host_status_desc(group.status, language),
                "tag": group.tag,
                "host_size": len(group.hosts),
                "host_result_list": [host_result(world, s, language) for s in hosts]
                if listed
                else None,
            }
        )
    start, end = _batch_times(run, attempt, batch, now)
    data: Json = {
        "step_instance_id": run.spec.step_instance_id,
        "execute_count": attempt,
        "name": run.spec.name,
        "type": run.spec.type,
        "status": run.attempt_status(attempt, now),
        "create_time": ms(job.create_time),
        "start_time": ms(start),
        "end_time": ms(end),
        "total_time": span_ms(start, end),
    }
    if groups:
        data["step_result_group_list"] = groups
    return data


def _batch_times(
    run: StepRun, attempt: int, batch: int, now: float
) -> tuple[float | None, float | None]:
    start, end = step_times(run, attempt, now)
    if batch == 0 or start is None:
        return start, end
    begin = run.batch_start(attempt, batch)
    finish = begin + run.spec.window
    return (begin, finish if now >= finish else None) if now >= begin else (None, None)


def _step_id(params: Params) -> int:
    return req_int(params, "step_instance_id")


def _src_ip(host: Host) -> Json:
    return {"bk_host_id": host.host_id, "bk_cloud_id": host.cloud_id, "ip": host.ip}


def file_logs(
    world: World, run: StepRun, host: Host, now: float, *, sizes: bool, sources: bool = True
) -> list[Json]:
    """Download logs of ``host`` plus upload logs of the source host (mode 0)."""
    attempt = run.execute_count(now)
    source = world.pool.host(run.spec.source_index)
    out: list[Json] = []
    pairs = [(host, 1)] if host.index < run.spec.hosts else []
    if sources:
        pairs.append((source, 0))
    for owner, mode in pairs:
        for entry in file_entries(run, attempt, owner, now, mode):
            out.append(
                {
                    "mode": mode,
                    "src_ip": _src_ip(source),
                    "src_path": entry.src_path,
                    "dest_ip": _src_ip(owner) if mode == 1 else None,
                    "dest_path": entry.dest_path,
                    "status": entry.status,
                    "log_content": entry.log_content,
                    "size": entry.size if sizes else None,
                    "speed": entry.speed if sizes else None,
                    "process": entry.process if sizes else None,
                }
            )
    return out


def is_file(run: StepRun) -> bool:
    return run.spec.type == FILE
