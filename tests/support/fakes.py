"""Domain-model builders and the one in-memory JobApi, for tests without HTTP.

Most tests drive the real client against the simulator; these are for pure
logic around a client (the poller, ``status``'s retry loop, the header).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from jobtui.api.base import Capabilities
from jobtui.api.errors import ApiError
from jobtui.api.filters import StepFilter
from jobtui.api.models import (
    ApiFamily,
    Block,
    HostLog,
    HostRef,
    HostResult,
    Job,
    JobPage,
    LogKind,
    ResultGroup,
    Step,
    StepResult,
)

T0 = datetime(2025, 11, 13, 2, 0, 0, tzinfo=UTC)


def later(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def host(n: int, status: int = 9) -> HostResult:
    return HostResult(HostRef(host_id=n, cloud_id=0, ip=f"10.0.0.{n}"), status, exit_code=0)


def hosts(*statuses: int) -> tuple[HostResult, ...]:
    """Hosts 10.0.0.1, .2, … with these statuses (no exit code)."""
    return tuple(
        HostResult(ref=HostRef(host_id=i, cloud_id=0, ip=f"10.0.0.{i}"), status=code)
        for i, code in enumerate(statuses, start=1)
    )


def release_job() -> Job:
    """Job 99, running its second of three steps (a script, a script, a confirmation)."""
    steps = (
        Step(11, "check", 1, 3, start_time=T0, total_seconds=3.0),
        Step(12, "deploy", 1, 2, start_time=T0),
        Step(13, "confirm", 3, 1),
    )
    return Job(
        99,
        "release",
        2,
        False,
        blocks=(Block(None, 1, steps, implicit=True),),
        operator="admin",
        launch_mode=1,
        start_time=T0,
        current_step_instance_id=12,
    )


def make_job(
    status: int = 2,
    *,
    finished: bool | None = None,
    name: str = "nightly deploy",
    steps: Sequence[Step] | None = None,
    total: float | None = None,
) -> Job:
    """Job 1001 in ``status`` with three steps that carry per-host results."""
    if steps is None:
        steps = (
            Step(101, "check disk", 1, 3, start_time=T0, total_seconds=4.2, hosts=hosts(9, 9, 3)),
            Step(102, "push package", 2, 2, execute_count=1, start_time=T0, hosts=hosts(9, 7, 5)),
            Step(103, "confirm", 3, 1),
        )
    if finished is None:
        finished = status in {3, 4, 5, 6, 8, 9, 11, 13, 14}
    return Job(
        job_instance_id=1001,
        name=name,
        status=status,
        finished=finished,
        blocks=(Block(name=None, order=0, steps=tuple(steps), implicit=True),),
        operator="admin",
        launch_mode=1,
        start_time=T0,
        total_seconds=total,
    )


class FakeApi:
    """A JobApi in memory.

    ``get_job`` answers from ``answers`` in order (jobs, or errors to raise), the
    last one again and again; by default :func:`release_job`. Step results (two
    groups) and logs (``log``) are fixed. ``error`` makes every call fail.
    ``calls`` records each call as a word (``job``, ``result:12``, ``log:12:h:3``),
    ``job_calls`` each ``get_job``'s (id, with_hosts).
    """

    family = ApiFamily.V3
    capabilities = Capabilities(True, True, True, True, True, False)

    def __init__(self, *answers: Job | ApiError) -> None:
        self.answers: list[Job | ApiError] = list(answers) or [release_job()]
        self.error: ApiError | None = None
        self.calls: list[str] = []
        self.job_calls: list[tuple[int, bool]] = []
        self.closed = False
        self.log = "line 1\n"

    @property
    def job(self) -> Job:
        """The job served next (the first answer, which must be a job)."""
        first = self.answers[0]
        assert isinstance(first, Job)
        return first

    @job.setter
    def job(self, job: Job) -> None:
        self.answers = [job]

    def _check(self, name: str) -> None:
        self.calls.append(name)
        if self.error is not None:
            raise self.error

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        self.job_calls.append((job_instance_id, with_hosts))
        self._check("job")
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, ApiError):
            raise answer
        return answer

    async def enrich_job(self, job: Job) -> Job:
        return job

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        self._check(f"result:{step_instance_id}")
        step = self.job.step(step_instance_id)
        assert step is not None
        groups = (ResultGroup(9, "", 2, (host(1), host(2))), ResultGroup(7, "", 1, (host(3, 7),)))
        return StepResult(step_instance_id, step.name, step.type, step.status, 0, groups=groups)

    async def get_host_log(
        self, job_instance_id: int, step_instance_id: int, ref: HostRef
    ) -> HostLog:
        self._check(f"log:{step_instance_id}:{ref.key}")
        return HostLog(ref, LogKind.SCRIPT, self.log)

    async def get_host_logs(
        self, job_instance_id: int, step_instance_id: int, hosts: Sequence[HostRef]
    ) -> list[HostLog]:
        return [await self.get_host_log(job_instance_id, step_instance_id, h) for h in hosts]

    async def list_jobs(self, **kwargs: object) -> JobPage:
        self._check("list")
        return JobPage(0, 0, 0)

    async def aclose(self) -> None:
        self.closed = True


class RecordingSleep:
    """An ``asyncio.sleep`` stand-in that records delays and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
