"""The job list's header counts the rows shown: ``3 of 11 jobs`` under a `/` filter."""

from __future__ import annotations

from tests.support.monitor_rig import settle
from tests.support.wall_rig import make_app, sim_rig


async def test_the_header_count_follows_the_text_filter() -> None:
    rig = sim_rig()
    app = make_app(rig)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.jobs_screen
        status = screen.query_one("#jobs-status")
        every = len(screen.job_list.job_ids)
        assert every >= 2
        assert f"Jobs · {every} jobs" in str(status.render())
        await pilot.press("slash", *"fail")
        await pilot.pause()
        shown = len(screen.job_list.job_ids)
        assert 0 < shown < every
        assert f"Jobs · {shown} of {every} jobs" in str(status.render())
        await pilot.press(*"zzzz")  # nothing matches
        await pilot.pause()
        assert f"Jobs · 0 of {every} jobs" in str(status.render())
        empty = str(screen.query_one("#jobs-empty").render())
        assert f"No job matches the filter ({every} hidden)" in empty
        await pilot.press("escape")  # the filter cleared: the whole count again
        await pilot.pause()
        assert f"Jobs · {every} jobs" in str(status.render())
        assert "of" not in str(status.render()).split("·")[1]


def test_the_filters_line_keeps_the_text_filter_at_80_columns() -> None:
    from jobtui.core.joblist import JobQuery, next_statuses
    from jobtui.tui.screens.jobs import filters_line

    failed = next_statuses(next_statuses(()))  # `s` twice: the failed kinds
    assert len(failed) >= 3
    query = JobQuery(statuses=failed)
    wide = filters_line(query, "nginx", "", 200)
    assert wide.startswith("filters  since: 24h  status: Failed,") and 'filter: "nginx"' in wide
    narrow = filters_line(query, "nginx", "name", 78)  # 80 columns less the padding
    assert len(narrow) <= 78 and 'filter: "nginx"' in narrow, narrow
    assert "since: 24h" in narrow
    tiny = filters_line(query, "nginx", "name", 30)  # cut by the line's ellipsis, not the filter
    assert tiny.startswith('filters  filter: "nginx"'), tiny


async def test_at_80_columns_the_job_list_shows_the_filter_typed() -> None:
    from jobtui.core.joblist import next_statuses
    from tests.support.monitor_rig import screen_text

    rig = sim_rig()
    app = make_app(rig, statuses=next_statuses(next_statuses(())))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nginx")
        await pilot.pause()
        lines = [line for line in screen_text(app) if line.strip().startswith("filters")]
        assert lines and 'filter: "nginx"' in lines[0], lines
