"""``report_status`` against a scripted JobApi: output, --wait polling, retries, exit codes."""

from __future__ import annotations

import io
import json

import pytest

from jobtui.api.errors import ConnectError, NotFoundError, RateLimited
from jobtui.status import StatusOptions, report_status
from tests.support.fakes import FakeApi, RecordingSleep, later, make_job


async def run(api: FakeApi, **options: object) -> tuple[int, str, RecordingSleep]:
    out, sleep = io.StringIO(), RecordingSleep()
    code = await report_status(
        api,
        StatusOptions(1001, **options),  # type: ignore[arg-type]
        out=out,
        sleep=sleep,
        now=lambda: later(30),
    )
    assert set(api.calls) <= {"job"}, "status asks only for the job's status"
    return code, out.getvalue(), sleep


async def test_running_job_prints_once_and_exits_zero() -> None:
    api = FakeApi(make_job(2))
    code, text, sleep = await run(api)
    assert code == 0
    assert api.job_calls == [(1001, True)]
    assert sleep.delays == []
    assert "Running" in text and "check disk" in text


@pytest.mark.parametrize(("status", "code"), [(3, 0), (6, 0), (4, 1), (8, 1), (7, 4), (15, 0)])
async def test_ended_or_blocked_job_exits_by_outcome_without_wait(status: int, code: int) -> None:
    assert (await run(FakeApi(make_job(status))))[0] == code


async def test_wait_polls_at_the_interval_until_the_job_ends() -> None:
    api = FakeApi(make_job(1), make_job(2), make_job(2), make_job(4))
    code, text, sleep = await run(api, wait=True, interval=5.0)
    assert code == 1
    assert len(api.calls) == 4
    assert sleep.delays == [5.0, 5.0, 5.0]
    assert "Failed" in text and text.count("Job ") == 1  # only the final snapshot printed


async def test_wait_stops_when_a_person_must_act() -> None:
    code, _, sleep = await run(FakeApi(make_job(2), make_job(7)), wait=True, interval=1.0)
    assert code == 4
    assert sleep.delays == [1.0]


async def test_wait_retries_transient_errors_then_succeeds() -> None:
    api = FakeApi(
        ConnectError("connection refused"),
        RateLimited("slow down", retry_after=7.0, status_code=429),
        make_job(3),
    )
    code, _, sleep = await run(api, wait=True, interval=1.0)
    assert code == 0
    assert len(sleep.delays) == 2
    assert sleep.delays[1] >= 7.0  # the server's Retry-After is honoured


async def test_wait_gives_up_after_max_retries() -> None:
    api = FakeApi(ConnectError("connection refused"))
    with pytest.raises(ConnectError):
        await run(api, wait=True, max_retries=2)
    assert len(api.calls) == 3


async def test_permanent_errors_are_not_retried() -> None:
    api = FakeApi(NotFoundError("job instance 1001 not found", code=1244006))
    with pytest.raises(NotFoundError):
        await run(api, wait=True)
    assert len(api.calls) == 1


async def test_without_wait_a_transient_error_is_not_retried() -> None:
    api = FakeApi(ConnectError("connection refused"))
    with pytest.raises(ConnectError):
        await run(api)
    assert len(api.calls) == 1


async def test_json_output_is_one_document() -> None:
    code, text, _ = await run(FakeApi(make_job(7)), json=True)
    doc = json.loads(text)
    assert code == 4
    assert doc["outcome"] == "waiting_for_person" and doc["exit_code"] == 4
    assert doc["job"]["job_instance_id"] == 1001
    assert [s["step_instance_id"] for s in doc["steps"]] == [101, 102, 103]
