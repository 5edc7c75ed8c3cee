"""The monitor through the real client against the simulator, on a manual clock."""

from __future__ import annotations

import pytest

from jobtui.api.models import ApiFamily
from jobtui.core.snapshot import HostCounts
from jobtui.sim.config import FaultConfig
from jobtui.tui import poller as poller_module
from jobtui.tui.widgets.filter_bar import FilterBar
from jobtui.tui.widgets.header import JobHeader
from jobtui.tui.widgets.step_tree import StepTree
from tests.support.monitor_rig import make_rig, refresh, screen_text, settle
from tests.support.textual_probe import notifications

SIZE = (160, 48)


async def test_follows_the_running_step_and_shows_its_groups_and_log() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.job is not None
        assert screen.step_id == 201002  # the running step, followed
        assert screen.result is not None and screen.result.step_instance_id == 201002
        assert screen.results.selected_group is not None
        assert screen.host is not None  # the first host selected automatically
        assert screen.log_pane.host is not None
        assert screen.log_pane.host.key == screen.host.key
        assert "step 2/6" in screen.query_one(JobHeader).text


async def test_selecting_a_step_shows_its_groups_and_stops_following() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("up")
        await settle(pilot)
        screen = rig.screen
        assert screen.step_id == 201001
        assert screen.result is not None and screen.result.step_instance_id == 201001
        assert not screen.step_tree.following
        rig.advance(30)
        await refresh(pilot)
        assert screen.step_id == 201001  # the cursor survived the refresh
        await pilot.press("F")
        await refresh(pilot)
        assert screen.step_id != 201001


async def test_log_grows_by_suffix_while_following() -> None:
    rig = make_rig(advance=11)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        host = screen.host
        view = screen.log_pane.view
        assert host is not None and screen.log_pane.running
        before = len(view.buffer)
        rig.advance(3)
        await refresh(pilot)
        assert screen.host is not None and screen.host.key == host.key
        assert len(view.buffer) > before
        assert view.follow


async def test_server_error_goes_stale_keeps_data_and_recovers() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        job = screen.job
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        await refresh(pilot)
        header = screen.query_one(JobHeader).text
        assert "STALE since" in header
        assert screen.job is job  # last good data kept
        assert screen.cadence.failures == 1
        rig.sim.config.faults = FaultConfig()
        await refresh(pilot)
        assert "STALE" not in screen.query_one(JobHeader).text
        assert screen.cadence.failures == 0


async def test_pause_shows_badge_and_toggles_back() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        assert rig.screen.paused and "PAUSED" in rig.screen.query_one(JobHeader).text
        await pilot.press("p")
        assert not rig.screen.paused and "PAUSED" not in rig.screen.query_one(JobHeader).text


async def test_interval_keys_are_bounded() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press("minus")
        assert rig.screen.cadence.interval == 1
        await pilot.press("plus")
        assert rig.screen.cadence.interval == 2
        assert "every 2s" in rig.screen.query_one(JobHeader).text


async def test_status_filter_from_the_groups_then_clear() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "enter")  # first real status after "any status"
        await settle(pilot)
        screen = rig.screen
        assert len(screen.filter.statuses) == 1
        assert "status=" in str(screen.query_one(FilterBar).render())
        await pilot.press("x")
        await settle(pilot)
        assert screen.filter.statuses == ()


async def test_ip_and_keyword_filters_are_typed() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"10.0.0.1", "enter")
        await settle(pilot)
        screen = rig.screen
        assert screen.filter.search_ip == "10.0.0.1"
        assert screen.result is not None
        for group in screen.result.groups:
            for host in group.hosts:
                assert "10.0.0.1" in (host.ref.ip or "")
        await pilot.press("K")
        await pilot.press(*"OK", "enter")
        await settle(pilot)
        assert screen.filter.keyword == "OK"
        await pilot.press("K", "escape")
        assert screen.filter.keyword == "OK"  # Escape changes nothing


async def test_retry_and_batch_pickers_set_the_filter() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "enter")  # the oldest retry: 0
        await settle(pilot)
        screen = rig.screen
        assert screen.filter.execute_count == 0
        assert screen.result is not None and screen.result.execute_count == 0
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("down", "enter")  # all batches
        await settle(pilot)
        assert screen.filter.batch == 0


async def test_unsupported_filter_is_reverted_with_a_notice() -> None:
    rig = make_rig(family=ApiFamily.V2, advance=30)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = rig.screen
        # (the picker offers no batch numbers for a step not known to roll)
        screen.set_filter(screen.filter.with_(batch=1))
        await settle(pilot)
        assert screen.filter.batch is None
        assert any("not supported" in e.text.lower() for e in rig.app.notices)


