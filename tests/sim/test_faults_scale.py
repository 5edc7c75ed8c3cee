"""Faults at configured rates, the 50,000-host step, and a real socket."""

from __future__ import annotations

import json
from typing import Any

import httpx

from jobtui.sim.app import create_app
from jobtui.sim.config import FaultConfig, SimConfig
from jobtui.sim.server import start_in_thread
from tests.support.sim_wire import AUTH, SCOPE, v3


async def test_faults_at_configured_rates(clock: Any) -> None:
    app = create_app(SimConfig(seed=7), clock=clock)
    app.config.faults = FaultConfig(error_rate=0.2, rate_limit_rate=0.1, malformed_rate=0.1)
    transport = httpx.ASGITransport(app=app)
    counts = {"502": 0, "429": 0, "bad": 0, "ok": 0}
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        for _ in range(400):
            r = await v3(c, "get_job_instance_status", job_instance_id=app.world.demo_job_id())
            if r.status_code in (502, 429):
                counts[str(r.status_code)] += 1
                assert r.headers["X-Bkapi-Error-Code"]
                if r.status_code == 429:
                    assert r.headers["Retry-After"] and "X-Bkapi-RateLimit-Reset" in r.headers
                continue
            try:
                json.loads(r.text)
                counts["ok"] += 1
            except ValueError:
                counts["bad"] += 1
        assert 40 <= counts["502"] <= 120  # ~80 expected
        assert 15 <= counts["429"] <= 70
        assert 10 <= counts["bad"] <= 60
        app.config.faults = FaultConfig()  # flipped off at run time
        r = await v3(c, "get_job_instance_status", job_instance_id=app.world.demo_job_id())
        assert r.json()["result"] is True
        app.config.faults = FaultConfig(html_rate=1.0)
        r = await v3(c, "get_job_instance_status", job_instance_id=app.world.demo_job_id())
        assert r.status_code == 502 and "<html>" in r.text
        app.config.faults = FaultConfig(down_until=clock.now() + 10)
        assert (await v3(c, "get_job_instance_status", job_instance_id=1)).status_code == 503


async def test_scale_step_serialises_only_capped_hosts(clock: Any) -> None:
    app = create_app(SimConfig(scenario="scale"), clock=clock)
    clock.advance(5)
    job_id = app.world.demo_job_id()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as c:
        before = app.world.stats.host_results_built
        data = (
            await v3(
                c,
                "get_step_instance_status",
                job_instance_id=job_id,
                step_instance_id=job_id * 10 + 1,
                max_host_num_per_group=50,
            )
        ).json()["data"]
        groups = data["step_result_group_list"]
        assert sum(g["host_size"] for g in groups) == 50_000
        assert app.world.stats.host_results_built - before <= 50 * len(groups)
        computed = app.world.stats.group_computations
        await v3(
            c,
            "get_step_instance_status",
            job_instance_id=job_id,
            step_instance_id=job_id * 10 + 1,
            max_host_num_per_group=50,
        )
        assert app.world.stats.group_computations == computed  # cached per tick
        full = (
            await v3(c, "get_job_instance_status", job_instance_id=job_id, return_ip_result="true")
        ).json()["data"]
    hosts = full["step_instance_list"][0]["step_ip_result_list"]
    assert len(hosts) == 50_000
    assert any(h["ip"] is None for h in hosts)  # IPv6-only hosts
    assert "ipv6" not in hosts[0]


def test_real_socket_and_port_in_use() -> None:
    running = start_in_thread(SimConfig())
    try:
        job_id = running.app.world.demo_job_id()
        r = httpx.get(
            f"{running.url}/api/v3/get_job_instance_status",
            headers=AUTH,
            params={**SCOPE, "job_instance_id": job_id},
            timeout=5,
        )
        assert r.json()["data"]["job_instance"]["job_instance_id"] == job_id
        try:
            start_in_thread(SimConfig(), port=running.port)
        except OSError as error:
            assert str(running.port) in str(error)
        else:
            raise AssertionError("a busy port must raise OSError")
    finally:
        running.stop()


async def test_connections_to_the_listening_socket_get_tcp_nodelay() -> None:
    # asyncio sets TCP_NODELAY only when the listening socket names TCP; without
    # it each answer after the first on a kept-alive connection waited ~40 ms
    import asyncio
    import socket

    from jobtui.sim.server import _bind

    seen: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(
            writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        )
        writer.close()

    sock = _bind("127.0.0.1", 0)
    server = await asyncio.start_server(handle, sock=sock)
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
    assert seen and seen[0] != 0


def test_a_big_step_answered_finished_lists_no_running_host() -> None:
    """States of a 50,000-host step are computed per half-second tick, but never across
    a change of the step's status: bk-job saves the tasks before the step's status
    moves (``AbstractResultHandleTask.finishGseTask``), so a finished step has no host
    still running. The step here ends at +8.0 s, off the tick (the start is at .3)."""
    from jobtui.sim.clock import ManualClock
    from jobtui.sim.groups import step_states

    clock = ManualClock(1_763_000_000.3)
    app = create_app(SimConfig(scenario="scale"), clock=clock)
    world = app.world
    job = world.job(world.demo_job_id())
    assert job is not None
    run = job.steps[0]
    for offset in (7.9, 8.0, 8.1, 8.4):
        now = clock.now() + offset
        status = run.status(now)
        states = step_states(world, run, 0, 0, now)
        running = sum(1 for s in states if s.status in (5, 7))  # waiting, running
        if status in (3, 4):
            assert running == 0, (offset, running)
    assert run.status(clock.now() + 7.9) == 2
    assert run.status(clock.now() + 8.1) == 3
