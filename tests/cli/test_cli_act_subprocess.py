"""`jobtui act` as a real process against a socket simulator: the exit-code contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli_subprocess import CANARY, env, run_jobtui, socket_sim  # noqa: F401

pytestmark = pytest.mark.slow


def test_act_contract_in_a_child_process(
    socket_sim: Any,  # noqa: F811
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {**env, "XDG_STATE_HOME": str(tmp_path / "state")}
    job_id = socket_sim.app.world.demo_job_id()  # running: only terminate is allowed
    base = ["--url", socket_sim.url, "--scope-id", "2"]
    refused = run_jobtui("act", str(job_id), "confirm", "--yes", *base, env=env)
    assert refused.returncode == 5, refused.stderr
    assert "Allowed now: terminate" in refused.stderr
    no_tty = run_jobtui("act", str(job_id), "terminate", *base, env=env)
    assert no_tty.returncode == 2 and "--yes" in no_tty.stderr
    readonly = run_jobtui(
        "act", str(job_id), "terminate", "--yes", *base, env={**env, "JOBTUI_READONLY": "1"}
    )
    assert readonly.returncode == 2 and "read-only" in readonly.stderr
    sent = run_jobtui("act", str(job_id), "terminate", "--yes", *base, env=env)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(f'bk-job accepted "terminate" of job {job_id}')
    audit = (tmp_path / "state" / "jobtui" / "audit.jsonl").read_text()
    [entry] = [json.loads(line) for line in audit.splitlines()]
    assert (entry["action"], entry["outcome"], entry["user"]) == ("terminate", "accepted", "tester")
    assert CANARY not in audit + sent.stdout + sent.stderr
