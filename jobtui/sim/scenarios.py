"""Scenario recipes: which jobs exist, their steps, hosts and failure plans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobtui.sim.config import SimConfig
from jobtui.sim.hosts import HostPool
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.steps import CONFIRM, FILE, SCRIPT, StepSpec

FIRST_JOB_ID = 20_001
DAY = 86_400.0

# A name and tags as anyone who can save a plan or print a tag may write them:
# sequences, controls, newlines (ASCII and Unicode's line and paragraph
# separators), which must stay one line of text on screen.
HOSTILE_NAME = (
    "deploy \x1b]0;pwned\x07\x1b[2J\x1b[?1049h\x9b31m evil\x00\nrm -rf /\u2028then reboot"
)
HOSTILE_TAGS = (
    "ok \x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ " + "T" * 260,
    "\x1b[200~paste\x1b[201~\u2029second line",
)


@dataclass(frozen=True)
class Recipe:
    """Scenario-wide knobs derived from the configuration."""

    seed: int
    hosts: int
    profile: str  # log flavour
    manual: bool = False  # confirmations and manual rolling pauses wait for a person

    def wait(self, seconds: float) -> float | None:
        """How long a person-facing pause lasts: ``seconds``, or until someone acts."""
        return None if self.manual else seconds

    def spec(self, job_id: int, n: int, name: str, type_: int, **kw: Any) -> StepSpec:
        return StepSpec(
            step_instance_id=job_id * 10 + n,
            step_id=500 + n,
            name=name,
            type=type_,
            hosts=self.hosts,
            seed=self.seed,
            profile=self.profile,
            **kw,
        )


def pool_for(config: SimConfig) -> HostPool:
    if config.scenario == "scale":
        return HostPool(clouds=3, ipv6_every=50)
    return HostPool(clouds=2, ipv6_every=0)


def recipe_for(config: SimConfig) -> Recipe:
    default_hosts = 50_000 if config.scenario == "scale" else 24
    hosts = config.hosts if config.hosts is not None else default_hosts
    profile = config.scenario if config.scenario in ("scale", "hostile") else "default"
    return Recipe(seed=config.seed, hosts=hosts, profile=profile, manual=config.manual)


DEMO_PLAN = 900  # the demo job's own plan (history jobs use 1000 + n)
CONFIRM_MESSAGE = "Canary is green? Check the dashboards, then confirm the rollout to production."


def demo_job(recipe: Recipe, job_id: int, start: float, pool: HostPool) -> Job:
    """The showcase: retry, file transfer, manual confirmation, MANUAL rolling, tags.

    The confirmation (with its message) and the pauses between rolling batches
    end by themselves after 20 s and 6 s, so the demo runs end to end; with
    ``SimConfig.manual`` they wait for a person (operations 6 and 13).
    """
    hostile = recipe.profile == "hostile"
    name = HOSTILE_NAME if hostile else "Deploy app v1.2 to production"
    fail_tags = HOSTILE_TAGS if hostile else ()
    ok_tags = HOSTILE_TAGS if hostile else ("v1.2 deployed",)
    specs = [
        recipe.spec(job_id, 1, "Precheck environment", SCRIPT, host_duration=6.0),
        recipe.spec(
            job_id,
            2,
            name if hostile else "Deploy package",
            SCRIPT,
            fail_plan=(0.25, 0.0),
            success_tags=ok_tags,
            failure_tags=fail_tags,
        ),
        recipe.spec(job_id, 3, "Distribute config files", FILE, host_duration=10.0),
        recipe.spec(
            job_id,
            4,
            "Confirm rollout",
            CONFIRM,
            confirm_wait=recipe.wait(20.0),
            confirm_message=CONFIRM_MESSAGE,
        ),
        recipe.spec(
            job_id,
            5,
            "Rolling restart",
            SCRIPT,
            batches=3,
            host_duration=6.0,
            rolling_manual=True,
            pause_wait=recipe.wait(6.0),
            script="#!/bin/bash\nsystemctl restart app.service\n./healthz --wait 30\n",
        ),
        recipe.spec(
            job_id,
            6,
            "Health check",
            SCRIPT,
            host_duration=4.0,
            success_tags=("healthy", "healthy", "degraded: high load"),
        ),
    ]
    meta = JobMeta(
        job_instance_id=job_id, name=name, operator="admin", launch_mode=1, plan_id=DEMO_PLAN
    )
    return Job.build(meta, start, pool, specs)


HISTORY = (
    # (days ago, name, operator, launch_mode, type, fails)
    (6.5, "Nightly log cleanup", "cron", 3, 0, False),
    (5.2, "Rotate TLS certificates", "alice", 1, 0, False),
    (4.1, "Quick script: df -h", "bob", 1, 1, False),
    (3.3, "Deploy app v1.1 to production", "admin", 1, 0, True),
    (2.0, "Push hosts file", "alice", 2, 2, False),
    (1.2, "Nightly log cleanup", "cron", 3, 0, False),
    (0.4, "Database backup", "bob", 2, 0, True),
)


def history_jobs(recipe: Recipe, now: float, pool: HostPool) -> list[Job]:
    """Finished jobs in the past days, for get_job_instance_list."""
    jobs = []
    for n, (ago, name, operator, mode, type_, fails) in enumerate(HISTORY):
        job_id = FIRST_JOB_ID + n
        kind = FILE if type_ == 2 else SCRIPT
        specs = [
            recipe.spec(
                job_id, 1, name, kind, host_duration=5.0, fail_plan=(0.3,) if fails else (0.0,)
            )
        ]
        if type_ == 0:
            specs.append(recipe.spec(job_id, 2, "Verify", SCRIPT, host_duration=3.0))
        meta = JobMeta(
            job_instance_id=job_id,
            name=name,
            operator=operator,
            launch_mode=mode,
            type=type_,
            plan_id=None if type_ else 1000 + n,
            template_id=None if type_ else 100 + n,
        )
        jobs.append(Job.build(meta, now - ago * DAY, pool, specs))
    return jobs
