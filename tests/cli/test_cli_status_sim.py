"""``run_status`` end to end: the real client against the simulator through ASGITransport."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime

import httpx
import pytest

from jobtui.api.auth import Credentials
from jobtui.api.errors import NotFoundError, PermissionDenied
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.status import StatusOptions, run_status

sim_app = pytest.importorskip("jobtui.sim.app")
sim_clock = pytest.importorskip("jobtui.sim.clock")
sim_config = pytest.importorskip("jobtui.sim.config")

CANARY = "canary-s3cret-FROTZ"


class Sim:
    """One simulator on a manual clock, plus a way to run ``jobtui status`` against it."""

    def __init__(self, **config: object) -> None:
        self.clock = sim_clock.ManualClock()
        self.app = sim_app.create_app(sim_config.SimConfig(**config), clock=self.clock)
        self.world = self.app.world

    def settings(self, family: ApiFamily = ApiFamily.V3, scope_id: str = "2") -> ConnectionSettings:
        return ConnectionSettings(
            url="http://sim.test",
            family=family,
            scope_id=scope_id,
            credentials=Credentials("jobtui-test", CANARY, username="tester"),
        )

    async def sleep(self, seconds: float) -> None:
        """Waiting advances simulated time instead of the wall clock."""
        self.clock.advance(seconds)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)

    async def status(
        self, job_id: int, family: ApiFamily = ApiFamily.V3, **options: object
    ) -> tuple[int, str]:
        out = io.StringIO()
        code = await run_status(
            self.settings(family, str(options.pop("scope_id", "2"))),
            StatusOptions(job_id, **options),  # type: ignore[arg-type]
            transport=httpx.ASGITransport(app=self.app),
            out=out,
            sleep=self.sleep,
            now=self.now,
        )
        return code, out.getvalue()


async def test_running_demo_job_prints_steps_and_exits_zero() -> None:
    sim = Sim()
    job_id = sim.world.demo_job_id()
    code, text = await sim.status(job_id)
    assert code == 0
    assert f"(id {job_id})" in text
    assert "STEP" in text and "OK" in text
    assert CANARY not in text


@pytest.mark.parametrize(("status", "code"), [(3, 0), (4, 1)])
async def test_finished_history_jobs_exit_by_outcome(status: int, code: int) -> None:
    sim = Sim()
    ids = sim.world.finished_job_ids(status)
    assert ids, f"the default scenario should hold a finished job in status {status}"
    assert (await sim.status(ids[-1]))[0] == code


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_json_is_the_same_document_for_every_family(family: ApiFamily) -> None:
    sim = Sim()
    job_id = sim.world.finished_job_ids(3)[-1]
    code, text = await sim.status(job_id, family, json=True)
    doc = json.loads(text)
    assert code == 0 == doc["exit_code"]
    assert doc["outcome"] == "success"
    assert doc["job"]["job_instance_id"] == job_id
    assert doc["steps"], "a job has steps"
    for step in doc["steps"]:
        assert set(step["hosts"]) == {"ok", "failed", "running", "waiting", "total"}


async def test_wait_follows_the_job_until_nobody_is_needed() -> None:
    sim = Sim()
    job_id = sim.world.demo_job_id()
    start = sim.clock.now()
    code, text = await sim.status(job_id, json=True, wait=True, interval=5.0)
    doc = json.loads(text)
    assert doc["outcome"] != "running"
    assert code == doc["exit_code"]
    assert sim.clock.now() > start  # it did poll through simulated time


async def test_unknown_job_raises_not_found() -> None:
    with pytest.raises(NotFoundError) as info:
        await Sim().status(999_999_999)
    assert CANARY not in str(info.value)


async def test_forbidden_scope_is_permission_denied_without_secret() -> None:
    sim = Sim(forbidden_scopes={"3"})
    with pytest.raises(PermissionDenied) as info:
        await sim.status(sim.world.demo_job_id(), scope_id="3")
    assert CANARY not in str(info.value)


@pytest.mark.parametrize("as_json", [False, True])
async def test_hostile_names_are_cleaned_end_to_end(as_json: bool) -> None:
    sim = Sim(scenario="hostile")
    texts = [(await sim.status(job_id, json=as_json))[1] for job_id in sim.world.job_ids()]
    assert any("evil" in text for text in texts)  # the hostile names were printed...
    for text in texts:  # ...without their escape and control characters
        for bad in ("\x1b", "\x9b", "\x07", "\x00", "\x90", "\x9d", "\r"):
            assert bad not in text, bad


async def test_wait_prints_a_line_per_change_as_it_happens() -> None:
    sim = Sim()
    job_id = sim.world.demo_job_id()
    code, text = await sim.status(job_id, wait=True, interval=2.0)
    progress, _, document = text.partition("\n\nJob ")
    lines = progress.splitlines()
    assert lines[0].endswith(": Running") and f"job {job_id}" in lines[0]
    assert any("step 1/6 Precheck environment: Success" in line for line in lines)
    # the change that ended the wait: the deploy step failed, and a failed job is
    # finished (JobListener.finishJob) until someone retries it
    assert any("Failed" in line for line in lines[1:])
    assert len(lines) == len(set(lines))  # a line per change, not per poll
    assert all(line[:8].count(":") == 2 and re.match(r" [+-]\d\d:\d\d", line[8:]) for line in lines)
    assert "Status" in document and code == 1


@pytest.mark.parametrize(("tz", "offset"), [("Asia/Shanghai", "+08:00"), ("UTC", "+00:00")])
async def test_status_prints_times_in_the_local_zone_with_its_offset(
    monkeypatch: pytest.MonkeyPatch, tz: str, offset: str
) -> None:
    """The monitor's zone (the reader's, TZ), named: not the server's v2 zone setting."""
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        sim = Sim()
        _, text = await sim.status(sim.world.demo_job_id())
    finally:
        monkeypatch.undo()
        time.tzset()
    started = next(line for line in text.splitlines() if line.startswith("Started"))
    assert offset in started


