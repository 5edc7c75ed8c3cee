"""The step tree's and header's counts of big and rolling steps, against the simulator
on a manual clock (docs/numbers.md): a finished step's final counts, the whole
rolling step from its first batch, and what the narrower figures say."""

from __future__ import annotations

from tests.support.monitor_rig import make_rig, refresh, settle

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
