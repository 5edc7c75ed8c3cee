"""v3 (gateway and ESB jobv3) payloads built from the simulator state.

Times are epoch milliseconds, durations milliseconds; nested nulls are explicit.
"""

from __future__ import annotations

from typing import Any

from jobtui.sim.errors import internal_error, step_not_found, unsupported_operation
from jobtui.sim.groups import Group, filtered, grouped, step_states
from jobtui.sim.hosts import Host
from jobtui.sim.jobs import Job
from jobtui.sim.logs import FILES, file_entries
from jobtui.sim.params import Params, opt_bool, opt_int, opt_str, req_int
from jobtui.sim.steps import CONFIRM, FILE, SCRIPT, HostState, StepRun
from jobtui.sim.tables import FINISHED_RUN_STATUSES, host_error_code, host_status_desc
from jobtui.sim.world import World

Json = dict[str, Any]


def ms(t: float | None) -> int | None:
    return None if t is None else round(t * 1000)


def span_ms(start: float | None, end: float | None) -> int | None:
    return None if start is None or end is None else round((end - start) * 1000)


def job_instance(world: World, job: Job, now: float) -> Json:
    end = job.end_time(now)
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


def step_times(run: StepRun, now: float) -> tuple[float | None, float | None]:
    """The step instance's own start and end (never per retry or per batch)."""
    return run.times(now)


def job_status(world: World, job: Job, params: Params, now: float) -> Json:
    with_hosts = opt_bool(params, "return_ip_result")
    steps = []
    for run in job.steps:
        attempt = run.execute_count(now)
        start, end = step_times(run, now)
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
        # Explicit null when not asked for (nested nulls are written).
        item["step_ip_result_list"] = _ip_results(world, run, attempt, now) if with_hosts else None
        steps.append(item)
    status = job.status(now)
    return {
        "finished": status in FINISHED_RUN_STATUSES,
        "job_instance": job_instance(world, job, now),
        "step_instance_list": steps,
    }


def _ip_results(world: World, run: StepRun, attempt: int, now: float) -> list[Json]:
    """Latest attempt, all batches, targets only, no ipv6, no batch field
    (``EsbGetJobInstanceStatusV3ResourceImpl``: ``listTasks(step, executeCount, null)``).

    ``[]`` for a confirmation step and for a step not yet started: its tasks are
    created when it starts (``GseStepEventHandler.saveExecuteObjectTasksForStartStep``;
    a rolling step creates every batch's tasks when batch 1 starts).
    """
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
    """get_step_instance_status as ``EsbGetStepInstanceStatusV3ResourceImpl`` answers it.

    - A confirmation step is refused with 1241003
      (``TaskResultServiceImpl.preProcessViewStepExecutionResult``).
    - ``execute_count`` omitted is the latest, with no range check (an unknown
      one gives empty groups); ``batch`` omitted is the current batch on a rolling
      step (``filterByLatestBatch``), 0 is every batch, ``k`` filters ``BATCH = k``.
    - The step fields (``execute_count``, ``status``, times) are the step's
      current values (``buildEsbStepInstanceStatusV3DTO``); only the host lists
      follow the asked attempt and batch.
    - Host lists: see :func:`select_groups`.
    """
    run = job.step(_step_id(params))
    if run is None:
        raise step_not_found()
    if run.spec.type == CONFIRM:
        raise unsupported_operation()
    latest = run.execute_count(now)
    attempt = opt_int(params, "execute_count")
    attempt = latest if attempt is None else attempt
    asked_batch = opt_int(params, "batch")
    batch = run.current_batch(now) if asked_batch is None else asked_batch
    cap = opt_int(params, "max_host_num_per_group")
    keyword, search_ip = opt_str(params, "keyword"), opt_str(params, "search_ip")
    if run.status(now) == 1:
        # A step not started has batch 0: "current batch" means every target.
        batch = 0 if asked_batch is None else asked_batch
        groups = _not_started(world, run, batch, cap, search_ip, language)
    else:
        groups = select_groups(
            world,
            run,
            attempt,
            max(batch, 0),  # the DAO filters BATCH only when k > 0: a negative k is every batch
            now,
            status=opt_int(params, "status"),
            tag=opt_str(params, "tag"),
            cap=cap,
            keyword=keyword,
            search_ip=search_ip,
            language=language,
        )
    start, end = step_times(run, now)
    data: Json = {
        "step_instance_id": run.spec.step_instance_id,
        "execute_count": latest,
        "name": run.spec.name,
        "type": run.spec.type,
        "status": run.status(now),
        "create_time": ms(job.create_time),
        "start_time": ms(start),
        "end_time": ms(end),
        "total_time": span_ms(start, end),
    }
    if groups:
        data["step_result_group_list"] = groups
    return data


