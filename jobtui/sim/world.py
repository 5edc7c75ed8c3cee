"""The simulated bk-job state: jobs on a clock, plus lookup helpers for tests and the demo."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Protocol

from jobtui.sim.busy import Builder, busy_lanes
from jobtui.sim.clock import Clock
from jobtui.sim.config import SimConfig
from jobtui.sim.containers import Targets, container_job
from jobtui.sim.hashing import unit
from jobtui.sim.jobs import Job
from jobtui.sim.scenarios import FIRST_JOB_ID, HISTORY, demo_job, history_jobs, pool_for, recipe_for
from jobtui.sim.tables import FINISHED_RUN_STATUSES

LOOP_JOB_CAP = 500  # bound memory when a fast clock runs for days
OPERATION_LOG_CAP = 10_000


@dataclass(frozen=True, slots=True, order=True)
class Operation:
    """One entry of the operation log: who did what, when (``TaskOperationLogService``).

    bk-job saves one for every step and job operation
    (``TaskExecuteServiceImpl.buildCommonStepOperationLog``: RETRY_STEP_ALL,
    CONFIRM_CONTINUE…, with the operator); only the web UI reads it back.
    """

    at: float
    job_instance_id: int
    step_instance_id: int | None  # None: a job operation
    code: int  # StepOperationEnum / TaskOperationEnum
    user: str


class Actor(Protocol):
    """Someone who acts on jobs as time passes (the simulated operator, ``sim/operator.py``).

    ``act`` does everything due by ``now`` (at the instants it was due, so the
    result never depends on when requests arrive) and says whether the job may
    still need it.
    """

    def wants(self, job: Job) -> bool: ...

    def act(self, job: Job, now: float) -> bool: ...


@dataclass
class Stats:
    """Instrumentation: how much per-host work requests did (tests assert on it)."""

    host_results_built: int = 0
    group_computations: int = 0
    requests: int = 0


class World:
    """All jobs of the configured scope; new demo jobs appear lazily as time passes."""

    def __init__(self, config: SimConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.stats = Stats()
        self.pool = pool_for(config)
        self.recipe = recipe_for(config)
        self.targets = Targets()  # steps whose targets are containers (scenario containers)
        self.operations: deque[Operation] = deque(maxlen=OPERATION_LOG_CAP)
        self.actor: Actor | None = None
        self._watched: dict[int, Job] = {}  # jobs the actor may still act on
        # The demo reads the world from its own thread while the server answers: one
        # refresh at a time, so the actor never sends the same operation twice.
        self._refreshing = threading.RLock()
        start = clock.now()
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        for job in history_jobs(self.recipe, start, self.pool):
            self._jobs[job.job_instance_id] = job
        self._next_id = FIRST_JOB_ID + len(HISTORY) + 92  # leave a visible gap
        firsts = self._lane_plan()
        self._lanes: list[list[int]] = [[] for _ in firsts]  # job ids per lane, oldest first
        # Ids grow with creation time, as bk-job allocates them; the demo lane is lane 0.
        for lane in sorted(range(len(firsts)), key=lambda k: firsts[k][1]):
            self._add(lane, start + firsts[lane][1])

    def _lane_plan(self) -> list[tuple[Builder, float]]:
        """(builder, first start offset) of every looping job: the demo, plus busy's."""
        recipe, pool = self.recipe, self.pool
        lanes: list[tuple[Builder, float]] = [
            (lambda job_id, at: demo_job(recipe, job_id, at, pool), 0.0)
        ]
        if self.config.scenario == "containers":
            targets = self.targets
            lanes = [(lambda job_id, at: container_job(recipe, job_id, at, pool, targets), 0.0)]
        if self.config.scenario == "busy":
            lanes += busy_lanes(self.config, recipe, pool)
        self._builders = [build for build, _ in lanes]
        return lanes

    @property
    def _demo_ids(self) -> list[int]:
        return self._lanes[0]

    def _add(self, lane: int, start: float) -> Job:
        job = self._builders[lane](self._next_id, start)
        self._next_id += 1
        self._jobs[job.job_instance_id] = job
        self.watch(job)
        ids = self._lanes[lane]
        ids.append(job.job_instance_id)
        if len(ids) > LOOP_JOB_CAP:
            old = ids.pop(0)
            self._jobs.pop(old, None)
            self._watched.pop(old, None)
        return job

    def _next_start(self, lane: int) -> float:
        """When the demo loop starts this lane's next job: 10-20 s after its last ends."""
        last = self._jobs[self._lanes[lane][-1]]
        return last.end + 10.0 + 10.0 * unit(self.config.seed, last.job_instance_id)

    def refresh(self) -> float:
        """Let the actor act and start any demo-loop jobs due by now; return now.

        The actor goes first: a retry it sent moves its job's end, and so when
        the loop starts that lane's next job.
        """
        with self._refreshing:
            now = self.clock.now()
            while True:
                self._act(now)
                if not self.config.demo_loop:
                    break
                at, lane = min((self._next_start(k), k) for k in range(len(self._lanes)))
                if at > now:
                    break
                self._add(lane, at)
            return now

    def attach(self, actor: Actor) -> None:
        """Let ``actor`` act on every job, those that exist and those to come."""
        self.actor = actor
        for job in self._jobs.values():
            self.watch(job)

    def watch(self, job: Job) -> None:
        """Show ``job`` to the actor (again: after an operation changed its schedule)."""
        if self.actor is not None and self.actor.wants(job):
            self._watched[job.job_instance_id] = job

    def _act(self, now: float) -> None:
        actor = self.actor
        if actor is None:
            return
        for job_id, job in list(self._watched.items()):
            if not actor.act(job, now):
                del self._watched[job_id]

    def record(
        self, at: float, job_instance_id: int, step_instance_id: int | None, code: int, user: str
    ) -> None:
        """Keep an operation in the log (``TaskOperationLogService.saveOperationLog``)."""
        self.operations.append(Operation(at, job_instance_id, step_instance_id, code, user))

    def job(self, job_instance_id: int) -> Job | None:
        """A job visible at the current time, or None."""
        now = self.refresh()
        job = self._jobs.get(job_instance_id)
        return job if job is not None and job.create_time <= now else None

    def add_job(self, job: Job) -> Job:
        """Put a hand-built job into the world (tests and conformance scenarios)."""
        self._jobs[job.job_instance_id] = job
        self.watch(job)
        return job

    def delete_job(self, job_instance_id: int) -> bool:
        """Forget a job, as when bk-job archives it mid-run; later requests get 1244006."""
        for lane, ids in enumerate(self._lanes):
            if job_instance_id in ids:
                if len(ids) == 1:
                    self._add(lane, self.clock.now())  # keep a job in every lane
                ids.remove(job_instance_id)
        self._watched.pop(job_instance_id, None)
        return self._jobs.pop(job_instance_id, None) is not None

    def plan(self, plan_id: int) -> Job | None:
        """The plan ``plan_id`` as its latest launch shows it, or None.

        The simulator keeps no plan of its own: a plan's steps are those of the
        newest job launched from it (``JobMeta.plan_id``), so the scenario data
        stays the one source and a plan exists while a job of it does.
        """
        launched = [j for j in self.jobs() if j.meta.plan_id == plan_id]
        return max(launched, key=lambda j: j.job_instance_id) if launched else None

    def jobs(self) -> list[Job]:
        now = self.refresh()
        return [j for j in self._jobs.values() if j.create_time <= now]

    def job_ids(self) -> list[int]:
        """Every visible job id, oldest first."""
        return [j.job_instance_id for j in self.jobs()]

    def running_job_id(self) -> int | None:
        """The newest job not yet finished, if any."""
        now = self.refresh()
        live = [j for j in self.jobs() if j.status(now) not in FINISHED_RUN_STATUSES]
        return live[-1].job_instance_id if live else None

    def demo_job_id(self) -> int:
        """The newest demo job (the one `jobtui demo` should watch)."""
        self.refresh()
        return self._demo_ids[-1]

    def finished_job_ids(self, status: int) -> list[int]:
        now = self.refresh()
        return [j.job_instance_id for j in self.jobs() if j.status(now) == status]
