"""The actions menu, its confirmation, the lock after sending and read-only mode (pilot tests).

The monitor runs against the real client and the simulator on a manual clock;
every operation goes over the simulator's wire, so the state the menu offers
from, the request sent and the lock's release are all real.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import OptionList

from jobtui.api.factory import make_client
from jobtui.api.models import ApiFamily
from jobtui.core.audit import AuditContext
from jobtui.core.options import WatchOptions
from jobtui.core.readonly import ReadOnly
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.operations import ENGINE_DELAY
from jobtui.sim.steps import CONFIRM, SCRIPT, StepSpec
from jobtui.tui.app import MonitorApp
from jobtui.tui.commands import entries
from jobtui.tui.screens.actions import ActionsScreen, ConfirmActionScreen
from tests.support.monitor_rig import Polls, screen_text, settle, sim_settings
from tests.support.spy import BREAKPOINTS, breakpoints_at_mount
from tests.support.transports import Meter

J = 90_001


def spec(n: int, type_: int, **kw: Any) -> StepSpec:
    kw.setdefault("hosts", 6)
    return StepSpec(step_instance_id=J * 10 + n, step_id=n, name=f"step {n}", type=type_, **kw)


@dataclass
class Rig:
    app: MonitorApp
    sim: SimApp
    clock: ManualClock
    meter: Meter
    audit: Path
    notices: list[str] = field(default_factory=list)

    def operations(self) -> list[dict[str, Any]]:
        return [
            json.loads(r.content)
            for r in self.meter.requests
            if r.url.path.endswith("operate_step_instance")
            or r.url.path.endswith("operate_job_instance")
        ]

    def records(self) -> list[dict[str, Any]]:
        if not self.audit.exists():
            return []
        return [json.loads(line) for line in self.audit.read_text().splitlines()]


def make_rig(
    tmp_path: Path,
    *specs: StepSpec,
    advance: float,
    readonly: ReadOnly | None = None,
    ascii_only: bool = False,
    family: ApiFamily = ApiFamily.V3,
) -> Rig:
    clock = ManualClock()
    sim = create_app(SimConfig(), clock=clock)
    meta = JobMeta(job_instance_id=J, name="Deploy v1.2")
    sim.world.add_job(Job.build(meta, clock.now(), sim.world.pool, list(specs)))
    clock.advance(advance)
    meter = Meter(httpx.ASGITransport(app=sim))
    audit = tmp_path / "audit.jsonl"
    options = WatchOptions(
        job_instance_id=J,
        readonly=readonly,
        ascii_only=ascii_only,
        audit=AuditContext("admin", "test", "http://sim", audit),
    )
    app = MonitorApp(
        make_client(sim_settings(family), transport=meter),
        options,
        clock=lambda: datetime.fromtimestamp(clock.now(), UTC),
        auto_poll=False,
    )
    rig = Rig(app, sim, clock, meter, audit)
    original = app.notify

    def notify(message: str, **kw: Any) -> None:
        rig.notices.append(f"{kw.get('title', '')}: {message}")
        original(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    return rig


def confirm_rig(tmp_path: Path, **kw: Any) -> Rig:
    return make_rig(
        tmp_path,
        spec(1, SCRIPT, host_duration=3.0),
        spec(2, CONFIRM, confirm_wait=None),
        spec(3, SCRIPT, host_duration=3.0),
        advance=10,
        **kw,
    )


def menu_lines(app: MonitorApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def disabled(app: MonitorApp) -> list[bool]:
    options = app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).disabled for i in range(options.option_count)]


def notes(app: MonitorApp) -> str:
    return str(app.screen.query_one("#notes").render())


async def open_menu(pilot: Any) -> None:
    await pilot.press("a")
    await settle(pilot)


async def test_menu_offers_what_is_valid_now_primary_first(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        assert isinstance(rig.app.screen, ActionsScreen)
        lines = menu_lines(rig.app)
        assert len(lines) == 3
        assert (
            lines[0].startswith("▶ Confirm (step)") and "the following steps will run" in lines[0]
        )
        assert lines[1].lstrip().startswith("Reject") and lines[2].lstrip().startswith("Terminate")
        assert 'Step "step 2" (900012): Waiting' in notes(rig.app)
        await pilot.press("escape")
        assert not isinstance(rig.app.screen, ActionsScreen)
        assert rig.operations() == []


async def test_v4_menu_says_operations_go_through_v3(tmp_path) -> None:
    """On --api v4 the menu says where the operation goes; y sends it to the v3 resource."""
    rig = confirm_rig(tmp_path, family=ApiFamily.V4)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        assert isinstance(rig.app.screen, ActionsScreen)
        text = " ".join(notes(rig.app).split())
        assert "v4 has no operation API: this is sent to the gateway's v3" in text
        assert "operate_step_instance / operate_job_instance, which your app must be" in text
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        paths = [r.url.path for r in rig.meter.requests if "operate_" in r.url.path]
        assert paths == ["/api/v3/operate_step_instance"]


async def test_v3_menu_has_no_route_note(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        assert "no operation API" not in notes(rig.app)


async def test_menu_refreshes_before_offering(tmp_path) -> None:
    """The screen's last poll shows step 1 running; the menu asks again and offers confirm."""
    rig = make_rig(
        tmp_path,
        spec(1, SCRIPT, host_duration=3.0),
        spec(2, CONFIRM, confirm_wait=None),
        advance=1,
    )
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert rig.app.monitor.job is not None and rig.app.monitor.job.status == 2
        rig.clock.advance(10)  # the step now waits; the screen has not polled since
        await open_menu(pilot)
        assert rig.app.monitor.job.status == 2  # the monitor's own data is untouched
        # only the fresh answer knows the job has moved on to the confirmation
        assert "only on the job's current step (step 2)" in notes(rig.app)
        assert 'Step "step 1" (900011): Success' in notes(rig.app)


