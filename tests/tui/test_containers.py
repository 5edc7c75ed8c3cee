"""The containers scenario on screen through gateway v4 (and v3's refusal), 80x24 and 160x48.

The simulator's container job: step 1 a script in 24 containers, step 2 files
to containers, step 3 a script in containers (fails once), step 4 a manual
confirmation, step 5 a script on 12 hosts and 12 containers.
"""

from __future__ import annotations

import pytest

from jobtui.api.models import ApiFamily, TargetKind
from jobtui.core.groups import copy_ips
from jobtui.tui.widgets.header import JobHeader
from tests.support.monitor_rig import make_rig, refresh, screen_text, settle

BIG, SMALL = (160, 48), (80, 24)


def _text(rig: object) -> str:
    return "\n".join(screen_text(rig.app))  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["160x48", "80x24"])
async def test_container_step_shows_names_ids_nodes_and_log(size: tuple[int, int]) -> None:
    rig = make_rig(family=ApiFamily.V4, scenario="containers", advance=4)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.step_id == 201001  # the running container step, followed
        host = screen.host
        assert host is not None and host.ref.kind is TargetKind.CONTAINER
        container = host.ref.container
        assert container is not None and container.name and container.node_host_id
        text = _text(rig)
        assert "Container" in text and "Node" in text  # the table's titles say what it lists
        assert "IPv6" not in text and "Cloud area" not in text
        assert container.name in text  # the selected container's row
        assert f"container {container.name}" in text  # the log title names it
        assert f"host {container.node_host_id}" in text  # and its node
        rig.advance(3)
        await refresh(pilot)
        assert screen.step_id == 201001
        log = screen.log_pane
        assert log.host is not None and log.host.key == screen.host.key  # type: ignore[union-attr]
        shown = log.host.ref.display
        text = _text(rig)
        assert f"container {shown}" in text
        if size == BIG:  # the script log (through the batch API) prints the container's name
            assert f"Starting step on {shown}" in text


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["160x48", "80x24"])
async def test_mixed_step_lists_hosts_and_containers(size: tuple[int, int]) -> None:
    rig = make_rig(family=ApiFamily.V4, scenario="containers", advance=70, step=201005)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = rig.screen
        result = screen.result
        assert result is not None and result.step_instance_id == 201005
        kinds = {h.ref.kind for g in result.groups for h in g.hosts}
        assert kinds == {TargetKind.HOST, TargetKind.CONTAINER}
        text = _text(rig)
        assert "IP / name" in text  # mixed titles
        assert "10.0.0.1" in text or "10.0." in text  # a host row
        rows = screen.results.copy_ips("ip").splitlines()
        assert any(r.startswith("10.") for r in rows)
        assert any(not r[0].isdigit() for r in rows)  # container names, not addresses


async def test_copy_gives_container_names_or_runtime_ids() -> None:
    rig = make_rig(family=ApiFamily.V4, scenario="containers", advance=20, step=201001)
    async with rig.app.run_test(size=BIG) as pilot:
        await settle(pilot)
        group = rig.screen.results.selected_group
        assert group is not None and group.hosts
        names = copy_ips(group.hosts, "ip").splitlines()
        ids = copy_ips(group.hosts, "cloud:ip").splitlines()
        first = group.hosts[0].ref.container
        assert first is not None and first.name in names
        assert first.container_id is not None
        assert first.container_id.split("://")[-1] in ids
        assert all("://" not in line for line in ids)


async def test_v4_refuses_an_older_retry_with_a_notice() -> None:
    rig = make_rig(family=ApiFamily.V4, scenario="containers", advance=40, step=201003)
    async with rig.app.run_test(size=BIG, notifications=True) as pilot:
        await settle(pilot)
        screen = rig.screen
        step = screen.job.step(201003) if screen.job else None
        assert step is not None and step.execute_count == 1  # it was retried once
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "enter")  # the oldest retry: 0
        await settle(pilot)
        assert screen.filter.execute_count is None  # reverted
        notes = [entry.text for entry in rig.app.notices]
        assert any("only the latest run" in m and "no v4 API" in m for m in notes), notes


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["160x48", "80x24"])
async def test_v3_on_a_container_job_stops_with_the_hint(size: tuple[int, int]) -> None:
    rig = make_rig(family=ApiFamily.V3, scenario="containers", advance=20)
    async with rig.app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        for _ in range(4):
            await refresh(pilot)
        screen = rig.screen
        header = screen.query_one(JobHeader).text
        assert "STALE" in header and "failed internally" in header  # cut at 80 columns
        notes = [entry.text for entry in rig.app.notices]
        told = [m for m in notes if "use --api v4" in m]
        assert len(told) == 1  # said whole, once
        assert "bk-job failed internally on this job (1240002)" in told[0]
        # the client stopped asking: ten more polls cost at most one probe request
        step_calls = lambda: sum(  # noqa: E731
            1 for r in rig.meter.requests if r.url.path.endswith("get_step_instance_status")
        )
        before = step_calls()
        for _ in range(9):
            await refresh(pilot)
        assert step_calls() - before <= 1
