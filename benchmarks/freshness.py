"""Measure 11: how old the numbers on screen are while a step runs (issue 11).

The real program (``jobtui watch``) runs in tmux against the simulator served
from this process, slowed so the demo's first step finishes its hosts at a
steady rate over ~25 s, at the real cadence and the real clock. Every ~0.2 s
the server's truth (the step's success count, over HTTP with the real client)
and the screen are sampled; a figure's age is how long before the sample the
server last had the count shown (successes only grow, so: since the server
first had more). p95 of the ages while the step runs, for the result groups'
``Success N`` and the step tree's ``✓N``, at interval 1, 2 and 5 s.

Targets: the groups ≤ the slowest step cadence (3 s) + 1 s at every interval;
the tree ≤ its own cadence (the interval) + 1 s.
"""

from __future__ import annotations

import asyncio
import math
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT, Result
from jobtui.api.auth import Credentials
from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.sim.config import SimConfig
from jobtui.sim.server import start_in_thread

HOSTS = 24
SUCCESS = 9
STEP_CADENCE = 3.0  # the web UI's steady step cadence
GROUP_RE = re.compile(r"Success (\d+)")
# the step type is the first thing a narrow tree line gives way
TREE_RE = re.compile(r"Precheck environment\s+(?:script\s+)?\S+\s+[✓+](\d+) [✗x](\d+)")
ENV = {
    "BK_APP_CODE": "jobtui-bench",
    "BK_APP_SECRET": "bench-secret",
    "BK_USERNAME": "bench",
    "TERM": "xterm-256color",
    "LANG": "C.UTF-8",
    "XDG_CONFIG_HOME": "/nonexistent",
}


@dataclass
class Truth:
    """The server's success count over time: (time, count) at each change seen."""

    changes: list[tuple[float, int]] = field(default_factory=list)

    def add(self, at: float, count: int) -> None:
        if not self.changes or self.changes[-1][1] != count:
            self.changes.append((at, count))

    def age(self, at: float, count: int) -> float:
        for start, value in self.changes:
            if start > at:
                break
            if value > count:
                return at - start
        return 0.0


def _tmux(session: str, *args: str) -> str:
    """A tmux command on the session's own server: a shared one exits with its last
    session, and the next interval's ``new-session`` could reach it while it went."""
    return subprocess.run(
        ["tmux", "-L", session, *args], capture_output=True, text=True, check=False
    ).stdout


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


async def _sample(
    session: str, client: JobApi, job_id: int, step_id: int
) -> tuple[list[float], list[float]]:
    """(group ages, tree ages) of every screen sample taken while the step ran."""
    truth = Truth()
    seen: list[tuple[float, int | None, int | None]] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        result = await client.get_step_result(job_id, step_id, StepFilter(max_hosts_per_group=1))
        count = sum(g.host_count for g in result.groups if g.status == SUCCESS)
        truth.add(time.monotonic(), count)
        if count == HOSTS:
            break
        text = await asyncio.to_thread(_tmux, session, "capture-pane", "-p", "-t", session)
        group, tree = GROUP_RE.search(text), TREE_RE.search(text)
        seen.append(
            (
                time.monotonic(),
                int(group.group(1)) if group else None,
                int(tree.group(1)) if tree else None,
            )
        )
        await asyncio.sleep(0.2)
    groups = [truth.age(at, g) for at, g, _ in seen if g is not None]
    trees = [truth.age(at, t) for at, _, t in seen if t is not None]
    return groups, trees


async def _measure(
    url: str, session: str, job_id: int, step_id: int
) -> tuple[list[float], list[float]]:
    client = make_client(
        ConnectionSettings(
            url=url,
            family=ApiFamily.V3,
            scope_id="2",
            credentials=Credentials("jobtui-bench", "bench-secret", username="bench"),
        )
    )
    try:
        return await _sample(session, client, job_id, step_id)
    finally:
        await client.aclose()


def one_interval(interval: float, speed: float) -> tuple[list[float], list[float]]:
    """Group and tree ages over one run of the demo's first step at ``interval``."""
    running = start_in_thread(SimConfig(speed=speed, hosts=HOSTS), "127.0.0.1", 0)
    session = f"jobtui-bench-{uuid.uuid4().hex[:8]}"
    try:
        job_id = running.app.world.demo_job_id()
        step_id = job_id * 10 + 1
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in ENV.items())
        command = (
            f"cd {ROOT} && env {env} {sys.executable} -m jobtui watch {job_id} "
            f"--url {running.url} --scope-id 2 --interval {interval:g} --step {step_id}"
        )
        subprocess.run(
            [
                "tmux",
                "-L",
                session,
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                "120",
                "-y",
                "40",
                command,
            ],
            check=True,
        )
        socket = _tmux(session, "display-message", "-p", "#{socket_path}").strip()
        try:
            return asyncio.run(_measure(running.url, session, job_id, step_id))
        finally:
            _tmux(session, "kill-server")
            if socket:  # tmux leaves its socket file behind
                Path(socket).unlink(missing_ok=True)
    finally:
        running.stop()


def freshness(smoke: bool) -> list[Result]:
    """Measure 11a (groups) and 11b (tree), one row per interval."""
    if shutil.which("tmux") is None:
        return [Result("11", "freshness", None, "s", "", None, note="tmux is not installed")]
    intervals = (1.0,) if smoke else (1.0, 2.0, 5.0)
    speed = 0.6 if smoke else 0.3  # the step's hosts finish over ~13 s (smoke) / ~27 s
    results: list[Result] = []
    for interval in intervals:
        groups, trees = one_interval(interval, speed)
        group_p95, tree_p95 = p95(groups), p95(trees)
        group_target, tree_target = STEP_CADENCE + 1, interval + 1
        results.append(
            Result(
                "11a",
                f"groups age p95 @ {interval:g} s",
                group_p95,
                "s",
                f"<= {group_target:g} s",
                None if math.isnan(group_p95) else group_p95 <= group_target,
                note=f"@ {interval:g} s: {len(groups)} samples, max {max(groups, default=0):.1f} s",
            )
        )
        results.append(
            Result(
                "11b",
                f"tree age p95 @ {interval:g} s",
                tree_p95,
                "s",
                f"<= {tree_target:g} s",
                None if math.isnan(tree_p95) else tree_p95 <= tree_target,
            )
        )
    return results
