"""A job instance: steps laid end to end on the clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from jobtui.sim.hosts import HostPool
from jobtui.sim.steps import StepRun, StepSpec

STEP_GAP = 1.0


@dataclass(frozen=True)
class JobMeta:
    """The descriptive fields of a job instance."""

    job_instance_id: int
    name: str
    operator: str = "admin"
    launch_mode: int = 1  # 1 web, 2 API, 3 cron
    type: int = 0  # 0 plan, 1 quick script, 2 quick file
    plan_id: int | None = 1001
    template_id: int | None = 101


@dataclass
class Job:
    """A job instance whose status at any instant is derived from its step schedule."""

    meta: JobMeta
    create_time: float
    pool: HostPool
    steps: list[StepRun] = field(default_factory=list)
    stopping: tuple[float, float] | None = None  # terminate: job 10 from [0], 11 from [1]

    @classmethod
    def build(cls, meta: JobMeta, start: float, pool: HostPool, specs: list[StepSpec]) -> Job:
        """Schedule ``specs`` one after another; steps after a final failure never start."""
        job = cls(meta=meta, create_time=start, pool=pool)
        cursor: float | None = start
        for spec in specs:
            run = StepRun(spec=spec, start=cursor)
            job.steps.append(run)
            if cursor is not None:
                cursor = None if run.failed else (run.end or 0.0) + STEP_GAP
        return job

    @property
    def job_instance_id(self) -> int:
        return self.meta.job_instance_id

    @property
    def end(self) -> float:
        """When the job finishes (after the last step that runs)."""
        ran = [s for s in self.steps if s.end is not None]
        return max((s.end or 0.0) for s in ran) if ran else self.create_time

    @property
    def failed(self) -> bool:
        return any(s.failed for s in self.steps if s.start is not None)

    def status(self, now: float) -> int:
        """Job RunStatus: 2 running, 7 waiting for confirmation, 15 rolling wait, 3/4 done.

        After operations (``sim/operations.py``): 10 then 11 when terminated
        (``JobListener.stopJob``/``refreshJob``), else the state of the current
        step: 13 after a rejected confirmation, 11/4 at a stopped or failed step,
        2 while a retry sent is not yet running (the request sets the job RUNNING).
        """
        if self.stopping is not None and now >= self.stopping[0]:
            return 10 if now < self.stopping[1] else 11
        if now >= self.end:
            return self._ended(self.current_step(now), now)
        for run in self.steps:
            if run.start is not None and run.start <= now < (run.end or 0.0):
                if run.retries and run.retries[-1].sent <= now < run.retries[-1].start:
                    return 2
                step_status = run.status(now)
                return step_status if step_status in (7, 15) else 2
        return 2

    def _ended(self, run: StepRun, now: float) -> int:
        status = run.status(now)
        if status in (4, 9, 11, 13):
            return status
        return 4 if self.failed else 3

    def current_step(self, now: float) -> StepRun:
        """The running step, or the last one that started."""
        started = [s for s in self.steps if s.start is not None and s.start <= now]
        return started[-1] if started else self.steps[0]

    def step(self, step_instance_id: int) -> StepRun | None:
        for run in self.steps:
            if run.spec.step_instance_id == step_instance_id:
                return run
        return None
