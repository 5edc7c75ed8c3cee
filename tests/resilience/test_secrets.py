"""A canary secret and token through every path: they never appear anywhere."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest

from jobtui.api.errors import ApiError
from jobtui.sim.app import create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import FaultConfig, SimConfig
from jobtui.sim.server import start_in_thread
from tests.resilience.ptyrun import spawn
from tests.support.canaries import CANARIES, FAMILIES, client, creds, settings
from tests.support.fault_rig import make_fault_rig
from tests.support.monitor_rig import refresh, settle


def _clean(text: str) -> None:
    for secret in CANARIES:
        assert secret not in text


def test_credentials_and_settings_reprs_hide_secrets() -> None:
    _clean(repr(creds()) + str(creds()))
    for family in FAMILIES:
        _clean(repr(settings(family)) + str(settings(family)))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
@pytest.mark.parametrize("faults", ["none", "error", "html", "malformed"])
async def test_httpx_debug_logging_and_errors_hide_secrets(family, faults, caplog) -> None:
    clock = ManualClock()
    sim = create_app(SimConfig(), clock=clock)
    clock.advance(20)
    rates = {
        "none": {},
        "error": {"error_rate": 1.0},
        "html": {"html_rate": 1.0},
        "malformed": {"malformed_rate": 1.0},
    }[faults]
    sim.config.faults = FaultConfig(**rates)
    api = client(family, httpx.ASGITransport(app=sim))
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    try:
        await api.get_job(sim.world.demo_job_id())
    except ApiError as error:
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
    await api.aclose()
    _clean(caplog.text)
    for text in texts:
        _clean(text)


@pytest.mark.parametrize("faults", ["none", "error"])
def test_status_output_hides_secrets(run_cli, faults: str) -> None:
    clock = ManualClock()
    sim = create_app(SimConfig(), clock=clock)
    clock.advance(20)
    if faults == "error":
        sim.config.faults = FaultConfig(error_rate=1.0)
    for extra in ([], ["--json"]):
        run = run_cli(
            [
                "status",
                str(sim.world.demo_job_id()),
                "--url",
                "http://sim",
                "--scope-id",
                "2",
                *extra,
            ],
            transport=httpx.ASGITransport(app=sim),
        )
        _clean(run.out + run.err)


def test_debug_traceback_hides_secrets(run_cli, monkeypatch, capsys) -> None:
    from jobtui import status

    async def explode(*args: object, **kwargs: object) -> int:
        raise RuntimeError(f"unexpected thing near {CANARIES[0]}")

    monkeypatch.setattr(status, "run_status", explode)
    monkeypatch.setenv("JOBTUI_DEBUG", "1")
    run = run_cli(["status", "1", "--url", "http://sim", "--scope-id", "2"])
    assert run.code == 70
    assert "Traceback" in run.err  # the debug path ran
    _clean(run.out + run.err)


async def test_monitor_screen_and_screenshot_hide_secrets() -> None:
    rig = make_fault_rig()
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        rig.sim.config.faults = FaultConfig(error_rate=1.0)
        await refresh(pilot)
        rig.transport.fault = httpx.ConnectError(f"cannot connect {CANARIES[0]}")
        await refresh(pilot)
        svg = rig.app.export_screenshot()
        assert "STALE" in svg
        _clean(svg)


@pytest.mark.slow
def test_watch_in_a_pty_with_server_errors_hides_secrets() -> None:
    sim = start_in_thread(SimConfig(faults=FaultConfig(error_rate=0.5, html_rate=0.3)))
    try:
        env = {
            "BK_APP_CODE": "jobtui",
            "BK_APP_SECRET": CANARIES[0],
            "BK_TOKEN": CANARIES[1],
            "XDG_CONFIG_HOME": "/nonexistent",
        }
        for family in ("v3", "v2"):
            app = spawn(
                [
                    "watch",
                    str(sim.app.world.demo_job_id()),
                    "--url",
                    sim.url,
                    "--scope-id",
                    "2",
                    "--api",
                    family,
                ],
                env=env,
            )
            try:
                assert app.read_for(30, until=b"STALE"), app.output[-1500:]
                app.read_for(2)
                app.press(b"r", b"r", b"q")
                app.wait_gone(5)
            finally:
                app.kill()
            text = app.output.decode("utf-8", "replace")
            _clean(text)
    finally:
        sim.stop()