def _group(status: int, tag: str | None, size: int, hosts: list[Json] | None, lang: str) -> Json:
    return {
        "result_type": status,
        "result_type_desc": host_status_desc(status, lang),
        "tag": tag,
        "host_size": size,
        "host_result_list": hosts,
    }


def _not_started(
    world: World,
    run: StepRun,
    batch: int,
    cap: int | None,
    search_ip: str | None,
    language: str,
) -> list[Json]:
    """One group (5, tag null) of every target: ``buildNotStartStepExecutionResult``.

    Waiting hosts carry ``exit_code 0`` and ``total_time 0``; the keyword and
    the status/tag filters play no part, ``search_ip`` does. A rolling step
    lists the asked batch's hosts (all for batch 0), a step that does not roll
    all its targets (``filterTargetExecuteObjectsByBatch``); a batch the rolling
    config lacks throws (``RollingConfigServiceImpl.getRollingServers``: 1240002).
    """
    spec = run.spec
    if spec.rolling and batch != 0 and not 0 < batch <= spec.batches:
        raise internal_error()
    indices = spec.batch_range(batch) if spec.rolling else range(spec.hosts)
    pool = world.pool
    matching = [
        i
        for i in indices
        if not search_ip
        or search_ip in (pool.host(i).ip or "")
        or search_ip in (pool.host(i).ipv6 or "")
    ]
    shown = matching if cap is None else matching[: max(0, cap)]
    hosts = []
    for index in shown:
        waiting = HostState(index, 5, None, "", None, None, (5, 0, "", 0.0, 0.0))
        entry = host_result(world, waiting, language)
        entry.update(exit_code=0, total_time=0)
        hosts.append(entry)
    return [_group(5, None, len(matching), hosts, language)]


def select_groups(
    world: World,
    run: StepRun,
    attempt: int,
    batch: int,
    now: float,
    *,
    status: int | None,
    tag: str | None,
    cap: int | None,
    keyword: str | None,
    search_ip: str | None,
    language: str,
) -> list[Json]:
    """Groups of one attempt and batch, hosts listed as ``TaskResultServiceImpl`` lists them.

    - No ``status``: every group lists its hosts (``fetchAllGroupData``); a
      ``tag`` alone is ignored (``EsbGetStepInstanceStatusV3ResourceImpl``).
    - With ``status``: only the group whose ``(status, tag or "")`` matches
      exactly (``ResultGroupBaseDTO.equals``,
      ``ScriptExecuteObjectTaskDAOImpl.listTasksByResultGroup``) lists hosts; when
      none matches, only the first group (lowest status) does
      (``removeAgentTasksForNotSpecifiedResultGroup``).
    - Steps of at most 100 targets, or any keyword/IP search, are built in
      memory: groups not listed carry ``[]``, ``max_host_num_per_group`` cuts with
      ``subList(0, max)`` (0 lists none). Larger steps are filtered in the
      database (``filterAndSortExecutionResultInDB``): groups not listed carry
      ``null`` and the cap applies only when above 0.
    - A keyword or IP search that matches no host gives every group of the
      *latest* attempt with ``host_size 0`` and no list (``buildEmptyResultGroups``);
      a keyword matches nothing on a file step (the script-log store is searched).
      A search keeps groups whose hosts all fell out, at ``host_size 0``
      (``filterExecuteObjectTasksByMatchKeys``).
    """
    states = step_states(world, run, attempt, batch, now)
    searching = bool(keyword or search_ip)
    in_memory = run.spec.hosts <= 100 or searching
    groups = grouped(states)
    if searching:
        keep: set[int] = set()
        if not (keyword and run.spec.type != SCRIPT):
            found = filtered(world, run, attempt, states, now, keyword, search_ip)
            keep = {s.index for s in found}
        if not keep:
            latest = step_states(world, run, run.execute_count(now), batch, now)
            return [_group(g.status, g.tag, 0, None, language) for g in grouped(latest)]
        groups = [Group(g.status, g.tag, [h for h in g.hosts if h.index in keep]) for g in groups]
    if status is None:
        listed = set(range(len(groups)))
    else:
        wanted = [k for k, g in enumerate(groups) if g.status == status and g.tag == (tag or "")]
        listed = set(wanted) if wanted else {0}
    out = []
    for k, group in enumerate(groups):
        unlisted: list[HostState] | None = [] if in_memory else None
        hosts = _capped(group.hosts, cap, in_memory) if k in listed else unlisted
        rendered = None if hosts is None else [host_result(world, h, language) for h in hosts]
        out.append(_group(group.status, group.tag, len(group.hosts), rendered, language))
    return out


