"""``--api jobv3``: the host table never shows a bare cloud id as if it were an area's name.

ESB jobv3 has no ``get_step_instance_status``; its hosts come from
``get_job_instance_status``'s ``step_ip_result_list``, whose entries are
``EsbJobInstanceStatusV3DTO.IpResult``: ``bk_host_id, ip, bk_cloud_id, status,
tag, exit_code, error_code, start/end/total_time``, no ``bk_cloud_name`` and no
``ipv6`` (filled in ``EsbGetJobInstanceStatusV3ResourceImpl``). The real client
runs against the simulator, which sends that shape.
"""

from __future__ import annotations

import httpx
import pytest

from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostResult
from jobtui.sim.app import create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.tui.widgets.host_table import host_cells
from tests.support.api import settings

URLS = {ApiFamily.V3: "http://sim/api/bk-job/prod", ApiFamily.JOBV3: "http://sim"}


async def _hosts(family: ApiFamily) -> list[HostResult]:
    clock = ManualClock()
    app = create_app(SimConfig(scope_id="2"), clock=clock)
    clock.advance(30)
    client = make_client(settings(family, url=URLS[family]), transport=httpx.ASGITransport(app=app))
    try:
        job_id = app.world.demo_job_id()
        job = await client.get_job(job_id)
        step = next(s for s in job.steps if s.hosts)
        result = await client.get_step_result(job_id, step.step_instance_id, StepFilter())
    finally:
        await client.aclose()
    return [h for g in result.groups for h in g.hosts]


async def test_jobv3_cloud_area_shows_the_id_as_an_id() -> None:
    hosts = await _hosts(ApiFamily.JOBV3)
    assert hosts and all(h.cloud_name is None and h.ref.cloud_id is not None for h in hosts)
    for host in hosts:
        cells = host_cells(host, ascii_only=False)
        assert cells["cloud"] == f"id {host.ref.cloud_id}"  # never a bare "0"
        assert cells["ipv6"] == "-"  # not sent by jobv3: docs/api-client.md


@pytest.mark.parametrize("family", [ApiFamily.V3])
async def test_v3_still_shows_the_cloud_areas_name(family: ApiFamily) -> None:
    hosts = await _hosts(family)
    assert hosts and all(h.cloud_name for h in hosts)
    assert all(host_cells(h, ascii_only=False)["cloud"] == h.cloud_name for h in hosts)
