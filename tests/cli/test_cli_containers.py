"""``jobtui status`` on the containers scenario: v4 counts containers, v3 stops with the hint."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jobtui.api.errors import InternalOnJob
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.cli import _title
from tests.cli.test_cli_status_sim import CANARY, Sim


async def test_status_json_counts_containers_and_hosts_per_step() -> None:
    sim = Sim(scenario="containers")
    job_id = sim.world.demo_job_id()
    sim.clock.advance(70)
    code, text = await sim.status(job_id, ApiFamily.V4, json=True)
    doc = json.loads(text)
    assert doc["schema_version"] == 2 and code == doc["exit_code"]
    targets = [step["targets"] for step in doc["steps"]]
    assert targets[0] == {"host": 0, "container": 24}
    assert targets[3] == {"host": 0, "container": 0}  # the confirmation
    assert targets[4] == {"host": 12, "container": 12}  # the mixed step
    assert doc["steps"][4]["hosts"]["total"] == 24  # every target is counted
    assert CANARY not in text


async def test_status_text_says_containers_are_counted() -> None:
    sim = Sim(scenario="containers")
    job_id = sim.world.demo_job_id()
    sim.clock.advance(70)
    _, text = await sim.status(job_id, ApiFamily.V4)
    assert "container results (counted together below)" in text
    _, hosts_only = await Sim().status(Sim().world.demo_job_id(), ApiFamily.V4)
    assert "Targets" not in hosts_only


@pytest.mark.parametrize("family", [ApiFamily.V3, ApiFamily.JOBV3, ApiFamily.V2])
async def test_status_on_a_container_job_stops_with_the_hint(family: ApiFamily) -> None:
    sim = Sim(scenario="containers")
    job_id = sim.world.demo_job_id()
    sim.clock.advance(10)
    start = sim.clock.now()
    with pytest.raises(InternalOnJob) as info:
        await sim.status(job_id, family)  # without --wait: still retried a few times
    assert "if its targets are containers, use --api v4" in str(info.value)
    assert sim.clock.now() - start <= 5  # a few seconds of backoff, then it stops


def test_status_exits_3_with_one_line() -> None:
    """The installed command line, against a real simulator socket."""
    from jobtui.sim.config import SimConfig
    from jobtui.sim.server import start_in_thread

    running = start_in_thread(SimConfig(scenario="containers"), "127.0.0.1", 0)
    try:
        job = running.app.world.demo_job_id()
        env = {"BK_APP_CODE": "a", "BK_APP_SECRET": CANARY, "BK_USERNAME": "u", "PATH": ""}
        args = ["status", str(job), "--url", running.url, "--scope-id", "2", "--api"]
        v3 = subprocess.run(
            [sys.executable, "-m", "jobtui", *args, "v3"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        v4 = subprocess.run(
            [sys.executable, "-m", "jobtui", *args, "v4", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        running.stop()
    assert v3.returncode == 3
    lines = v3.stderr.strip().splitlines()
    assert len(lines) == 1 and "use --api v4" in lines[0] and CANARY not in v3.stderr
    assert v4.returncode == 0, v4.stderr
    assert json.loads(v4.stdout)["steps"][0]["targets"]["container"] == 24


def test_v4_screen_title_says_latest_run_only() -> None:
    from jobtui.api.auth import Credentials

    settings = ConnectionSettings(
        url="http://x", family=ApiFamily.V4, scope_id="2", credentials=Credentials("a", "b")
    )
    assert _title(settings) == "v4 (latest run only) · biz 2"


def test_v4_from_a_profile_and_from_the_environment(tmp_path: object) -> None:
    from pathlib import Path

    from jobtui.config import load

    base = Path(str(tmp_path))
    cfg = base / "c.toml"
    cfg.write_text(
        'url = "https://bk.example.com/api/bk-job/prod"\nscope_id = 2\n'
        'app_code = "a"\napp_secret = "s"\nusername = "u"\n\n[profiles.k8s]\napi = "v4"\n',
        encoding="utf-8",
    )
    cfg.chmod(0o600)
    env = {"XDG_CONFIG_HOME": str(base / "xdg"), "JOBTUI_CONFIG": str(cfg)}
    assert load({"profile": "k8s"}, env).settings.family is ApiFamily.V4
    assert load({}, env).settings.family is ApiFamily.V3
    assert load({}, {**env, "JOBTUI_API": "v4"}).settings.family is ApiFamily.V4
