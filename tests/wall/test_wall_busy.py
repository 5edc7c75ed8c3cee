"""The wall on the ``busy`` scenario: what a wall left on a screen for days must show.

The real client against the simulator on a manual clock: jobs that succeed leave
the wall in the refresh that announces them, a job that has just failed goes
first, a plan that fails every minute folds into one card, and running jobs
stay in sight however many failures pile up.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from jobtui.api.catalog import FAILED_RUN_STATUSES
from jobtui.api.errors import JobTuiError
from jobtui.core.joblist import wall_rank
from jobtui.sim.clock import ManualClock
from jobtui.tui.run_jobs import JobsApp
from jobtui.tui.screens.wall import WallScreen
from tests.support.monitor_rig import settle
from tests.support.wall_rig import SimRig, make_app, open_wall, sim_rig

SIZE = (160, 48)
CDN = "Sync config to CDN"  # busy: runs 8..59 s of the simulator's clock, then succeeds
NGINX = "Rotate nginx logs"  # busy: runs 4..12 s, then fails; with the demo loop, again and again
START = ManualClock().now()  # the simulator's start on the rig's clock


async def _at(pilot: Pilot[Any], rig: SimRig, seconds: float) -> None:
    """Move the simulator's clock to ``seconds`` after its start and refresh the wall."""
    rig.clock.advance(seconds - (rig.clock.now() - START))
    await pilot.press("r")
    await settle(pilot)


def _cards(wall: WallScreen) -> list[tuple[str, int]]:
    return [(card.data.name, card.data.status) for card in wall.cards]


def _notices(app: JobsApp) -> list[str]:
    return [entry.text for entry in app.notices]


async def test_a_job_that_succeeds_leaves_the_wall_in_the_refresh_that_announces_it() -> None:
    rig = sim_rig(advance=50, scenario="busy")
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        assert (CDN, 2) in _cards(wall)
        await _at(pilot, rig, 65)
        assert any(CDN in text and "Success" in text for text in _notices(app))
        assert all(name != CDN for name, _ in _cards(wall)), _cards(wall)
        assert all(status != 3 for _, status in _cards(wall))


async def test_a_card_whose_detail_fails_takes_the_newer_status_of_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rig = sim_rig(advance=50, scenario="busy")
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        assert (CDN, 2) in _cards(wall)

        async def failing(*args: object, **kwargs: object) -> object:
            raise JobTuiError("get_job_instance_status: API gateway error")

        monkeypatch.setattr(rig.client, "get_job", failing)  # the list answers, the detail not
        await _at(pilot, rig, 65)
        finished = [text for text in _notices(app) if CDN in text]
        assert finished and "Success" in finished[-1]
        assert all(name != CDN for name, _ in _cards(wall)), _cards(wall)


async def test_a_job_that_has_just_failed_goes_first() -> None:
    rig = sim_rig(advance=10, scenario="busy")
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        assert (NGINX, 2) in _cards(wall)
        await _at(pilot, rig, 14)
        assert _cards(wall)[0] == (NGINX, 4), _cards(wall)
        card = wall.cards[0].data
        assert card.step_name == "Rotate access logs" and card.step_kind == "script"
        assert "step 1/2 Rotate access logs (script)" in str(wall.cards[0].render())


async def test_a_wall_left_on_for_minutes_folds_failures_and_keeps_running_jobs_in_sight() -> None:
    rig = sim_rig(advance=5, scenario="busy", demo_loop=True)
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        nginx_failures = 0
        for seconds in range(35, 905, 30):
            await _at(pilot, rig, seconds)
            cards = _cards(wall)
            ranks = [wall_rank(status) for _, status in cards]
            assert ranks == sorted(ranks), cards  # failed, waiting, running, pending
            assert all(status != 3 for _, status in cards), cards  # never a success
            failed = [name for name, status in cards if status in FAILED_RUN_STATUSES]
            assert len(failed) == len(set(failed)) <= wall.policy.max_failed, cards
            assert any(wall_rank(status) == 2 for _, status in cards), cards  # running in sight
            nginx = [c.data for c in wall.cards if c.data.name == NGINX and c.data.status == 4]
            if nginx:
                nginx_failures = max(nginx_failures, nginx[0].failures)
        assert nginx_failures >= 20  # folded into one card that counts them
        status = str(wall.query_one("#wall-status").render())
        assert "failures of the last 30 min" in status
        assert "more failed runs folded by plan" in status
        assert f"{nginx_failures} failed runs" in str(wall.cards[0].render())


async def test_the_list_under_the_wall_does_not_poll_so_notices_come_from_the_wall() -> None:
    """Textual's ``is_current`` is true for the screen right under the top one: the list
    polled under the wall and toasted a job's end a second before the wall's card moved."""
    rig = sim_rig(advance=50, scenario="busy")
    app = make_app(rig)
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        jobs = app.jobs_screen
        polled = jobs.last_ok
        rig.clock.advance(15)  # the CDN sync succeeds
        jobs._tick()  # the list's refresh timer fires while the wall is on top
        await settle(pilot)
        assert jobs.last_ok == polled and jobs.loop.missed
        assert not any(CDN in text for text in _notices(app))  # nobody announced it yet
        assert (CDN, 2) in _cards(wall)
        await pilot.press("r")
        await settle(pilot)
        assert any(CDN in text and "Success" in text for text in _notices(app))
        assert all(name != CDN for name, _ in _cards(wall))
