"""`jobtui watch` on a job or step that does not exist: one line, exit 3 (as `status`).

A job that disappears later (archived mid-run) keeps its screen and says so.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.monitor_rig import make_rig, refresh, screen_text, settle


async def test_a_missing_job_on_the_first_poll_ends_with_exit_3() -> None:
    rig = make_rig()
    rig.app.options = replace(rig.app.options, job_instance_id=999_999_999)
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert rig.app.return_code == 3
    assert rig.app.fatal is not None and "999999999 not found" in rig.app.fatal


async def test_a_missing_step_on_the_first_poll_ends_with_exit_3() -> None:
    rig = make_rig(step=123)
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert rig.app.return_code == 3
    assert rig.app.fatal == f"step instance 123 not found in job {rig.sim.world.demo_job_id()}"


async def test_a_job_that_disappears_later_keeps_its_screen_and_says_so() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert rig.screen.job is not None
        assert rig.sim.world.delete_job(rig.app.options.job_instance_id)
        await refresh(pilot)
        assert rig.app.is_running and rig.app.fatal is None
        text = "\n".join(screen_text(rig.app))
        assert "not found" in text  # the header says why it is no longer updated
        assert rig.screen.job is not None  # the last good data stays


@pytest.mark.slow
def test_watch_of_a_missing_job_in_a_terminal_prints_one_line_and_exits_3() -> None:
    from jobtui.sim.config import SimConfig
    from jobtui.sim.server import start_in_thread
    from tests.resilience.ptyrun import spawn

    sim = start_in_thread(SimConfig(), "127.0.0.1", 0)
    env = {"BK_APP_CODE": "a", "BK_APP_SECRET": "s", "BK_USERNAME": "u"}
    env["XDG_CONFIG_HOME"] = "/nonexistent"
    try:
        app = spawn(["watch", "999999", "--url", sim.url, "--scope-id", "2"], env=env)
        try:
            code = app.wait_gone(15)
            assert code == 3, bytes(app.output[-400:])
            tail = bytes(app.output).rsplit(b"\x1b[?1049l", 1)[-1]  # after the screen is gone
            lines = [ln for ln in tail.split(b"\r\n") if b"jobtui: error" in ln]
            assert len(lines) == 1 and b"job instance 999999 not found" in lines[0]
        finally:
            app.kill()
    finally:
        sim.stop()
