"""Faults on a real socket: nobody listening, connection reset, too slow, down mid-run."""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import AsyncIterator, Iterator

import pytest

from jobtui.api import errors as e
from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily
from jobtui.sim.config import FaultConfig, SimConfig
from jobtui.sim.server import RunningSim, start_in_thread
from tests.support.canaries import FAMILIES, assert_clean_error, assert_one_error_line, settings


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(scope="module")
def running() -> Iterator[RunningSim]:
    sim = start_in_thread(SimConfig(), "127.0.0.1", 0)
    yield sim
    sim.stop()


@pytest.fixture
async def reset_url() -> AsyncIterator[str]:
    """A loopback server that accepts, then resets the connection (RST, not FIN)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
async def test_server_down_at_start_is_a_connect_error(family: ApiFamily) -> None:
    api = make_client(settings(family, url=f"http://127.0.0.1:{_closed_port()}"))
    with pytest.raises(e.ConnectError) as caught:
        await api.get_job(1)
    assert_clean_error(caught.value)
    assert caught.value.retryable
    await api.aclose()


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
async def test_connection_reset_is_a_transport_error(family: ApiFamily, reset_url: str) -> None:
    api = make_client(settings(family, url=reset_url))
    with pytest.raises(e.TransportError) as caught:
        await api.get_job(1)
    assert_clean_error(caught.value)
    await api.aclose()


async def test_slower_than_timeout_is_a_request_timeout(running: RunningSim) -> None:
    api = make_client(settings(ApiFamily.V3, url=running.url, timeout=0.3))
    job_id = running.app.world.demo_job_id()
    running.app.config.faults = FaultConfig(latency=1.2)
    try:
        with pytest.raises(e.RequestTimeout) as caught:
            await api.get_job(job_id)
        assert_clean_error(caught.value)
    finally:
        running.app.config.faults = FaultConfig()
    assert (await api.get_job(job_id)).job_instance_id == job_id  # recovers
    await api.aclose()


def test_status_exits_3_when_nobody_listens(run_cli) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    run = run_cli(["status", "5", "--url", url, "--scope-id", "2"])
    assert run.code == 3
    assert_one_error_line(run)
    assert "cannot reach" in run.err


def test_status_exits_3_on_timeout(run_cli, running: RunningSim) -> None:
    running.app.config.faults = FaultConfig(latency=1.2)
    try:
        job = running.app.world.demo_job_id()
        run = run_cli(
            ["status", str(job), "--url", running.url, "--scope-id", "2", "--timeout", "0.5"]
        )
    finally:
        running.app.config.faults = FaultConfig()
    assert run.code == 3
    assert_one_error_line(run)


async def test_server_goes_down_mid_run_and_comes_back() -> None:
    sim = start_in_thread(SimConfig(), "127.0.0.1", 0)
    try:
        api = make_client(settings(ApiFamily.V3, url=sim.url, timeout=2.0))
        job_id = sim.app.world.demo_job_id()
        await api.get_job(job_id)
        sim.go_down(1.0)
        with pytest.raises(e.TransportError) as caught:
            await api.get_job(job_id)
        assert_clean_error(caught.value)
        for _ in range(100):  # the restart is a wall-clock timer in the sim; poll for it
            try:
                job = await api.get_job(job_id)
                break
            except e.TransportError:
                await asyncio.sleep(0.1)
        else:
            pytest.fail("the simulator did not come back")
        assert job.job_instance_id == job_id
        await api.aclose()
    finally:
        sim.stop()
