"""In-process widget measures, each side by side with its reference in the same loop.

3: one 10,000-host step refresh (validate, map, diff, apply, paint) ÷ json.loads.
4: first paint of 10,000 rows in HostTable ÷ Textual's DataTable with the same cells.
5: one log refresh (same new lines) on a 5 MB log ÷ on a 50 KB log.
"""

from __future__ import annotations

import json
import time
from functools import partial
from typing import Any

import httpx
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable

from benchmarks.common import Result, med
from benchmarks.paint import PaintClock, PaintDriver
from jobtui.api import v3map
from jobtui.api.models import HostLog, HostRef, HostResult, LogKind, StepResult
from jobtui.api.reuse import HostReuse
from jobtui.api.v3 import STEP_STATUS
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.tui.widgets.host_table import HostTable, host_cells
from jobtui.tui.widgets.logpane import LogPane
from jobtui.tui.widgets.results import ResultsPane

AUTH = json.dumps({"bk_app_code": "bench", "bk_app_secret": "bench", "bk_username": "admin"})
SIZE = (160, 48)


# ---------------------------------------------------------------- simulator bytes


async def step_bytes(hosts: int, cap: int | None = None) -> tuple[bytes, bytes]:
    """Two consecutive get_step_instance_status answers (1 s apart) of a running step."""
    clock = ManualClock()
    sim = create_app(SimConfig(scenario="scale", hosts=hosts), clock=clock)
    job_id = sim.world.demo_job_id()
    job = sim.world.job(job_id)
    assert job is not None
    run = job.steps[1]  # "Deploy package": failures, tags, still running
    # 9.2 s into its first (failing) attempt, the instant this measure always took
    # (0.4 of the way when the simulator still retried by itself)
    attempt = run.segments[0]
    clock.advance(attempt.start + attempt.window * 0.92 - clock.now())
    first = await _fetch(sim, job_id, run.spec.step_instance_id, cap)
    clock.advance(1.0)
    second = await _fetch(sim, job_id, run.spec.step_instance_id, cap)
    return first, second


async def _fetch(sim: SimApp, job_id: int, step_id: int, cap: int | None) -> bytes:
    params: dict[str, Any] = {
        "bk_scope_type": "biz",
        "bk_scope_id": "2",
        "job_instance_id": job_id,
        "step_instance_id": step_id,
    }
    if cap is not None:
        params["max_host_num_per_group"] = cap
    transport = httpx.ASGITransport(app=sim)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        response = await client.get(
            "/api/v3/get_step_instance_status",
            params=params,
            headers={"X-Bkapi-Authorization": AUTH},
        )
    response.raise_for_status()
    return response.content


def parse(raw: bytes, reuse: HostReuse | None = None) -> StepResult:
    """What the v3 client does with a step answer: validate the envelope, map to the model.

    The client keeps the step's previous hosts (``api/reuse.py``) and hands back
    the unchanged ones: pass the same ``reuse`` for consecutive answers of a step.
    """
    generation = reuse.start(0) if reuse is not None else None
    data = STEP_STATUS.validate_json(raw)["data"]
    assert data is not None, "the simulator answered a step with no data"
    return v3map.step_result(data, None, None, generation)


# ---------------------------------------------------------------- 3: one refresh


class _ResultsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResultsPane(id="results")


def _show(pane: ResultsPane, raw: bytes, reuse: HostReuse) -> None:
    """Parse and show one answer: what measure 3 times (bound per round, not a closure)."""
    pane.show_result(parse(raw, reuse))


async def refresh_cost(rounds: int, hosts: int = 10_000) -> Result:
    raw_a, raw_b = await step_bytes(hosts)
    app = _ResultsApp(driver_class=PaintDriver)
    subject, reference, syncs = [], [], []
    reuse = HostReuse()  # the client's, one per client: consecutive answers of one step
    async with app.run_test(size=SIZE, headless=False) as pilot:
        clock = PaintClock(app)
        pane = app.query_one(ResultsPane)
        pane.show_result(parse(raw_a, reuse))
        await clock.settle(pilot)
        for n in range(rounds):
            raw = raw_b if n % 2 == 0 else raw_a  # every apply is a real change
            start = time.thread_time()  # the same clock as the subject's
            json.loads(raw)
            reference.append(time.thread_time() - start)
            start = time.thread_time()
            pane.show_result(parse(raw, reuse))
            syncs.append(time.thread_time() - start)
            raw = raw_a if n % 2 == 0 else raw_b
            cpu, _wall = await clock.measure(pilot, partial(_show, pane, raw, reuse))
            subject.append(cpu)
        older, newer = parse(raw_a, reuse), parse(raw_b, reuse)
        kept = {id(h) for g in older.groups for h in g.hosts}
        moved = sum(1 for g in newer.groups for h in g.hosts if id(h) not in kept)
    figure, ref = med(subject), med(reference)
    ratio = figure / ref
    return Result(
        "3",
        "10,000-host step refresh ÷ json.loads",
        figure * 1000,
        "ms",
        "<= 3x",
        ratio <= 3.0,
        reference=ref * 1000,
        ratio=ratio,
        note=f"{len(raw_a) / 1e6:.1f} MB answer; parse+validate+diff+apply {med(syncs) * 1000:.1f}"
        f" ms without paint; figure includes the paint (main-thread CPU); {moved:,} hosts"
        " changed between the two answers and were mapped again, the rest reused (api/reuse.py)",
    )


