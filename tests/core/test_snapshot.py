"""Step rows, block visibility, the active step, progress and row diffs."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from jobtui.api.models import Block, HostRef, HostResult, Job, ResultGroup, Step, StepResult
from jobtui.core.snapshot import (
    HostCounts,
    active_step,
    changed_rows,
    format_duration,
    progress,
    show_blocks,
    step_rows,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_job(*blocks: tuple[int, ...], implicit: bool = False, current: int | None = None) -> Job:
    built = []
    sid = 0
    for order, statuses in enumerate(blocks):
        steps = []
        for status in statuses:
            sid += 1
            steps.append(Step(sid, f"s{sid}", 1, status, start_time=NOW - timedelta(seconds=30)))
        built.append(Block(None if implicit else f"b{order}", order, tuple(steps), implicit))
    return Job(7, "job", 2, False, blocks=tuple(built), current_step_instance_id=current)


def test_blocks_shown_only_when_real_and_multi_step() -> None:
    assert not show_blocks(make_job((3, 2, 1), implicit=True))
    assert not show_blocks(make_job((3,), (2,), (1,)))
    assert show_blocks(make_job((3, 3), (2,)))


def test_active_step_prefers_the_servers_current_step() -> None:
    job = make_job((3, 2, 7), implicit=True, current=3)
    assert active_step(job) is not None and active_step(job).step_instance_id == 3  # type: ignore[union-attr]
    job = make_job((3, 2, 1), implicit=True, current=1)
    assert active_step(job).step_instance_id == 2  # type: ignore[union-attr]
    assert active_step(make_job((3, 3), implicit=True)) is None


def test_progress_counts_position_or_finished_steps() -> None:
    assert progress(make_job((3, 2, 1), implicit=True)) == (2, 3)
    assert progress(make_job((3, 3, 4), implicit=True)) == (3, 3)


def test_counts_from_group_sizes_not_listed_hosts() -> None:
    host = HostResult(HostRef(1), 9)
    result = StepResult(
        1,
        "s",
        1,
        2,
        0,
        groups=(ResultGroup(9, "", 500, (host,)), ResultGroup(7, "", 20), ResultGroup(104, "", 3)),
    )
    counts = HostCounts.from_result(result)
    assert (counts.ok, counts.running, counts.failed, counts.total) == (500, 20, 3, 523)


def test_rows_ticking_elapsed_and_diff_by_id() -> None:
    job = make_job((3, 2), implicit=True)
    rows = step_rows(job, {2: HostCounts(ok=1)}, NOW)
    assert rows[1].elapsed == 30 and rows[1].counts == HostCounts(ok=1)
    old = {row.step_instance_id: row for row in rows}
    assert changed_rows(old, rows) == ([], [])
    later = step_rows(job, {2: HostCounts(ok=1)}, NOW + timedelta(seconds=5))
    changed, _ = changed_rows(old, later)
    assert [row.step_instance_id for row in changed] == [2]
    shrunk = replace(job, blocks=(replace(job.blocks[0], steps=job.blocks[0].steps[:1]),))
    assert changed_rows(old, step_rows(shrunk, {}, NOW))[1] == [2]


def test_format_duration() -> None:
    assert [format_duration(s) for s in (None, 4.25, 42, 185, 7620, 97200)] == [
        "-",
        "4.2s",
        "42s",
        "3m05s",
        "2h07m",
        "1d03h",
    ]


def test_followed_step_falls_back_to_the_last_started_step() -> None:
    from jobtui.core.snapshot import followed_step

    assert followed_step(make_job((3, 4, 1), implicit=True)).step_instance_id == 2  # type: ignore[union-attr]
    assert followed_step(make_job((1, 1), implicit=True)) is None
