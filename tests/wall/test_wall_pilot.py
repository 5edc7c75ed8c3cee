"""The job list, the wall and follow-newest through the real client against the simulator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jobtui.sim.config import FaultConfig
from jobtui.tui.run_jobs import Countdown
from jobtui.tui.screens.help import HelpScreen
from jobtui.tui.screens.monitor import MonitorScreen
from jobtui.tui.screens.wall import WallScreen
from jobtui.tui.widgets.footer import KeyBar
from jobtui.tui.widgets.job_card import JobCard
from jobtui.tui.widgets.job_list import JobList
from tests.support.monitor_rig import Polls, settle
from tests.support.spy import BREAKPOINTS, breakpoints_at_mount, count_calls
from tests.support.textual_probe import notifications
from tests.support.wall_rig import make_app, open_wall, sim_rig

SIZE = (160, 48)


async def test_lists_recent_jobs_newest_first_and_opens_one() -> None:
    rig = sim_rig()
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.jobs_screen.job_list
        demo = rig.sim.world.demo_job_id()
        assert table.job_ids[0] == demo
        assert table.job_ids == sorted(table.job_ids, reverse=True)
        assert len(table.job_ids) == 8
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen)
        assert app.screen.options.job_instance_id == demo
        assert app.screen.job is not None and app.screen.job.job_instance_id == demo
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.jobs_screen


async def test_filters_and_cursor_survive_a_refresh() -> None:
    rig = sim_rig()
    app = make_app(rig, statuses=(3,), operator="alice")
    polls = Polls()
    async with app.run_test(size=SIZE, message_hook=polls) as pilot:
        await settle(pilot)
        table = app.jobs_screen.job_list
        assert table.job_ids == [20005, 20002]
        await pilot.press("down")
        assert table.selected_job_id == 20002
        await pilot.press("r")
        await settle(pilot)
        assert table.selected_job_id == 20002
        assert polls.count == 2


async def test_error_goes_stale_keeps_rows_and_recovers() -> None:
    rig = sim_rig()
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.jobs_screen
        rows = screen.job_list.job_ids
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        await pilot.press("r")
        await settle(pilot)
        status = str(screen.query_one("#jobs-status").render())
        assert "STALE since" in status
        assert screen.job_list.job_ids == rows
        assert screen.failures >= 1
        rig.sim.config.faults = FaultConfig()
        await pilot.press("r")
        await settle(pilot)
        assert "STALE" not in str(screen.query_one("#jobs-status").render())
        assert screen.failures == 0


async def test_status_change_toasts_once() -> None:
    rig = sim_rig(advance=30)
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not notifications(app)  # first sight: quiet
        rig.clock.advance(4 * 3600)  # the demo job has ended by now
        await pilot.press("r")
        await settle(pilot)
        titles = [n.message.split(":")[0] for n in notifications(app)]  # one-line toasts
        demo = rig.sim.world.demo_job_id()
        ended = (f"Job #{demo} finished", f"Job #{demo} failed")  # naming the job
        assert sum(titles.count(title) for title in ended) == 1
        await pilot.press("r")
        await settle(pilot)
        assert len(notifications(app)) == len(titles)


async def test_wall_shows_running_jobs_as_cards_and_drills_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repaints = count_calls(monkeypatch, JobCard, "refresh")
    rig = sim_rig(advance=30)
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        cards = wall.cards
        demo = rig.sim.world.demo_job_id()
        assert [c.job_instance_id for c in cards] == [demo]
        data = cards[0].data
        assert data.position == (2, 6)
        assert data.counts is not None and data.counts.total == 24
        text = str(cards[0].render())
        assert "step 2/6" in text and "ok " in text and "Running" in text
        paints = repaints.count
        await pilot.press("r")
        await settle(pilot)
        assert wall.cards[0] is cards[0]  # updated in place
        assert repaints.count == paints  # clock frozen: nothing changed, nothing repainted
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is wall


@pytest.mark.parametrize("size", [(99, 19), (160, 48)])
async def test_the_wall_and_its_help_mount_with_the_breakpoint_classes_textual_gives_them(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Presized when pushed: their first resize changes no class, so each is styled
    once (the wall: 23 style applications instead of 32)."""
    walls = breakpoints_at_mount(monkeypatch, WallScreen)
    helps = breakpoints_at_mount(monkeypatch, HelpScreen)
    rig = sim_rig(advance=30)
    app = make_app(rig)
    async with app.run_test(size=size) as pilot:
        wall = await open_wall(pilot, app)
        given = set(wall.classes) & BREAKPOINTS  # as Textual set them on the resize
        assert len(given) == 2
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert set(app.screen.classes) & BREAKPOINTS == given
    assert walls == [given] and helps == [given]