async def test_toasts_only_on_transitions() -> None:
    rig = make_rig(advance=5)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert notifications(rig.app) == []
        rig.advance(60)
        await refresh(pilot)
        count = len(notifications(rig.app))
        assert count > 0  # a minute later the job has moved on: a step failed or waits
        await refresh(pilot)
        assert len(notifications(rig.app)) == count  # nothing new, nothing repeated


async def test_preselected_step_from_options() -> None:
    rig = make_rig(advance=30, step=201001)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rig.screen.step_id == 201001
        assert not rig.screen.query_one(StepTree).following


async def test_help_and_too_small() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert type(rig.app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        assert type(rig.app.screen).__name__ == "TooSmallScreen"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert rig.app.screen is rig.screen
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        await pilot.press("q")
    assert rig.app.return_code == 0


def _job_requests(rig) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        r.url.params.get("return_ip_result", "")
        for r in rig.meter.requests
        if r.url.path.endswith("get_job_instance_status")
    ]


async def test_small_job_counts_hosts_on_every_step_line() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rig.meter.reset()
        await refresh(pilot)
        assert _job_requests(rig) == ["true"]  # small: per-host data with the job status
        tree = rig.screen.step_tree
        assert rig.screen.step_id == 201002
        done = tree._rows[201001].counts  # never selected
        assert done is not None and done.ok == 24
        assert "✓24 ✗0" in str(tree._by_step[201001].label)


async def test_50000_host_step_stays_within_the_refresh_budget() -> None:
    rig = make_rig(scenario="scale", advance=3)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(2):
            rig.meter.reset()
            rig.advance(1)  # the first step still runs: one poll per refresh
            await refresh(pilot)
            assert len(rig.meter.requests) <= 3
            assert rig.meter.bytes_in <= 200_000
            assert _job_requests(rig) == ["false"]
        counts = rig.screen.counts.get(rig.screen.step_id or 0)
        assert counts is not None and counts.total == 50_000


async def test_80x24_header_fits_and_the_tree_gets_six_rows() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rig.screen.action_toggle_pause()
        await pilot.pause()
        lines = screen_text(rig.app)
        assert "RUNNING" in lines[0] and "#20100" in lines[0] and "elapsed 30s" in lines[0]
        for part in ("step 2/6", "hosts 20/24", "updated", "PAUSED"):
            assert part in lines[1]
        assert rig.screen.step_tree.size.height >= 6
        types = ("  script", "  file", "  confirm", "  SQL")
        shown = [line for line in lines[4:12] if any(t in line for t in types)]
        assert len(shown) >= 6  # all six steps of the demo job visible


def _page_sizes(rig) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        int(r.url.params["max_host_num_per_group"])
        for r in rig.meter.requests
        if r.url.path.endswith("get_step_instance_status")
    ]


async def test_scrolling_to_the_end_of_a_big_group_fetches_more_hosts() -> None:
    from jobtui.tui.widgets.host_table import HostTable

    rig = make_rig(scenario="scale", advance=3)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        group = screen.results.selected_group
        assert group is not None and group.host_count > len(group.hosts)  # incomplete
        before = len(group.hosts)
        page = screen.page_size
        rig.meter.reset()
        table = screen.query_one(HostTable)
        table.focus()
        await pilot.press("end")
        await settle(pilot)
        assert screen.page_size > page
        assert _page_sizes(rig) and _page_sizes(rig)[-1] == screen.page_size
        grown = screen.results.selected_group
        assert grown is not None and len(grown.hosts) > before
        assert len(table.rows) == len(grown.hosts)
        info = str(screen.query_one("#result-info").render())
        assert f"{len(grown.hosts):,} of {grown.host_count:,}" in info


async def test_preselected_step_of_a_finished_job_shows_its_groups() -> None:
    """`watch JOB --step S` on a finished job: the results pane shows S, not "No step"."""
    rig = make_rig(advance=3600, step=201001)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.job is not None and screen.job.finished
        assert screen.step_id == 201001
        assert screen.step_tree.selected_step_id == 201001
        assert screen.result is not None and screen.result.step_instance_id == 201001
        assert screen.results.selected_group is not None
        assert "No step selected" not in "\n".join(screen_text(rig.app))


async def test_back_to_a_finished_step_before_the_other_answer_refetches_it() -> None:
    """A → B → A with B's poll cancelled: A's result was dropped, so it is fetched again
    (the finished-step cache must not leave "No step selected")."""
    rig = make_rig(advance=3600, step=201001)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        screen._choose_step(201002)
        screen._choose_step(201001)
        await settle(pilot)
        assert screen.result is not None and screen.result.step_instance_id == 201001
        assert screen.results.selected_group is not None


