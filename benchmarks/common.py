"""Shared pieces of the benchmark suite: results, medians, process probes and a pty runner.

Everything here is measurement plumbing; no figure is judged in this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
CSI_OR_OSC = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


@dataclass
class Result:
    """One row of the table; ``ok`` is None when the measure could not judge its target."""

    number: str
    name: str
    figure: float | None
    unit: str
    target: str
    ok: bool | None
    reference: float | None = None
    ratio: float | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.ok is None:
            return "n/a"
        return "PASS" if self.ok else "MISS"


def med(values: Sequence[float]) -> float:
    """Median that tolerates an empty list (returns NaN)."""
    return median(values) if values else float("nan")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (its threads included), from /proc/<pid>/stat."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid: int | None = None) -> int:
    """Resident set size of a process (default: this one)."""
    pid = os.getpid() if pid is None else pid
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE


def child_env(**extra: str) -> dict[str, str]:
    """Environment for jobtui subprocesses: sim credentials, no user config, repo importable."""
    env = dict(os.environ)
    env.update(
        BK_APP_CODE="bench",
        BK_APP_SECRET="bench",
        BK_USERNAME="admin",
        XDG_CONFIG_HOME=str(Path("/tmp/jobtui-bench/xdg")),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    env.update(extra)
    return env


def watch_argv(url: str, job: int, *flags: str, program: Path | None = None) -> list[str]:
    """``jobtui watch`` against a simulator URL (gateway v3).

    ``program``: an installed ``jobtui`` script (``benchmarks/installed.py``);
    without one, ``python -m jobtui`` from the checkout.
    """
    start = [str(program)] if program is not None else [sys.executable, "-m", "jobtui"]
    return [
        *start,
        "watch",
        str(job),
        "--url",
        url,
        "--api",
        "v3",
        "--scope-type",
        "biz",
        "--scope-id",
        "2",
        *flags,
    ]


class PtyProcess:
    """A child on a real pty of a given size; a thread drains and counts what it writes."""

    def __init__(
        self, argv: list[str], cols: int, rows: int, env: dict[str, str] | None = None
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env or child_env(),
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.total = 0
        self.last_write = self.started
        self.tail = bytearray()  # last bytes, for marker searches
        self.text = bytearray()  # printable text with escape sequences removed (bounded)
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    self._cond.notify_all()
                    return
                self.total += len(chunk)
                self.last_write = time.perf_counter()
                self.tail += chunk
                if len(self.tail) > 1 << 20:
                    del self.tail[: len(self.tail) - (1 << 19)]
                self._cond.notify_all()

    def plain(self) -> bytes:
        """Recent output with escape sequences removed (good enough to find visible words)."""
        with self._cond:
            return CSI_OR_OSC.sub(b"", bytes(self.tail))

    def mark(self) -> None:
        """Forget earlier output so the next wait only sees what comes after now."""
        with self._cond:
            self.tail.clear()

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float) -> float | None:
        """Seconds since start when ``predicate(plain output)`` first holds, or None."""
        deadline = time.perf_counter() + timeout
        while True:
            if predicate(self.plain()):
                return time.perf_counter() - self.started
            left = deadline - time.perf_counter()
            if left <= 0 or self.proc.poll() is not None:
                return None
            with self._cond:
                self._cond.wait(min(left, 0.05))

    def wait_text(self, marker: str, timeout: float) -> float | None:
        data = marker.encode()
        return self.wait_for(lambda out: data in out, timeout)

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def quiet(self, gap: float, timeout: float) -> None:
        """Wait until the child has written nothing for ``gap`` seconds (bounded)."""
        deadline = time.perf_counter() + timeout
        last, since = self.total, time.perf_counter()
        while time.perf_counter() < deadline:
            time.sleep(0.05)
            if self.total != last:
                last, since = self.total, time.perf_counter()
            elif time.perf_counter() - since >= gap:
                return

    def close(self) -> None:
        """Stop the child we started (by its own process group) and release the pty."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        with contextlib.suppress(OSError):
            os.close(self.master)
        self._reader.join(timeout=2)
