"""Run jobtui in a real pseudo-terminal and collect every byte it writes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class PtyApp:
    proc: subprocess.Popen[bytes]
    master: int
    output: bytearray = field(default_factory=bytearray)

    def read_for(self, seconds: float, *, until: bytes | None = None) -> bool:
        """Collect output for ``seconds`` (or until ``until`` shows up); True if it did."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if until is not None and until in self.output:
                return True
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return until is None
                if not chunk:
                    return until is None
                self.output += chunk
        return until is None or until in self.output

    def read_chunk(self, seconds: float) -> bytes | None:
        """The next bytes written (one read, appended to ``output``); b"" if none came
        within ``seconds``, None once the program closed its terminal."""
        ready, _, _ = select.select([self.master], [], [], seconds)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        self.output += chunk
        return chunk

    def press(self, *keys: bytes, gap: float = 0.3) -> None:
        for key in keys:
            os.write(self.master, key)
            self.read_for(gap)

    def wait_gone(self, seconds: float) -> int | None:
        """The exit code if the process ended within ``seconds`` (draining output)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                return code
            try:
                self.read_for(0.05)
            except OSError:
                time.sleep(0.05)
        return self.proc.poll()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        with contextlib.suppress(OSError):
            os.close(self.master)


def spawn(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    cols: int = 120,
    rows: int = 40,
    code: str | None = None,
) -> PtyApp:
    """``python -m jobtui ARGS`` in a fresh pty (or ``python -c CODE`` when given)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", code] if code else [sys.executable, "-m", "jobtui", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=full_env,
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        close_fds=True,
    )
    os.close(slave)
    return PtyApp(proc, master)