async def test_ctrl_f_from_the_step_tree_focuses_the_log_and_opens_find() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert isinstance(screen.focused, StepTree)
        await pilot.press("ctrl+f")
        await pilot.pause()
        find = screen.log_pane.query_one("#log-find")
        assert find.display and screen.focused is find


async def test_finished_job_has_no_ticking_clock_and_shows_a_fixed_update_time() -> None:
    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.job is not None and screen.job.finished
        assert not screen.ticking
        assert "updated at " in screen.query_one(JobHeader).text
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        await refresh(pilot)
        assert screen.ticking  # a stale screen counts its age again
        assert "updated at " not in screen.query_one(JobHeader).text


async def test_running_job_ticks() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rig.screen.ticking


async def test_another_host_replaces_the_old_log_at_once_even_when_its_fetch_fails() -> None:
    from jobtui.tui.widgets.host_table import HostTable

    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        first = screen.host
        assert first is not None and screen.log_pane.view.display
        assert len(screen.log_pane.view.buffer) > 0
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        screen.query_one(HostTable).focus()
        await pilot.press("down")
        await settle(pilot)
        pane = screen.log_pane
        assert screen.host is not None and screen.host.key != first.key
        assert pane.host is not None and pane.host.key == screen.host.key
        assert len(pane.view.buffer) == 0  # old log gone
        empty = pane.empty_text or ""
        assert "log not loaded" in empty and "retrying" in empty
        rig.sim.config.faults = FaultConfig()
        await refresh(pilot)
        assert pane.empty_text is None and len(pane.view.buffer) > 0


async def test_a_chosen_step_brings_the_log_of_the_host_the_pane_selects_in_the_same_poll() -> None:
    from jobtui.core.groups import SortKey

    rig = make_rig(advance=3600)  # finished: the earlier steps have many hosts
    async with rig.app.run_test(size=SIZE, message_hook=rig.polls) as pilot:
        await settle(pilot)
        screen = rig.screen
        screen.results.action_cycle_sort()  # elapsed → exit code → IP, reversed:
        screen.results.action_cycle_sort()  # the pane now selects the last IP first
        screen.results.action_reverse_sort()
        assert screen.results.table_sort == (SortKey.IP, True)
        rig.meter.reset()
        polls = rig.polls.count
        await pilot.press("up")  # another step
        await settle(pilot)
        paths = [r.url.path.rsplit("/", 1)[-1] for r in rig.meter.requests]
        assert paths.count("get_job_instance_ip_log") == 1  # the picked host was the right one
        assert rig.polls.count == polls + 1
        assert screen.host is not None and screen.results.selected_host is not None
        assert screen.host.key == screen.results.selected_host.key
        assert screen.log_pane.host is not None and screen.log_pane.host.key == screen.host.key
        log_request = next(r for r in rig.meter.requests if "ip_log" in r.url.path)
        assert log_request.url.params["bk_host_id"] == str(screen.host.ref.host_id)


async def test_a_failing_log_keeps_the_screen_fresh_and_badges_the_log_only() -> None:
    rig = make_rig(advance=11)  # a running host's log is shown
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        pane = screen.log_pane
        lines = len(pane.view.buffer)
        assert lines > 0
        rig.meter.failing.add("get_job_instance_ip_log")
        rig.advance(3)
        await refresh(pilot)
        header = screen.query_one(JobHeader).text
        assert "STALE" not in header  # the job and its groups did arrive
        title = str(pane.query_one("#log-title").render())
        assert "log not updated" in title
        assert len(pane.view.buffer) == lines and pane.view.display  # kept
        rig.meter.failing.clear()
        await refresh(pilot)
        assert "log not updated" not in str(pane.query_one("#log-title").render())
        assert len(pane.view.buffer) > lines


async def test_a_big_jobs_finished_steps_show_their_final_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without per-host job status (over ~2,000 host entries), each finished step's final
    counts are fetched once; a step that succeeded on its retry shows the retry's counts."""
    monkeypatch.setattr(poller_module, "HOSTS_WITH_JOB_LIMIT", 0)
    rig = make_rig(advance=3600)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await refresh(pilot)  # the first job status said which steps lack counts
        screen = rig.screen
        assert screen.job is not None
        assert all(not step.hosts for step in screen.job.steps)  # no per-host job status
        deploy = screen.job.steps[1]
        assert deploy.execute_count == 1  # failed, then retried
        assert screen.counts[deploy.step_instance_id] == HostCounts(ok=24)
        counted = [s for s in screen.job.steps if s.type != 3]  # not the confirmation
        assert all(screen.counts[s.step_instance_id].total == 24 for s in counted)
        rig.meter.reset()
        await refresh(pilot)
        finals = [r for r in rig.meter.requests if r.url.path.endswith("get_step_instance_status")]
        assert len(finals) <= 1  # only the selected step's own refresh: finals once each


