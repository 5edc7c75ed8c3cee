"""Per-step host states, filtered and grouped by (status, tag).

States for one (step, attempt, batch, tick) are computed once and cached, so a
50,000-host step pays the per-host cost once per tick, not per request, and
serialisation only touches the hosts a response actually lists.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from jobtui.sim.logs import log_contains
from jobtui.sim.steps import CONFIRM, SCRIPT, HostState, StepRun
from jobtui.sim.world import World

_CACHE_SIZE = 16
BIG_STEP = 2000  # above this, states are computed per half-second tick


@dataclass(frozen=True, slots=True)
class Group:
    """One result group: every listed host shares status and tag."""

    status: int
    tag: str
    hosts: list[HostState]


_cache: OrderedDict[tuple[int, int, int, int, int, float], list[HostState]] = OrderedDict()


def forget() -> None:
    """Drop every cached state: an operation changed a schedule at this very instant."""
    _cache.clear()


def tick(run: StepRun, now: float) -> float:
    """The instant a big step's states are computed at: ``now`` rounded down to the
    half second, unless the step's status or retry changed in between.

    bk-job saves a finished task before its step's status moves
    (``AbstractResultHandleTask.finishGseTask`` dispatches ``StepEvent.refreshStep``
    after the tasks are written), so a step answered finished or paused never
    lists hosts still running: rounding down across that change would (a
    finished 50,000-host step answered ``✓49,758 ▶242`` with status 3).
    """
    if run.spec.hosts <= BIG_STEP:
        return now
    at = int(now * 2) / 2
    if (run.status(at), run.execute_count(at)) != (run.status(now), run.execute_count(now)):
        return now
    return at


def step_states(
    world: World, run: StepRun, attempt: int, batch: int, now: float
) -> list[HostState]:
    """The tasks of one attempt, as the task table holds them; ``batch`` 0 means all batches.

    Empty when the table has no such rows: a confirmation step, a step not yet
    started (``GseStepEventHandler.saveExecuteObjectTasksForStartStep`` creates
    them on start), an execute_count not reached (no range check), or a batch
    ``k`` on a step that does not roll or past its last batch
    (``ScriptExecuteObjectTaskDAOImpl.listResultGroups``: ``BATCH = k``, and
    non-rolling tasks have batch 0).
    """
    if run.spec.type == CONFIRM or not run.started(now):
        return []
    if not 0 <= attempt <= run.execute_count(now):
        return []
    if (batch != 0 and not (run.spec.rolling and batch <= run.spec.batches)) or batch < 0:
        return []
    at = tick(run, now)
    key = (id(world), run.spec.step_instance_id, run.revision, attempt, batch, at)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    world.stats.group_computations += 1
    fates = run.fates(attempt)
    indices = run.spec.batch_range(batch)
    states = [run.host_state(attempt, i, at, fates[i]) for i in indices]
    _cache[key] = states
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return states


def filtered(
    world: World,
    run: StepRun,
    attempt: int,
    states: list[HostState],
    now: float,
    keyword: str | None,
    search_ip: str | None,
) -> list[HostState]:
    """Apply search_ip (substring of IP or IPv6) and keyword (script logs only); intersect."""
    if search_ip:
        pool = world.pool
        keep = []
        for state in states:
            host = pool.host(state.index)
            if search_ip in (host.ip or "") or search_ip in (host.ipv6 or ""):
                keep.append(state)
        states = keep
    if keyword:
        if run.spec.type != SCRIPT:
            return states
        states = [
            s for s in states if log_contains(run, attempt, world.pool.host(s.index), now, keyword)
        ]
    return states


def grouped(states: list[HostState]) -> list[Group]:
    """Group by (status, tag), ordered by status then tag (``ResultGroupBaseDTO.compareTo``)."""
    buckets: dict[tuple[int, str], list[HostState]] = {}
    for state in states:
        buckets.setdefault((state.status, state.tag), []).append(state)
    return [Group(status, tag, hosts) for (status, tag), hosts in sorted(buckets.items())]
