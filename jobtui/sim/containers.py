"""Container targets: the ``containers`` scenario, whose steps run in containers.

bk-job 3.12 can run a step's script or file transfer in containers (an
execute object of type 2, ``ExecuteObjectTypeEnum.CONTAINER``; the engine's
``ExecuteObject(Container)`` has no host). Only gateway v4 can describe them:
v3, jobv3 and v2 read ``getExecuteObject().getHost()`` and fail with 1240002
(``EsbGetJobInstanceStatusV3ResourceImpl``, ``EsbGetStepInstanceStatusV3ResourceImpl``,
``EsbGetJobInstanceStatusResourceImpl``, ``EsbGetJobInstanceLogResourceImpl``).

A step's targets are still the pool indices ``0..hosts-1``; ``Targets`` says
from which index on they are containers (0: all of them), so the step model
(``steps.py``) needs no change. Container ``i`` is a pure function of ``i``,
like a host.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobtui.sim.hashing import mix
from jobtui.sim.hosts import Host, HostPool
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.scenarios import Recipe
from jobtui.sim.steps import CONFIRM, FILE, SCRIPT

BASE_CMDB_ID = 70_001
NODE_OFFSET = 900  # node hosts sit far past the target hosts in the pool
PODS = ("web", "api", "worker", "cache")
#: ``status``/``watch`` on any family but v4 answers this for a container job
INTERNAL_ERROR = 1240002


@dataclass(frozen=True, slots=True)
class Container:
    """One container as CMDB knows it (``OpenApiContainerDTO``)."""

    index: int
    cmdb_id: int
    container_id: str
    name: str
    node_host_id: int


def container(index: int, pool: HostPool) -> Container:
    h = mix(7, index)
    pod = PODS[index % len(PODS)]
    suffix = f"{h & 0xFFFFF:05x}"
    return Container(
        index=index,
        cmdb_id=BASE_CMDB_ID + index,
        container_id="containerd://" + "".join(f"{mix(k, index):016x}" for k in (7, 8, 9, 10)),
        name=f"{pod}-7d9f8-{suffix}",
        node_host_id=pool.base_host_id + NODE_OFFSET + index // 6,
    )


def log_host(c: Container) -> Host:
    """A stand-in Host for the log generators, which print the target's address."""
    return Host(
        index=c.index,
        host_id=0,
        ip=c.name,
        ipv6=None,
        cloud_id=0,
        cloud_name="",
        agent_id=None,
    )


class Targets:
    """step_instance_id → first pool index that is a container (absent: hosts only)."""

    def __init__(self) -> None:
        self._from: dict[int, int] = {}

    def mark(self, step_instance_id: int, first_container: int) -> None:
        self._from[step_instance_id] = first_container

    def is_container(self, step_instance_id: int, index: int) -> bool:
        first = self._from.get(step_instance_id)
        return first is not None and index >= first

    def has_containers(self, step_instance_id: int) -> bool:
        return step_instance_id in self._from

    def first_container(self, step_instance_id: int) -> int | None:
        return self._from.get(step_instance_id)


def container_job(
    recipe: Recipe, job_id: int, start: float, pool: HostPool, targets: Targets
) -> Job:
    """Script in containers, files to containers, a confirmation, then a mixed step."""
    specs = [
        recipe.spec(
            job_id,
            1,
            "Check pods",
            SCRIPT,
            host_duration=5.0,
            success_tags=("ready",),
        ),
        recipe.spec(job_id, 2, "Push config into containers", FILE, host_duration=8.0),
        recipe.spec(
            job_id,
            3,
            "Reload app in containers",
            SCRIPT,
            fail_plan=(0.2, 0.0),
            failure_tags=("reload failed",),
        ),
        recipe.spec(job_id, 4, "Confirm traffic switch", CONFIRM, confirm_wait=15.0),
        recipe.spec(job_id, 5, "Health check (hosts and containers)", SCRIPT, host_duration=4.0),
    ]
    half = max(1, recipe.hosts // 2)
    for spec in specs:
        if spec.type == CONFIRM:
            continue
        mixed = spec.name.startswith("Health")
        targets.mark(spec.step_instance_id, half if mixed else 0)
    meta = JobMeta(job_instance_id=job_id, name="Roll out app v2.0 to k8s pods", operator="admin")
    return Job.build(meta, start, pool, specs)


def job_has_containers(job: Job, targets: Targets, now: float) -> bool:
    """Whether a host-only API fails on this job: a container step has started
    (its tasks exist; before that the v3 builders find nothing to read)."""
    return any(
        targets.has_containers(run.spec.step_instance_id)
        and run.start is not None
        and now >= run.start
        and run.spec.type in (SCRIPT, FILE)
        for run in job.steps
    )


def fails_host_only(
    targets: Targets, family: str, name: str, job: Job, params: dict[str, object], now: float
) -> bool:
    """Whether a v3/jobv3/v2 request about ``job`` dies in a host-only builder (1240002).

    v3/jobv3 ``get_job_instance_status`` reads hosts only with ``return_ip_result``
    (``EsbGetJobInstanceStatusV3ResourceImpl``); v2's status and log always do
    (``EsbGetJobInstanceStatusResourceImpl``, ``EsbGetJobInstanceLogResourceImpl``);
    ``get_step_instance_status`` does for the step asked about
    (``EsbGetStepInstanceStatusV3ResourceImpl``, ``EsbGetStepInstanceStatusResourceImpl``).
    """
    if not job_has_containers(job, targets, now):
        return False
    if name == "get_step_instance_status":
        try:
            sid = int(str(params.get("step_instance_id")))
        except ValueError:
            return False
        run = job.step(sid)
        return (
            run is not None
            and targets.has_containers(sid)
            and run.start is not None
            and now >= run.start
        )
    if name == "get_job_instance_status":
        flag = str(params.get("return_ip_result", "")).lower() in ("true", "1")
        return family == "v2" or flag
    return family == "v2" and name == "get_job_instance_log"
