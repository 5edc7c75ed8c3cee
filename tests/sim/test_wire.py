"""Wire shapes against the seed documents, v3 filters, auth and error codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from jobtui.sim.app import SimApp
from tests.support.sim_wire import AUTH, ESB_AUTH, SCOPE, v3

SEEDS = Path("/work/shared/seeds")
# Documented differences where the real server wins (bkjob-api.md §6).
V2_RENAMES = {"retry_count": "execute_count"}
V2_DROPPED = {"operation_list", "order", "type"}


def seed_data(name: str) -> Any:
    text = next(SEEDS.glob(f"{name}_*.txt")).read_text()
    block = re.findall(r"```(?:python|json)\n(\{.*?\})\n```", text, re.S)[-1]
    return json.loads(block)["data"]


def keys(d: dict[str, Any]) -> set[str]:
    return {V2_RENAMES.get(k, k) for k in d}


async def esb(client: httpx.AsyncClient, name: str, **body: object) -> Any:
    r = await client.post(
        f"/api/c/compapi/v2/job/{name}/", json={**ESB_AUTH, "bk_biz_id": 2, **body}
    )
    return r.json()


async def test_v2_job_status_shape(client: httpx.AsyncClient, sim: SimApp, clock: Any) -> None:
    clock.advance(15)
    data = (await esb(client, "get_job_instance_status", job_instance_id=sim.world.demo_job_id()))[
        "data"
    ]
    seed = seed_data("000")
    assert keys(seed["job_instance"]) <= keys(data["job_instance"])
    step = data["blocks"][0]["step_instances"][0]
    seed_step = seed["blocks"][0]["step_instances"][0]
    assert keys(seed_step) - V2_DROPPED <= keys(step) | {"type"}
    assert isinstance(step["total_time"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", step["start_time"])
    assert step["pause"] is None and "type" not in data["blocks"][0]
    assert set(seed_step["step_ip_status"][0]) == set(step["step_ip_status"][0])


async def test_v2_step_status_and_log_shape(
    client: httpx.AsyncClient, sim: SimApp, clock: Any
) -> None:
    clock.advance(15)
    job_id = sim.world.demo_job_id()
    step_id = job_id * 10 + 1
    data = (
        await esb(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step_id,
        )
    )["data"]
    seed = seed_data("002")
    assert keys(seed["step_instance_detail"]) <= keys(data["step_instance_detail"])
    assert set(seed["step_instance_analyse_result"][0]) == set(
        data["step_instance_analyse_result"][0]
    )
    logs = (await esb(client, "get_job_instance_log", job_instance_id=job_id))["data"]
    seed_log = seed_data("003")[0]
    assert set(seed_log) == set(logs[0])
    ip_log = logs[0]["step_results"][0]["ip_logs"][0]
    assert keys(seed_log["step_results"][0]["ip_logs"][0]) == set(ip_log)


async def test_v2_log_is_html_escaped(clock: Any) -> None:
    from jobtui.sim.app import create_app
    from jobtui.sim.config import SimConfig

    app = create_app(SimConfig(scenario="hostile"), clock=clock)
    clock.advance(40)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        logs = (await esb(c, "get_job_instance_log", job_instance_id=app.world.demo_job_id()))[
            "data"
        ]
    text = "".join(ip["log_content"] for r in logs[1]["step_results"] for ip in r["ip_logs"])
    assert "\x1b]52" in text  # hostile bytes survive (escaped only for HTML)


async def test_v3_step_status_shape_and_filters(
    client: httpx.AsyncClient, sim: SimApp, clock: Any
) -> None:
    clock.advance(60)
    job_id = sim.world.demo_job_id()
    step_id = job_id * 10 + 2
    full = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step_id,
            execute_count=0,
        )
    ).json()["data"]
    seed = seed_data("004")
    assert set(seed) == set(full)
    group = full["step_result_group_list"][0]
    assert set(seed["step_result_group_list"][0]) == set(group)
    assert set(seed["step_result_group_list"][0]["host_result_list"][0]) == set(
        group["host_result_list"][0]
    )
    total = sum(g["host_size"] for g in full["step_result_group_list"])
    assert total == 24
    capped = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step_id,
            execute_count=0,
            status=9,
            max_host_num_per_group=2,
        )
    ).json()["data"]
    # Successes carry a tag, so no (9, "") group exists: only the first group lists
    # hosts (removeAgentTasksForNotSpecifiedResultGroup); 24 targets are built in
    # memory, so the others carry [].
    groups = capped["step_result_group_list"]
    assert (9, "") not in {(g["result_type"], g["tag"]) for g in groups}
    assert len(groups[0]["host_result_list"]) == min(2, groups[0]["host_size"])
    assert all(g["host_result_list"] == [] for g in groups[1:])
    assert sum(g["host_size"] for g in capped["step_result_group_list"]) == total
    grep = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step_id,
            execute_count=0,
            keyword="No space left",
        )
    ).json()["data"]
    # Groups whose hosts all fell out of the search stay, at host_size 0
    # (TaskResultServiceImpl.filterExecuteObjectTasksByMatchKeys).
    matched = {g["result_type"] for g in grep["step_result_group_list"] if g["host_size"]}
    assert matched == {104}
    ip = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step_id,
            search_ip="10.1.0.",
        )
    ).json()["data"]
    hosts = [h for g in ip["step_result_group_list"] for h in g["host_result_list"]]
    assert hosts and all("10.1.0." in h["ip"] for h in hosts)
    both = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=step_id,
            execute_count=0,
            search_ip="10.1.0.",
            keyword="No space left",
        )
    ).json()["data"]
    assert sum(g["host_size"] for g in both.get("step_result_group_list", [])) <= sum(
        g["host_size"] for g in grep["step_result_group_list"]
    )


async def test_v3_not_started_and_rolling_batches(
    client: httpx.AsyncClient, sim: SimApp, clock: Any
) -> None:
    job_id = sim.world.demo_job_id()
    rolling = job_id * 10 + 5
    blank = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=rolling,
            batch=0,
        )
    ).json()["data"]
    assert [(g["result_type"], g["host_size"]) for g in blank["step_result_group_list"]] == [
        (5, 24)
    ]
    clock.advance(30)  # the failed deploy step was retried: the rest is placed
    run = sim.world.job(job_id).step(rolling)  # type: ignore[union-attr]
    second = run.segment(0, 2)
    assert second is not None
    clock.advance(second.start - clock.now() + 1)
    current = (
        await v3(
            client, "get_step_instance_status", job_instance_id=job_id, step_instance_id=rolling
        )
    ).json()["data"]
    every = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=rolling,
            batch=0,
        )
    ).json()["data"]
    first = (
        await v3(
            client,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=rolling,
            batch=1,
        )
    ).json()["data"]
    size = sum(g["host_size"] for g in current["step_result_group_list"])
    assert size == 8 and sum(g["host_size"] for g in every["step_result_group_list"]) == 24
    assert {g["result_type"] for g in first["step_result_group_list"]} == {9}


async def test_v2_answers_every_batch_of_a_rolling_step_and_names_none(
    client: httpx.AsyncClient, sim: SimApp, clock: Any
) -> None:
    """v2's step status sets no filterByLatestBatch (EsbGetStepInstanceStatusResourceImpl)
    and its job status lists every batch (listTasks(..., null)): during batch 2 of 3
    both hold batch 1's successes and batch 3's waiting hosts, and no batch field."""
    job_id = sim.world.demo_job_id()
    rolling = job_id * 10 + 5
    clock.advance(30)
    run = sim.world.job(job_id).step(rolling)  # type: ignore[union-attr]
    second = run.segment(0, 2)
    assert second is not None
    clock.advance(second.start - clock.now() + 1)
    status = (
        await esb(
            client, "get_step_instance_status", job_instance_id=job_id, step_instance_id=rolling
        )
    )["data"]
    types = {g["result_type"] for g in status["step_instance_analyse_result"]}
    assert {9, 5} <= types  # batch 1 done, batch 3 waiting: not the current batch alone
    assert not any("batch" in key for key in status["step_instance_detail"])
    job = (await esb(client, "get_job_instance_status", job_instance_id=job_id))["data"]
    step = next(
        s for b in job["blocks"] for s in b["step_instances"] if s["step_instance_id"] == rolling
    )
    assert len(step["step_ip_status"]) == 24
    assert not any("batch" in key for key in step) and not any("batch" in k for k in job)


async def test_gateway_auth_and_method(client: httpx.AsyncClient, sim: SimApp) -> None:
    job = {**SCOPE, "job_instance_id": sim.world.demo_job_id()}
    r = await client.get(
        "/api/v3/get_job_instance_status", params={**job, "bk_app_code": "a", "bk_app_secret": "b"}
    )
    assert r.status_code == 400 and r.headers["X-Bkapi-Error-Code"] == "1640001"
    assert r.json() == {
        "code_name": "INVALID_ARGS",
        "code": 1640001,
        "message": r.json()["message"],
        "result": False,
        "data": None,
    }
    assert "X-Bkapi-Request-Id" in r.headers
    r = await client.post("/api/v3/get_job_instance_status", json=job, headers=AUTH)
    assert r.status_code == 404 and r.json()["code"] == 1640401
    assert r.headers["X-Bkapi-Error-Code"] == "1640401"
    r = await client.get("/api/c/compapi/v2/jobv3/get_job_instance_status/", params=job)
    assert r.json()["result"] is False and r.json()["code"] != 0
    r = await client.get(
        "/api/c/compapi/v2/jobv3/get_job_instance_status/", params={**job, **ESB_AUTH}
    )
    assert r.json()["result"] is True and "message" not in r.json()


async def test_error_codes_and_permission(clock: Any) -> None:
    from jobtui.sim.app import create_app
    from jobtui.sim.config import SimConfig

    app = create_app(SimConfig(forbidden_scopes={"3"}), clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        job_id = app.world.demo_job_id()
        assert (await v3(c, "get_job_instance_status", job_instance_id=1)).json()["code"] == 1244006
        assert (
            await v3(c, "get_step_instance_status", job_instance_id=job_id, step_instance_id=1)
        ).json()["code"] == 1244007
        bad = (await v3(c, "get_job_instance_status", job_instance_id="x")).json()
        assert bad["code"] == 1241007 and "job_instance_id" in bad["message"]
        denied = (
            await c.get(
                "/api/v3/get_job_instance_status",
                headers=AUTH,
                params={"bk_scope_type": "biz", "bk_scope_id": "3", "job_instance_id": job_id},
            )
        ).json()
    assert denied["code"] == 9900403
    action = denied["permission"]["actions"][0]
    # AuthAppInterceptor refuses a forbidden scope for access_business first.
    assert denied["permission"]["system_id"] == "bk_job" and action["id"] == "access_business"
    inst = action["related_resource_types"][0]["instances"][0][0]
    assert inst["id"] == "3" and inst["type"] == "biz"


async def test_job_list_and_logs(client: httpx.AsyncClient, sim: SimApp, clock: Any) -> None:
    now_ms = int(clock.now() * 1000)
    day = 86_400_000
    data = (
        await v3(
            client,
            "get_job_instance_list",
            create_time_start=now_ms - 8 * day,
            create_time_end=now_ms,
        )
    ).json()["data"]
    ids = [i["job_instance_id"] for i in data["data"]]
    assert ids == sorted(ids, reverse=True) and data["total"] == len(ids) >= 8
    assert {"job_instance_id", "status", "type"} <= set(data["data"][0])
    too_long = (
        await v3(
            client,
            "get_job_instance_list",
            create_time_start=now_ms - 31 * day,
            create_time_end=now_ms,
        )
    ).json()
    assert too_long["code"] == 1241002  # ILLEGAL_PARAM (EsbGetJobInstanceListV3ResourceImpl)
    named = (
        await v3(
            client,
            "get_job_instance_list",
            create_time_start=now_ms - 8 * day,
            create_time_end=now_ms,
            name="cleanup",
            operator="cron",
        )
    ).json()["data"]
    assert named["total"] == 2
    clock.advance(40)
    job_id = sim.world.demo_job_id()
    file_step = job_id * 10 + 3
    log = (
        await v3(
            client,
            "get_job_instance_ip_log",
            job_instance_id=job_id,
            step_instance_id=file_step,
            bk_host_id=1001,
        )
    ).json()["data"]
    modes = {e["mode"] for e in log["file_logs"]}
    assert log["log_type"] == 2 and modes == {0, 1}
    assert all(e["size"] is None for e in log["file_logs"])
    assert "Progress:" in log["file_logs"][0]["log_content"]
    batch = await client.post(
        "/api/v3/batch_get_job_instance_ip_log",
        headers=AUTH,
        json={
            **SCOPE,
            "job_instance_id": job_id,
            "step_instance_id": file_step,
            "host_id_list": [1001, 1002],
        },
    )
    entries = batch.json()["data"]["file_task_logs"]
    assert len(entries) == 2 and entries[0]["file_logs"][0]["process"].endswith("%")
    empty = await client.post(
        "/api/v3/batch_get_job_instance_ip_log",
        headers=AUTH,
        json={
            **SCOPE,
            "job_instance_id": job_id,
            "step_instance_id": file_step,
            "host_id_list": [],
        },
    )
    assert empty.json()["code"] == 1241007
