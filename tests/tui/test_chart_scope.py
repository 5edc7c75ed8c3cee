"""The chart counts what the groups show; when that is one batch, its title says so."""

from __future__ import annotations

import re

from jobtui.api.filters import StepFilter
from jobtui.api.models import StepResult
from jobtui.core.rolling import StepRolling
from jobtui.core.stepcard import chart_scope
from jobtui.tui.widgets.header import JobHeader
from tests.support.monitor_rig import make_rig, screen_text, settle


def _result(**fields: object) -> StepResult:
    base: dict[str, object] = {
        "step_instance_id": 1,
        "name": "roll",
        "type": 1,
        "status": 7,
        "execute_count": 0,
        "groups": (),
    }
    return StepResult(**{**base, **fields})  # type: ignore[arg-type]


def test_the_scope_names_what_narrows_the_chart() -> None:
    rolls = StepRolling(rolls=True, highest=3, past_end=4)
    assert chart_scope(_result(), StepFilter(), rolls) == "current batch"
    assert chart_scope(_result(batch=2), StepFilter(), rolls) == "batch 2 of 3"
    assert chart_scope(_result(batch=0), StepFilter(), rolls) == ""  # all batches
    assert chart_scope(_result(), StepFilter(), None) == ""  # not known to roll
    ip = StepFilter(search_ip="10.0.0.1")
    assert chart_scope(_result(batch=0), ip, rolls) == "filtered"


async def test_at_a_rolling_pause_the_chart_says_it_counts_the_batch() -> None:
    """The demo's rolling step (5 of 6) paused after its first batch of 8 of 24 hosts:
    the chart counts the batch (``done 8/8``) and its title says so."""
    rig = make_rig(advance=0)
    demo = rig.sim.world.demo_job_id()
    for _ in range(300):  # to the demo's first rolling pause
        rig.advance(1.0)
        job = await rig.app.client.get_job(demo, with_hosts=False)
        if job.steps[4].status == 7:
            break
    assert job.steps[4].status == 7, "the demo never paused between batches"
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.step_id == job.steps[4].step_instance_id
        lines = screen_text(rig.app)
        header = screen.query_one(JobHeader).text
        assert "hosts 8/8" not in header, header  # the header never counts the batch alone
        chart = next(i for i, line in enumerate(lines) if "Hosts done / failed" in line)
        assert "Hosts done / failed · current batch" in lines[chart], lines[chart]
        assert re.search(r"done 8/8\b", lines[chart + 1]), lines[chart + 1]
