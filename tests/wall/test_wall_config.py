"""The wall's failure window and failed-card limit, set from the config file.

The simulator's history holds two failed jobs (of two plans): "Database backup"
9.6 hours ago and "Deploy app v1.1 to production" 3.3 days ago. The default
window (30 min) shows neither; a day shows the first; a week both, unless the
failed cards are limited.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from jobtui.core.joblist import WallPolicy
from jobtui.tui.screens.wall import window_words
from tests.support.wall_rig import make_app, open_wall, sim_rig

SIZE = (160, 48)


async def _wall(policy: WallPolicy | None) -> tuple[list[str], str]:
    """The wall's card names and its status line, with ``policy`` (None: the default)."""
    rig = sim_rig(advance=30)
    app = make_app(rig, since=timedelta(days=7), **({"wall": policy} if policy else {}))
    async with app.run_test(size=SIZE) as pilot:
        wall = await open_wall(pilot, app)
        names = [card.data.name for card in wall.cards]
        status = str(wall.query_one("#wall-status", Static).render())
    return names, status


@pytest.mark.parametrize(
    ("policy", "failed", "said"),
    [
        (None, [], "failures of the last 30 min"),
        (WallPolicy(recent_failure=timedelta(days=1)), ["Database backup"], "last 1 d"),
        (
            WallPolicy(recent_failure=timedelta(days=7)),
            ["Database backup", "Deploy app v1.1 to production"],
            "last 7 d",
        ),
        (
            WallPolicy(recent_failure=timedelta(days=7), max_failed=1),
            ["Database backup"],
            "1 older failed plan hidden (at most 1)",
        ),
    ],
)
async def test_the_window_and_the_limit_decide_the_failed_cards(
    policy: WallPolicy | None, failed: list[str], said: str
) -> None:
    names, status = await _wall(policy)
    assert [n for n in names if n != "Deploy app v1.2 to production"] == failed  # the live job
    assert "Deploy app v1.2 to production" in names
    assert said in status, status


def test_the_window_is_said_in_its_own_unit() -> None:
    assert window_words(timedelta(minutes=30)) == "30 min"
    assert window_words(timedelta(minutes=90)) == "90 min"
    assert window_words(timedelta(hours=2)) == "2 h"
    assert window_words(timedelta(hours=36)) == "36 h"
    assert window_words(timedelta(days=3)) == "3 d"
