"""v3 log and history payloads: get_job_instance_ip_log, batch_..._ip_log, get_job_instance_list."""

from __future__ import annotations

from typing import Any

from jobtui.sim.errors import SimError, internal_error, job_not_found, missing
from jobtui.sim.hosts import Host
from jobtui.sim.jobs import Job
from jobtui.sim.logs import script_log
from jobtui.sim.params import Params, opt_int, opt_str, req_int
from jobtui.sim.steps import CONFIRM, FILE, StepRun
from jobtui.sim.wire_v3 import file_logs, job_instance
from jobtui.sim.world import World

Json = dict[str, Any]
MAX_SPAN_MS = 30 * 86_400_000
BATCH_HOSTS = "host_id_list/ip_list"
# RunStatusEnum values (12 is not one of them) and TaskTypeEnum values.
RUN_STATUSES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15})
TASK_TYPES = frozenset({0, 1, 2})


def _run(job: Job, params: Params) -> StepRun:
    """The step of a log request; a missing step is 1244006, as the job would be.

    ``EsbGetJobInstanceIpLogV3ResourceImpl`` and ``EsbBatchGetJobInstanceIpLogV3ResourceImpl``
    throw ``TASK_INSTANCE_NOT_EXIST`` when the *step* is not found.
    """
    run = job.step(req_int(params, "step_instance_id"))
    if run is None:
        raise job_not_found()
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
    """One host's log of the latest attempt, as ``EsbGetJobInstanceIpLogV3ResourceImpl``.

    - ``bk_host_id``/``bk_cloud_id``/``ip`` echo the request (``ip`` is null when
      asked by host id); neither a host id nor cloud+IP is 1241007.
    - A script log that is blank is ``null`` (``StringUtils.isNotBlank``); a host
      the step does not know gets an empty success, not an error.
    - File logs: this host's downloads plus every source's uploads, hosts named
      by id only, size/speed/process null.
    """
    run = _run(job, params)
    host_id = opt_int(params, "bk_host_id")
    cloud, ip = opt_int(params, "bk_cloud_id"), opt_str(params, "ip")
    if host_id is None and (ip is None or cloud is None):
        raise missing("host_id/(bk_cloud_id+ip)")
    host = _lookup(world, run, host_id, cloud, ip)
    data: Json = {
        "log_type": None,
        "bk_host_id": host_id,
        "bk_cloud_id": cloud,
        "ip": ip,
        "log_content": None,
        "file_logs": None,
    }
    if run.spec.type == FILE:
        data["log_type"] = 2
        data["file_logs"] = file_logs(world, run, host, now, sizes=False)
        if host_id is None and host is not None:
            data["bk_host_id"] = host.host_id
    elif run.spec.type != CONFIRM:
        data["log_type"] = 1
        text = script_log(run, run.execute_count(now), host, now) if host is not None else ""
        if text.strip():
            data["log_content"] = text
            if host_id is None and host is not None:
                data["bk_host_id"] = host.host_id
    return data


def _hosts_from(world: World, run: StepRun, params: Params) -> list[Host]:
    """The asked hosts the step knows, as ``EsbBatchGetJobInstanceIpLogV3ResourceImpl`` reads them.

    ``host_id_list`` wins over ``ip_list``, whose entries may name a host by
    ``bk_host_id`` too (``ExecuteObjectCompositeKeyUtils.fromEsbHostParams``);
    both empty, or more than 500, is 1241007 ``host_id_list/ip_list`` (``checkRequest``).
    """
    ids = params.get("host_id_list")
    entries = params.get("ip_list")
    if ids:
        if not isinstance(ids, list) or len(ids) > 500:
            raise missing(BATCH_HOSTS)
        found = [_lookup(world, run, _as_int(v, BATCH_HOSTS), None, None) for v in ids]
    elif entries:
        if not isinstance(entries, list) or len(entries) > 500:
            raise missing(BATCH_HOSTS)
        found = [_entry_host(world, run, e) for e in entries]
    else:
        raise missing(BATCH_HOSTS)
    return [h for h in found if h is not None]


def _entry_host(world: World, run: StepRun, entry: Any) -> Host | None:
    if not isinstance(entry, dict):
        return None
    if entry.get("bk_host_id") is not None:
        return _lookup(world, run, _as_int(entry["bk_host_id"], BATCH_HOSTS), None, None)
    cloud = _as_int(entry.get("bk_cloud_id"), BATCH_HOSTS)
    return _lookup(world, run, None, cloud, str(entry.get("ip")))