async def test_confirmation_names_action_step_and_job_and_n_cancels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirms = breakpoints_at_mount(monkeypatch, ConfirmActionScreen)
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(rig.app.screen, ConfirmActionScreen)
        # presized: mounted with the classes Textual gives it, so styled once, not twice
        assert confirms == [{"-wide", "-tall"}] == [set(rig.app.screen.classes) & BREAKPOINTS]
        text = str(rig.app.screen.query_one("#target").render())
        assert text == 'on step "step 2" (900012) of job 90001 "Deploy v1.2"'
        title = str(rig.app.screen.query_one(".title").render())
        assert title == 'Confirm the step "step 2"?'
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(rig.app.screen, ConfirmActionScreen | ActionsScreen)
        await open_menu(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert rig.operations() == [] and rig.records() == []


async def test_y_sends_once_notices_polls_and_locks_until_moved(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    applied = Polls()
    async with rig.app.run_test(size=(120, 40), message_hook=applied) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        await pilot.press("enter")
        await pilot.pause()
        polls = applied.count
        await pilot.press("y")
        await settle(pilot)
        assert rig.operations() == [
            {
                "bk_scope_type": "biz",
                "bk_scope_id": "2",
                "job_instance_id": J,
                "step_instance_id": J * 10 + 2,
                "operation_code": 6,
            }
        ]
        assert any('bk-job accepted "confirm"' in n for n in rig.notices)
        assert applied.count > polls  # polled at once
        [entry] = rig.records()
        assert entry["outcome"] == "accepted" and entry["action"] == "confirm"
        # the engine has not acted yet: the step still waits, its actions are locked
        assert rig.app.monitor.acting.pending is not None
        await open_menu(pilot)
        assert 'Waiting for bk-job to apply "confirm"' in notes(rig.app)
        assert "is being applied" in notes(rig.app)  # the fresh poll: job 2, step still 7
        assert menu_lines(rig.app) == [
            "▶ Terminate the job (job) · stops the job; only hosts not yet finished are affected"
        ]
        await pilot.press("enter")  # the first action not locked: the job's terminate
        await pilot.pause()
        assert isinstance(rig.app.screen, ConfirmActionScreen)
        assert rig.app.screen.choice.offer.action.name == "terminate"
        await pilot.press("n")
        await settle(pilot)
        rig.clock.advance(ENGINE_DELAY + 0.1)
        await pilot.press("r")
        await settle(pilot)
        assert rig.app.monitor.acting.pending is None  # the poll saw the step move
        assert len(rig.operations()) == 1


async def test_retry_stays_locked_while_only_execute_count_moved(tmp_path) -> None:
    rig = make_rig(
        tmp_path,
        spec(1, SCRIPT, fail_plan=(0.5,), host_duration=3.0),
        spec(2, SCRIPT, host_duration=3.0),
        advance=20,
    )
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert rig.app.monitor.job is not None and rig.app.monitor.job.finished
        await open_menu(pilot)
        assert menu_lines(rig.app)[0].startswith("▶ Retry failed hosts")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        job = rig.app.monitor.job
        assert job is not None and job.steps[0].execute_count == 1 and job.steps[0].status == 4
        assert rig.app.monitor.acting.pending is not None  # count bumped, status not moved
        assert not rig.app.monitor.cadence.finished  # polled at the running cadence
        await open_menu(pilot)
        # no second retry: the fresh poll shows it in flight, the lock says what was sent
        assert len(menu_lines(rig.app)) == 1 and "Terminate" in menu_lines(rig.app)[0]
        assert 'Waiting for bk-job to apply "retry-failed"' in notes(rig.app)
        await pilot.press("escape")
        rig.clock.advance(ENGINE_DELAY + 0.1)
        await pilot.press("r")
        await settle(pilot)
        assert rig.app.monitor.acting.pending is None
        assert rig.app.monitor.job is not None and not rig.app.monitor.job.finished
        assert len(rig.operations()) == 1


async def test_readonly_menu_says_so_and_sends_nothing(tmp_path) -> None:
    """The note names the one setting that made the session read-only (here --readonly), not
    every way to be read-only: `jobtui demo` has no profile to blame."""
    rig = confirm_rig(tmp_path, readonly=ReadOnly.FLAG)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        note = str(rig.app.screen.query_one("#readonly").render())
        assert note == "This session is read-only (--readonly): no operation can be sent."
        assert disabled(rig.app) == [True, True, True]
        hint = str(rig.app.screen.query_one("#hint").render())
        assert "Enter picks" not in hint and hint.startswith("Read-only session")
        assert "Read-only session: actions shown dimmed" in "\n".join(screen_text(rig.app))
        await pilot.press("enter")
        await pilot.press("y")
        await settle(pilot)
        assert rig.operations() == [] and rig.records() == []


async def test_refused_operation_is_a_notice_not_a_lock(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        await pilot.press("enter")
        await pilot.pause()
        rig.sim.config.confirm_roles = ("BIZ_MAINTAINER",)  # admin is no longer a confirmer
        await pilot.press("y")
        await settle(pilot)
        assert any("only the step's confirmers can do this" in n for n in rig.notices)
        assert rig.app.monitor.acting.pending is None
        assert rig.records()[0]["outcome"] == "refused"


async def test_palette_lists_the_actions_entry(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        texts = [text for text, _, _ in entries(rig.app.monitor)]
        assert any(text.startswith("Act on the job") for text in texts)


async def test_follow_newest_keeps_a_job_a_retry_revives(tmp_path) -> None:
    """A failed job's countdown to the newest job stops when a retry makes it run again."""
    from jobtui.tui.run_jobs import Countdown, JobsApp, JobsOptions
    from tests.support.wall_rig import sim_rig

    rig = sim_rig(advance=30)
    meta = JobMeta(job_instance_id=J, name="Deploy v1.2")
    specs = [spec(1, SCRIPT, fail_plan=(0.5,), host_duration=3.0), spec(2, SCRIPT)]
    rig.sim.world.add_job(Job.build(meta, rig.clock.now(), rig.sim.world.pool, specs))
    rig.clock.advance(20)
    options = JobsOptions(
        follow_newest=True,
        open_job=J,
        audit=AuditContext("admin", "test", "http://sim", tmp_path / "audit.jsonl"),
    )
    app = JobsApp(
        rig.client,
        options,
        clock=lambda: datetime.fromtimestamp(rig.clock.now(), UTC),
        auto_poll=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monitor = app.monitor
        assert monitor is not None and monitor.job is not None and monitor.job.status == 4
        app._follow_tick()
        await pilot.pause()
        assert monitor.query(Countdown)  # counting down to the newest running job
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # retry-failed, the primary action
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        app._follow_tick()  # sent, not yet applied: no switching away meanwhile
        rig.clock.advance(ENGINE_DELAY + 0.1)
        await pilot.press("r")
        await settle(pilot)
        assert not monitor.job.finished
        app._follow_tick()
        await pilot.pause()
        assert not monitor.query(Countdown) and app.countdown is None
        assert app.screen is monitor


async def test_unanswered_operation_is_unknown_and_locked(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    inner = rig.meter.inner

    class Timeout(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("operate_step_instance"):
                raise httpx.ReadTimeout("timed out", request=request)
            return await inner.handle_async_request(request)

    rig.meter.inner = Timeout()
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert any("unknown: check the job" in n for n in rig.notices)
        assert rig.app.monitor.acting.pending is not None  # may have been applied: locked
        assert rig.records()[0]["outcome"] == "unknown"
        assert len(rig.operations()) == 1


async def test_job_list_monitors_inherit_readonly_and_audit(tmp_path) -> None:
    from jobtui.tui.run_jobs import JobsApp, JobsOptions
    from tests.support.wall_rig import sim_rig

    rig = sim_rig(advance=30)
    audit = AuditContext("admin", "wall", "http://sim", tmp_path / "audit.jsonl")
    job_id = rig.sim.world.demo_job_id()
    options = JobsOptions(open_job=job_id, readonly=ReadOnly.ENV, audit=audit)
    app = JobsApp(
        rig.client,
        options,
        clock=lambda: datetime.fromtimestamp(rig.clock.now(), UTC),
        auto_poll=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.monitor is not None
        assert app.monitor.options.readonly is ReadOnly.ENV
        assert app.monitor.options.audit == audit
        await pilot.press("a")
        await settle(pilot)
        note = str(app.screen.query_one("#readonly").render())
        assert "read-only (JOBTUI_READONLY)" in note and "profile" not in note


async def test_ascii_menu_and_confirmation_draw_only_ascii(tmp_path) -> None:

    rig = confirm_rig(tmp_path, ascii_only=True)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        shown = {c for line in screen_text(rig.app) for c in line if ord(c) > 126}
        assert shown == set(), shown
        await pilot.press("enter")
        await pilot.pause()
        shown = {c for line in screen_text(rig.app) for c in line if ord(c) > 126}
        assert shown == set(), shown


def card_text(app: MonitorApp) -> str:
    return "\n".join(screen_text(app))


async def test_the_confirmation_card_follows_the_step_once_confirmed(tmp_path) -> None:
    """The confirm goes over the simulator's wire; the next JOB status alone (the step's
    result backs off while it waits) turns the card, as it turns the tree."""
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "waiting for confirmation since" in card_text(rig.app)
        await open_menu(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert rig.operations()[0]["operation_code"] == 6
        rig.clock.advance(ENGINE_DELAY + 0.1)
        monitor = rig.app.monitor
        fetched = len(rig.meter.requests)
        monitor._apply_job(await monitor.client.get_job(J))  # a job-only poll
        await pilot.pause()
        assert [r.url.path.rsplit("/", 1)[-1] for r in rig.meter.requests[fetched:]] == [
            "get_job_instance_status"
        ]
        step = monitor.job.step(J * 10 + 2) if monitor.job is not None else None
        assert step is not None and step.status == 3
        text = card_text(rig.app)
        assert "waiting for confirmation" not in text, text
        assert "Manual confirmation: confirmed, step finished at " in text, text
        await pilot.press("r")  # the result, fetched again, says the same
        await settle(pilot)
        assert "Manual confirmation: confirmed, step finished at " in card_text(rig.app)


async def test_the_confirmation_card_says_when_it_was_rejected(tmp_path) -> None:
    rig = confirm_rig(tmp_path)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_menu(pilot)
        await pilot.press("down", "enter")  # Reject
        await pilot.pause()
        assert isinstance(rig.app.screen, ConfirmActionScreen)
        assert rig.app.screen.choice.offer.action.name == "reject"
        await pilot.press("y")
        await settle(pilot)
        rig.clock.advance(ENGINE_DELAY + 0.1)
        await pilot.press("r")
        await settle(pilot)
        text = card_text(rig.app)
        assert "Manual confirmation: confirmation rejected (terminated) at " in text, text
        # the job ended, but a person can re-open the confirmation (13 is resumable): its
        # status is still asked at the live interval for a while, and the header says so
        assert rig.app.monitor.job is not None and rig.app.monitor.job.finished
        assert "finished · every 2s" in text and "every 30s" not in text, text
