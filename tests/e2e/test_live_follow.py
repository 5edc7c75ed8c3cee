"""The real program, the real clock: the result groups follow a running step.

``jobtui watch`` runs in tmux against the simulator (served from this process,
slowed to half speed so its first step lasts ~16 s), twice at once: at
interval 1 and at 2 s. While the step runs, the test samples the server's truth
(the step result, over HTTP with the real client) and both screens, and measures how old the groups'
``Success N`` is: the time since the server last had N successes. When the
step ends, the groups, the tree's line and the truth must agree within the
step cadence.

This is the check a manual clock could not make: before the schedule gave each
part its own due time, a job poll with a host selected pushed the groups' due
time back for ever, and the groups froze a few seconds into the step.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from jobtui.api.auth import Credentials
from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.sim.config import SimConfig
from jobtui.sim.server import RunningSim
from tests.support.tmux import jobtui_in_tmux, needs_tmux, screen

pytestmark = needs_tmux
SPEED = 0.5  # the demo's first step: hosts done 1..8 sim-s in → 2..16 s here
HOSTS = 24
SUCCESS = 9
#: The slowest step cadence (3 s), plus a second of latency and render, plus a
#: second for the sampling itself on a shared 2-core box.
MAX_AGE = 5.0

GROUP_RE = re.compile(r"Success (\d+)")
# the step type is the first thing a narrow tree line gives way
TREE_RE = re.compile(r"Precheck environment\s+(?:script\s+)?\S+\s+[✓v](\d+) [✗x](\d+)")


@dataclass
class Seen:
    """What the screen showed at one instant (``None``: not on screen yet)."""

    at: float
    group: int | None
    tree: int | None


@dataclass
class Truth:
    """The server's success count of the step over time: (time, count) changes."""

    changes: list[tuple[float, int]] = field(default_factory=list)

    def add(self, at: float, count: int) -> None:
        if not self.changes or self.changes[-1][1] != count:
            self.changes.append((at, count))

    def age(self, at: float, count: int) -> float:
        """How long before ``at`` the server last had ``count`` successes (0: it still
        had at most that many). Successes only grow while a step runs, so that is
        how long ago the server first had more; a value the sampling skipped
        (two hosts done between samples) still gets its age."""
        for start, value in self.changes:
            if start > at:
                break
            if value > count:
                return at - start
        return 0.0


def _client(url: str) -> JobApi:
    settings = ConnectionSettings(
        url=url,
        family=ApiFamily.V3,
        scope_id="2",
        credentials=Credentials("jobtui-e2e", "e2e-secret", username="e2e"),
    )
    return make_client(settings)


def _parse(at: float, text: str) -> Seen:
    group = GROUP_RE.search(text)
    tree = TREE_RE.search(text)
    return Seen(
        at,
        int(group.group(1)) if group else None,
        int(tree.group(1)) if tree else None,
    )


async def _watch(
    sessions: dict[int, str], url: str, job_id: int, step_id: int
) -> tuple[dict[int, list[Seen]], Truth, float]:
    """Sample truth and every screen until the step has ended and the screens have
    had time to agree (or a bound passes); returns (screen samples by interval,
    truth, end time)."""
    client = _client(url)
    try:
        return await _sample(sessions, client, job_id, step_id)
    finally:
        await client.aclose()


async def _sample(
    sessions: dict[int, str], client: JobApi, job_id: int, step_id: int
) -> tuple[dict[int, list[Seen]], Truth, float]:
    truth = Truth()
    seen: dict[int, list[Seen]] = {interval: [] for interval in sessions}
    ended: float | None = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        result = await client.get_step_result(job_id, step_id, StepFilter(max_hosts_per_group=1))
        now = time.monotonic()
        count = sum(g.host_count for g in result.groups if g.status == SUCCESS)
        truth.add(now, count)
        if count == HOSTS and ended is None:
            ended = now
        for interval, session in sessions.items():
            text = await asyncio.to_thread(screen, session)
            seen[interval].append(_parse(time.monotonic(), text))
        if ended is not None and time.monotonic() > ended + MAX_AGE + 1:
            return seen, truth, ended
        await asyncio.sleep(0.2)
    raise AssertionError(f"the step did not end in time: {truth.changes}")


def _check(interval: int, seen: list[Seen], truth: Truth, ended: float) -> None:
    """One monitor's samples against the server's truth (``interval``: its job poll)."""
    shown = [s for s in seen if s.group is not None]
    assert shown, f"interval {interval}: the groups never showed a Success count"
    running = [s for s in shown if s.at < ended]
    ages = sorted(truth.age(s.at, s.group) for s in running if s.group is not None)
    assert len(ages) >= 10, f"interval {interval}: too few samples while the step ran: {len(ages)}"
    assert ages[-1] <= MAX_AGE, (
        f"interval {interval}: the groups lagged {ages[-1]:.1f} s: {truth.changes} {running}"
    )
    tree_ages = [truth.age(s.at, s.tree) for s in running if s.tree is not None]
    assert tree_ages and max(tree_ages) <= MAX_AGE, (
        f"interval {interval}: the tree lagged: {running}"
    )
    # The groups moved with the step (not one early value, then the final one).
    assert len({s.group for s in running}) >= 4, (interval, running)
    # When the step has ended: the groups and the tree show the final count,
    # within the slowest step cadence.
    settled = [s for s in seen if s.at >= ended + MAX_AGE]
    assert settled, f"interval {interval}: no sample after the step ended"
    for sample in settled:
        assert (sample.group, sample.tree) == (HOSTS, HOSTS), (interval, sample)


def test_groups_follow_a_running_step_and_agree_when_it_ends(
    serve: Callable[[SimConfig], RunningSim],
) -> None:
    """Both job-poll intervals at once, each its own program on the same step:
    one step's run (~16 s) checks both."""
    sim = serve(SimConfig(speed=SPEED, hosts=HOSTS))
    job_id = sim.app.world.demo_job_id()
    step_id = job_id * 10 + 1
    args = ("watch", str(job_id), "--url", sim.url, "--scope-id", "2", "--step", str(step_id))
    with (
        jobtui_in_tmux(*args, "--interval", "1") as every_1s,
        jobtui_in_tmux(*args, "--interval", "2") as every_2s,
    ):
        sessions = {1: every_1s, 2: every_2s}
        seen, truth, ended = asyncio.run(_watch(sessions, sim.url, job_id, step_id))
    failures = []
    for interval, samples in seen.items():
        try:
            _check(interval, samples, truth, ended)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
