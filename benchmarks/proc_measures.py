"""Whole-process measures: `jobtui watch` in a real pty against a simulator in this process.

1 (idle CPU on a finished job), 2 + 9 + 8a (CPU, terminal bytes and RSS while a
10,000-host job runs) and 7 (start to first job data on screen).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from benchmarks.common import (
    PtyProcess,
    Result,
    child_env,
    cpu_seconds,
    med,
    rss_bytes,
    watch_argv,
)
from benchmarks.installed import installed_jobtui, user_env
from jobtui.sim.config import SimConfig
from jobtui.sim.server import RunningSim, start_in_thread

MiB = 1024 * 1024


@dataclass(frozen=True)
class Sizes:
    """How long each window lasts; the smoke run shrinks them."""

    idle_window: float = 60.0
    busy_window: float = 30.0
    settle: float = 8.0
    startups: int = 5


SMOKE_SIZES = Sizes(idle_window=2.0, busy_window=2.0, settle=2.0, startups=1)


def _window(app: PtyProcess, seconds: float) -> tuple[float, int, float]:
    """CPU seconds used and bytes written by the app over a wall-clock window."""
    cpu0, bytes0, t0 = cpu_seconds(app.pid), app.total, time.perf_counter()
    time.sleep(seconds)
    cpu1, bytes1, t1 = cpu_seconds(app.pid), app.total, time.perf_counter()
    return cpu1 - cpu0, bytes1 - bytes0, t1 - t0


def _first_data(app: PtyProcess, name: str, timeout: float = 30.0) -> float | None:
    return app.wait_text(name, timeout)


def idle_cpu(sizes: Sizes) -> Result:
    """Measure 1: CPU of the whole process showing a finished job at 160x48."""
    sim = start_in_thread(SimConfig(scenario="default"))
    try:
        job_id = sim.app.world.finished_job_ids(3)[0]
        name = sim.app.world.job(job_id)
        assert name is not None
        app = PtyProcess(watch_argv(sim.url, job_id), 160, 48)
        try:
            seen = _first_data(app, name.meta.name)
            time.sleep(sizes.settle)  # let the first fetches and toasts settle
            cpu, written, wall = _window(app, sizes.idle_window)
        finally:
            app.close()
    finally:
        sim.stop()
    percent = 100.0 * cpu / wall
    return Result(
        "1",
        "CPU, finished job, 160x48",
        percent,
        "% core",
        "<= 0.3 %",
        percent <= 0.3 if seen is not None else False,
        note=f"{cpu:.2f} s CPU over {wall:.0f} s; {written / wall:.0f} B/s written"
        + ("" if seen is not None else "; job never appeared"),
    )


def _scale_sim(hosts: int) -> tuple[RunningSim, int, str]:
    sim = start_in_thread(SimConfig(scenario="scale", hosts=hosts))
    job_id = sim.app.world.demo_job_id()
    job = sim.app.world.job(job_id)
    assert job is not None
    return sim, job_id, job.meta.name


def running_job(sizes: Sizes, hosts: int = 10_000) -> list[Result]:
    """Measures 2, 9 and 8a from one run: 200x50, interval 1 s, running hosts' group."""
    sim, job_id, name = _scale_sim(hosts)
    try:
        # --status 7 selects the running hosts' group, so the auto-selected host runs.
        app = PtyProcess(watch_argv(sim.url, job_id, "--interval", "1", "--status", "7"), 200, 50)
        try:
            seen = _first_data(app, name)
            time.sleep(sizes.settle)
            cpu, written, wall = _window(app, sizes.busy_window)
            rss = rss_bytes(app.pid)
            alive = app.proc.poll() is None
        finally:
            app.close()
        requests = sim.app.world.stats.requests
    finally:
        sim.stop()
    ok = seen is not None and alive
    percent = 100.0 * cpu / wall
    rate = written / wall / 1024
    note = f"{hosts} hosts, interval 1 s, {requests} requests in all"
    return [
        Result(
            "2",
            "CPU, running 10,000-host job",
            percent,
            "% core",
            "<= 5 %",
            percent <= 5.0 if ok else False,
            note=f"{cpu:.2f} s CPU over {wall:.0f} s; {note}",
        ),
        Result(
            "9",
            "terminal output while running, 200x50",
            rate,
            "KiB/s",
            "<= 5 KiB/s",
            rate <= 5.0 if ok else False,
            note=f"{written} B over {wall:.0f} s (same run as 2)",
        ),
        Result(
            "8a",
            "RSS, 10,000-host job on screen",
            rss / MiB,
            "MiB",
            "<= 120 MiB",
            rss / MiB <= 120 if ok else False,
            note="the watch process at the end of run 2",
        ),
    ]


def startup(sizes: Sizes, smoke: bool = False) -> Result:
    """Measure 7: process start to the job's name on screen (median of several starts).

    Like measure 6, the program started is an installed ``jobtui`` (``benchmarks/installed.py``).
    """
    program = None if smoke else installed_jobtui()
    env = user_env(child_env()) if program is not None else child_env()
    sim = start_in_thread(SimConfig(scenario="default"))
    try:
        job_id = sim.app.world.demo_job_id()
        job = sim.app.world.job(job_id)
        assert job is not None
        times: list[float] = []
        for _ in range(sizes.startups):
            app = PtyProcess(watch_argv(sim.url, job_id, program=program), 160, 48, env)
            try:
                seen = _first_data(app, job.meta.name)
            finally:
                app.close()
            if seen is not None:
                times.append(seen)
    finally:
        sim.stop()
    figure = med(times)
    return Result(
        "7",
        "start to first job data",
        figure,
        "s",
        "<= 1 s",
        figure <= 1.0 if times else False,
        note=f"median of {len(times)} starts ("
        + ("installed jobtui" if program is not None else "python -m jobtui, checkout")
        + " watch, 160x48)"
        + (f"; min {min(times):.2f} max {max(times):.2f}" if times else ""),
    )
