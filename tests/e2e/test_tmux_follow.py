"""Follow-newest in a real terminal (tmux): the screen never changes under the user's hands.

`jobtui demo` follows the newest job: when the demo job ends, a countdown runs and
the next job opens. A dialog open above the monitor (help here) holds the countdown
for as long as it stays open, and once it is closed the countdown starts again from
its full ten seconds; so does each cursor key and wheel turn (reading rows), and
left alone it runs out. `jobtui demo --manual` does not follow at all: its failed step
waits for the user, so the confirmation dialog stays however long the user takes.
Both at the real cadence and clock, the simulated jobs 8x or 16x faster than the wall clock.
"""

from __future__ import annotations

import re
import time

from tests.support.tmux import (
    jobtui_in_tmux,
    keys,
    needs_tmux,
    quits,
    screen,
    shows,
    tmux,
    wait_for,
)

pytestmark = needs_tmux

COUNTDOWN = 10  # seconds (run_jobs.FOLLOW_COUNTDOWN)


def stays(session: str, text: str, seconds: float, *, never: str = "\0") -> bool:
    """``text`` is on the screen at every look for ``seconds`` and ``never`` at none
    (False at the first miss)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = screen(session)
        if text not in shown or never in shown:
            return False
        time.sleep(0.2)
    return True


def job_id(text: str) -> str:
    found = re.search(r"#(\d+)", text.splitlines()[0])
    return found.group(1) if found else ""


def runs_out(session: str, first: str) -> bool:
    """Left alone, the countdown runs out within its length: the newest running job
    opens, or, in the demo's short gap between two jobs (each ~7 s at 16x), the line
    says no other job is running (looked for again every 30 s)."""

    def ran_out() -> bool:
        text = screen(session)
        return job_id(text) not in ("", first) or "no other job is running" in text

    return wait_for(ran_out, COUNTDOWN + 8)


def test_help_open_past_the_countdown_holds_it_and_closing_restarts_it() -> None:
    with jobtui_in_tmux("demo", "--speed", "16", size=(80, 24)) as session:
        ended = shows(session, "✓ SUCCESS", "switching to the newest running job in")
        assert wait_for(ended, 150), screen(session)
        first = job_id(screen(session))
        keys(session, "?")
        held = "waits while a dialog is open"
        assert wait_for(shows(session, held), 5), screen(session)
        assert stays(session, "Everywhere", COUNTDOWN + 3), screen(session)  # help stays
        assert held in screen(session) and job_id(screen(session)) == first
        keys(session, "Escape")
        restarted = lambda: bool(  # noqa: E731
            re.search(rf"in ({COUNTDOWN}|{COUNTDOWN - 1}) s", screen(session))
        )
        assert wait_for(restarted, 5), screen(session)  # from its full length again
        assert runs_out(session, first)
        assert quits(session), screen(session)


def test_demo_manual_keeps_the_confirmation_open_however_long_the_user_takes() -> None:
    with jobtui_in_tmux("demo", "--manual", "--speed", "8", size=(80, 24)) as session:
        assert wait_for(shows(session, "✗ FAILED"), 60), screen(session)
        first = job_id(screen(session))
        keys(session, "a")
        assert wait_for(shows(session, "▶ Retry failed hosts (step)"), 15), screen(session)
        keys(session, "Enter")
        question = 'Retry the failed hosts of step "Deploy package"?'
        assert wait_for(shows(session, question), 10), screen(session)
        # past the countdown: no countdown ever starts, the dialog stays
        assert stays(session, question, COUNTDOWN + 5, never="Job ended"), screen(session)
        keys(session, "Escape")  # no, after all
        assert wait_for(lambda: question not in screen(session), 5), screen(session)
        text = screen(session)
        assert job_id(text) == first and "FAILED" in text.splitlines()[0], text
        assert quits(session), screen(session)


#: A wheel turn as the terminal sends it (SGR mouse: button 65 = wheel down, at
#: column 20, row 8), typed into the pane as the bytes a terminal would write.
WHEEL_DOWN = "\x1b[<65;20;8M"


def test_reading_rows_holds_the_countdown_and_it_runs_out_once_left_alone() -> None:
    """Cursor keys, then the wheel, every 3 s for longer than the countdown: each
    starts it again from full, so the job stays; left alone, it switches."""
    restarted = re.compile(rf"in ({COUNTDOWN}|{COUNTDOWN - 1}) s")
    with jobtui_in_tmux("demo", "--speed", "16", size=(80, 24)) as session:
        ended = shows(session, "✓ SUCCESS", "switching to the newest running job in")
        assert wait_for(ended, 150), screen(session)
        first = job_id(screen(session))
        for move in ("Down", "Up", "wheel", "wheel", "wheel"):
            if move == "wheel":
                tmux(session, "send-keys", "-t", session, "-l", WHEEL_DOWN)
            else:
                keys(session, move)
            assert wait_for(lambda: bool(restarted.search(screen(session))), 2), (
                move,
                screen(session),
            )
            time.sleep(3)
            assert job_id(screen(session)) == first, (move, screen(session))
        # five moves 3 s apart: 15 s, past one countdown (the wheel alone 9 s)
        assert runs_out(session, first)
        assert quits(session), screen(session)
