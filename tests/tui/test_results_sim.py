"""ResultsPane fed with real StepResults: the simulator through the real client (ASGI)."""

from __future__ import annotations

import httpx
import pytest
from textual.app import App, ComposeResult

from jobtui.api.auth import Credentials
from jobtui.api.base import JobApi
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, StepResult
from jobtui.api.settings import ConnectionSettings
from jobtui.tui.widgets.host_table import HostTable
from jobtui.tui.widgets.results import ResultsPane
from tests.support.spy import count_calls
from tests.support.textual_probe import screen_lines

sim_app = pytest.importorskip("jobtui.sim.app")
sim_clock = pytest.importorskip("jobtui.sim.clock")
sim_config = pytest.importorskip("jobtui.sim.config")


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResultsPane()


def client_for(app: object, family: ApiFamily = ApiFamily.V3) -> JobApi:
    settings = ConnectionSettings(
        url="http://sim.test",
        family=family,
        scope_id="2",
        credentials=Credentials("jobtui-test", "s3cret", username="tester"),
    )
    return make_client(settings, transport=httpx.ASGITransport(app=app))  # type: ignore[arg-type]


async def step_results(scenario: str, advance: float, cap: int | None = None) -> list[StepResult]:
    """Every step's result of the demo job, ``advance`` simulated seconds in."""
    clock = sim_clock.ManualClock()
    app = sim_app.create_app(sim_config.SimConfig(scenario=scenario), clock=clock)
    client = client_for(app)
    try:
        job_id = app.world.demo_job_id()
        clock.advance(advance)
        job = await client.get_job(job_id)
        flt = StepFilter(max_hosts_per_group=cap)
        return [
            await client.get_step_result(job_id, step.step_instance_id, flt) for step in job.steps
        ]
    finally:
        await client.aclose()


async def step_result(scenario: str, advance: float, cap: int | None = None) -> StepResult:
    """The step with the most result groups (first on ties)."""
    results = await step_results(scenario, advance, cap)
    return max(results, key=lambda r: len(r.groups))


def screen_text(app: App[None]) -> str:
    return "\n".join(screen_lines(app))


async def test_real_step_result_shows_its_groups_and_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = await step_result("default", 30.0)
    app = PaneApp()
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(ResultsPane)
        pane.show_result(result)
        await pilot.pause()
        group = pane.selected_group
        assert group is not None and group.key in {g.key for g in result.groups}
        table = app.query_one(HostTable)
        assert {h.key for h in table.rows} == {h.key for h in group.hosts}
        assert pane.selected_host is not None
        # the same answer again changes nothing on screen
        rows = count_calls(monkeypatch, HostTable, "_row")
        pane.show_result(result)
        await pilot.pause()
        assert rows.count == 0


async def test_hostile_scenario_renders_without_escape_sequences() -> None:
    result = await step_result("hostile", 60.0)
    assert len(result.groups) > 1, "the hostile scenario has a step with hostile tags"
    app = PaneApp()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = app.query_one(ResultsPane)
        pane.show_result(result)
        await pilot.pause()
        flagged = False
        for key in range(len(result.groups)):
            await pilot.press("right_square_bracket")
            text = screen_text(app)
            assert not any(ch in text for ch in "\x1b\x07\x9b\x9d\x00"), key
            flagged = flagged or "⚠" in text
        assert flagged == any(len(g.tag) >= 256 for g in result.groups)


async def test_confirm_step_and_capped_groups_from_the_simulator() -> None:
    results = await step_results("default", 60.0, cap=2)
    app = PaneApp()
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(ResultsPane)
        confirm = next(r for r in results if r.type == 3)
        pane.show_result(confirm)
        await pilot.pause()
        assert "Manual confirmation: waiting for confirmation since" in screen_text(app)
        capped = next(r for r in results if r.host_count > 2)
        pane.show_result(capped)
        await pilot.pause()
        group = pane.selected_group
        assert group is not None and len(group.hosts) <= 2
        if not group.complete:
            assert f"{len(group.hosts)} of {group.host_count}" in screen_text(app)
