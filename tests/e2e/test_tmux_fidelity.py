"""`jobtui demo` in a real terminal at the real cadence: the waits bk-job really has.

The demo's simulator follows bk-job's server: it refuses the result of a
confirmation step (1241003) and pauses its MANUAL rolling step at 7. The
monitor must stay live through both (never STALE), show the confirmation card
with its message (served by ``get_step_instance_detail``), and name the rolling
pause as one. Before them its deploy step fails: step and job at 4 (bk-job
retries nothing by itself) until the simulated operator retries it 8 s later, as
a person would from the web UI. By default the waits end by themselves, so the
job then finishes and the demo loop moves on.

One start of the program checks the whole scenario in order. The simulated job
runs 3x faster than the wall clock (the failed job waits ~3 s for its retry, the
confirmation ~7 s, each rolling pause 2 s); the monitor's clock and cadence are
the real ones.
"""

from __future__ import annotations

import time

from jobtui.sim.scenarios import CONFIRM_MESSAGE
from tests.support.tmux import (
    jobtui_in_tmux,
    line_with,
    needs_tmux,
    quits,
    screen,
    shows,
    wait_for,
    wait_for_screen,
)

pytestmark = needs_tmux


def test_demo_confirms_pauses_and_finishes_staying_live() -> None:
    with jobtui_in_tmux("demo", "--speed", "3", size=(160, 48)) as session:
        # the deploy step fails and the job with it (sim time ~19 s), until the
        # operator's retry (~27 s) runs it again as retry 1
        assert wait_for(shows(session, "✗ FAILED"), 30), screen(session)

        def retried() -> bool:
            text = screen(session)
            return "r1" in line_with(text, "Deploy package") and "RUNNING" in text

        assert wait_for(retried, 15), screen(session)
        # the confirmation (sim time ~46-66 s): its card and its message, as the
        # server's step detail gives it
        waiting = "Manual confirmation: waiting for confirmation since"
        card = wait_for_screen(session, waiting, timeout=60)
        assert card is not None, screen(session)
        assert "Message: Canary is green?" in card
        assert " ".join(CONFIRM_MESSAGE.split()[:4]) in card
        # several polls (every second) while the step waits: none goes stale
        seen: list[str] = []
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and waiting in (text := screen(session)):
            seen.append(text)
            time.sleep(0.3)
        assert len(seen) >= 3, "the wait lasted less than a second"
        assert not any("STALE" in text or "invalid parameter" in text for text in seen)
        assert not any("select a host" in text for text in seen)
        # the log pane says why it is empty (once the "waiting for a person" toasts go)
        assert wait_for(shows(session, "no hosts to show"), 10), screen(session)
        # the MANUAL rolling step pauses after its first batch (the job at 7): the
        # step's groups say so, and the job's state (its own poll, up to 1 s later)
        # which batch (v3 says nothing of rolling: worked out from the hosts outside it)
        paused = "rolling pause: batch 1 done, waiting to continue"
        pause = wait_for_screen(session, paused, "ROLLING PAUSE", timeout=60)
        assert pause is not None, screen(session)
        assert "STALE" not in pause
        assert "WAITING FOR CONFIRMATION" not in pause
        # the job finishes (sim time ~110 s): both waits ended by themselves
        finished = wait_for_screen(session, "SUCCESS", timeout=60)
        assert finished is not None, screen(session)
        assert "Rolling restart" in finished
        assert quits(session), screen(session)
