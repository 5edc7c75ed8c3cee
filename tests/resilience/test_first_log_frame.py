"""The monitor's first log frame, byte for byte: a long log is painted at its end at once.

``jobtui watch`` on a finished scale-scenario job, with the host whose log is at
the 5 MB cap preselected (``--search-ip``), runs in a pty; every byte it writes
is fed to a pyte screen and the screen is judged after each read. The terminal
answers Textual's query for synchronized output, as most terminals in use do, so
every frame comes between ``CSI ? 2026 h`` and ``CSI ? 2026 l``: the screen is
also judged at each frame's end, where a read (at most 4 KB from a pty) may cut
a frame in two.

Before the rework of the monitor's start, the log view was hidden behind a
placeholder widget and shown, unsized, with the first log: that frame painted
the log's head, and the view jumped to its end a frame later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyte
import pytest

from jobtui.sim.config import SimConfig
from jobtui.sim.server import start_in_thread
from tests.resilience.ptyrun import PtyApp, spawn
from tests.support.sim_wire import AUTH, SCOPE

pytestmark = pytest.mark.slow

#: Wide enough for the log pane to show a filler line whole, so the log's last
#: line (cut by the 5 MB cap, shorter than the others) can be told from them.
COLS, ROWS = 260, 40
#: The scale scenario's host with a 5 MB log (``sim/logs.py``: host index 7).
IP = "10.1.0.8"
SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: does the terminal do synchronized output?
SYNC_REPLY = b"\x1b[?2026;2$y"  # DECRPM: it does (mode reset)
SYNC_END = b"\x1b[?2026l"  # a frame's end


def _head_and_tail(url: str, job_id: int) -> tuple[str, str]:
    """The first and last lines of the log the monitor will show, asked of the simulator."""
    status = httpx.get(
        f"{url}/api/v3/get_job_instance_status",
        params={**SCOPE, "job_instance_id": job_id, "return_ip_result": "true"},
        headers=AUTH,
        timeout=30,
    ).json()["data"]
    step = status["step_instance_list"][-1]  # a finished job opens on its last step
    host = next(h for h in step["step_ip_result_list"] if h["ip"] == IP)
    log = httpx.get(
        f"{url}/api/v3/get_job_instance_ip_log",
        params={
            **SCOPE,
            "job_instance_id": job_id,
            "step_instance_id": step["step_instance_id"],
            "bk_host_id": host["bk_host_id"],
        },
        headers=AUTH,
        timeout=60,
    ).json()["data"]["log_content"]
    lines = log.splitlines()
    assert len(lines) > 10_000, len(lines)  # far more than the pane's rows
    return lines[0], lines[-1]


@dataclass(frozen=True)
class LogBox:
    """The log pane's border, in screen cells."""

    top: int
    bottom: int
    left: int
    right: int

    def rows(self, screen: pyte.Screen) -> list[str]:
        """The view's rows (below the pane's title row), inside the border."""
        return [
            screen.display[y][self.left + 1 : self.right] for y in range(self.top + 2, self.bottom)
        ]

    def has_scroll_bar(self, screen: pyte.Screen) -> bool:
        """A vertical bar: the column inside the right border shows a thumb on a track.

        With no bar that column is blank view in every row (no line reaches it).
        """
        colours = {screen.buffer[y][self.right - 1].bg for y in range(self.top + 2, self.bottom)}
        return len(colours) >= 2


def _log_box(screen: pyte.Screen) -> LogBox | None:
    for top, row in enumerate(screen.display):
        left = row.find("╭─ Log ")
        if left < 0:
            continue
        right = row.find("╮", left)
        for bottom in range(top + 1, ROWS):
            if screen.display[bottom][left] == "╰":
                return LogBox(top, bottom, left, right)
    return None


@dataclass
class Watch:
    """What the terminal showed, read by read and frame by frame."""

    head: str
    tail: str
    reads: int = 0
    frames: int = 0
    first_log_frame: str | None = None  # the whole screen, at the end of that frame
    tail_at: int | None = None  # the read after which the last line was first on screen
    bar_in_first_log_frame: bool = False
    tail_in_first_log_frame: bool = False

    def check(self, screen: pyte.Screen, *, frame_end: bool) -> None:
        text = "\n".join(screen.display)
        assert self.head not in text, f"the log's head is on screen (read {self.reads}):\n{text}"
        box = _log_box(screen)
        if box is None:
            return
        rows = box.rows(screen)
        # The last line is shorter than the filler above it: whole, then blank.
        tail = any(row.startswith(self.tail + " ") for row in rows)
        if tail and self.tail_at is None:
            self.tail_at = self.reads
        if frame_end and self.first_log_frame is None and any("payload chunk" in r for r in rows):
            self.first_log_frame = text
            self.tail_in_first_log_frame = tail
            self.bar_in_first_log_frame = box.has_scroll_bar(screen)


def _partial_end(data: bytes) -> int:
    """How many bytes at the end of ``data`` begin a frame's end (0 if none)."""
    for size in range(len(SYNC_END) - 1, 0, -1):
        if data.endswith(SYNC_END[:size]):
            return size
    return 0


def _watch(app: PtyApp, watch: Watch, *, timeout: float = 60.0, quiet: float = 1.0) -> None:
    """Feed what ``app`` writes to a screen until its last line showed and it went quiet."""
    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.ByteStream(screen)
    answered = False
    unfed = b""
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    while time.monotonic() < deadline:
        chunk = app.read_chunk(0.1)
        assert chunk is not None, f"jobtui ended: {app.output[-1500:]!r}"
        if not chunk:
            if watch.tail_at is not None and time.monotonic() - last >= quiet:
                return
            continue
        last = time.monotonic()
        watch.reads += 1
        if not answered and SYNC_QUERY in app.output:
            app.press(SYNC_REPLY, gap=0)
            answered = True
        *frames, unfed = (unfed + chunk).split(SYNC_END)
        for part in frames:
            stream.feed(part + SYNC_END)
            watch.frames += 1
            watch.check(screen, frame_end=True)
        # A frame's end cut by the read is kept back until the next read completes it.
        keep = _partial_end(unfed)
        stream.feed(unfed[: len(unfed) - keep])
        unfed = unfed[len(unfed) - keep :]
        watch.check(screen, frame_end=False)
    raise AssertionError("the log's last line never showed:\n" + "\n".join(screen.display))


def test_a_long_log_is_painted_at_its_end_with_its_bar_in_its_first_frame(
    tmp_path: Path,
) -> None:
    sim = start_in_thread(SimConfig(scenario="scale", hosts=20), "127.0.0.1", 0)
    try:
        job_id = sim.app.world.finished_job_ids(3)[0]
        head, tail = _head_and_tail(sim.url, job_id)
        env = {
            "BK_APP_CODE": "jobtui",
            "BK_APP_SECRET": "pty-secret",
            "BK_USERNAME": "admin",
            "XDG_CONFIG_HOME": str(tmp_path),
        }
        argv = ["watch", str(job_id), "--url", sim.url, "--api", "v3", "--scope-id", "2"]
        app = spawn([*argv, "--search-ip", IP], env=env, cols=COLS, rows=ROWS)
        watch = Watch(head, tail)
        try:
            _watch(app, watch)
            app.press(b"q", gap=0)
            app.wait_gone(5)
        finally:
            app.kill()
    finally:
        sim.stop()
    assert watch.first_log_frame is not None, "no frame showed the log (no synchronized output?)"
    assert watch.tail_in_first_log_frame, f"not at its end:\n{watch.first_log_frame}"
    assert watch.bar_in_first_log_frame, f"no scroll bar:\n{watch.first_log_frame}"
