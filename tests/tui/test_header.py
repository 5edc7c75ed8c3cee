"""The header fits its must-have parts at 80 columns and drops the rest by priority."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from jobtui.core.snapshot import HostCounts
from jobtui.tui.widgets.header import HeaderState, job_line, status_line
from tests.support.fakes import T0, FakeApi

WIDTH = 78  # 80 columns less the header's padding


def _state(**changes: object) -> HeaderState:
    job = replace(FakeApi().job, name="Nightly rollout of the payment gateway to every region" * 2)
    base = HeaderState(
        job_instance_id=99,
        job=job,
        now=T0 + timedelta(minutes=3, seconds=5),
        active_counts=HostCounts(ok=1200, failed=3, running=45),
        last_ok=T0 + timedelta(minutes=3),
        latency=0.123,
        paused=True,
        stale_since=T0 + timedelta(minutes=2),
        stale_reason="bad gateway: the server answered with an HTML page (HTTP 502) " * 2,
        title="v3 · https://bkapi.example.com/api/bk-job/prod",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_job_line_keeps_status_name_id_and_elapsed_at_80_columns() -> None:
    text = job_line(_state(), WIDTH).plain
    assert len(text) <= WIDTH
    assert text.startswith("▶ RUNNING  Nightly rollout")
    assert "#99" in text and "elapsed 3m05s" in text


def test_status_line_keeps_progress_age_and_badges_at_80_columns() -> None:
    text = status_line(_state(), WIDTH).plain
    assert len(text) <= WIDTH
    for part in ("step 2/3", "hosts 1,203/1,248", "5s ago", "PAUSED", "STALE"):
        assert part in text
    unpaused = status_line(_state(paused=False), WIDTH).plain
    assert len(unpaused) <= WIDTH and "STALE since" in unpaused
    assert "bad gat" in unpaused  # the reason, cut to fit


def test_status_line_at_full_width_has_everything() -> None:
    text = status_line(_state(stale_reason="bad gateway"), 250).plain
    for part in ("(123 ms)", "every 2s", "bad gateway", "[v3 · https://bkapi"):
        assert part in text


@pytest.mark.parametrize("width", [200, 70, 60, 40])
def test_lower_priority_parts_go_first(width: int) -> None:
    state = _state(job=replace(FakeApi().job, name="deploy"))
    text = job_line(state, width).plain
    assert len(text) <= width
    assert "RUNNING" in text and "deploy #99" in text and "elapsed 3m05s" in text
    if "by admin" in text:
        assert "web" in text.lower() or "manual" in text.lower() or "·" in text
    if width >= 200:
        assert "started 2025-11-13 02:00:00" in text and "by admin" in text
    else:
        assert "2025-11-13" not in text and "by admin" not in text


def test_the_start_date_stays_when_not_today() -> None:
    state = _state(job=replace(FakeApi().job, name="deploy"), now=T0 + timedelta(days=2))
    text = job_line(state, 70).plain
    assert "started 11-13 02:00" in text or "started" not in text
    assert "elapsed" in text


def test_a_finished_job_says_it_is_asked_every_30s() -> None:
    running = _state(stale_since=None, stale_reason="")
    assert running.job is not None and not running.job.finished
    assert " · every 2s" in status_line(running, 250).plain
    done = replace(running, job=replace(running.job, status=3, finished=True), interval=30.0)
    text = status_line(done, 250).plain
    assert "finished · every 30s" in text and "every 2s" not in text


SCALE = HostCounts(ok=46_842, failed=0, running=3_158)  # the scale scenario: 50,000 hosts


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("paused", [False, True])
@pytest.mark.parametrize("stale", [False, True])
def test_a_50000_host_count_fits_whole_with_separators(
    columns: int, paused: bool, stale: bool
) -> None:
    """The count is never cut: lower-priority parts go first, at every documented size."""
    width = columns - 2  # the header's padding
    state = _state(
        active_counts=SCALE,
        paused=paused,
        stale_since=(T0 + timedelta(minutes=2)) if stale else None,
        now=T0 + timedelta(minutes=13, seconds=5),
        last_ok=T0 + timedelta(minutes=3),  # "updated 10m ago": the longest age
    )
    text = status_line(state, width).plain
    assert len(text) <= width, text
    assert "hosts 46,842/50,000" in text
    assert ("PAUSED" in text) == paused
    assert ("STALE" in text and "02:02:00" in text) == stale
    if columns >= 80:
        assert "step 2/3" in text and "ago" in text  # room for progress and the data's age
    if columns >= 120 and not stale:
        assert "updated 10m ago" in text and "every 2s" in text


def test_the_status_line_drops_parts_in_priority_order() -> None:
    """Title, latency and cadence first; then the age's word and the STALE badge's; then
    the age; then ``step i/N``; the count last of all (never)."""
    state = _state(active_counts=SCALE, stale_reason="")
    widths = range(120, 20, -1)
    seen = [status_line(state, width).plain for width in widths]
    order = ["[v3", "ms)", "every", "updated", "since", "ago", "step 2/3"]

    def gone_at(part: str) -> int:
        return next(w for w, text in zip(widths, seen, strict=True) if part not in text)

    drops = [gone_at(part) for part in order]
    assert drops == sorted(drops, reverse=True), dict(zip(order, drops, strict=True))
    assert all("hosts 46,842/50,000" in text for text in seen)


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (120, 40)])
async def test_the_monitor_header_shows_a_scale_job_count_whole(size: tuple[int, int]) -> None:
    """The real header on the simulator's 50,000-host job, paused and stale, at each size."""
    import re

    from jobtui.sim.config import FaultConfig
    from tests.support.monitor_rig import make_rig, refresh, screen_text, settle

    rig = make_rig(scenario="scale", advance=3)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        await refresh(pilot)
        await pilot.press("p")
        await pilot.pause()
        line = screen_text(rig.app)[1]
        assert re.search(r"hosts \d{1,2},\d{3}/50,000", line), line
        assert "PAUSED" in line and "STALE" in line, line
        if size[0] < 120:
            assert "…" not in line, line  # nothing cut: parts were dropped whole
        else:
            assert "get_job_instance_status" in line  # room for the STALE reason, cut


def test_a_long_wait_word_at_60_columns_keeps_the_elapsed_time_whole() -> None:
    from jobtui.api.models import Block, Job, Step

    steps = (Step(11, "done", 1, 3), Step(12, "waits", 3, 7))
    job = Job(20100, "Deploy app v1.2 to production", 7, False, blocks=(Block(None, 1, steps),))
    job = replace(job, start_time=T0)
    state = HeaderState(job_instance_id=20100, job=job, now=T0 + timedelta(hours=1, seconds=123))
    text = job_line(state, 58).plain
    assert len(text) <= 58, text
    assert text.startswith("⚑ WAITING FOR CONFIRMATION  De") and text.endswith("#20100 · 1h02m")
