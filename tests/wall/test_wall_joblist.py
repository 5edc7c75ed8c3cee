"""Pure job-list logic: query, ordering, diff, follow-newest, wall order, notices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobtui.api.models import JobSummary
from jobtui.core.joblist import (
    JobQuery,
    WallPolicy,
    diff_jobs,
    list_notices,
    newest_first,
    newest_live,
    parse_since,
    parse_statuses,
    wall_jobs,
    wall_layout,
    wall_rank,
)
from jobtui.core.transitions import Level

NOW = datetime(2025, 11, 13, 12, 0, tzinfo=UTC)


def job(
    jid: int,
    status: int = 3,
    *,
    ago_h: float = 1.0,
    name: str = "Deploy",
    operator: str = "admin",
    ended_ago_h: float | None = None,
) -> JobSummary:
    end = NOW - timedelta(hours=ended_ago_h) if ended_ago_h is not None else None
    return JobSummary(
        jid, name, status, operator=operator, create_time=NOW - timedelta(hours=ago_h), end_time=end
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("90m", timedelta(minutes=90)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(days=14)),
        ("3", timedelta(hours=3)),
        ("30d", timedelta(days=30)),
    ],
)
def test_parse_since(text: str, expected: timedelta) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["31d", "5w", "0h", "abc", "-1h", "1y", ""])
def test_parse_since_rejects_with_one_line(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_since(text)
    assert "\n" not in str(info.value)


def test_parse_statuses() -> None:
    assert parse_statuses("3, 4,3") == (3, 4)
    with pytest.raises(ValueError, match="unknown job status 'x'"):
        parse_statuses("3,x")
    # by name, as the screens write them (issue 15: --status failed,running)
    assert parse_statuses("failed,running") == (4, 2)
    assert parse_statuses("Waiting for user,waiting, Ignore-Error") == (7, 6)


def test_query_window_is_clamped_to_30_days_and_filters_like_the_web_ui() -> None:
    start, end = JobQuery(since=timedelta(days=90)).window(NOW)
    assert end == NOW and end - start == timedelta(days=30)
    query = JobQuery(statuses=(4,), operator="bob", name="BACKUP")
    assert query.matches(job(1, 4, operator="bob", name="Database backup"))
    assert not query.matches(job(2, 3, operator="bob", name="Database backup"))
    assert not query.matches(job(3, 4, operator="alice", name="Database backup"))
    assert not query.matches(job(4, 4, operator="bob", name="Deploy"))
    assert JobQuery(length=5000).page == 1000
    assert query.active == {"since": "24h", "status": "Failed", "operator": "bob", "name": "BACKUP"}


def test_newest_first_by_creation_then_id_and_deduplicated() -> None:
    rows = [job(1, ago_h=5), job(3, ago_h=1), job(2, ago_h=1), job(3, ago_h=1)]
    assert [j.job_instance_id for j in newest_first(rows)] == [3, 2, 1]


def test_diff_by_job_id() -> None:
    old = {1: job(1, 2), 2: job(2, 3), 3: job(3, 3)}
    diff = diff_jobs(old, [job(4, 2), job(1, 3), job(2, 3)])
    assert diff.added == (4,) and diff.changed == (1,) and diff.removed == (3,)
    assert diff_jobs(old, list(old.values())).empty


def test_newest_live_skips_finished_and_the_excluded_job() -> None:
    rows = [job(1, 2, ago_h=3), job(2, 7, ago_h=2), job(3, 3, ago_h=1)]
    assert newest_live(rows) is not None and newest_live(rows).job_instance_id == 2  # type: ignore[union-attr]
    assert newest_live(rows, exclude=2).job_instance_id == 1  # type: ignore[union-attr]
    assert newest_live([job(5, 3)]) is None


def test_wall_puts_failed_then_waiting_first_and_drops_old_failures() -> None:
    rows = [
        job(1, 2, ago_h=1),
        job(2, 7, ago_h=2),  # waiting for a person (a job is never at 15)
        job(3, 4, ago_h=3, ended_ago_h=0.1),  # failed a few minutes ago
        job(4, 4, ago_h=9, ended_ago_h=8),  # failed long ago: not on the wall
        job(5, 3, ago_h=0.5),  # succeeded: not on the wall
        job(6, 2, ago_h=0.2),
        job(7, 1, ago_h=0.1),
    ]
    order = [j.job_instance_id for j in wall_jobs(rows, NOW, WallPolicy())]
    assert order == [3, 2, 6, 1, 7]
    fresher = WallPolicy(statuses={6: 7})  # a card saw job 6 waiting for a person
    assert [j.job_instance_id for j in wall_jobs(rows, NOW, fresher)][:3] == [3, 6, 2]
    assert wall_rank(4) < wall_rank(7) < wall_rank(2) < wall_rank(1) < wall_rank(3)


def test_notices_only_on_transitions() -> None:
    first = [job(1, 2), job(2, 2), job(3, 2), job(4, 4)]
    assert list_notices(None, first) == []
    old = {j.job_instance_id: j for j in first}
    new = [job(1, 4), job(2, 7), job(3, 3), job(4, 4), job(5, 4)]
    notices = list_notices(old, new)
    assert [(n.level, n.title) for n in notices] == [
        (Level.ERROR, "Job #1 failed"),
        (Level.WARNING, "Job #2 waiting for a person"),
        (Level.INFO, "Job #3 finished"),
    ]
    again = {j.job_instance_id: j for j in new}
    assert list_notices(again, new) == []


async def test_a_longer_status_widens_its_column() -> None:
    from textual.app import App, ComposeResult

    from jobtui.api.catalog import run_status
    from jobtui.tui.widgets.job_list import JobList

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield JobList()

    async with ListApp().run_test(size=(160, 10)) as pilot:
        table = pilot.app.query_one(JobList)
        table.show_jobs([job(1, 3)], NOW)  # Success
        await pilot.pause()
        before = _status_width(table)
        table.show_jobs([job(1, 7)], NOW)  # waiting for a person: a longer word
        await pilot.pause()
        after = _status_width(table)
        assert after > before
        assert after >= len(run_status(7).label) + 2


def _status_width(table: object) -> int:
    from jobtui.tui.widgets.job_list import JobList

    assert isinstance(table, JobList)
    return next(
        c.get_render_width(table) - 2 * table.cell_padding
        for c in table.ordered_columns
        if c.key == "status"
    )


def test_columns_fit_the_pane_and_the_status_and_time_never_go() -> None:
    from jobtui.tui.widgets.job_list import COLUMNS, fit_columns

    need = {c: len(c) for c in COLUMNS} | {"id": 5, "name": 40, "operator": 10, "launch": 6}
    need |= {"type": 8, "status": 18, "start": 14, "elapsed": 7}
    wide = fit_columns(200, need)
    assert list(wide) == list(COLUMNS) and wide["name"] == 40
    at_80 = fit_columns(79, need)
    assert list(at_80) == ["id", "name", "operator", "status", "elapsed"]
    assert sum(w + 2 for w in at_80.values()) <= 79 and at_80["name"] >= 20
    at_60 = fit_columns(59, need)
    assert list(at_60) == ["id", "name", "status", "elapsed"]
    assert sum(w + 2 for w in at_60.values()) <= 59


async def test_at_80_columns_every_status_is_whole_and_long_names_are_marked() -> None:
    from textual.app import App, ComposeResult

    from jobtui.tui.widgets.job_list import JobList

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield JobList()

    long_name = JobSummary(2, "Deploy the whole production fleet in three waves", 7)
    async with ListApp().run_test(size=(80, 10)) as pilot:
        table = pilot.app.query_one(JobList)
        table.show_jobs([long_name, job(1, 4)], NOW)
        await pilot.pause()
        lines = [
            "".join(seg.text for seg in table.render_line(y)) for y in range(table.size.height)
        ]
        text = "\n".join(lines)
        assert "Waiting for a person" in text and "Failed" in text, text
        assert "Deploy the whole production…" in text or "…" in text.split("Deploy")[1], text
        assert all(len(line) <= 80 for line in lines)
        assert table.shown_columns[-1] == "elapsed"


def test_arrange_filters_by_text_and_sorts_by_a_column() -> None:
    from jobtui.core.joblist import arrange, next_since

    rows = [
        JobSummary(1, "backup", 3, operator="bob"),
        JobSummary(2, "Deploy", 4, operator="alice"),
        JobSummary(3, "cleanup", 2, operator="carol"),
    ]
    assert [j.job_instance_id for j in arrange(rows)] == [3, 2, 1]  # newest first
    assert [j.job_instance_id for j in arrange(rows, text="ALICE")] == [2]
    assert [j.job_instance_id for j in arrange(rows, text="fail")] == [2]  # status word
    assert [j.name for j in arrange(rows, sort="name")] == ["backup", "cleanup", "Deploy"]
    assert arrange(rows, sort="name", reverse=True)[0].name == "Deploy"
    assert arrange(rows, sort="status")[0].job_instance_id == 2  # failed first
    assert next_since(timedelta(hours=24)) == timedelta(days=7)
    assert next_since(timedelta(days=30)) == timedelta(hours=1)


def test_wall_folds_failures_by_plan_bounds_them_and_counts_what_it_left_out() -> None:
    def run(jid: int, status: int, plan: int, ended_min: float | None = None) -> JobSummary:
        ended = NOW - timedelta(minutes=ended_min) if ended_min is not None else None
        created = NOW - timedelta(minutes=(ended_min or 0) + 1 + jid / 100)
        return JobSummary(
            jid, f"plan {plan}", status, plan_id=plan, create_time=created, end_time=ended
        )

    rows = [run(100 + i, 4, 1, ended_min=i + 1) for i in range(25)]  # failing every minute
    rows += [run(200 + p, 4, p, ended_min=p) for p in range(2, 10)]  # eight more failing plans
    rows += [run(300, 2, 50), run(301, 7, 51), run(302, 4, 52, ended_min=45)]  # old failure
    layout = wall_layout(rows, NOW, WallPolicy(max_failed=6))
    failed = [c for c in layout.cards if c.status == 4]
    assert [c.job.job_instance_id for c in failed] == [100, 202, 203, 204, 205, 206]
    assert failed[0].failures == 25  # ended 1..25 minutes ago: all within 30
    assert layout.folded == 24
    assert layout.hidden_failed == 3  # plans 7, 8, 9: older failures beyond six
    assert [c.job.job_instance_id for c in layout.cards[6:]] == [301, 300]  # always in sight
    # the detail read later says job 300 has just failed: it leads, as a failure of its plan
    fresh = wall_layout(rows, NOW, WallPolicy(max_failed=6, statuses={300: 4}))
    assert fresh.cards[0].job.job_instance_id == 300
    assert fresh.cards[0].status == 4
