"""What the monitor shows where bk-job's server differs from its docs (issue 10).

The real monitor, the real client and the strict simulator on a manual clock, at
80x24 and 160x48: a job waiting at a confirmation step stays live with its card,
a manual rolling pause is named as one, and a status filter over tagged failures
lists them.
"""

from __future__ import annotations

import pytest

from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.sim.scenarios import CONFIRM_MESSAGE
from tests.support.monitor_rig import make_rig, refresh, screen_text, settle

SIZES = [(80, 24), (160, 48)]
FAMILIES = list(ApiFamily)
CONFIRM_AT, ROLLING_PAUSE_AT, DEPLOY_FAILED_AT = 55.0, 76.0, 20.0


def _text(rig) -> str:
    return "\n".join(screen_text(rig.app))


def _asked_step_status(rig, step_id: int) -> int:
    return sum(
        1
        for r in rig.meter.requests
        if r.url.path.rstrip("/").endswith("get_step_instance_status")
        and (
            r.url.params.get("step_instance_id") == str(step_id)
            or str(step_id).encode() in r.content
        )
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
async def test_waiting_for_confirmation_is_live_with_its_card(family, size) -> None:
    rig = make_rig(family=family, advance=CONFIRM_AT)
    confirm_step = rig.sim.world.demo_job_id() * 10 + 4
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        for _ in range(3):  # several polls: never stale, never backing off
            rig.advance(2)
            await refresh(pilot)
        screen = rig.screen
        assert screen.step_id == confirm_step
        assert screen._stale_since is None, screen._stale_reason
        text = _text(rig)
        assert "STALE" not in text and "invalid parameter" not in text
        assert "waiting for confirmation since" in text
        assert text.splitlines()[0].lstrip().startswith("⚑ WAITING FOR CONFIRMATION")  # header
        assert "WAITING FOR CONFIRMATION" in text or size[0] < 100  # tree cut at 80 columns
        if family is ApiFamily.V3:
            assert "Message: " + CONFIRM_MESSAGE[:30] in text
        elif family in (ApiFamily.JOBV3, ApiFamily.V2):  # the plan's message, labelled
            flat = " ".join(text.split())
            assert "Message (from the plan, may have changed since launch):" in flat
            assert CONFIRM_MESSAGE[:20] in flat
        else:
            assert "message not available on this API" in text
        assert "no hosts to show" in text and "select a host" not in text
        assert "done 0/0" not in text
        if size == (160, 48):
            assert "no hosts (confirmation step)" in text
        assert _asked_step_status(rig, confirm_step) == 0


@pytest.mark.parametrize("size", SIZES)
async def test_v2_says_who_confirmed(size) -> None:
    rig = make_rig(family=ApiFamily.V2, advance=CONFIRM_AT)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        rig.advance(15)  # the demo's confirmation is given 20 s after it began
        await refresh(pilot)
        screen = rig.screen
        screen.step_tree.select_step(rig.sim.world.demo_job_id() * 10 + 4)
        await settle(pilot)
        text = _text(rig)
        assert "Manual confirmation: confirmed, step finished at" in text and "by admin" in text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
async def test_manual_rolling_pause_is_named_as_one(family, size) -> None:
    """JobListener.nextStep (MANUAL): a script step at 7 waits to be continued."""
    rig = make_rig(family=family, advance=ROLLING_PAUSE_AT)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        await refresh(pilot)
        text = _text(rig)
        assert "WAITING FOR CONFIRMATION" not in text
        assert "Manual confirmation" not in text
        if size[0] >= 100:
            assert "ROLLING PAUSE" in text
        # the batch's number where the whole step is known beside it (core/rolling)
        done = "batch 1 done" if family is ApiFamily.V3 else "batch done"
        assert f"rolling pause: {done}, waiting to continue" in text
        assert text.splitlines()[0].lstrip().startswith("⚑ ROLLING PAUSE")  # header
        assert rig.screen._stale_since is None


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
async def test_status_filter_lists_tagged_failures(family, size) -> None:
    """`--status 104` on a step whose failures carry tags lists the failed hosts."""
    deploy = 2
    rig = make_rig(family=family, advance=DEPLOY_FAILED_AT, flt=StepFilter(statuses=(104,)))
    step_id = rig.sim.world.demo_job_id() * 10 + deploy
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        await refresh(pilot)
        screen = rig.screen
        assert screen.step_id == step_id
        result = screen.result
        assert result is not None
        failed = [g for g in result.groups if g.status == 104]
        assert len(failed) >= 2 and all(len(g.hosts) == g.host_count for g in failed)
        group = screen.results.selected_group
        assert group is not None and group.status == 104
        assert screen.host is not None and screen.host.status == 104  # its log is shown
        assert screen.log_pane.host is not None and screen.log_pane.host.key == screen.host.key
        text = _text(rig)
        assert "filtered out" not in text
        assert "Non-zero Exit Code" in text or "Non-zero" in text


async def test_selected_retry_labels_the_host_list() -> None:
    """The answer's execute_count is the step's current one: the label is the one asked."""
    rig = make_rig(advance=34.0, flt=StepFilter(execute_count=0))
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        screen = rig.screen
        screen.step_tree.select_step(rig.sim.world.demo_job_id() * 10 + 2)
        await settle(pilot)
        assert screen.result is not None and screen.result.execute_count == 0
        text = _text(rig)
        assert "retry 0 (latest: retry 1; logs: latest run)" in text
        assert "latest run (retry 1), not retry 0" in text  # the log pane's title
        screen.set_filter(StepFilter())
        await settle(pilot)
        assert "latest run (retry" not in _text(rig)