async def test_wall_keeps_cards_when_details_fail_and_puts_failures_first() -> None:
    rig = sim_rig(advance=30)
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        before = wall.cards[0].data
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        await pilot.press("r")
        await settle(pilot)
        assert wall.stale_since is not None
        assert wall.cards[0].data == before


async def test_follow_newest_opens_the_running_job_and_switches_after_a_countdown() -> None:
    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = rig.sim.world.demo_job_id()
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen)
        assert monitor.options.job_instance_id == first
        rig.clock.advance(3600)  # the job ends; the loop starts the next one
        await pilot.press("r")
        await settle(pilot)
        assert monitor.job is not None and monitor.job.finished
        app._follow_tick()
        await pilot.pause()
        line = monitor.query_one(Countdown)
        assert "switching to the newest running job in 10 s" in str(line.render())
        footer = monitor.query_one(KeyBar)
        assert line.region.height == 1
        assert not line.region.overlaps(footer.region)  # above the footer, not on it
        assert line.region.bottom <= footer.region.y
        for _ in range(10):
            app._follow_tick()
        await settle(pilot)
        newest = app.screen
        assert isinstance(newest, MonitorScreen) and newest is not monitor
        assert newest.options.job_instance_id == rig.sim.world.demo_job_id() != first


async def test_cards_render_hostile_names_safely() -> None:
    rig = sim_rig(advance=30, scenario="hostile")
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        for card in wall.query(JobCard):
            plain = card.render().plain
            assert "\x1b" not in plain and "\x07" not in plain
        table = app.jobs_screen.query_one(JobList)
        assert table.row_count >= 1


async def test_the_client_is_closed_when_the_jobs_app_exits() -> None:
    rig = sim_rig(advance=30)
    closed: list[bool] = []
    real_close = rig.client.aclose

    async def recording_close() -> None:
        closed.append(True)
        await real_close()

    rig.client.aclose = recording_close  # type: ignore[method-assign]
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert closed == []
        await pilot.press("q")
    assert closed == [True]


async def test_ascii_job_list_wall_and_countdown_draw_only_ascii() -> None:
    from tests.support.monitor_rig import screen_text

    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, ascii_only=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        shown = {c for line in screen_text(app) for c in line if ord(c) > 126}
        assert shown == set(), shown  # the job list
        await pilot.press("w")
        await settle(pilot)
        shown = {c for line in screen_text(app) for c in line if ord(c) > 126}
        assert shown == set(), shown  # the wall