def _capped(hosts: list[HostState], cap: int | None, in_memory: bool) -> list[HostState]:
    """``getLimitedSizedList`` in memory (a negative cap breaks ``subList``: 1240002)."""
    if cap is None:
        return hosts
    if in_memory:
        if cap < 0:
            raise internal_error()
        return hosts[:cap]
    return hosts[:cap] if cap > 0 else hosts


def _step_id(params: Params) -> int:
    return req_int(params, "step_instance_id")


def _host_id_only(host: Host) -> Json:
    """A single-host log names hosts by ``bk_host_id`` only.

    ``EsbGetJobInstanceIpLogV3ResourceImpl.toEsbFileLogV3DTO`` sets the host id,
    then parses the IP with ``EsbIpDTO.fromCloudIp``, which accepts only
    ``cloud:ip`` strings: for a plain IP the cloud and IP stay null.
    """
    return {
        "bk_host_id": host.host_id,
        "bk_cloud_id": None,
        "bk_cloud_name": None,
        "ip": None,
        "ipv6": None,
        "bk_agent_id": None,
        "alive": None,
    }


def _full_ip(host: Host) -> Json:
    """The batch log's ``EsbIpDTO.fromHost``: the host as CMDB knows it."""
    return {
        "bk_host_id": host.host_id,
        "bk_cloud_id": host.cloud_id,
        "bk_cloud_name": host.cloud_name,
        "ip": host.ip,
        "ipv6": host.ipv6,
        "bk_agent_id": host.agent_id,
        "alive": None,
    }


