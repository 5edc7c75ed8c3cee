"""v3 log and history payloads: get_job_instance_ip_log, batch_..._ip_log, get_job_instance_list."""

from __future__ import annotations

from typing import Any

from jobtui.sim.errors import SimError, missing, step_not_found
from jobtui.sim.hosts import Host
from jobtui.sim.jobs import Job
from jobtui.sim.logs import script_log
from jobtui.sim.params import Params, opt_int, opt_str, req_int
from jobtui.sim.steps import FILE, StepRun
from jobtui.sim.wire_v3 import file_logs, job_instance
from jobtui.sim.world import World

Json = dict[str, Any]
MAX_SPAN_MS = 30 * 86_400_000


def _run(job: Job, params: Params) -> StepRun:
    run = job.step(req_int(params, "step_instance_id"))
    if run is None:
        raise step_not_found()
    return run


def _known(world: World, run: StepRun, host: Host | None) -> Host | None:
    """Hosts of the step (targets, plus the source of a file step)."""
    if host is None:
        return None
    limit = run.spec.hosts + (1 if run.spec.type == FILE else 0)
    return host if host.index < limit else None


def _lookup(
    world: World, run: StepRun, host_id: int | None, cloud: int | None, ip: str | None
) -> Host | None:
    limit = run.spec.hosts + (1 if run.spec.type == FILE else 0)
    return _known(world, run, world.pool.find(limit, host_id=host_id, cloud_id=cloud, ip=ip))


def ip_log(world: World, job: Job, params: Params, now: float) -> Json:
    """One host's log: raw script text, or file_logs with size/speed/process null."""
    run = _run(job, params)
    host_id = opt_int(params, "bk_host_id")
    host_id = opt_int(params, "host_id") if host_id is None else host_id
    ip = opt_str(params, "ip")
    if host_id is None and (ip is None or opt_int(params, "bk_cloud_id") is None):
        raise missing("bk_host_id")
    host = _lookup(world, run, host_id, opt_int(params, "bk_cloud_id"), ip)
    if host is None:
        raise SimError(1241010, "Illegal parameter: host is not a target of this step")
    base: Json = {"bk_host_id": host.host_id, "bk_cloud_id": host.cloud_id, "ip": host.ip}
    if run.spec.type == FILE:
        return {"log_type": 2, **base, "file_logs": file_logs(world, run, host, now, sizes=False)}
    attempt = run.execute_count(now)
    return {"log_type": 1, **base, "log_content": script_log(run, attempt, host, now)}


def _hosts_from(world: World, run: StepRun, params: Params) -> list[Host]:
    ids = params.get("host_id_list")
    entries = params.get("ip_list")
    if ids:
        if not isinstance(ids, list) or len(ids) > 500:
            raise missing("host_id_list")
        found = [_lookup(world, run, _as_int(v, "host_id_list"), None, None) for v in ids]
    elif entries:
        if not isinstance(entries, list) or len(entries) > 500:
            raise missing("ip_list")
        found = [
            _lookup(world, run, None, _as_int(e.get("bk_cloud_id"), "ip_list"), str(e.get("ip")))
            if isinstance(e, dict)
            else None
            for e in entries
        ]
    else:
        raise missing("host_id_list")
    return [h for h in found if h is not None]


def _as_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise missing(name) from None


def batch_ip_log(world: World, job: Job, params: Params, now: float) -> Json:
    """Logs of up to 500 hosts; file logs carry size/speed/process."""
    run = _run(job, params)
    hosts = _hosts_from(world, run, params)
    data: Json = {
        "job_instance_id": job.job_instance_id,
        "step_instance_id": run.spec.step_instance_id,
        "log_type": 2 if run.spec.type == FILE else 1,
    }
    attempt = run.execute_count(now)
    if run.spec.type == FILE:
        data["file_task_logs"] = [
            {
                "bk_host_id": h.host_id,
                "bk_cloud_id": h.cloud_id,
                "ip": h.ip,
                "file_logs": file_logs(
                    world, run, h, now, sizes=True, sources=h.index == run.spec.source_index
                ),
            }
            for h in hosts
        ]
    else:
        data["script_task_logs"] = [
            {
                "host_id": h.host_id,
                "bk_host_id": h.host_id,
                "bk_cloud_id": h.cloud_id,
                "ip": h.ip,
                "ipv6": h.ipv6,
                "log_content": script_log(run, attempt, h, now),
            }
            for h in hosts
        ]
    return data


def job_list(world: World, params: Params, now: float) -> Json:
    """History, newest first, with the real field names (job_instance_id/status/type)."""
    begin = req_int(params, "create_time_start")
    end = req_int(params, "create_time_end")
    if end < begin:
        raise missing("create_time_end")
    if end - begin > MAX_SPAN_MS:
        raise SimError(1244036, "History query time range exceeds 30 days")
    start = opt_int(params, "start") or 0
    length = opt_int(params, "length")
    length = 20 if length is None else length
    if not 1 <= length <= 1000:
        raise missing("length")
    if not 0 <= start <= 1000:
        raise missing("start")
    jobs = [j for j in world.jobs() if begin <= j.create_time * 1000 <= end]
    wanted_id = opt_int(params, "job_instance_id")
    if wanted_id is not None:
        jobs = [j for j in jobs if j.job_instance_id == wanted_id]
    else:
        jobs = [j for j in jobs if _matches(j, params, now)]
    jobs.sort(key=lambda j: j.create_time, reverse=True)
    items = [_list_item(world, j, now) for j in jobs[start : start + length]]
    return {"start": start, "length": length, "total": len(jobs), "data": items}


def _matches(job: Job, params: Params, now: float) -> bool:
    operator = opt_str(params, "operator")
    name = opt_str(params, "name")
    checks = [
        operator is None or job.meta.operator == operator,
        name is None or name.lower() in job.meta.name.lower(),
    ]
    for key, value in (
        ("launch_mode", job.meta.launch_mode),
        ("type", job.meta.type),
        ("status", job.status(now)),
    ):
        wanted = opt_int(params, key)
        checks.append(wanted is None or wanted == value)
    return all(checks)


def _list_item(world: World, job: Job, now: float) -> Json:
    base = job_instance(world, job, now)
    return {
        "job_instance_id": job.job_instance_id,
        "bk_scope_type": base["bk_scope_type"],
        "bk_scope_id": base["bk_scope_id"],
        "bk_biz_id": None,
        "job_template_id": job.meta.template_id,
        "job_plan_id": job.meta.plan_id,
        "name": job.meta.name,
        "operator": job.meta.operator,
        "launch_mode": job.meta.launch_mode,
        "status": base["status"],
        "type": job.meta.type,
        "create_time": base["create_time"],
        "start_time": base["start_time"],
        "end_time": base["end_time"],
        "total_time": base["total_time"],
    }