async def test_a_selected_host_that_stops_running_leaves_the_log_title_at_once() -> None:
    """The host table says the host timed out: the log title must not still say running.

    Its last lines are asked for at once, not at the log's next due time.
    """
    from dataclasses import replace

    from tests.support.transports import api_name

    rig = make_rig(advance=10.5)  # the deploy step runs, none of its hosts failed yet
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await refresh(pilot)
        screen = rig.screen
        host = screen.host
        assert host is not None and host.status == 7, host  # running
        assert "running" in screen.log_pane.title_text().plain
        result = screen.results.result
        assert result is not None
        timed_out = replace(host, status=4, exit_code=None)  # Task Timeout
        groups = tuple(
            replace(g, hosts=tuple(timed_out if h.key == host.key else h for h in g.hosts))
            for g in result.groups
        )
        before = len(rig.meter.requests)
        screen.results.show_result(replace(result, groups=groups))
        await pilot.pause()
        assert "running" not in screen.log_pane.title_text().plain
        await settle(pilot)
        asked = [api_name(r) for r in rig.meter.requests[before:]]
        assert "get_job_instance_ip_log" in asked, asked


async def test_a_failed_groups_request_marks_the_groups_not_the_log_and_keeps_the_reason() -> None:
    """The groups' request fails, the job status does not (the faults a gateway makes).

    The groups say they are not updated (the header says why); the log does not
    blame its own request for another's failure; `m` has the whole reason once.
    """
    rig = make_rig(advance=12.0)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await refresh(pilot)
        screen = rig.screen
        assert "not updated" not in str(screen.results.border_subtitle)
        rig.meter.failing = {"get_step_instance_status"}
        rig.advance(2)
        await refresh(pilot)
        await refresh(pilot)
        border = str(screen.results.border_subtitle)
        assert border.startswith("not updated since "), border
        assert "not updated" in str(screen.chart.border_title)
        title = screen.log_pane.title_text().plain
        assert "see the header" in title and "502" not in title, title
        kept = [e.text for e in rig.app.notices if e.text.startswith("Not updated: ")]
        assert len(kept) == 1 and "502" in kept[0], kept  # once, over two failed polls
        rig.meter.failing = set()
        await refresh(pilot)
        assert "not updated" not in str(screen.results.border_subtitle)
        assert "see the header" not in screen.log_pane.title_text().plain


async def test_groups_that_count_differently_from_the_tree_say_how_much_older_they_are() -> None:
    """Under 2 s apart the groups used to say nothing while the tree counted more."""
    from jobtui.core.monitor_state import Ask

    rig = make_rig(advance=12.0)  # the deploy step: a host done every half second or so
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await refresh(pilot)
        screen = rig.screen
        assert screen.results.border_subtitle in ("", None)
        rig.advance(1.5)
        # a job status poll only: the tree moves on, the groups stay as they were
        screen._run_effects(screen.machine.poll(Ask(job=True, result=False, log=False)))
        await settle(pilot)
        assert screen.result is not None
        sid = screen.result.step_instance_id
        tree = screen.book.whole(sid)
        groups = HostCounts.from_result(screen.result)
        assert tree is not None and tree.done != groups.done, (tree, groups)
        assert str(screen.results.border_subtitle) == "2s older than the steps"
        assert str(screen.chart.border_title).endswith(" · 2s older")


async def test_an_open_status_picker_counts_what_the_groups_count_now() -> None:
    """The picker's counts follow the answers while it is open (they are the groups'
    counts, half covered by it); the highlighted status stays highlighted."""
    from textual.widgets import OptionList

    from jobtui.core.filter_choices import status_choices
    from jobtui.tui.screens.pickers import ChoiceScreen

    rig = make_rig(advance=10)  # the deploy step has just started: hosts running
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        picker = rig.app.screen
        assert isinstance(picker, ChoiceScreen)
        options = picker.query_one(OptionList)

        def prompts() -> list[str]:
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        before = prompts()
        running = next(i for i, prompt in enumerate(before) if prompt.startswith("Running"))
        await pilot.press(*["down"] * running)
        chosen = before[running]
        rig.advance(4)  # hosts finish and fail
        rig.screen.action_refresh()
        await settle(pilot)
        after = prompts()
        assert after != before, before
        choices = status_choices(rig.screen.result)
        assert after == [label for label, _ in choices]
        highlighted = options.highlighted
        assert highlighted is not None
        assert after[highlighted].split(" (")[0] == chosen.split(" (")[0], (chosen, after)
        await pilot.press("enter")
        await settle(pilot)
        assert rig.screen.filter.statuses == (int(choices[highlighted][1]),)
