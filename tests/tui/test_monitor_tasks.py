"""Copy IPs, save logs, the hosts chart and desktop notifications, wired into the monitor.

Everything runs through the real client against the simulator on a manual
clock. Terminal sequences are captured by standing a recorder in for the
driver, as Textual's own ``bell`` / clipboard code writes through it.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from jobtui.api.errors import ApiError
from jobtui.api.models import HostLog
from jobtui.core.terminal_seq import CLIPBOARD_LINES_MAX
from jobtui.tui import tasks
from jobtui.tui.app import MonitorApp
from jobtui.tui.tasks import TaskLine
from jobtui.tui.widgets.sparkline import Sparkline
from tests.support.monitor_rig import Rig, make_rig, refresh, settle
from tests.support.spy import count_calls
from tests.support.textual_probe import driver, driver_replaced, notifications

SIZE = (160, 48)


class Recorder:
    """Wraps the headless driver: keeps what is written, says it is a terminal."""

    is_headless = False

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)

    def __getattr__(self, name: str) -> Any:  # key presses still go through the real one
        return getattr(self.inner, name)

    def containing(self, marker: str) -> list[str]:
        return [data for data in self.written if marker in data]


@contextmanager
def recording(app: MonitorApp) -> Iterator[Recorder]:
    recorder = Recorder(driver(app))  # the real one still answers key presses
    with driver_replaced(app, recorder):
        yield recorder


def toasts(app: MonitorApp) -> list[str]:
    """Every notice in full, as `m` lists them (a toast is wrapped and may be cut)."""
    return [entry.text for entry in app.notices]


@pytest.fixture
def lines_said(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    said: list[str | None] = []
    original = TaskLine.say

    def say(self: TaskLine, text: str | None) -> None:
        said.append(text)
        original(self, text)

    monkeypatch.setattr(TaskLine, "say", say)
    return said


def with_save_dir(rig: Rig, base: Path) -> None:
    rig.app.options = replace(rig.app.options, save_dir=base)


async def test_c_copies_the_groups_ips_as_exact_osc52_bytes() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        group = rig.screen.results.selected_group
        assert group is not None and group.complete and group.hosts
        expected_ip = rig.screen.results.copy_ips("ip")
        expected_cloud = rig.screen.results.copy_ips("cloud:ip")
        assert expected_cloud.splitlines()[0].split(":", 1)[1] == expected_ip.splitlines()[0]
        with recording(rig.app) as recorder:
            await pilot.press("c")
            await pilot.press("C")
        for text in (expected_ip, expected_cloud):
            encoded = base64.b64encode(text.encode()).decode()
            assert f"\x1b]52;c;{encoded}\x07" in recorder.written
        count = len(group.hosts)
        assert toasts(rig.app).count(f"copied {count} lines to the clipboard") == 2


async def test_copying_a_big_group_fetches_it_whole_and_caps_at_the_clipboard(
    lines_said: list[str | None],
) -> None:
    rig = make_rig(scenario="scale", advance=3)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        group = rig.screen.results.selected_group
        assert group is not None and group.host_count > CLIPBOARD_LINES_MAX > len(group.hosts)
        rig.meter.reset()
        with recording(rig.app) as recorder:
            await pilot.press("c")
            await settle(pilot)
        assert f"fetching {CLIPBOARD_LINES_MAX:,} hosts of the group to copy…" in lines_said
        fetch = rig.meter.requests[0].url.params
        assert int(fetch["max_host_num_per_group"]) == CLIPBOARD_LINES_MAX
        (sequence,) = recorder.containing("\x1b]52;c;")
        copied = base64.b64decode(sequence[len("\x1b]52;c;") : -1]).decode()
        kept = len(copied.splitlines())
        assert len(group.hosts) < kept <= CLIPBOARD_LINES_MAX
        assert f"the first {kept:,} of {group.host_count:,} hosts" in toasts(rig.app)[-1]
        assert lines_said[-1] is None  # the progress line is gone


async def test_l_saves_the_selected_hosts_log(tmp_path: Path) -> None:
    rig = make_rig(advance=30)
    with_save_dir(rig, tmp_path)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        host = rig.screen.host
        assert host is not None and host.ref.ip
        await pilot.press("l")
        await settle(pilot)
        job, step = rig.screen.options.job_instance_id, rig.screen.step_id
        path = (
            tmp_path / f"job-{job}" / f"step-{step}" / f"{host.ref.cloud_id or 0}_{host.ref.ip}.log"
        )
        assert path.is_file() and path.stat().st_size > 0
        assert toasts(rig.app)[-1] == f"Saved the log to {path}"


async def test_L_saves_every_hosts_log_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines_said: list[str | None]
) -> None:
    monkeypatch.setattr(tasks, "SAVE_CHUNK", 10)
    rig = make_rig(advance=30)
    with_save_dir(rig, tmp_path)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        result = rig.screen.result
        assert result is not None and result.host_count == 24
        rig.meter.reset()
        await pilot.press("L")
        await settle(pilot)
        progress = [line for line in lines_said if line and line.startswith("saving")]
        assert progress == [f"saving {n}/24 logs…" for n in (0, 10, 20, 24)]
        log_requests = [r for r in rig.meter.requests if "ip_log" in r.url.path]
        assert len(log_requests) == 3  # 10 + 10 + 4 hosts
        job = rig.screen.options.job_instance_id
        directory = tmp_path / f"job-{job}" / f"step-{result.step_instance_id}"
        assert len(list(directory.glob("*.log"))) == 24
        assert toasts(rig.app)[-1] == f"Saved 24 logs to {directory}"


async def test_escape_cancels_saving_and_otherwise_passes_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines_said: list[str | None]
) -> None:
    monkeypatch.setattr(tasks, "SAVE_CHUNK", 10)
    rig = make_rig(advance=30)
    with_save_dir(rig, tmp_path)
    gate = asyncio.Event()
    client = rig.app.client
    real = client.get_host_logs
    calls = 0

    async def held(job: int, step: int, hosts: Any) -> list[HostLog]:
        nonlocal calls
        calls += 1
        if calls > 1:
            await gate.wait()  # never set: the second batch hangs until cancelled
        return await real(job, step, hosts)

    monkeypatch.setattr(client, "get_host_logs", held)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # nothing to cancel: no error, no toast
        assert toasts(rig.app) == []
        await pilot.press("L")
        await until(pilot, lambda: "saving 10/24 logs…" in lines_said)
        assert rig.screen.tasks.busy
        await pilot.press("escape")
        await settle(pilot)
        assert not rig.screen.tasks.busy
        assert toasts(rig.app)[-1] == "Saving cancelled after 10 logs"
        assert lines_said[-1] is None
        step_dir = next(tmp_path.glob("job-*/step-*"))
        assert len(list(step_dir.glob("*.log"))) == 10
        assert not list(step_dir.glob("*.part"))


async def until(pilot: Pilot[int], condition: Any, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("condition never became true")


async def test_save_errors_are_a_toast(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rig = make_rig(advance=30)
    with_save_dir(rig, blocker)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert toasts(rig.app)[-1].startswith("Could not save the log:")
        assert rig.app.is_running


async def test_chart_updates_on_new_samples_and_not_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renders = count_calls(monkeypatch, Sparkline, "render")
    rig = make_rig(advance=11)
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chart = rig.screen.chart
        history = rig.screen.history.current
        assert history is not None and history.step_instance_id == rig.screen.step_id
        samples, paints = len(history), renders.count
        assert paints >= 1
        await refresh(pilot)  # same moment, same counts: nothing to draw
        await refresh(pilot)
        assert (len(history), renders.count) == (samples, paints)
        rig.advance(5)
        await refresh(pilot)
        assert len(history) == samples + 1
        assert renders.count == paints + 1
        done = str(chart.render()).splitlines()[0]
        last = history.last
        assert last is not None and done.startswith(f"done {last.done}/{last.total}")


async def test_chart_is_hidden_at_80x24() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not rig.screen.chart.display or rig.screen.chart.size.height == 0


async def test_notify_sends_osc_777_and_9_once_per_transition() -> None:
    rig = make_rig(advance=5)
    rig.app.options = replace(rig.app.options, notify=True)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        rig.advance(60)
        with recording(rig.app) as recorder:
            await refresh(pilot)
            count = len(notifications(rig.app))
            assert count > 0
            sent = recorder.containing("\x1b]777;notify;")
            assert len(sent) == count
            assert all("\x07\x1b]9;" in data for data in sent)
            await refresh(pilot)
            assert len(recorder.containing("\x1b]777;notify;")) == count


async def test_L_says_saved_n_of_m_and_why_when_a_request_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "SAVE_CHUNK", 10)
    rig = make_rig(advance=30)
    with_save_dir(rig, tmp_path)
    client = rig.app.client
    real = client.get_host_logs
    calls = 0

    async def flaky(job: int, step: int, hosts: Any) -> list[HostLog]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ApiError("gateway timeout (504)")
        return await real(job, step, hosts)

    monkeypatch.setattr(client, "get_host_logs", flaky)
    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        directory = next(tmp_path.glob("job-*/step-*"))
        assert len(list(directory.glob("*.log"))) == 14
        assert toasts(rig.app)[-1] == (
            f"Saved 14 of 24 logs to {directory}; 10 hosts failed: gateway timeout (504)"
        )


async def test_L_pages_by_the_steps_host_count_not_a_stale_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mid-step, the biggest group shown is smaller than the step; a page that size
    (as before) cut any group that grew past it by the time of ``L`` (22 of 24 saved)."""
    rig = make_rig(advance=4)
    with_save_dir(rig, tmp_path)
    client = rig.app.client
    real = client.get_step_result
    pages: list[int | None] = []

    async def spy(job: int, step: int, flt: Any) -> Any:
        pages.append(flt.max_hosts_per_group)
        return await real(job, step, flt)

    async with rig.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        monkeypatch.setattr(client, "get_step_result", spy)
        shown = rig.screen.result
        assert shown is not None and max(g.host_count for g in shown.groups) < 24
        await pilot.press("L")
        await settle(pilot)
        assert pages[-1] == 24
        directory = next(tmp_path.glob("job-*/step-*"))
        assert toasts(rig.app)[-1] == f"Saved 24 logs to {directory}"
