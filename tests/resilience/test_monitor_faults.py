"""Every fault through the live monitor: it keeps running, says STALE and why, keeps the
last good data, and recovers by itself once the fault clears."""

from __future__ import annotations

import httpx
import pytest

from jobtui.sim.app import SimApp
from jobtui.sim.config import FaultConfig
from jobtui.tui.widgets.header import JobHeader
from tests.resilience.test_fault_matrix import MOCK_FAULTS, SIM_FAULTS
from tests.support.canaries import CANARIES
from tests.support.fault_rig import make_fault_rig
from tests.support.monitor_rig import refresh, settle

SIZE = (160, 48)
# the sim's faults, a sample of the wire faults, and raw transport failures
MONITOR_MOCK = [
    "http-500-empty",
    "html-503",
    "malformed-json",
    "truncated-json",
    "data-null",
    "bkjob-1240002",
    "bkjob-1247001",
    "bkjob-9900403",
    "gateway-403-1640301",
    "gateway-429-1642903",
    "result-false-html-message",
]
RAISED = {
    "connect-refused": httpx.ConnectError("[Errno 111] Connection refused"),
    "read-timeout": httpx.ReadTimeout("timed out"),
    "reset": httpx.RemoteProtocolError("peer closed connection"),
}
CASES = (
    [("sim", name) for name in sorted(SIM_FAULTS)]
    + [("mock", name) for name in MONITOR_MOCK]
    + [("raise", name) for name in sorted(RAISED)]
)


def _clear(sim: SimApp) -> None:
    sim.config.faults = FaultConfig()
    sim.config.forbidden_scopes = set()


@pytest.mark.parametrize(("kind", "name"), CASES, ids=lambda v: str(v))
async def test_monitor_goes_stale_keeps_data_and_recovers(kind: str, name: str) -> None:
    rig = make_fault_rig()
    async with rig.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = rig.app.monitor
        job, result = screen.job, screen.result
        assert job is not None and result is not None
        if kind == "sim":
            SIM_FAULTS[name][0](rig.sim)
        elif kind == "mock":
            rig.transport.fault = MOCK_FAULTS[name][0]
        else:
            rig.transport.fault = RAISED[name]
        await refresh(pilot)
        header = screen.query_one(JobHeader).text
        assert rig.app.is_running
        assert "STALE since" in header
        reason = header.split("STALE since", 1)[1]
        assert len(reason.split()) >= 3, header  # says what is wrong in words
        assert "<html" not in header and "\x1b" not in header
        assert not any(secret in header for secret in CANARIES)
        assert screen.job is job and screen.result is not None  # last good data kept
        assert screen.step_tree.cursor_line >= 0
        if name == "job-disappeared-1244006":
            assert "not found" in header
            return
        _clear(rig.sim)
        rig.transport.fault = None
        await refresh(pilot)
        assert "STALE" not in screen.query_one(JobHeader).text
        assert screen.job is not None and screen.job.job_instance_id == job.job_instance_id
