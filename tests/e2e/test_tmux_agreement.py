"""One truth per number, read off a real terminal through a whole demo job.

`jobtui demo` runs in tmux at the real cadence (the simulated job 3x faster than
the wall clock) and the test reads the screen four times a second, from the
first step to the job's end, comparing what the panes show at the same moment:

- the header's ``step k/6 · hosts N/T`` and the tree's line of step k (one
  source: the job status);
- the chart's ``done X/Y`` and ``fail F`` and the result groups (one source:
  the step result);
- the groups and the tree's line of their step (two sources, polled apart):
  equal, unless the groups' border says why (older, newer, filtered). For a
  rolling step's current batch the tree counts the whole step: the batch's
  hosts must be counted alike there (batches of 8, the earlier ones all done).

A difference must show on two reads in a row (a quarter of a second apart):
Textual draws one answer's panes in one frame, but tmux may be read between
two frames. A difference that lasts a poll lasts four reads.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass

from tests.support.tmux import jobtui_in_tmux, keys, needs_tmux, screen, wait_for

pytestmark = needs_tmux

BATCH = 8  # the demo's rolling step: 24 hosts in batches of 8 (sim/scenarios.py)
HEADER_RE = re.compile(r"step (\d+)/\d+ · hosts (\d+)/(\d+)")
TREE_RE = re.compile(r"✓(\d+) ✗(\d+)(?: ▶(\d+))?(?: ·(\d+))?")
GROUP_RE = re.compile(r"([✓✗▶·↷?⚑]) [^✓✗▶·↷?⚑]*? (\d+)(?=\s|$)")
CHART_RE = re.compile(r"│done (\d+)/(\d+)\b.*\n│fail (\d+)\b")
BUCKET = {"✓": "ok", "▶": "running", "·": "waiting"}  # every other mark: failed
LABELS = ("older", "newer", "filtered", "not updated")


@dataclass(frozen=True)
class Counts:
    ok: int = 0
    failed: int = 0
    running: int = 0
    waiting: int = 0

    @property
    def done(self) -> int:
        return self.ok + self.failed

    @property
    def total(self) -> int:
        return self.done + self.running + self.waiting


def tree_counts(line: str) -> Counts | None:
    found = TREE_RE.search(line)
    if found is None:
        return None
    ok, failed, running, waiting = (int(n) if n else 0 for n in found.groups())
    return Counts(ok, failed, running, waiting)


def right_pane(text: str) -> list[str]:
    """The results pane's lines (the screen's right half, above the log)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "─ Results ─" in line), None)
    if start is None:
        return []
    end = next((i for i in range(start, len(lines)) if "─ Log ─" in lines[i]), len(lines))
    half = lines[start].index("╭─ Results")
    return [line[half:] for line in lines[start:end]]


def group_counts(pane: list[str]) -> Counts | None:
    """The groups' tab line, or ``None`` when some tabs are scrolled out of sight."""
    if len(pane) < 2 or "‹" in pane[1] or "›" in pane[1]:
        return None
    found = GROUP_RE.findall(pane[1].strip("│ "))
    if not found:
        return None
    buckets: Counter[str] = Counter()
    for mark, count in found:
        buckets[BUCKET.get(mark, "failed")] += int(count)
    return Counts(buckets["ok"], buckets["failed"], buckets["running"], buckets["waiting"])


def differences(text: str, seen: Counter[str]) -> list[str]:
    """What the panes of one screen disagree about without saying why."""
    lines = text.splitlines()
    found: list[str] = []
    tree = [line.split("││")[0] for line in lines[4:11]]  # the demo's six steps, one a line
    header = HEADER_RE.search(lines[1]) if len(lines) > 1 else None
    if header is not None:
        k, done, total = (int(n) for n in header.groups())
        line = tree_counts(tree[k - 1]) if k <= len(tree) else None
        if line is not None:
            seen["header"] += 1
            if (line.done, line.total) != (done, total):
                found.append(f"header hosts {done}/{total}, tree step {k} {line}")
    pane = right_pane(text)
    groups = group_counts(pane)
    if groups is None:
        return found
    chart = CHART_RE.search(text)
    if chart is not None:
        seen["chart"] += 1
        done, total, failed = (int(n) for n in chart.groups())
        if (done, total, failed) != (groups.done, groups.total, groups.failed):
            found.append(f"chart done {done}/{total} fail {failed}, groups {groups}")
    if any(label in line for line in pane for label in LABELS):
        return found  # the groups say why they may differ
    info = pane[2] if len(pane) > 2 else ""
    batch = re.search(r"current batch (\d+)", info)
    if batch is not None:
        rolling = tree_counts(next((line for line in tree if "Rolling" in line), ""))
        if rolling is not None:
            seen["batch"] += 1
            before = BATCH * (int(batch.group(1)) - 1)  # the earlier batches, all done
            if (rolling.ok - before, rolling.failed, rolling.running) != (
                groups.ok,
                groups.failed,
                groups.running,
            ):
                found.append(f"batch {batch.group(1)} groups {groups}, tree {rolling}")
    elif groups.running:
        running = [tree_counts(line) for line in tree if line.lstrip("│").startswith("▶")]
        seen["running"] += 1
        if running != [groups]:
            found.append(f"running step's groups {groups}, tree {running}")
    return found


def test_the_panes_agree_or_say_why_through_a_whole_job() -> None:
    seen: Counter[str] = Counter()
    previous: set[str] = set()
    lasting: list[str] = []
    with jobtui_in_tmux("demo", "--speed", "3", size=(160, 48)) as session:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            text = screen(session)
            if "✓ SUCCESS" in (text.splitlines() or [""])[0]:
                break
            now = set(differences(text, seen))
            lasting += [f"{difference}\n{text}" for difference in now & previous]
            previous = now
            time.sleep(0.25)
        else:
            raise AssertionError(f"the demo job did not finish in time:\n{screen(session)}")
    assert not lasting, lasting[0]
    # every comparison was made, many times (the job runs ~40 s: ~100-160 reads, fewer
    # on a loaded machine; 99 in one CI run)
    assert seen["header"] > 50 and seen["chart"] > 40, seen
    assert seen["running"] > 5 and seen["batch"] > 10, seen


def test_an_open_status_picker_counts_as_the_groups_behind_it() -> None:
    """The status picker covers half of the groups while a step runs: its counts
    follow theirs (it once kept the counts of the moment it opened)."""
    picker_re = re.compile(r"│ ▊ Running \((\d+)\)")
    tabs_re = re.compile(r"▶ Running (\d+)")
    with jobtui_in_tmux("demo", size=(120, 40)) as session:

        def running() -> bool:
            text = screen(session)
            return "▶ Deploy package" in text and bool(tabs_re.search(text))

        assert wait_for(running, 30), screen(session)
        keys(session, "s")
        counts: list[int] = []
        previous = False
        lasting: list[str] = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            text = screen(session)
            picked, tab = picker_re.search(text), tabs_re.search(text)
            differ = bool(picked and tab and picked.group(1) != tab.group(1))
            if differ and previous:
                lasting.append(text)
            previous = differ
            if picked:
                counts.append(int(picked.group(1)))
            time.sleep(0.25)
        assert not lasting, lasting[0]
        assert len(set(counts)) > 1, counts  # it moved while open
