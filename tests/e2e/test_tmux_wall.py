"""The wall of `jobtui demo --scenario busy` in a real terminal (tmux), at the real cadence.

The busy scenario's nginx rotation fails every half minute of simulator time
(every ~8 s at --speed 4), jobs succeed around it, and one waits for a person:
the wall a tester left on showed succeeded jobs, a new failure last, and 20
failure cards before any running job. Here, over some 30 s of frames: never a
succeeded card, the failures of one plan on one card first, a running job always
on the first screen, and the status line saying what it folded.
"""

from __future__ import annotations

import re

from tests.support.tmux import jobtui_in_tmux, keys, needs_tmux, screen, shows, wait_for

pytestmark = needs_tmux

CARD_STATUS = re.compile(r"#\d+  (\w+)")


def test_the_busy_wall_folds_failures_shows_no_success_and_keeps_running_jobs_in_sight() -> None:
    with jobtui_in_tmux("demo", "--scenario", "busy", "--speed", "4", size=(160, 48)) as session:
        assert wait_for(shows(session, "Steps"), 30), screen(session)
        keys(session, "Escape")
        assert wait_for(shows(session, "Rotate nginx logs"), 15), screen(session)
        keys(session, "w")
        assert wait_for(shows(session, "more failed run", "folded by plan"), 45), screen(session)
        frames: list[str] = []
        problems: list[str] = []
        seen: dict[str, int] = {}  # problem -> frames in a row it was on screen

        def wrong(text: str) -> list[str]:
            lines = text.splitlines()
            if not lines or not lines[0].lstrip().startswith("Wall"):
                return ["not the wall"]
            statuses = CARD_STATUS.findall(text)
            found = []
            if "Success" in statuses:
                found.append("a succeeded job's card")
            if "Running" not in statuses:
                found.append("no running job on the first screen")
            if "✗ Rotate nginx logs" not in lines[2] or "failed runs" not in lines[3]:
                found.append("the nginx failures are not folded into the first card")
            if text.count("✗ Rotate nginx logs") > 1:
                found.append("two failed nginx cards")
            return found

        def look() -> bool:
            text = screen(session)
            frames.append(text)
            found = wrong(text)
            for problem in list(seen):
                if problem not in found:
                    del seen[problem]
            for problem in found:
                seen[problem] = seen.get(problem, 0) + 1
                if seen[problem] >= 3:  # not a frame torn mid-repaint: a refresh's picture
                    problems.append(f"{problem}:\n{text}")
            return bool(problems) or len(frames) >= 100  # some 30 s of frames

        assert wait_for(look, 90)
        assert not problems, problems[0]
        assert len(frames) >= 100
        keys(session, "q")