async def test_follow_newest_waits_while_the_user_searches_and_only_takes_a_running_job() -> None:
    from jobtui.core.joblist import is_live

    rig = sim_rig(advance=30, demo_loop=True)
    app = make_app(rig, follow_newest=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = rig.sim.world.demo_job_id()
        monitor = app.screen
        assert isinstance(monitor, MonitorScreen)
        rig.clock.advance(3600)  # the job ends; the loop starts the next one
        await pilot.press("r")
        await settle(pilot)
        app._follow_tick()  # the countdown starts
        await pilot.press("ctrl+f", "e", "r", "r")  # the user starts a log search
        await pilot.pause()
        for _ in range(15):
            app._follow_tick()
        await settle(pilot)
        assert app.screen is monitor  # not switched under the user's hands
        assert "waits while you type" in str(monitor.query_one(Countdown).render())
        await pilot.press("escape")  # the find bar closes
        await pilot.pause()
        monitor.log_pane.view.search("")  # and the search is dropped
        for _ in range(10):  # the countdown starts again from its full length
            app._follow_tick()
        await settle(pilot)
        assert app.screen is monitor and app.countdown == 1
        app._follow_tick()
        await settle(pilot)
        newest = app.screen
        assert isinstance(newest, MonitorScreen) and newest is not monitor
        assert newest.options.job_instance_id != first
        assert newest.job is not None and is_live(newest.job.status)  # a running job only


async def test_the_job_list_filters_as_you_type_sorts_by_column_and_changes_its_window() -> None:
    from jobtui.core.joblist import run_status as label_of

    rig = sim_rig()
    app = make_app(rig, since=timedelta(hours=24))
    answers = Polls()
    async with app.run_test(size=SIZE, message_hook=answers) as pilot:
        await settle(pilot)
        screen = app.jobs_screen
        table = screen.job_list
        every = list(table.job_ids)
        assert len(every) >= 2
        # `/` filters as you type: by status word here
        await pilot.press("slash", *"fail")
        await pilot.pause()
        shown = table.job_ids
        assert shown and len(shown) < len(every)
        assert screen.jobs is not None
        assert all("fail" in label_of(screen.jobs[j].status).label.lower() for j in shown)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert table.job_ids == every
        # `o` sorts by a column (k9s-like), `O` reverses
        await pilot.press("o")  # name
        await pilot.pause()
        names = [screen.jobs[j].name.casefold() for j in table.job_ids]
        assert names == sorted(names)
        await pilot.press("O")
        await pilot.pause()
        assert [screen.jobs[j].name.casefold() for j in table.job_ids] == sorted(names)[::-1]
        # `t` widens the window and asks bk-job again
        polls = answers.count
        await pilot.press("t")
        await settle(pilot)
        assert screen.query_.since == timedelta(days=7) and answers.count > polls
        assert "since: 7d" in str(screen.query_one("#jobs-filters").render())
        # `s` cycles the status filter: running, then the failures
        await pilot.press("s")
        await settle(pilot)
        assert screen.query_.statuses == (2,)
        assert table.job_ids and all(screen.jobs[j].status == 2 for j in table.job_ids)
        await pilot.press("s")
        await settle(pilot)
        assert 4 in screen.query_.statuses
        assert all(label_of(screen.jobs[j].status).label != "Running" for j in table.job_ids)
        assert "status: Failed" in str(screen.query_one("#jobs-filters").render())


async def test_escape_on_the_list_clears_a_filter_applied_with_enter() -> None:
    rig = sim_rig()
    app = make_app(rig, since=timedelta(hours=24))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.jobs_screen
        table = screen.job_list
        every = list(table.job_ids)
        await pilot.press("slash", *"fail", "enter")  # applied: the rows have the focus
        await pilot.pause()
        assert table.has_focus and table.job_ids and len(table.job_ids) < len(every)
        assert 'filter: "fail"' in str(screen.query_one("#jobs-filters").render())
        await pilot.press("escape")
        await pilot.pause()
        assert table.job_ids == every and screen.find_text == ""
        assert not screen.query_one("#jobs-find").display
        assert "filter:" not in str(screen.query_one("#jobs-filters").render())
        assert app.screen is screen and table.has_focus


async def test_letters_typed_in_the_same_instant_as_slash_reach_the_filter() -> None:
    """A burst (a paste, tmux ``send-keys '/wst'``): every key after `/` is text.

    The keys are posted together, as the driver does with one read, not pressed
    one by one: once `w`, `s` and `t` went to the list (the wall, the status
    filter, the window) or were dropped, because `/` was acted on only after
    they had been handed to the list.
    """
    from textual import events

    rig = sim_rig()
    app = make_app(rig, since=timedelta(hours=24))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.jobs_screen
        for key, char in (("slash", "/"), ("w", "w"), ("s", "s"), ("t", "t"), ("slash", "/")):
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert app.screen is screen  # `w` did not open the wall
        assert screen.query_.statuses == () and screen.query_.since == timedelta(hours=24)
        assert screen.query_one("#jobs-find").value == "wst/"  # `/` in the filter is text
        assert screen.find_text == "wst/"


async def test_a_rolling_steps_card_counts_every_batch_as_the_monitor_does() -> None:
    """At a rolling pause the card counts the whole step, not the batch just done.

    Asked without ``batch``, v3 answers a rolling step for its current batch
    only: the card said ``ok 8`` of a 24-host step, beside a monitor saying 8/24.
    """
    rig = sim_rig(advance=0)
    demo = rig.sim.world.demo_job_id()
    for _ in range(300):  # to the demo's first rolling pause (step 5 of 6 at 7)
        rig.clock.advance(1.0)
        job = await rig.client.get_job(demo, with_hosts=False)
        step = job.steps[4]
        if step.status == 7:
            break
    assert job.steps[4].status == 7, "the demo never paused between batches"
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        (card,) = [c for c in wall.cards if c.job_instance_id == demo]
        counts = card.data.counts
        assert counts is not None and counts.total == 24, counts
        assert counts.ok == 8 and counts.waiting == 16, counts
        text = str(card.render())
        assert "ok 8" in text and "waiting 16" in text, text