@pytest.mark.parametrize("as_json", [False, True])
async def test_failed_lists_failing_hosts_with_their_last_log_lines(as_json: bool) -> None:
    sim = Sim()
    job_id = sim.world.finished_job_ids(4)[-1]
    code, text = await sim.status(job_id, failed=True, json=as_json)
    assert code == 1
    if as_json:
        failures = json.loads(text)["failed_hosts"]
        assert any(f["last_log_lines"] for f in failures)
        assert all(f["status_label"] and f["host"] for f in failures)
        return
    tail = text.split("\n\nStep ", 1)[1]
    assert "failed of" in tail.splitlines()[0]
    assert "    | " in tail  # a log line under a host
    assert CANARY not in text


async def test_failed_on_a_healthy_job_says_so() -> None:
    sim = Sim()
    job_id = sim.world.finished_job_ids(3)[-1]
    code, text = await sim.status(job_id, failed=True)
    assert code == 0 and text.rstrip().endswith("No failed hosts.")


@pytest.mark.parametrize("as_json", [False])
async def test_hostile_names_in_ascii_mode_print_plain_ascii(as_json: bool) -> None:
    """Under TERM=linux or LANG=C (the CLI turns the marks to ASCII) a status report of
    hostile names cuts with ~ and marks line breaks and controls in plain ASCII."""
    from jobtui.core import sanitize

    sim = Sim(scenario="hostile")
    sanitize.use_ascii(True)
    try:
        texts = [(await sim.status(job_id, json=as_json))[1] for job_id in sim.world.job_ids()]
    finally:
        sanitize.use_ascii(False)
    assert any("evil" in text for text in texts)
    for text in texts:
        assert text.isascii(), sorted({c for c in text if not c.isascii()})
