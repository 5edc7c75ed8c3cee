"""The real ``jobtui`` entry point in a child process: usage, unreachable server, a socket sim."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.usage import usage_error

pytestmark = pytest.mark.slow

CANARY = "canary-s3cret-XYZZY-subprocess"


def run_jobtui(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobtui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("JOBTUI_", "BK_"))}
    return {
        **keep,
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "BK_APP_CODE": "jobtui-test",
        "BK_APP_SECRET": CANARY,
        "BK_USERNAME": "tester",
    }


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_usage_error_is_one_line_and_a_hint_exit_2(env: dict[str, str]) -> None:
    result = run_jobtui("status", "not-a-number", env=env)
    assert result.returncode == 2
    assert "not a whole number" in usage_error(result.stderr, "status")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unreachable_server_is_one_line_exit_3(env: dict[str, str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run_jobtui(
        "status", "1001", "--url", url, "--scope-id", "2", "--timeout", "3", env=env
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jobtui: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert CANARY not in result.stderr + result.stdout


@pytest.fixture
def socket_sim() -> Iterator[Any]:
    server = pytest.importorskip("jobtui.sim.server")
    config = pytest.importorskip("jobtui.sim.config")
    running = server.start_in_thread(config.SimConfig(), "127.0.0.1", 0)
    try:
        yield running
    finally:
        running.stop()


def test_status_against_a_socket_sim(socket_sim: Any, env: dict[str, str]) -> None:
    job_id = socket_sim.app.world.finished_job_ids(3)[-1]
    result = run_jobtui(
        "status", str(job_id), "--url", socket_sim.url, "--scope-id", "2", "--json", env=env
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["job"]["job_instance_id"] == job_id and doc["outcome"] == "success"
    assert CANARY not in result.stdout + result.stderr


def test_console_script_reports_its_version(env: dict[str, str]) -> None:
    script = Path(sys.executable).parent / "jobtui"
    if not script.exists():
        pytest.skip("the package is not installed with its console script")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, env=env, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("jobtui ")
