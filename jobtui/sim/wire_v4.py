"""Gateway v4 payloads and errors, built from the simulator state.

Modelled on bk-job's v4 classes (read from the server's code; errors as
``EsbV4ExceptionControllerAdvice`` maps them, nulls omitted as
``EsbV4Jackson2HttpMessageConverter`` writes them):

- ``OpenApiGetJobInstanceStatusV4ResourceImpl`` / ``V4JobInstanceStatusResp``:
  job and steps; with ``return_execute_object_result`` each script/file step
  lists its execute objects (latest retry, all batches; file steps their
  targets only); a job without steps is NOT_FOUND 1244006;
- ``EsbGetJobInstanceListV4ResourceImpl`` / ``V4JobInstanceDTO``: ``offset``
  0..10,000 (default 0), ``length`` 1..200 (default 10), no total, no 30-day
  check, newest first;
- ``OpenApiBatchGetJobInstanceExecuteObjectLogV4ResourceImpl`` with
  ``V4BatchGetJobInstanceExecuteObjectLogRequest`` and its
  ``ExecuteObjectsLogGroupSequenceProvider``: the first of ``host_id_list`` >
  ``ip_list`` > ``container_id_list`` present is read (1..50 entries, else
  INVALID_ARGUMENT; none at all is validated as a missing ``host_id_list``);
  a step not in the job is NOT_FOUND 1244007; logs of the latest retry;
- ``OpenApiExecuteObjectDTO`` / ``OpenApiHostDTO`` / ``OpenApiContainerDTO`` and
  ``ExecuteObject.toOpenApiExecuteObjectDTO``: type 1 host, 2 container,
  ``resource_id`` the host id or the CMDB container id, as a string;
- ``EsbV4Jackson2HttpMessageConverter`` (NON_NULL): null fields are omitted;
- ``EsbV4ExceptionControllerAdvice`` / ``EsbV4RespError.buildCommonError``: real
  HTTP statuses, ``{"error": {"code", "message", "data"?, "details": [{"code",
  "message"}]}}``, the IAM object of a denial in ``error.data``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.responses import Response

from jobtui.sim.containers import Container, Targets, container, log_host
from jobtui.sim.errors import SimError
from jobtui.sim.groups import step_states
from jobtui.sim.hosts import Host
from jobtui.sim.jobs import Job
from jobtui.sim.logs import FileEntry, file_entries, script_log
from jobtui.sim.params import Params, opt_bool, opt_int, opt_str, req_int
from jobtui.sim.steps import CONFIRM, FILE, StepRun
from jobtui.sim.tables import FINISHED_RUN_STATUSES
from jobtui.sim.wire_v3 import job_instance, ms, span_ms, step_times
from jobtui.sim.world import World

Json = dict[str, Any]
LOG_LIMIT = 50
HOST_TYPE, CONTAINER_TYPE = 1, 2


def compact(value: Any) -> Any:
    """Drop every null field, as the NON_NULL v4 converter does."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


# ---------------------------------------------------------------- errors


#: bk-job code → (HTTP status, v4 code), as EsbV4ExceptionControllerAdvice maps the exceptions
def _status_of(code: int) -> tuple[int, str]:
    if code in (1244006, 1244007):
        return 404, "NOT_FOUND"  # NotFoundException
    if code == 9900403:
        return 403, "NO_PERMISSION"  # PermissionDeniedException
    if code == 1240003 or 1241000 <= code < 1242000:
        return 400, "INVALID_ARGUMENT"  # InvalidParam/MissingParameter/ConstraintViolation
    if code == 1241003:
        return 400, "FAILED_PRECONDITION"
    return 500, "INTERNAL"


def error_response(error: SimError) -> Response:
    """A bk-job error in v4's shape (gateway errors are answered elsewhere)."""
    status, name = _status_of(error.code)
    body: Json = {"code": name, "message": error.message}
    if error.permission is not None:
        body["data"] = error.permission  # buildPermissionDeniedError: no details
    else:
        body["details"] = [{"code": str(error.code), "message": error.message}]
    payload = {"error": body, "job_request_id": uuid.uuid4().hex[:16]}
    return Response(
        json.dumps(payload, ensure_ascii=True), status_code=status, media_type="application/json"
    )


def ok_response(data: Any) -> Response:
    payload = {"data": compact(data), "job_request_id": uuid.uuid4().hex[:16]}
    return Response(
        json.dumps(payload, ensure_ascii=True, separators=(",", ":")),
        media_type="application/json",
    )


