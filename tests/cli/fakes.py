"""Domain-model builders and a scripted JobApi for status tests without HTTP."""

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
    Step,
    StepResult,
)

T0 = datetime(2025, 11, 13, 2, 0, 0, tzinfo=UTC)


def hosts(*statuses: int) -> tuple[HostResult, ...]:
    return tuple(
        HostResult(ref=HostRef(host_id=i, cloud_id=0, ip=f"10.0.0.{i}"), status=code)
        for i, code in enumerate(statuses, start=1)
    )


def make_job(
    status: int = 2,
    *,
    finished: bool | None = None,
    name: str = "nightly deploy",
    steps: Sequence[Step] | None = None,
    total: float | None = None,
) -> Job:
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


class ScriptedApi:
    """Answers ``get_job`` from a script of jobs and errors, recording each call."""

    family = ApiFamily.V3
    capabilities = Capabilities(True, True, True, True, True, True)

    def __init__(self, *answers: Job | ApiError) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[int, bool]] = []
        self.closed = False

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        self.calls.append((job_instance_id, with_hosts))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, ApiError):
            raise answer
        return answer

    async def enrich_job(self, job: Job) -> Job:
        return job

    async def get_step_result(
        self, job_instance_id: int, step_instance_id: int, flt: StepFilter | None = None
    ) -> StepResult:
        raise AssertionError("status never asks for step results")

    async def get_host_log(
        self, job_instance_id: int, step_instance_id: int, host: HostRef
    ) -> HostLog:
        raise AssertionError("status never asks for logs")

    async def get_host_logs(
        self, job_instance_id: int, step_instance_id: int, hosts: Sequence[HostRef]
    ) -> list[HostLog]:
        raise AssertionError("status never asks for logs")

    async def list_jobs(
        self,
        *,
        since: datetime,
        until: datetime | None = None,
        statuses: Sequence[int] = (),
        operator: str | None = None,
        name: str | None = None,
        start: int = 0,
        length: int = 100,
    ) -> JobPage:
        raise AssertionError("status never lists jobs")

    async def aclose(self) -> None:
        self.closed = True


class RecordingSleep:
    """An ``asyncio.sleep`` stand-in that records delays and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def later(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)
