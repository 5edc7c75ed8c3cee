"""Step lines fit their pane: the state and counts stay, the name is cut with a mark."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from jobtui.core.snapshot import HostCounts, StepRow
from jobtui.tui.widgets.step_tree import LabelStyle, row_label
from tests.support.monitor_rig import make_rig, screen_text, settle

CONFIRM = StepRow(201, 4, 0, "Confirm rollout to production", 3, 7, 0, 15.0, None)
RUNNING = StepRow(
    202, 2, 0, "Deploy package everywhere", 1, 2, 1, 4.0, HostCounts(ok=18, failed=5, running=1)
)
FAILED = StepRow(203, 3, 0, "Distribute config files", 2, 4, 0, 12.0, HostCounts(ok=3, failed=21))


@pytest.mark.parametrize("row", [CONFIRM, RUNNING, FAILED], ids=["confirm", "running", "failed"])
@pytest.mark.parametrize("width", [24, 30, 36, 44])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_a_line_fits_and_keeps_its_state(row: StepRow, width: int, ascii_only: bool) -> None:
    full = row_label(row, LabelStyle(ascii_only=ascii_only)).plain
    fitted = row_label(row, LabelStyle(ascii_only=ascii_only), width=width).plain
    assert cell_len(fitted) <= width, (fitted, width)
    if row is CONFIRM:
        assert "WAITING" in fitted  # never "WAITING FO"
    if row is FAILED:
        assert "Failed" in fitted
    if row.counts is not None:
        bad = "x" if ascii_only else "✗"
        assert f"{bad}{row.counts.failed}" in fitted  # the counts are never cut
    if row.name not in fitted:  # a cut name says so
        assert ("~" if ascii_only else "…") in fitted, fitted
    assert fitted == full or width < cell_len(full)


def test_a_line_that_fits_is_left_whole() -> None:
    full = row_label(RUNNING, LabelStyle()).plain
    assert row_label(RUNNING, LabelStyle(), width=cell_len(full)).plain == full


async def test_at_100_columns_no_step_line_is_cut_at_the_pane_edge() -> None:
    rig = make_rig(advance=55)  # a confirmation wait: the longest state word
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lines = [line for line in screen_text(rig.app) if line.startswith("│")][:7]
        text = "\n".join(lines)
        assert "WAITING FOR CONFIRMATION" in text or "  WAITING " in text, text
        assert "WAITING FO│" not in text and "WAITING F│" not in text


def test_counts_use_the_same_thousands_format_as_the_rest_of_the_screen() -> None:
    big = StepRow(9, 1, 0, "scale", 1, 2, 0, 4.0, HostCounts(ok=46842, failed=3847, running=1311))
    text = row_label(big, LabelStyle()).plain
    assert "✓46,842 ✗3,847 ▶1,311" in text


def test_running_and_waiting_hosts_are_told_apart() -> None:
    """A rolling pause: the later batches wait, nothing runs."""
    paused = StepRow(9, 5, 0, "Rolling", 1, 7, 0, 8.0, HostCounts(ok=8, waiting=16))
    text = row_label(paused, LabelStyle()).plain
    assert "✓8 ✗0 ·16" in text and "▶" not in text.split("✗0")[1]
    both = StepRow(9, 5, 0, "Rolling", 1, 2, 0, 8.0, HostCounts(ok=8, running=4, waiting=12))
    assert "✓8 ✗0 ▶4 ·12" in row_label(both, LabelStyle()).plain
    ascii_text = row_label(paused, LabelStyle(ascii_only=True)).plain
    assert "+8 x0 .16" in ascii_text


def test_a_host_time_reads_as_the_step_time() -> None:
    from jobtui.api.models import HostRef, HostResult
    from jobtui.core.snapshot import format_duration
    from jobtui.tui.widgets.host_table import host_cells

    for seconds in (4.25, 10.0, 185.0):
        host = HostResult(ref=HostRef(host_id=1, ip="10.0.0.1"), status=9, total_seconds=seconds)
        assert host_cells(host, False)["elapsed"] == format_duration(seconds)  # 10s, not 10.0