def invalid(message: str) -> SimError:
    return SimError(1241025, message)  # FIELD_BIND_FAILED, as a ConstraintViolation


# ---------------------------------------------------------------- execute objects


def host_object(host: Host) -> Json:
    return {
        "type": HOST_TYPE,
        "resource_id": str(host.host_id),
        "host": {
            "bk_host_id": host.host_id,
            "bk_cloud_id": host.cloud_id,
            "bk_cloud_name": host.cloud_name,
            "ip": host.ip,
            "ipv6": host.ipv6,
            "bk_agent_id": host.agent_id,
            "alive": 1 if host.agent_id else 0,
        },
    }


def container_object(c: Container) -> Json:
    return {
        "type": CONTAINER_TYPE,
        "resource_id": str(c.cmdb_id),
        "container": {
            "id": c.cmdb_id,
            "container_id": c.container_id,
            "node_host_id": c.node_host_id,
            "name": c.name,
        },
    }


def target_object(world: World, targets: Targets, run: StepRun, index: int) -> Json:
    if targets.is_container(run.spec.step_instance_id, index):
        return container_object(container(index, world.pool))
    return host_object(world.pool.host(index))


# ---------------------------------------------------------------- get_job_instance_status


def job_status(world: World, targets: Targets, job: Job, params: Params, now: float) -> Json:
    with_objects = opt_bool(params, "return_execute_object_result")
    if not job.steps:
        raise SimError(1244006, "Job instance not found")
    steps = []
    for run in job.steps:
        attempt = run.execute_count(now)
        start, end = step_times(run, now)
        item: Json = {
            "step_instance_id": run.spec.step_instance_id,
            "name": run.spec.name,
            "status": run.status(now),
            "type": run.spec.type,
            "execute_count": attempt,
            "start_time": ms(start),
            "end_time": ms(end),
            "total_time": span_ms(start, end),
            "create_time": ms(job.create_time),
        }
        if with_objects and run.spec.type != CONFIRM:
            results = [
                {
                    "execute_object": target_object(world, targets, run, state.index),
                    "status": state.status,
                    "tag": state.tag or None,
                    "exit_code": state.exit_code,
                    "start_time": ms(state.start),
                    "end_time": ms(state.end),
                    "total_time": span_ms(state.start, state.end),
                }
                for state in step_states(world, run, attempt, 0, now)
            ]
            world.stats.host_results_built += len(results)
            # CollectionUtils.isNotEmpty: an empty list is left out, not sent as []
            item["step_execute_object_result_list"] = results or None
        steps.append(item)
    base = job_instance(world, job, now)
    base.pop("bk_biz_id", None)
    return {
        "finished": job.status(now) in FINISHED_RUN_STATUSES,
        "job_instance": base,
        "step_instance_list": steps,
    }


# ---------------------------------------------------------------- get_job_instance_list


def job_list(world: World, params: Params, now: float) -> Json:
    begin = req_int(params, "create_time_start")
    end = req_int(params, "create_time_end")
    offset = opt_int(params, "offset")
    offset = 0 if offset is None else offset
    length = opt_int(params, "length")
    length = 10 if length is None else length
    if not 0 <= offset <= 10_000:
        raise invalid("Invalid offset: must be between 0 and 10000")
    if not 1 <= length <= 200:
        raise invalid("Invalid length: must be between 1 and 200")
    jobs = [j for j in world.jobs() if begin <= j.create_time * 1000 <= end]
    wanted = opt_int(params, "job_instance_id")
    operator, name = opt_str(params, "operator"), opt_str(params, "name")
    out = []
    for j in jobs:
        checks = [
            wanted is None or j.job_instance_id == wanted,
            operator is None or j.meta.operator == operator,
            name is None or name.lower() in j.meta.name.lower(),
        ]
        for key, value in (
            ("launch_mode", j.meta.launch_mode),
            ("type", j.meta.type),
            ("status", j.status(now)),
        ):
            want = opt_int(params, key)
            checks.append(want is None or want == value)
        if all(checks):
            out.append(j)
    out.sort(key=lambda j: j.create_time, reverse=True)
    rows = []
    for j in out[offset : offset + length]:
        base = job_instance(world, j, now)
        rows.append(
            {
                "job_instance_id": j.job_instance_id,
                "job_plan_id": j.meta.plan_id,
                "job_template_id": j.meta.template_id,
                "name": j.meta.name,
                "operator": j.meta.operator,
                "launch_mode": j.meta.launch_mode,
                "status": base["status"],
                "start_time": base["start_time"],
                "end_time": base["end_time"],
                "total_time": base["total_time"],
                "create_time": base["create_time"],
                "type": j.meta.type,
                "bk_scope_type": base["bk_scope_type"],
                "bk_scope_id": base["bk_scope_id"],
            }
        )
    return {"job_instance_list": rows}


