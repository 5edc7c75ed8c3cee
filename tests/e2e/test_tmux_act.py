"""`jobtui demo --manual` in a real terminal (tmux): retry the failed step, confirm the
waiting one, see the job move on.

The whole path at the real cadence and clock: the monitor polls the simulator
over HTTP, `a` opens the menu from a fresh poll, Enter picks the primary action
(retry failed hosts on the failed deploy step, which with `--manual` nobody else
retries; then confirm), `y` sends it, and the screen shows the job running again
and then the next step running; the audit file (in a temporary XDG state dir)
records both operations. The simulated job runs 8x faster than the wall clock;
with --manual the failure and the confirmation wait for the person however long
they take.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.tmux import (
    jobtui_in_tmux,
    keys,
    line_with,
    needs_tmux,
    quits,
    screen,
    shows,
    toasts,
    wait_for,
)

pytestmark = needs_tmux


def _act(session: str, offered: str, question: str, action: str) -> None:
    """`a` opens the menu with ``offered`` first, Enter asks ``question``, `y` sends it
    and bk-job accepts ``action``."""
    keys(session, "a")
    assert wait_for(shows(session, f"▶ {offered}"), 15), screen(session)
    keys(session, "Enter")
    assert wait_for(shows(session, question), 10), screen(session)
    keys(session, "y")
    # the notice is a toast; read with its wrapped lines joined
    accepted = lambda: f'accepted "{action}"' in toasts(screen(session))  # noqa: E731
    assert wait_for(accepted, 15), screen(session)


def test_confirm_a_waiting_step_and_the_job_moves_on(tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = {"XDG_STATE_HOME": str(state)}
    with jobtui_in_tmux("demo", "--manual", "--speed", "8", env=env) as session:
        # the deploy step fails: step and job at 4, and with --manual nobody retries it
        assert wait_for(shows(session, "✗ FAILED"), 60), screen(session)
        question = 'Retry the failed hosts of step "Deploy package"?'
        _act(session, "Retry failed hosts (step)", question, "retry-failed")
        retried = lambda: "r1" in line_with(screen(session), "Deploy package")  # noqa: E731
        assert wait_for(retried, 15), screen(session)
        # with --manual the confirmation waits for a person, however long it takes
        # (a narrow tree line cuts the step's name before its state: "⚑ Confirm… WAITING")
        waiting = lambda: "WAITING" in line_with(screen(session), "⚑ Confirm")  # noqa: E731
        assert wait_for(waiting, 60), screen(session)
        _act(session, "Confirm (step)", 'Confirm the step "Confirm rollout"?', "confirm")
        # the job moves on: the confirmation is done and the rolling restart runs
        assert wait_for(shows(session, "✓ Confirm rollout"), 15), screen(session)
        assert wait_for(shows(session, "▶ Rolling"), 15), screen(session)
        entries = [
            json.loads(line) for line in (state / "jobtui" / "audit.jsonl").read_text().splitlines()
        ]
        assert [(e["action"], e["outcome"]) for e in entries] == [
            ("retry-failed", "accepted"),
            ("confirm", "accepted"),
        ]
        assert quits(session), screen(session)
