"""``jobtui act``: the real client against the simulator, every action, precondition and error."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from jobtui import cli
from jobtui.act import ActOptions, run_act
from jobtui.api.auth import Credentials
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.core.audit import AuditContext
from jobtui.core.readonly import ReadOnly
from jobtui.sim.app import create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.sim.jobs import Job, JobMeta
from jobtui.sim.operations import ENGINE_DELAY, STOP_DELAY
from jobtui.sim.steps import CONFIRM, SCRIPT, StepSpec

CANARY = "canary-s3cret-ACT"
J = 90_001
S1, S2, S3 = J * 10 + 1, J * 10 + 2, J * 10 + 3


def spec(n: int, type_: int, **kw: Any) -> StepSpec:
    kw.setdefault("hosts", 12)
    return StepSpec(step_instance_id=J * 10 + n, step_id=n, name=f"step {n}", type=type_, **kw)


class Sim:
    """A simulator on a manual clock with one hand-built job, and `jobtui act` against it."""

    def __init__(self, tmp_path: Path, *specs: StepSpec, **config: Any) -> None:
        self.clock = ManualClock()
        self.app = create_app(SimConfig(**config), clock=self.clock)
        meta = JobMeta(job_instance_id=J, name="Deploy v1.2")
        job = Job.build(meta, self.clock.now(), self.app.world.pool, list(specs))
        self.app.world.add_job(job)
        self.audit = AuditContext("tester", "prod", "http://sim.test", tmp_path / "audit.jsonl")
        self.prompts: list[str] = []

    def settings(
        self, family: ApiFamily = ApiFamily.V3, user: str = "tester"
    ) -> ConnectionSettings:
        return ConnectionSettings(
            url="http://sim.test",
            family=family,
            scope_id="2",
            credentials=Credentials("jobtui-test", CANARY, username=user),
        )

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def act(
        self,
        action: str,
        *,
        answer: str | None = "y",
        family: ApiFamily = ApiFamily.V3,
        user: str = "tester",
        readonly: ReadOnly | None = None,
        **options: Any,
    ) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()

        def ask(prompt: str) -> str | None:
            self.prompts.append(prompt)
            return answer

        code = await run_act(
            self.settings(family, user),
            ActOptions(J, action, **options),
            audit=self.audit,
            readonly=readonly,
            transport=httpx.ASGITransport(app=self.app),
            out=out,
            err=err,
            ask=ask,
            sleep=self.sleep,
        )
        return code, out.getvalue(), err.getvalue()

    def records(self) -> list[dict[str, Any]]:
        path = self.audit.file
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]


def confirm_sim(tmp_path: Path, **config: Any) -> Sim:
    sim = Sim(
        tmp_path,
        spec(1, SCRIPT, host_duration=3.0),
        spec(2, CONFIRM, confirm_wait=None),
        spec(3, SCRIPT, host_duration=3.0),
        **config,
    )
    sim.clock.advance(10)
    return sim


def failing_sim(tmp_path: Path) -> Sim:
    sim = Sim(tmp_path, spec(1, SCRIPT, fail_plan=(0.3,), host_duration=3.0), spec(2, SCRIPT))
    sim.clock.advance(20)
    return sim


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_confirm_asks_sends_once_and_records(tmp_path, family) -> None:
    sim = confirm_sim(tmp_path)
    code, out, err = await sim.act("confirm", family=family)
    assert code == 0, err
    assert sim.prompts == [
        'Confirm "confirm" of step "step 2" (900012) of job 90001 (Deploy v1.2)? '
        "(the following steps will run) [y/N] "
    ]
    assert out.startswith('bk-job accepted "confirm" of step "step 2" (900012) of job 90001')
    [entry] = sim.records()
    assert entry["action"] == "confirm" and entry["operation_code"] == 6
    assert entry["outcome"] == "accepted" and entry["user"] == "tester"
    assert entry["profile"] == "prod" and entry["job_instance_id"] == J
    assert entry["step_instance_id"] == S2 and entry["request_id"]
    assert CANARY not in sim.audit.file.read_text()
    assert stat.S_IMODE(sim.audit.file.stat().st_mode) == 0o600
    sim.clock.advance(ENGINE_DELAY)
    job = sim.app.world.job(J)
    assert job is not None and job.step(S2) is not None
    assert job.step(S2).status(sim.clock.now()) == 3  # type: ignore[union-attr]


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_v4_says_operations_go_through_v3_before_the_prompt(tmp_path, family) -> None:
    sim = confirm_sim(tmp_path)
    code, _, err = await sim.act("confirm", family=family)
    assert code == 0, err
    note = (
        "jobtui: note: v4 has no operation API: this is sent to the gateway's v3 "
        "operate_step_instance / operate_job_instance, which your app must be granted\n"
    )
    assert (note in err) is (family is ApiFamily.V4)
    assert sim.prompts[0].startswith('Confirm "confirm" of step "step 2"')  # contract kept


async def test_refused_by_the_state_check_names_what_is_allowed(tmp_path) -> None:
    sim = confirm_sim(tmp_path)
    code, _, err = await sim.act("retry-failed")
    assert code == 5
    assert '"retry-failed" is not possible now' in err
    assert "Allowed now: confirm, reject, terminate" in err
    assert sim.prompts == [] and sim.records() == []  # nothing asked, nothing sent


async def test_step_that_is_not_current_is_refused(tmp_path) -> None:
    sim = confirm_sim(tmp_path)
    code, _, err = await sim.act("retry-all", step_instance_id=S1)
    assert code == 5 and "not the job's current step" in err


async def test_no_terminal_requires_yes(tmp_path) -> None:
    sim = confirm_sim(tmp_path)
    code, _, err = await sim.act("confirm", answer=None)
    assert code == 2 and "--yes" in err and sim.records() == []
    code, out, _ = await sim.act("confirm", answer=None, yes=True)
    assert code == 0 and "accepted" in out
    assert sim.prompts == [sim.prompts[0]]  # --yes never asks


@pytest.mark.parametrize("answer", ["n", "", "no", "maybe"])
async def test_anything_but_yes_sends_nothing(tmp_path, answer) -> None:
    sim = confirm_sim(tmp_path)
    code, _, err = await sim.act("confirm", answer=answer)
    assert code == 2 and "nothing sent" in err and sim.records() == []


async def test_readonly_exits_2_without_connecting(tmp_path) -> None:
    sim = confirm_sim(tmp_path)
    before = sim.app.world.stats.requests
    code, _, err = await sim.act("confirm", readonly=ReadOnly.ENV, yes=True)
    assert code == 2
    said = "this session is read-only (JOBTUI_READONLY): no operation is sent"
    assert err == f"jobtui: error: {said}\n"
    assert sim.app.world.stats.requests == before and sim.records() == []


async def test_non_confirmer_is_an_api_error(tmp_path) -> None:
    sim = confirm_sim(tmp_path, confirm_roles=("JOB_RESOURCE_TRIGGER_USER",))
    code, _, err = await sim.act("confirm", user="mallory")
    assert code == 3 and "only the step's confirmers can do this" in err
    [entry] = sim.records()
    assert (entry["outcome"], entry["code"]) == ("refused", 1244016)


async def test_gateway_grant_missing(tmp_path) -> None:
    sim = confirm_sim(tmp_path, ungranted_apis={"operate_step_instance"})
    code, _, err = await sim.act("confirm")
    assert code == 3
    assert "your app has not been granted `operate_step_instance` on the gateway" in err


async def test_server_precondition_is_exit_5(tmp_path) -> None:
    """The state moved between the poll and the send: bk-job's 1241003 is exit 5."""
    sim = confirm_sim(tmp_path)

    def ask(prompt: str) -> str:
        sim.clock.advance(0.0)
        job = sim.app.world.job(J)
        assert job is not None
        job.steps[1].confirmed_at = sim.clock.now() - 1  # someone else confirmed meanwhile
        job.schedule()
        return "y"

    out, err = io.StringIO(), io.StringIO()
    code = await run_act(
        sim.settings(),
        ActOptions(J, "confirm"),
        audit=sim.audit,
        readonly=None,
        transport=httpx.ASGITransport(app=sim.app),
        out=out,
        err=err,
        ask=ask,
        sleep=sim.sleep,
    )
    assert code == 5 and "not possible in the step's current state" in err.getvalue()
    assert sim.records()[0]["outcome"] == "refused"


