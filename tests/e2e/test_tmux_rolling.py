"""The 50,000-host demo's rolling step in a real terminal at the real cadence: from
its first batch, the header and the tree count the whole step, and the chart says
it counts the current batch (docs/numbers.md, "A rolling step's first batch").

The simulated job runs 3x faster than the wall clock (its rolling step starts
about 25 s in); the monitor's clock and cadence are the real ones.
"""

from __future__ import annotations

import re

from tests.support.tmux import jobtui_in_tmux, line_with, needs_tmux, screen, wait_for

pytestmark = needs_tmux

BATCH_1 = re.compile(r"step 5/6 · hosts (\d[\d,]*)/50,000")


def test_the_first_batch_of_a_50000_host_rolling_step_counts_the_whole_step() -> None:
    with jobtui_in_tmux("demo", "--scenario", "scale", "--speed", "3", size=(120, 40)) as session:
        seen: list[str] = []

        def in_batch_1() -> bool:
            text = screen(session)
            header = text.splitlines()[1] if len(text.splitlines()) > 1 else ""
            found = BATCH_1.search(header)
            if found and "current batch 1" in text and "Rolling" in text:
                seen.append(text)
                return True
            return False

        assert wait_for(in_batch_1, 60), screen(session)
        text = seen[-1]
        tree = line_with(text, "Rolling")
        # the tree counts the later batches' 33,333 hosts too (waiting, ·)
        assert re.search(r"·3\d,\d{3}", tree), tree
        assert "(batch)" not in tree
        chart = line_with(text, "Hosts done / failed")
        assert "current batch 1" in chart, chart
        assert re.search(r"│done [\d,]+/16,667", text), text  # the chart: the batch