# ---------------------------------------------------------------- 4: first paint


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="box")


async def first_paint(rounds: int, hosts: int = 10_000) -> Result:
    raw, _ = await step_bytes(hosts)
    rows = [h for g in parse(raw).groups for h in g.hosts][:hosts]
    cells = [list(host_cells(h, False).values()) for h in rows]
    columns = list(host_cells(rows[0], False))
    app = _TableApp(driver_class=PaintDriver)
    ours, theirs = [], []
    async with app.run_test(size=SIZE, headless=False) as pilot:
        clock = PaintClock(app)
        box = app.query_one("#box")
        for n in range(rounds):
            for kind in ("ours", "theirs") if n % 2 == 0 else ("theirs", "ours"):
                await box.remove_children()
                if kind == "ours":
                    table = HostTable()
                    await box.mount(table)
                    cpu, _ = await clock.measure(
                        pilot, partial(table.set_hosts, rows, total=len(rows), list_id=n)
                    )
                    ours.append(cpu)
                else:
                    grid: DataTable[str] = DataTable()
                    await box.mount(grid)
                    grid.add_columns(*columns)
                    await clock.settle(pilot)
                    cpu, _ = await clock.measure(pilot, partial(grid.add_rows, cells))
                    theirs.append(cpu)
    figure, ref = med(ours), med(theirs)
    ratio = figure / ref
    return Result(
        "4",
        "first paint, 10,000 hosts ÷ DataTable",
        figure * 1000,
        "ms",
        "<= 0.3x",
        ratio <= 0.3,
        reference=ref * 1000,
        ratio=ratio,
        note=f"{len(rows)} rows, {SIZE[0]}x{SIZE[1]}, median of {rounds} each, interleaved",
    )


# ---------------------------------------------------------------- 5: log refresh


class _LogsApp(App[None]):
    """Two log panes side by side, each given half the row so both are painted."""

    CSS = "LogPane { width: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield LogPane(id="big")
            yield LogPane(id="small")


def _log_lines(count: int, start: int = 0) -> str:
    """Script-like output, every fifth line coloured."""
    out = []
    for i in range(start, start + count):
        colour = "\x1b[32m" if i % 5 == 0 else ""
        reset = "\x1b[0m" if colour else ""
        out.append(f"[2025-11-13 02:00:{i % 60:02d}] {colour}step {i}: copying chunk {i}{reset}")
        out.append(" " + "x" * (60 + i % 40) + "\n")
    return "".join(out)


def _grow_to(size: int) -> tuple[str, int]:
    text, n = "", 0
    while len(text) < size:
        text += _log_lines(500, n)
        n += 500
    return text, n


async def log_refresh(rounds: int, big: int = 5_000_000, small: int = 50_000) -> Result:
    new_lines = 20
    logs = {"big": _grow_to(big), "small": _grow_to(small)}
    hosts = {
        name: HostResult(ref=HostRef(host_id=i, cloud_id=0, ip=f"10.0.0.{i}"), status=7)
        for i, name in enumerate(logs, 1)
    }
    app = _LogsApp(driver_class=PaintDriver)
    times: dict[str, list[float]] = {"big": [], "small": []}
    async with app.run_test(size=SIZE, headless=False) as pilot:
        clock = PaintClock(app)
        panes = {name: app.query_one(f"#{name}", LogPane) for name in logs}
        for pane in panes.values():  # a pane off screen would paint nothing: no comparison
            region = pane.region
            assert region.width > 0 and region.right <= SIZE[0], f"{pane.id} is off screen"
        for name, (text, _) in logs.items():
            panes[name].show_log(hosts[name], _host_log(hosts[name], text), running=True)
        await clock.settle(pilot)
        for n in range(rounds):
            for name in ("big", "small") if n % 2 == 0 else ("small", "big"):
                text, count = logs[name]
                text += _log_lines(new_lines, count)
                logs[name] = (text, count + new_lines)
                log = _host_log(hosts[name], text)
                show = partial(panes[name].show_log, hosts[name], log, running=True)
                cpu, _ = await clock.measure(pilot, show)
                times[name].append(cpu)
    figure, ref = med(times["big"]), med(times["small"])
    ratio = figure / ref
    return Result(
        "5",
        "log refresh, 5 MB ÷ 50 KB log",
        figure * 1000,
        "ms",
        "<= 1.5x",
        ratio <= 1.5,
        reference=ref * 1000,
        ratio=ratio,
        note=f"{new_lines} new lines per refresh, {len(logs['big'][0]) / 1e6:.1f} MB vs "
        f"{len(logs['small'][0]) / 1e3:.0f} KB, paint included, median of {rounds}",
    )


def _host_log(host: HostResult, text: str) -> HostLog:
    return HostLog(ref=host.ref, kind=LogKind.SCRIPT, content=text)
