"""The simulated operator: a person who retries a failed step, so the demo's story goes on.

bk-job never retries a failed step by itself: ``GseStepEventHandler.onFail``
puts the step at 4 FAIL and ``JobListener.refreshJob`` → ``finishJob`` ends the
job at 4, with its end and total time. A person then sends RETRY_ALL_IP (8)
from the web UI or an API (``TaskExecuteServiceImpl.retryStepAll``: the job
back to 2 and ``execute_count`` + 1 at once, the run when the engine gets the
event, ``GseStepEventHandler.retryStepAll``).

The demo's scenarios plan a retry (a ``fail_plan`` with a next attempt); this
operator carries it out a visible ``pause`` after the failure, through the same
``operate_step`` a client's request goes through, under its own name, so the
operation log and every state a client polls are those of a real retry. It
acts at the instant it is due, whenever the next request comes
(:meth:`jobtui.sim.world.World.refresh`), so the answers stay a pure function
of the clock. ``SimConfig.retry_operator = None`` (and ``demo --manual``) leave
the failed job at 4 for the user to retry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jobtui.sim import operations
from jobtui.sim.errors import SimError
from jobtui.sim.jobs import Job
from jobtui.sim.steps import StepRun
from jobtui.sim.world import World

RETRY_ALL_IP = 8  # StepOperationEnum.RETRY_ALL_IP: the web UI's "retry all"


@dataclass
class Operator:
    """Retries a planned failure ``pause`` seconds (simulated time) after it ended."""

    world: World
    name: str
    pause: float

    def wants(self, job: Job) -> bool:
        """Only jobs whose story plans a retry need this person."""
        return any(len(run.spec.fail_plan) > 1 for run in job.steps)

    def act(self, job: Job, now: float) -> bool:
        """Send every retry due by ``now``; False once nothing is left to do in ``job``."""
        while True:
            due = self._next(job)
            if due is None:
                return False  # an operation by anyone else puts the job back (World.watch)
            at, run = due
            if at > now:
                return True
            if not self._retry(job, run, at):
                return False

    def _next(self, job: Job) -> tuple[float, StepRun] | None:
        """(when, which step) of the next planned retry on the job's current schedule."""
        for run in job.steps:
            if run.start is None or not math.isfinite(run.start) or run.pending:
                continue
            if run.finish is not None or run.stop is not None:
                continue  # someone ignored, skipped or terminated it: not this person's business
            segments = run.segments
            if not segments:
                continue
            last = segments[-1]
            if last.failed and run.spec.plans_retry(last.attempt):
                return last.end + self.pause, run
        return None

    def _retry(self, job: Job, run: StepRun, at: float) -> bool:
        """RETRY_ALL_IP through the operation path a client's request takes."""
        params = {
            "job_instance_id": job.job_instance_id,
            "step_instance_id": run.spec.step_instance_id,
            "operation_code": RETRY_ALL_IP,
        }
        try:
            operations.operate_step(self.world, job, params, at, self.name)
        except SimError:
            return False  # 1241003: the state moved under this person; they leave it
        return True
