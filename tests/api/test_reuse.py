"""Hosts handed back from the previous answer (api/reuse.py): equal in, equal out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from jobtui.api import v3map
from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily, HostResult, StepResult
from jobtui.api.reuse import HostReuse
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from tests.support.api import settings


def entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "bk_host_id": 7,
        "ip": "10.0.0.7",
        "ipv6": None,
        "bk_cloud_id": 0,
        "status": 7,
        "tag": None,
        "exit_code": None,
        "start_time": 1_763_000_000_000.0,
        "end_time": None,
        "total_time": None,
    }
    base.update(changes)
    return base


def test_an_unchanged_entry_is_handed_back() -> None:
    reuse = HostReuse()
    (first,) = reuse.start(1).hosts([entry()], 1, v3map.host)
    (again,) = reuse.start(1).hosts([entry()], 1, v3map.host)
    assert again is first
    assert again == v3map.host(entry(), 1)


def test_a_changed_entry_is_mapped_again() -> None:
    reuse = HostReuse()
    reuse.start(1).hosts([entry()], 1, v3map.host)
    done = entry(status=9, exit_code=0, end_time=1_763_000_004_000.0, total_time=4000.0)
    (host,) = reuse.start(1).hosts([done], 1, v3map.host)
    assert host == v3map.host(done, 1)
    assert host.status == 9 and host.exit_code == 0 and host.total_seconds == 4.0


def test_another_retry_is_not_the_same_host() -> None:
    reuse = HostReuse()
    (first,) = reuse.start(1).hosts([entry()], 1, v3map.host)
    (second,) = reuse.start(1).hosts([entry()], 2, v3map.host)
    assert second is not first and second.execute_count == 2


def test_the_same_values_under_other_keys_do_not_match() -> None:
    """Two entries whose values line up but whose fields differ are different hosts."""
    reuse = HostReuse()
    one = {"bk_host_id": 1, "status": 9, "ip": "10.0.0.1"}
    other = {"bk_host_id": 1, "status": 9, "ipv6": "10.0.0.1"}
    reuse.start(1).hosts([one], 1, v3map.host)
    (host,) = reuse.start(1).hosts([other], 1, v3map.host)
    assert host.ref.ip is None and host.ref.ipv6 == "10.0.0.1"


def test_unhashable_values_are_mapped_not_compared() -> None:
    reuse = HostReuse()
    odd = entry(tag=None, extra=["not", "hashable"])
    (first,) = reuse.start(1).hosts([odd], 1, v3map.host)
    (second,) = reuse.start(1).hosts([odd], 1, v3map.host)
    assert second == first and second is not first


def test_only_the_last_answer_of_the_latest_scopes_is_kept() -> None:
    reuse = HostReuse(scopes=2)
    for scope in (1, 2, 3):
        reuse.start(scope).hosts([entry(bk_host_id=scope)], 1, v3map.host)
    assert len(reuse) == 2
    reuse.start(3).hosts([], 1, v3map.host)  # an answer without hosts empties its scope
    assert len(reuse) == 1


# ---------------------------------------------------------------- the client on the simulator


@pytest.fixture
async def sim() -> AsyncIterator[tuple[SimApp, ManualClock]]:
    clock = ManualClock()
    yield create_app(SimConfig(scope_id="2"), clock=clock), clock


def _hosts(result: StepResult) -> list[HostResult]:
    return [h for g in result.groups for h in g.hosts]


@pytest.mark.parametrize("family", [ApiFamily.V3, ApiFamily.JOBV3])
async def test_a_polled_step_equals_a_fresh_mapping_at_every_poll(sim, family) -> None:
    """A client polling a running step shows what a client seeing it once would.

    One client polls the latest step that began every half second through the whole job
    (hosts start, finish, fail and retry); a new client reads the same moment.
    Their answers must be equal, and the polling one must actually have reused
    hosts (or this test would not test the reuse).
    """
    app, clock = sim
    url = "http://sim/api/bk-job/prod" if family is ApiFamily.V3 else "http://sim"
    transport = httpx.ASGITransport(app=app)
    poller = make_client(settings(family, url=url), transport=transport)
    job_id = app.world.demo_job_id()
    reused = compared = 0
    previous: dict[int, list[HostResult]] = {}  # kept alive, so ids are not recycled
    try:
        for _ in range(240):
            clock.advance(0.5)
            job = await poller.get_job(job_id, enrich=False)
            began = [s for s in job.steps if s.type in (1, 2) and s.status != 1]
            for step in began[-1:]:  # the step a monitor follows: the latest that began
                polled = await poller.get_step_result(job_id, step.step_instance_id)
                fresh_client = make_client(settings(family, url=url), transport=transport)
                try:
                    fresh = await fresh_client.get_step_result(job_id, step.step_instance_id)
                finally:
                    await fresh_client.aclose()
                assert polled == fresh
                hosts = _hosts(polled)
                before = {id(h) for h in previous.get(step.step_instance_id, [])}
                reused += sum(1 for h in hosts if id(h) in before)
                previous[step.step_instance_id] = hosts
                compared += len(hosts)
            if job.finished:
                break
    finally:
        await poller.aclose()
    assert job.finished
    # running hosts' times move every poll; finished and waiting ones do not
    assert compared > 0 and reused > compared // 4
