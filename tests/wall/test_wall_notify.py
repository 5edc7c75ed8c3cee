"""Announcements write the right bytes through the driver; the sparkline's bars."""

from __future__ import annotations

from textual.app import App

from jobtui.core.history import StepHistory
from jobtui.core.transitions import Level, Notice
from jobtui.tui.notify import announce, write_sequence
from jobtui.tui.widgets.sparkline import bar, chart_lines
from tests.support.textual_probe import driver_replaced, notifications


class Recorder:
    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


class LoudApp(App[object]):
    """Pretends to have a terminal so the driver is written to."""

    loud = False

    @property
    def is_headless(self) -> bool:
        return not self.loud and super().is_headless


async def test_announce_toasts_rings_and_sends_osc_through_tmux() -> None:
    app = LoudApp()
    async with app.run_test() as pilot:
        recorder = Recorder()
        app.loud = True
        try:
            with driver_replaced(app, recorder):
                notice = Notice(Level.ERROR, "Job failed", "deploy\x1b]0;x\x07: Failed")
                announce(app, notice, bell=True, desktop=True)
                assert write_sequence(app, "Z", {"TMUX": "1"})
        finally:
            app.loud = False
        await pilot.pause()
        assert recorder.written[0] == "\x07"
        desktop = recorder.written[1]
        assert desktop.startswith("\x1b]777;notify;Job failed;deploy: Failed\x07\x1b]9;")
        assert recorder.written[2] == "\x1bPtmux;Z\x1b\\"
        # a plain App: the title apart (jobtui's apps join them, base_app.notify)
        shown = [(n.title, n.message) for n in notifications(app)]
        assert shown == [("Job failed", "deploy: Failed")]


def test_bars() -> None:
    assert bar([0.0, 0.01, 0.5, 1.0]) == " ▁▄█"
    assert bar([0.0, 0.01, 1.0], ascii_only=True) == " _#"
    history = StepHistory(1)
    history.record(0, done=0, failed=0, total=10)
    history.record(5, done=10, failed=2, total=10)
    done, failed = chart_lines(history, 20)
    assert done.startswith("done 10/10") and done.endswith("█") and len(done) == 20
    assert failed.startswith("fail 2")
    assert chart_lines(None, 8) == ("no sampl", "")


def test_a_long_figure_keeps_a_gap_before_the_bars() -> None:
    history = StepHistory(1)
    history.record(0, done=0, failed=0, total=50_000)
    history.record(5, done=3_746, failed=12, total=50_000)
    done, failed = chart_lines(history, 40)
    assert done.startswith("done 3,746/50,000 ")  # was "done 3,746/50,000▁"
    width = len("done 3,746/50,000 ")
    assert failed[:width] == "fail 12".ljust(width)  # both bars start in the same column
