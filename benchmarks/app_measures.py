"""The whole monitor in-process, through the real client, against the simulator over ASGI.

8b: memory growth over many refreshes (forced polls, manual sim clock).
10: HTTP requests and response bytes per refresh while watching a 50,000-host step.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import deque
from datetime import UTC, datetime

import httpx
from textual.message import Message

from benchmarks.common import Result, rss_bytes
from jobtui.api.auth import Credentials
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.core.options import WatchOptions
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import Clock, ManualClock, SystemClock
from jobtui.sim.config import SimConfig
from jobtui.tui.app import MonitorApp
from jobtui.tui.screens.monitor import PollDone

MiB = 1024 * 1024
LOG_APIS = ("get_job_instance_ip_log", "batch_get_job_instance_ip_log", "get_job_instance_log")


class CountingTransport(httpx.AsyncBaseTransport):
    """Delegates to the simulator and counts requests and response body bytes per API."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: dict[str, int] = {}
        self.bytes: dict[str, int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.requests[name] = self.requests.get(name, 0) + 1
        self.bytes[name] = self.bytes.get(name, 0) + len(body)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def totals(self, *, logs: bool) -> tuple[int, int]:
        names = [n for n in self.requests if logs or n not in LOG_APIS]
        return sum(self.requests[n] for n in names), sum(self.bytes[n] for n in names)


def _monitor(
    sim: SimApp, clock: Clock, *, auto: bool, flt: StepFilter | None = None
) -> tuple[MonitorApp, CountingTransport]:
    settings = ConnectionSettings(
        url="http://sim",
        family=ApiFamily.V3,
        scope_id="2",
        credentials=Credentials("bench", "bench", username="admin"),
        timezone="UTC",
    )
    transport = CountingTransport(httpx.ASGITransport(app=sim))
    client = make_client(settings, transport=transport)
    options = WatchOptions(
        job_instance_id=sim.world.demo_job_id(), interval=1.0, filter=flt or StepFilter()
    )
    app = MonitorApp(
        client,
        options,
        clock=lambda: datetime.fromtimestamp(clock.now(), UTC),
        auto_poll=auto,
    )
    return app, transport


class _Polls:
    """Counts the monitor's applied answers (``run_test(message_hook=…)``), each once."""

    def __init__(self) -> None:
        self.count = 0
        self._recent: deque[Message] = deque(maxlen=16)  # the hook may see one twice

    def __call__(self, message: Message) -> None:
        if isinstance(message, PollDone) and not any(m is message for m in self._recent):
            self._recent.append(message)
            self.count += 1


async def _poll_once(app: MonitorApp, polls: _Polls) -> None:
    before = polls.count
    app.monitor.refresh_now()
    while polls.count == before:
        await asyncio.sleep(0.001)


async def memory_growth(refreshes: int, hosts: int = 10_000) -> Result:
    """RSS after warm-up vs after ``refreshes`` more forced polls (sim clock +0.2 s each)."""
    clock = ManualClock()
    sim = create_app(SimConfig(scenario="scale", hosts=hosts), clock=clock)
    app, _ = _monitor(sim, clock, auto=False, flt=StepFilter(statuses=(7,)))
    warmup = min(100, refreshes)
    polls = _Polls()
    async with app.run_test(size=(160, 48), message_hook=polls) as pilot:
        for _ in range(warmup):
            clock.advance(0.2)
            await _poll_once(app, polls)
        await pilot.pause()
        gc.collect()
        before = rss_bytes()
        started = time.perf_counter()
        for _ in range(refreshes):
            clock.advance(0.2)
            await _poll_once(app, polls)
        await pilot.pause()
        gc.collect()
        after = rss_bytes()
        wall = time.perf_counter() - started
    growth = 100.0 * (after - before) / before
    return Result(
        "8b",
        f"RSS growth over {refreshes} refreshes",
        growth,
        "%",
        "<= 5 %",
        growth <= 5.0,
        reference=before / MiB,
        note=f"{before / MiB:.0f} → {after / MiB:.0f} MiB (app + in-process sim), "
        f"{hosts} hosts, {wall:.0f} s",
    )


async def requests_per_refresh(seconds: float, hosts: int = 50_000) -> Result:
    """Watch a 50,000-host running job for ``seconds`` of real time with the real cadence."""
    clock = SystemClock()
    sim = create_app(SimConfig(scenario="scale", hosts=hosts), clock=clock)
    app, transport = _monitor(sim, clock, auto=True)
    applied = _Polls()
    async with app.run_test(size=(160, 48), message_hook=applied) as pilot:
        while applied.count < 1:
            await asyncio.sleep(0.01)
        transport.requests.clear()
        transport.bytes.clear()
        first = applied.count
        await asyncio.sleep(seconds)
        await pilot.pause()
        polls = max(1, applied.count - first)
    requests, _ = transport.totals(logs=True)
    _, body = transport.totals(logs=False)
    per_request = requests / polls
    per_bytes = body / polls
    detail = ", ".join(f"{k} {v}" for k, v in sorted(transport.requests.items()))
    return Result(
        "10",
        "requests; bytes per refresh, 50,000 hosts",
        per_request,
        "req",
        "<= 3; <= 200 KB",
        per_request <= 3 and per_bytes <= 200_000,
        reference=per_bytes / 1000,
        note=f"{per_bytes / 1000:.1f} KB per refresh without logs; {polls} refreshes ({detail})",
    )