def file_logs(
    world: World, run: StepRun, host: Host | None, now: float, *, sizes: bool, sources: bool = True
) -> list[Json]:
    """Download logs of ``host`` (if it is a target) plus upload logs of the source host.

    The single-host API (``sizes=False``) leaves size/speed/process null and names
    hosts by id only; the batch API fills them (``EsbFileIpLogV3DTO``).
    """
    attempt = run.execute_count(now)
    source = world.pool.host(run.spec.source_index)
    name = _full_ip if sizes else _host_id_only
    out: list[Json] = []
    pairs = [(host, 1)] if host is not None and host.index < run.spec.hosts else []
    if sources:
        pairs.append((source, 0))
    for owner, mode in pairs:
        for entry in file_entries(run, attempt, owner, now, mode):
            out.append(
                {
                    "mode": mode,
                    "src_ip": name(source),
                    "src_path": entry.src_path,
                    "dest_ip": name(owner) if mode == 1 else None,
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


def plan_detail(job: Job, plan_id: int) -> Json:
    """get_job_plan_detail, as ``EsbPlanV3ResourceImpl.getPlanDetailUsingPost``.

    ``TaskPlanInfoDTO.toEsbPlanInfoV3`` with its steps by ``TaskStepDTO.toEsbStepV3``
    (``id``, ``name``, ``type`` and the one info for the type); a confirmation
    step's ``approval_info`` by ``TaskApprovalStepDTO.toEsbApprovalInfoV3``, which,
    unlike the step detail, fills type, users, message and channels. Step ids are
    the plan's own (``StepSpec.step_id``), never the instance's. Script and file
    infos are left null here: jobtui reads only the confirmation.
    """
    steps: list[Json] = []
    for run in job.steps:
        spec = run.spec
        step: Json = {
            "id": spec.step_id,
            "name": spec.name,
            "type": spec.type,
            "script_info": None,
            "file_info": None,
            "approval_info": None,
        }
        if spec.type == CONFIRM:
            step["approval_info"] = {
                "approval_type": 1,  # ANYONE
                "approval_user": {"user_list": [job.meta.operator], "role_list": []},
                "approval_message": spec.confirm_message,
                "notify_channel": [],
            }
        steps.append(step)
    return {
        "id": plan_id,
        "name": job.meta.name,
        "step_list": steps,
    }


def step_detail(world: World, job: Job, params: Params) -> Json:
    """get_step_instance_detail (gateway only), as ``EsbGetStepInstanceDetailV3ResourceImpl``.

    ``convertToEsbStepV3DTO`` fills one of ``script_info``/``file_info``/``approval_info``
    by step type; the others stay null (nested nulls are written, ``EsbStepV3DTO``).
    A confirmation step carries only ``approval_message``: ``approval_type``,
    ``approval_user`` and ``notify_channel`` are null.
    """
    run = job.step(_step_id(params))
    if run is None:
        raise step_not_found()
    spec = run.spec
    data: Json = {
        "id": spec.step_instance_id,
        "name": spec.name,
        "type": spec.type,
        "script_info": None,
        "file_info": None,
        "approval_info": None,
    }
    account = {"id": 1, "name": "root", "alias": "root"}
    targets = {
        "variable": None,
        "ip_list": [_server_host(world.pool.host(i)) for i in range(spec.hosts)],
        "host_id_list": None,
        "dynamic_group_list": None,
        "topo_node_list": None,
    }
    if spec.type == CONFIRM:
        data["approval_info"] = {
            "approval_type": None,
            "approval_user": None,
            "approval_message": spec.confirm_message,
            "notify_channel": None,
        }
    elif spec.type == FILE:
        source = world.pool.host(spec.source_index)
        data["file_info"] = {
            "file_source_list": [
                {
                    "file_list": [path for path, _ in FILES],
                    "server": {**targets, "ip_list": [_server_host(source)]},
                    "account": account,
                    "file_type": 1,
                    "file_source_id": None,
                    "file_source_code": None,
                }
            ],
            "file_destination": {"path": "/data/deploy/", "account": account, "server": targets},
            "timeout": 7200,
            "source_speed_limit": None,
            "destination_speed_limit": None,
            "transfer_mode": 1,
            "is_ignore_error": 0,
        }
    else:
        data["script_info"] = {
            "script_type": 1,
            "script_id": None,
            "script_version_id": None,
            "script_content": spec.script,
            "script_language": 1,
            "script_param": None,
            "windows_interpreter": None,
            "script_timeout": 3600,
            "account": account,
            "server": targets,
            "is_param_sensitive": 0,
            "is_ignore_error": 0,
        }
    return data


def _server_host(host: Host) -> Json:
    """An ``EsbIpDTO`` of a target, every field written."""
    return {
        "bk_host_id": host.host_id,
        "bk_cloud_id": host.cloud_id,
        "bk_cloud_name": host.cloud_name,
        "ip": host.ip,
        "ipv6": host.ipv6,
        "bk_agent_id": host.agent_id,
        "alive": 1,
    }
