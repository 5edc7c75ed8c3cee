"""A job instance: steps laid end to end on the clock.

The job's status follows its current step as ``JobListener`` sets it: 2 while a
step runs (also in the instant a rolling step sits at 15 between AUTO batches),
7 WAITING_USER while a confirmation step or a MANUAL rolling pause waits for a
person, never 15 (``JobListener.refreshJob``/``nextStep``: no job update to 15).
A failed step finishes the job at 4 (``JobListener.refreshJob`` → ``finishJob``:
end time now, total time from the job's start) until a person retries it.
"""

from __future__ import annotations

import math
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
    # An operation's request set the job RUNNING (``updateTaskStatus``) before the engine
    # acts: [0] the request, [1] the engine (confirm, retry, ignore, next step, rolling).
    released: tuple[float, float] | None = None
    # The job's end time when that request came: ``updateTaskStatus`` sets only the
    # status, so a finished job shows its old end until the engine resets it
    # (``TaskInstanceDAOImpl.resetTaskExecuteInfoForRetry``).
    released_end: float | None = None

    @classmethod
    def build(cls, meta: JobMeta, start: float, pool: HostPool, specs: list[StepSpec]) -> Job:
        """Schedule ``specs`` one after another; steps after a final failure never start."""
        job = cls(meta=meta, create_time=start, pool=pool)
        job.steps = [StepRun(spec=spec, start=None) for spec in specs]
        job.schedule()
        return job

    def schedule(self) -> None:
        """Place every step after the previous one; call again after a person acted.

        A step waiting for a person ends at ``PENDING`` (infinity), so the steps
        after it are pending too until :meth:`continue_rolling`/:meth:`confirm`.
        """
        cursor: float | None = self.create_time
        for run in self.steps:
            if cursor is not None and self.stopping is not None and cursor >= self.stopping[0]:
                cursor = None  # terminated: no later step starts
            run.reset(cursor)
            if cursor is None or not math.isfinite(cursor):
                continue
            end = run.end
            cursor = None if run.failed else (end if end is not None else 0.0) + STEP_GAP

    def continue_rolling(self, step_instance_id: int, now: float) -> bool:
        """Operation 13 (ROLLING_CONTINUE) on a MANUAL rolling pause; False: 1241003."""
        run = self.step(step_instance_id)
        if run is None or not run.continue_rolling(now):
            return False
        self.schedule()
        return True

    def confirm(self, step_instance_id: int, now: float, user: str) -> bool:
        """Operation 6 (CONFIRM_CONTINUE) on a confirmation step at 7; False: 1241003."""
        run = self.step(step_instance_id)
        if run is None or not run.confirm(now, user):
            return False
        self.schedule()
        return True

    @property
    def job_instance_id(self) -> int:
        return self.meta.job_instance_id

    @property
    def end(self) -> float:
        """When the job finishes (after the last step that runs)."""
        ran = [s for s in self.steps if s.end is not None]
        return max((s.end or 0.0) for s in ran) if ran else self.create_time

    def end_time(self, now: float) -> float | None:
        """The job instance's ``end_time`` at ``now`` (``JobListener.finishJob`` sets it)."""
        if self.released is not None and self.released[0] <= now < self.released[1]:
            return self.released_end
        return self.end if now >= self.end else None

    @property
    def failed(self) -> bool:
        return any(s.failed for s in self.steps if s.start is not None)

    def status(self, now: float) -> int:
        """Job RunStatus: 2 running, 7 waiting for a person, 3/4 done; never 15.

        After operations (``sim/operations.py``): 10 then 11 when terminated
        (``JobListener.stopJob``/``refreshJob``); the state of the step the job
        stopped at (13 after a rejected confirmation, 11 at a stopped step); 2
        while a retry sent is not yet running (the request sets the job RUNNING).
        """
        if self.stopping is not None and now >= self.stopping[0]:
            return 10 if now < self.stopping[1] else 11
        if self.released is not None and self.released[0] <= now < self.released[1]:
            return 2
        for run in self.steps:
            last = run.retries[-1] if run.retries else None
            if last is not None and last.sent <= now < last.start:
                return 2
        if now >= self.end:
            status = self.current_step(now).status(now)
            if status in (4, 9, 11, 13):
                return status
            return 4 if self.failed else 3
        for run in self.steps:
            if run.start is not None and run.start <= now < (run.end or 0.0):
                return 7 if run.status(now) == 7 else 2
        return 2

    def current_step(self, now: float) -> StepRun:
        """The running step, or the last one that started."""
        started = [s for s in self.steps if s.start is not None and s.start <= now]
        return started[-1] if started else self.steps[0]

    def step(self, step_instance_id: int) -> StepRun | None:
        for run in self.steps:
            if run.spec.step_instance_id == step_instance_id:
                return run
        return None