def _as_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise missing(name) from None


def batch_ip_log(world: World, job: Job, params: Params, now: float) -> Json:
    """Logs of up to 500 hosts, latest attempt (``EsbBatchGetJobInstanceIpLogV3ResourceImpl``).

    - Script steps list only hosts that have log records (a host not started has
      none); no record at all leaves ``script_task_logs`` null.
    - File steps give one entry per asked host: all-null when it has no file log,
      else its transfers with size/speed/process and full hosts (``EsbIpDTO.fromHost``).
    - A missing step is 1244006 (TASK_INSTANCE_NOT_EXIST).
    """
    run = _run(job, params)
    hosts = _hosts_from(world, run, params)
    data: Json = {
        "job_instance_id": job.job_instance_id,
        "step_instance_id": run.spec.step_instance_id,
        "log_type": None,
        "script_task_logs": None,
        "file_task_logs": None,
    }
    attempt = run.execute_count(now)
    if run.spec.type == FILE:
        data["log_type"] = 2
        entries = []
        for h in hosts:
            logs = file_logs(
                world, run, h, now, sizes=True, sources=h.index == run.spec.source_index
            )
            entries.append(
                {"bk_host_id": h.host_id, "bk_cloud_id": h.cloud_id, "ip": h.ip, "file_logs": logs}
                if logs
                else {"bk_host_id": None, "bk_cloud_id": None, "ip": None, "file_logs": None}
            )
        data["file_task_logs"] = entries or None
    elif run.spec.type != CONFIRM:
        data["log_type"] = 1
        logs = []
        for h in hosts:
            text = script_log(run, attempt, h, now)
            if text:
                logs.append(
                    {
                        "host_id": h.host_id,
                        "bk_host_id": h.host_id,
                        "bk_cloud_id": h.cloud_id,
                        "ip": h.ip,
                        "ipv6": h.ipv6,
                        "log_content": text,
                    }
                )
        data["script_task_logs"] = logs or None
    return data


def job_list(world: World, params: Params, now: float) -> Json:
    """History, newest first, checked as ``EsbGetJobInstanceListV3ResourceImpl.checkRequest``.

    - start/end missing or < 1, or ``end - start <= 0`` (equal times too): 1241007;
      a span above 30 days: 1241002 ILLEGAL_PARAM.
    - ``start`` is not capped: the ``start <= 1000`` limit is off unless
      ``openApiProperties.v3GetJobInstanceList.startLimitEnabled`` (default false).
    - A ``status`` outside ``RunStatusEnum`` (e.g. 12) throws in ``valueOf`` and
      comes back as 1240002; an unknown ``type`` is 1241002.
    - ``job_instance_id`` short-circuits every other condition, the window included
      (``TaskInstanceDAOImpl.buildSearchCondition``).
    - An empty page has ``data: null`` (``EsbPageDataV3``).
    """
    begin = opt_int(params, "create_time_start")
    if begin is None or begin < 1:
        raise missing("create_time_start")
    end = opt_int(params, "create_time_end")
    if end is None or end < 1:
        raise missing("create_time_end")
    if end - begin <= 0:
        raise missing("create_time_start|create_time_end")
    if end - begin > MAX_SPAN_MS:
        raise SimError(1241002, "Illegal parameter [create_time_start|create_time_end]")
    wanted_type = opt_int(params, "type")
    if wanted_type is not None and wanted_type not in TASK_TYPES:
        raise SimError(1241002, "Illegal parameter [type]")
    wanted_status = opt_int(params, "status")
    if wanted_status is not None and wanted_status not in RUN_STATUSES:
        raise internal_error()
    start = opt_int(params, "start") or 0
    length = opt_int(params, "length")
    length = 20 if length is None else length
    if not 1 <= length <= 1000:
        raise missing("length")
    if start < 0:
        raise missing("start")
    wanted_id = opt_int(params, "job_instance_id")
    if wanted_id is not None and wanted_id > 0:  # short-circuits the other conditions
        jobs = [j for j in world.jobs() if j.job_instance_id == wanted_id]
    else:
        jobs = [j for j in world.jobs() if begin <= j.create_time * 1000 <= end]
        jobs = [j for j in jobs if _matches(j, params, now)]
    jobs.sort(key=lambda j: j.create_time, reverse=True)
    items = [_list_item(world, j, now) for j in jobs[start : start + length]]
    return {"start": start, "length": length, "total": len(jobs), "data": items or None}


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
