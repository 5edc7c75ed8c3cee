"""The simulator's gateway v4 and its containers scenario, on the wire (raw HTTP).

Each behaviour is bk-job's, named in ``sim/wire_v4.py`` and ``sim/containers.py``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SCENARIOS, SimConfig
from jobtui.sim.server import _banner
from tests.support.sim_wire import AUTH, ESB_AUTH, SCOPE


def _nulls(value: Any) -> int:
    if value is None:
        return 1
    if isinstance(value, dict):
        return sum(_nulls(v) for v in value.values())
    if isinstance(value, list):
        return sum(_nulls(v) for v in value)
    return 0


async def _call(
    sim: SimApp, method: str, path: str, *, params: Any = None, json: Any = None
) -> httpx.Response:
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        return await c.request(method, path, params=params, json=json, headers=AUTH)


def _sim(scenario: str = "containers", advance: float = 0.0, **kw: Any) -> SimApp:
    clock = ManualClock()
    sim = create_app(SimConfig(scenario=scenario, **kw), clock=clock)
    clock.advance(advance)
    return sim


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_every_scenario_speaks_v4_without_nulls(scenario: str) -> None:
    sim = _sim(scenario, advance=30, hosts=30)
    if scenario == "faults":
        sim.config.faults.error_rate = sim.config.faults.rate_limit_rate = 0.0
        sim.config.faults.timeout_rate = sim.config.faults.malformed_rate = 0.0
        sim.config.faults.html_rate = sim.config.faults.latency = 0.0
    job_id = sim.world.demo_job_id()
    status = await _call(
        sim,
        "GET",
        "/api/v4/get_job_instance_status",
        params={**SCOPE, "job_instance_id": job_id, "return_execute_object_result": "true"},
    )
    assert status.status_code == 200
    body = status.json()
    assert set(body) == {"data", "job_request_id"} and _nulls(body) == 0
    steps = body["data"]["step_instance_list"]
    objects = [
        r["execute_object"] for s in steps for r in s.get("step_execute_object_result_list", [])
    ]
    assert objects and all(
        o["type"] in (1, 2) and isinstance(o["resource_id"], str) for o in objects
    )
    listing = await _call(
        sim,
        "GET",
        "/api/v4/get_job_instance_list",
        params={**SCOPE, "create_time_start": 0, "create_time_end": 2**42, "length": 200},
    )
    rows = listing.json()["data"]["job_instance_list"]
    assert rows and "total" not in listing.json()["data"] and _nulls(listing.json()) == 0


async def test_container_objects_carry_cmdb_id_runtime_id_name_and_node() -> None:
    sim = _sim(advance=70)
    response = await _call(
        sim,
        "GET",
        "/api/v4/get_job_instance_status",
        params={
            **SCOPE,
            "job_instance_id": sim.world.demo_job_id(),
            "return_execute_object_result": True,
        },
    )
    steps = response.json()["data"]["step_instance_list"]
    first = steps[0]["step_execute_object_result_list"][0]["execute_object"]
    assert first["type"] == 2 and "host" not in first
    container = first["container"]
    assert first["resource_id"] == str(container["id"])
    assert container["container_id"] and container["name"] and container["node_host_id"]
    assert "step_execute_object_result_list" not in steps[3]  # a confirmation has none
    mixed = [r["execute_object"]["type"] for r in steps[4]["step_execute_object_result_list"]]
    assert sorted(set(mixed)) == [1, 2]
    assert "error_code" not in steps[0]["step_execute_object_result_list"][0]  # DTO has none


@pytest.mark.parametrize(
    ("params", "field"),
    [({"offset": 10_001}, "offset"), ({"length": 201}, "length"), ({"length": 0}, "length")],
)
async def test_list_bounds_are_invalid_argument(params: dict[str, int], field: str) -> None:
    sim = _sim("default")
    response = await _call(
        sim,
        "GET",
        "/api/v4/get_job_instance_list",
        params={**SCOPE, "create_time_start": 0, "create_time_end": 1, **params},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_ARGUMENT" and field in error["message"]


async def test_log_selector_priority_and_bounds() -> None:
    sim = _sim(advance=70)
    job_id = sim.world.demo_job_id()
    base = {**SCOPE, "job_instance_id": job_id, "step_instance_id": 201005}
    both = await _call(
        sim,
        "POST",
        "/api/v4/batch_get_job_instance_execute_object_log",
        json={**base, "host_id_list": [1001], "container_id_list": [70020]},
    )
    logs = both.json()["data"]["script_step_execute_object_logs"]
    assert [log["execute_object"]["type"] for log in logs] == [1]  # host ids win
    containers = await _call(
        sim,
        "POST",
        "/api/v4/batch_get_job_instance_execute_object_log",
        json={**base, "container_id_list": [70020, 70001]},  # 70001 is a host in step 5
    )
    logs = containers.json()["data"]["script_step_execute_object_logs"]
    assert [log["execute_object"]["container"]["id"] for log in logs] == [70020]
    none = await _call(sim, "POST", "/api/v4/batch_get_job_instance_execute_object_log", json=base)
    assert none.status_code == 400 and "host_id_list" in none.json()["error"]["message"]
    gone = await _call(
        sim,
        "POST",
        "/api/v4/batch_get_job_instance_execute_object_log",
        json={**base, "step_instance_id": 5, "host_id_list": [1001]},
    )
    assert gone.status_code == 404
    assert gone.json()["error"]["details"][0]["code"] == "1244007"


async def test_wrong_method_is_the_gateways_404() -> None:
    sim = _sim()
    response = await _call(sim, "POST", "/api/v4/get_job_instance_status", json=SCOPE)
    assert response.status_code == 404
    assert response.headers["X-Bkapi-Error-Code"] == "1640401"


async def test_host_only_families_fail_as_the_server_does_on_container_jobs() -> None:
    sim = _sim(advance=10)
    job_id = sim.world.demo_job_id()
    params = {**SCOPE, "job_instance_id": job_id}
    plain = await _call(sim, "GET", "/api/v3/get_job_instance_status", params=params)
    assert plain.json()["result"] is True  # no host list asked: the builders never run
    hosts = await _call(
        sim, "GET", "/api/v3/get_job_instance_status", params={**params, "return_ip_result": "true"}
    )
    assert hosts.status_code == 200 and hosts.json()["code"] == 1240002
    step = await _call(
        sim,
        "GET",
        "/api/v3/get_step_instance_status",
        params={**params, "step_instance_id": 201001},
    )
    assert step.json()["code"] == 1240002
    v2 = await _call(
        sim,
        "GET",
        "/api/c/compapi/v2/job/get_job_instance_status/",
        params={**ESB_AUTH, "bk_biz_id": 2, "job_instance_id": job_id},
    )
    assert v2.json()["code"] == 1240002


def test_banner_prints_v4_commands() -> None:
    default = _banner("http://127.0.0.1:8080", _sim("default"))
    assert "--api v4" in default and "--api v3" in default
    containers = _banner("http://127.0.0.1:8080", _sim())
    assert "--api v4" in containers and "--api v3" not in containers