async def test_retry_failed_with_wait(tmp_path) -> None:
    sim = failing_sim(tmp_path)
    code, out, _ = await sim.act("retry-failed", yes=True, wait=True, interval=1.0)
    assert code == 0
    assert "accepted" in out and "Success" in out


async def test_retry_all(tmp_path) -> None:
    sim = failing_sim(tmp_path)
    code, _, err = await sim.act("retry-all", yes=True)
    assert code == 0, err
    assert sim.records()[0]["operation_code"] == 8
    job = sim.app.world.job(J)
    assert job is not None and job.steps[0].execute_count(sim.clock.now()) == 1
    # another operation before the engine moved the step: refused, nothing sent
    code, _, err = await sim.act("ignore-error", yes=True)
    assert code == 5 and "is being applied" in err
    assert len(sim.records()) == 1


async def test_ignore_error(tmp_path) -> None:
    sim = failing_sim(tmp_path)
    code, _, err = await sim.act("ignore-error", yes=True)
    assert code == 0, err
    sim.clock.advance(ENGINE_DELAY + 1.5)
    job = sim.app.world.job(J)
    assert job is not None and job.status(sim.clock.now()) == 2
    assert job.steps[0].status(sim.clock.now()) == 6


async def test_terminate_skip_next_step(tmp_path) -> None:
    sim = Sim(
        tmp_path,
        spec(1, SCRIPT, host_duration=8.0),
        spec(2, SCRIPT, host_duration=8.0),
        spec(3, SCRIPT, host_duration=3.0),
    )
    sim.clock.advance(3)
    code, _, err = await sim.act("terminate", yes=True)
    assert code == 0, err
    sim.clock.advance(ENGINE_DELAY + 0.1)
    code, _, err = await sim.act("skip", yes=True)  # the step is STOPPING
    assert code == 0, err
    sim.clock.advance(ENGINE_DELAY + 2.0)
    code, _, _ = await sim.act("terminate", yes=True)
    assert code == 0
    sim.clock.advance(ENGINE_DELAY + STOP_DELAY + 0.1)
    code, _, err = await sim.act("next-step", yes=True)  # the step is STOP_SUCCESS
    assert code == 0, err
    sim.clock.advance(ENGINE_DELAY)
    code, _, err = await sim.act("next-step", yes=True)
    assert code == 5 and "Skipped" in err  # the step moved on: refused before sending
    actions = [(r["action"], r["outcome"]) for r in sim.records()]
    assert actions == [
        ("terminate", "accepted"),
        ("skip", "accepted"),
        ("terminate", "accepted"),
        ("next-step", "accepted"),
    ]


