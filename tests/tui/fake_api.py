"""A tiny in-memory JobApi for poller unit tests (the pilot tests use the simulator)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

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

T0 = datetime(2025, 11, 13, 2, 0, tzinfo=UTC)


def host(n: int, status: int = 9) -> HostResult:
    return HostResult(HostRef(host_id=n, cloud_id=0, ip=f"10.0.0.{n}"), status, exit_code=0)


class FakeApi:
    """Serves a fixed job; ``error`` makes every call fail; ``calls`` records them."""

    family = ApiFamily.V3
    capabilities = Capabilities(True, True, True, True, True, False)

    def __init__(self) -> None:
        steps = (
            Step(11, "check", 1, 3, start_time=T0, total_seconds=3.0),
            Step(12, "deploy", 1, 2, start_time=T0),
            Step(13, "confirm", 3, 1),
        )
        self.job = Job(
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
        self.error: ApiError | None = None
        self.calls: list[str] = []
        self.closed = False
        self.log = "line 1\n"

    def _check(self, name: str) -> None:
        self.calls.append(name)
        if self.error is not None:
            raise self.error

    async def get_job(
        self, job_instance_id: int, *, with_hosts: bool = True, enrich: bool = True
    ) -> Job:
        self._check("job")
        return self.job

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

    async def list_jobs(self, **kwargs: object) -> JobPage:  # pragma: no cover - unused
        return JobPage(0, 0, 0)

    async def aclose(self) -> None:
        self.closed = True
