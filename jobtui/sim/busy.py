"""The ``busy`` scenario: six more jobs running beside the demo job, staggered.

A wall of running jobs needs more than one running job: here a long cron
backup, a log rotation that fails on some hosts, a release that waits for a
person, a rolling patch in MANUAL mode that pauses between batches (step and
job at 7, as ``JobListener.nextStep`` leaves them), a file distribution and a
quick script all overlap. Each job is a *lane*: with the demo loop, a lane starts
a fresh job 10-20 s after its last one ends, like the demo job does.

Timeline (seconds from the simulator's start; negative = already running):
backup -90..~440, nginx 4..12 then Failed, canary waits for a person from 4 on
(15 minutes), kernel patch pauses between batches at -2..28, 46..76, 94..124,
CDN sync 8..59, quick script 14..28.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from jobtui.sim.config import SimConfig
from jobtui.sim.hosts import HostPool
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.scenarios import Recipe
from jobtui.sim.steps import CONFIRM, FILE, SCRIPT, StepSpec

Builder = Callable[[int, float], Job]  # (job_instance_id, start) -> Job
Steps = Callable[[Recipe, int], list[StepSpec]]


@dataclass(frozen=True)
class BusyJob:
    """One lane of the busy scenario: its job's description and first start."""

    offset: float  # first start, seconds from the simulator's start
    hosts: int  # default targets per step (``--hosts`` overrides)
    name: str
    operator: str
    launch_mode: int  # 1 web, 2 API, 3 cron
    steps: Steps
    type: int = 0  # 0 plan, 1 quick script, 2 quick file
    plan: int | None = None  # plan id (and template id + 1) of a plan job


def _backup(r: Recipe, j: int) -> list[StepSpec]:
    return [
        r.spec(j, 1, "Dump databases", SCRIPT, host_duration=300.0),
        r.spec(j, 2, "Upload archives to storage", FILE, host_duration=120.0),
        r.spec(j, 3, "Prune backups older than 14 days", SCRIPT, host_duration=20.0),
    ]


def _nginx(r: Recipe, j: int) -> list[StepSpec]:
    return [
        r.spec(j, 1, "Rotate access logs", SCRIPT, host_duration=6.0, fail_plan=(0.2,)),
        r.spec(j, 2, "Reload nginx", SCRIPT, host_duration=4.0),
    ]


def _canary(r: Recipe, j: int) -> list[StepSpec]:
    return [
        r.spec(j, 1, "Build check", SCRIPT, host_duration=4.0),
        r.spec(j, 2, "Deploy 2.3 to canary", SCRIPT, host_duration=6.0),
        r.spec(
            j,
            3,
            "Confirm canary is healthy",
            CONFIRM,
            confirm_wait=r.wait(900.0),
            confirm_message="Error rate and latency of the canary look normal?",
        ),
        r.spec(j, 4, "Deploy 2.3 to all", SCRIPT, host_duration=8.0),
    ]


def _kernel(r: Recipe, j: int) -> list[StepSpec]:
    return [
        r.spec(
            j,
            1,
            "Patch kernel and reboot",
            SCRIPT,
            batches=4,
            host_duration=16.0,
            rolling_manual=True,
            pause_wait=r.wait(30.0),
        ),
        r.spec(j, 2, "Verify uname -r", SCRIPT, host_duration=4.0, success_tags=("6.8.12",)),
    ]


def _cdn(r: Recipe, j: int) -> list[StepSpec]:
    return [
        r.spec(j, 1, "Sync config to CDN nodes", FILE, host_duration=40.0),
        r.spec(j, 2, "Purge CDN cache", SCRIPT, host_duration=6.0),
    ]


def _disk(r: Recipe, j: int) -> list[StepSpec]:
    tags = ("/data 41% used", "/data 63% used", "/data 91% used")
    return [r.spec(j, 1, "check disk", SCRIPT, host_duration=12.0, success_tags=tags)]


BUSY_JOBS = (
    BusyJob(-90.0, 40, "Nightly backup", "cron", 3, _backup, plan=1201),
    BusyJob(4.0, 24, "Rotate nginx logs", "alice", 1, _nginx, plan=1202),
    BusyJob(-12.0, 8, "Release 2.3 to canary", "bob", 1, _canary, plan=1203),
    BusyJob(-20.0, 30, "Rolling kernel patch", "ops", 1, _kernel, plan=1204),
    BusyJob(8.0, 16, "Sync config to CDN", "deploy-bot", 2, _cdn, plan=1205),
    BusyJob(14.0, 12, "Quick script: check disk", "bob", 2, _disk, type=1),
)


def _builder(busy: BusyJob, recipe: Recipe, pool: HostPool) -> Builder:
    def build(job_id: int, start: float) -> Job:
        meta = JobMeta(
            job_instance_id=job_id,
            name=busy.name,
            operator=busy.operator,
            launch_mode=busy.launch_mode,
            type=busy.type,
            plan_id=busy.plan,
            template_id=None if busy.plan is None else busy.plan - 1000,
        )
        return Job.build(meta, start, pool, busy.steps(recipe, job_id))

    return build


def busy_lanes(config: SimConfig, recipe: Recipe, pool: HostPool) -> list[tuple[Builder, float]]:
    """The extra lanes (builder, first start offset) of the ``busy`` scenario."""
    lanes = []
    for busy in BUSY_JOBS:
        hosts = config.hosts if config.hosts is not None else busy.hosts
        lanes.append((_builder(busy, replace(recipe, hosts=hosts), pool), busy.offset))
    return lanes