async def test_reject_and_reconfirm(tmp_path) -> None:
    sim = confirm_sim(tmp_path)
    assert (await sim.act("reject", yes=True))[0] == 0
    sim.clock.advance(ENGINE_DELAY)
    code, _, err = await sim.act("confirm", yes=True)
    assert code == 5 and "Allowed now: reconfirm" in err
    assert (await sim.act("reconfirm", yes=True))[0] == 0


async def test_continue_rolling(tmp_path) -> None:
    sim = Sim(
        tmp_path,
        spec(1, SCRIPT, batches=3, rolling_manual=True, pause_wait=None, host_duration=3.0),
    )
    sim.clock.advance(10)
    code, _, err = await sim.act("continue-rolling", yes=True)
    assert code == 0, err


async def test_timeout_is_unknown_and_never_resent(tmp_path) -> None:
    sim = confirm_sim(tmp_path)
    asgi = httpx.ASGITransport(app=sim.app)
    sent: list[str] = []

    class Slow(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if "operate" in request.url.path:
                sent.append(request.url.path)
                raise httpx.ReadTimeout("timed out", request=request)
            return await asgi.handle_async_request(request)

    out, err = io.StringIO(), io.StringIO()
    code = await run_act(
        sim.settings(),
        ActOptions(J, "confirm", yes=True),
        audit=sim.audit,
        readonly=None,
        transport=Slow(),
        out=out,
        err=err,
        sleep=sim.sleep,
    )
    assert code == 3 and "unknown: check the job" in err.getvalue()
    assert len(sent) == 1
    assert sim.records()[0]["outcome"] == "unknown"


def test_parser_contract() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["act", "1001", "confirm", "--step", "2002", "--yes", "--wait"])
    assert (args.job, args.action, args.step, args.yes, args.wait) == (
        1001,
        "confirm",
        2002,
        True,
        True,
    )
    assert cli.main(["act", "1001", "approve"]) == 2  # unknown action: usage
    for command in ("watch 1", "jobs", "demo"):
        assert parser.parse_args([*command.split(), "--readonly"]).readonly is True


def test_readonly_from_environment_and_profile(tmp_path, monkeypatch, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'url = "http://127.0.0.1:9"\nscope_id = 2\napp_code = "a"\nusername = "u"\n'
        "[profiles.wall]\nreadonly = true\n"
    )
    config.chmod(0o600)
    monkeypatch.setenv("BK_APP_SECRET", CANARY)
    assert (
        cli.main(["act", "1", "confirm", "--yes", "--config", str(config), "--profile", "wall"])
        == 2
    )
    assert "read-only (readonly = true in the profile)" in capsys.readouterr().err
    monkeypatch.setenv("JOBTUI_READONLY", "1")
    assert cli.main(["act", "1", "confirm", "--yes", "--config", str(config)]) == 2
    assert "read-only (JOBTUI_READONLY)" in capsys.readouterr().err
    monkeypatch.setenv("JOBTUI_READONLY", "perhaps")
    assert cli.main(["act", "1", "confirm", "--yes", "--config", str(config)]) == 2
    assert "readonly must be true or false" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["sim", "demo"])
def test_manual_leaves_the_failed_step_to_the_user(command: str) -> None:
    """Without --manual a simulated operator retries the demo's failed step after a pause
    a person can see (HUMAN_RETRY_PAUSE); with it, nobody does: the user acts."""
    from jobtui.sim.config import HUMAN_RETRY_PAUSE

    parser = cli.build_parser()
    plain = cli._sim_config(parser.parse_args([command]), demo_loop=True)
    assert plain.operator_name == "ops-oncall" and plain.retry_pause == HUMAN_RETRY_PAUSE
    manual = cli._sim_config(parser.parse_args([command, "--manual"]), demo_loop=True)
    assert manual.manual and manual.operator_name is None
