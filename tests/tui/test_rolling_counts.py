"""The step tree's and header's counts of big and rolling steps, against the simulator
on a manual clock (docs/numbers.md): a finished step's final counts, the whole
rolling step from its first batch, and what the narrower figures say."""

from __future__ import annotations

from tests.support.monitor_rig import make_rig, refresh, screen_text, settle

SIZE = (120, 40)
PRECHECK = 201001
#: Off the half second: the simulator computes a big step's hosts per half-second tick.
ODD_START = 1_763_000_000.3


async def test_a_big_step_that_just_finished_shows_its_final_counts() -> None:
    """Polled just after the step ended, within its last half-second tick: the tree
    shows all 50,000 done, not the hosts of the tick before the end, frozen."""
    rig = make_rig(scenario="scale", advance=3, start=ODD_START)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rig.advance(5.1)  # the step ended at +8.0, 0.1 s ago
        await refresh(pilot)
        for _ in range(3):
            rig.advance(1)
            await refresh(pilot)
        counts = rig.screen.counts.get(PRECHECK)
        assert counts is not None
        assert (counts.ok, counts.running, counts.waiting) == (50_000, 0, 0)


ROLLING = 201005


def _batch(rig) -> int:  # type: ignore[no-untyped-def]
    job = rig.sim.world.job(rig.sim.world.demo_job_id())
    return int(job.steps[4].current_batch(rig.clock.now()))


async def test_the_first_batch_of_a_small_rolling_step_says_current_batch() -> None:
    """24 hosts: the job status lists every batch's hosts, so from the first poll of
    batch 1 the chart and the groups say they count the current batch."""
    rig = make_rig(advance=70)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        assert screen.step_id == ROLLING and _batch(rig) == 1
        job = screen.job
        assert job is not None and job.step(ROLLING).status == 2  # type: ignore[union-attr]
        assert "current batch" in str(screen.chart.border_title)
        assert "current batch" in str(screen.query_one("#result-info").render())
        text = "\n".join(screen_text(rig.app))
        assert "/24 " in text.splitlines()[1]  # the header: the whole step
        # the live cadence fetches the groups without the job status: a result-only
        # poll still names the batch (the hosts outside it, counted by identity)
        await refresh(pilot)  # the job status now lists the hosts (the job is known small)
        job = screen.job
        assert job is not None and len(job.step(ROLLING).hosts) == 24  # type: ignore[union-attr]
        screen.rolling.steps.clear()
        rig.advance(1)
        rig.meter.reset()
        screen.refresh_now(job=False, force=False)
        await settle(pilot)
        asked = [(r.url.path, r.url.params.get("batch")) for r in rig.meter.requests]
        assert not any("get_job_instance_status" in path for path, _ in asked)
        assert not any(batch == "0" for _, batch in asked)  # no whole-step counts: small job
        known = screen.rolling.get(ROLLING)
        assert known is not None and known.current == 1
        assert "current batch 1" in str(screen.query_one("#result-info").render())


async def test_the_first_batch_of_a_big_rolling_step_counts_the_whole_step() -> None:
    """50,000 hosts, no per-host job status: a counts-only request beside the step's
    result gives the tree and header the whole step, and tells the step rolls."""
    rig = make_rig(scenario="scale", advance=3)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        for _ in range(200):
            job = screen.job
            step = job.step(ROLLING) if job is not None else None
            if step is not None and step.status == 2 and screen.step_id == ROLLING:
                break
            rig.advance(1)
            await refresh(pilot)
        assert screen.step_id == ROLLING and _batch(rig) == 1
        rig.advance(1)
        await refresh(pilot)
        counts = screen.counts.get(ROLLING)
        assert counts is not None and counts.total == 50_000 and not counts.filtered
        assert screen.result is not None and screen.result.host_count < 50_000
        lines = screen_text(rig.app)
        assert "/50,000" in lines[1], lines[1]
        assert "current batch" in str(screen.chart.border_title)
        assert "current batch" in str(screen.query_one("#result-info").render())
        # a step that does not roll is asked once, then never again
        assert screen.rolling.get(201001) is not None
        assert screen.rolling.get(201001).flat  # type: ignore[union-attr]


async def _until(pilot, rig, status: int, batch: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(40):
        job = rig.screen.job
        step = job.step(ROLLING) if job is not None else None
        if step is not None and step.status == status and _batch(rig) == batch:
            return
        rig.advance(1)
        await refresh(pilot)
    raise AssertionError(f"never at status {status}, batch {batch}")


async def test_the_batches_named_are_the_ones_known() -> None:
    """24 hosts, 3 batches watched from batch 1: the pause says which batch is done,
    the picker offers the batches seen (not 1..10), continuing names the next one."""
    from jobtui.core.actions import Offer, offers
    from jobtui.core.filter_choices import batch_choices
    from jobtui.tui.screens.actions import Choice, ConfirmActionScreen

    rig = make_rig(advance=66)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.screen
        await _until(pilot, rig, 2, 1)
        await _until(pilot, rig, 7, 1)
        info = str(screen.query_one("#result-info").render())
        assert "current batch 1" in info and "rolling pause: batch 1 done" in info
        await _until(pilot, rig, 2, 2)
        values = [
            v for _, v in batch_choices(screen.filter, screen.result, screen.rolling.get(ROLLING))
        ]
        assert values == ["", "0", "1", "2"]
        assert "current batch 2" in str(screen.chart.border_title)
        await _until(pilot, rig, 7, 2)
        job = screen.job
        assert job is not None
        offer: Offer = next(o for o in offers(job, ROLLING) if o.action.name == "continue-rolling")
        screen.acting._chosen(Choice(offer, job))
        await pilot.pause()
        dialog = rig.app.screen
        assert isinstance(dialog, ConfirmActionScreen)
        assert "Batch 3 starts next." in str(dialog.query_one("#note").render())
        await pilot.press("n")
        await _until(pilot, rig, 3, 3)
        known = screen.rolling.get(ROLLING)
        assert known is not None and known.total == 3