# ---------------------------------------- batch_get_job_instance_execute_object_log


def _selector(params: Params) -> tuple[str, list[Any]]:
    """The list the server reads, as ExecuteObjectsLogGroupSequenceProvider picks it."""
    for name in ("host_id_list", "ip_list", "container_id_list"):
        value = params.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not 1 <= len(value) <= LOG_LIMIT:
            raise invalid(f"{name}: between 1 and {LOG_LIMIT} execute objects per request")
        return name, value
    raise invalid("host_id_list: must not be null")


def _as_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"{name}: not a number") from None


def _indices(world: World, targets: Targets, run: StepRun, params: Params) -> list[int]:
    """Pool indices of the step's execute objects the request names (unknown ones dropped)."""
    name, values = _selector(params)
    sid = run.spec.step_instance_id
    limit = run.spec.hosts + (1 if run.spec.type == FILE else 0)
    pool = world.pool
    found: list[int] = []
    for value in values:
        index: int | None = None
        if name == "host_id_list":
            host = pool.find(limit, host_id=_as_int(value, name))
            index = host.index if host is not None else None
        elif name == "ip_list":
            if not isinstance(value, dict) or value.get("ip") is None:
                raise invalid("ip_list: bk_cloud_id and ip are required")
            cloud = _as_int(value.get("bk_cloud_id"), "ip_list")
            host = pool.find(limit, cloud_id=cloud, ip=str(value["ip"]))
            index = host.index if host is not None else None
        else:
            candidate = _as_int(value, name) - container(0, pool).cmdb_id
            if 0 <= candidate < run.spec.hosts and targets.is_container(sid, candidate):
                index = candidate
        if index is None:
            continue
        is_container = targets.is_container(sid, index) and index < run.spec.hosts
        if name != "container_id_list" and is_container:
            continue  # a host id never names a container
        found.append(index)
    return found


def batch_log(world: World, targets: Targets, job: Job, params: Params, now: float) -> Json:
    run = job.step(req_int(params, "step_instance_id"))
    if run is None:
        raise SimError(1244007, "Step instance not found")
    indices = _indices(world, targets, run, params)
    attempt = run.execute_count(now)
    data: Json = {
        "job_instance_id": job.job_instance_id,
        "step_instance_id": run.spec.step_instance_id,
    }
    sid = run.spec.step_instance_id
    if run.spec.type == FILE:
        data["log_type"] = 2
        source = world.pool.host(run.spec.source_index)
        items = []
        for index in indices:
            is_source = index == run.spec.source_index
            is_container = not is_source and targets.is_container(sid, index)
            obj = target_object(world, targets, run, index) if not is_source else None
            who = log_host(container(index, world.pool)) if is_container else world.pool.host(index)
            item: Json = {"execute_object": obj or host_object(source)}
            uploads = file_entries(run, attempt, source, now, 0) if is_source else []
            downloads = [] if is_source else file_entries(run, attempt, who, now, 1)
            if downloads:
                item["download_log"] = [_file(e, host_object(source), obj) for e in downloads]
            if uploads:
                item["upload_log"] = [_file(e, host_object(source), None) for e in uploads]
            items.append(item)
        data["file_step_execute_object_logs"] = items
    elif run.spec.type != CONFIRM:
        data["log_type"] = 1
        data["script_step_execute_object_logs"] = [
            {
                "execute_object": target_object(world, targets, run, index),
                "log_content": script_log(
                    run,
                    attempt,
                    log_host(container(index, world.pool))
                    if targets.is_container(sid, index)
                    else world.pool.host(index),
                    now,
                ),
            }
            for index in indices
        ]
    return data


def _file(entry: FileEntry, src: Json, dest: Json | None) -> Json:
    return {
        "mode": entry.mode,
        "src_execute_object": src,
        "src_path": entry.src_path,
        "dest_execute_object": dest,
        "dest_path": entry.dest_path,
        "status": entry.status,
        "log_content": entry.log_content,
        "size": entry.size,
        "speed": entry.speed,
        "process": entry.process,
    }
