"""What reaches a plain terminal, byte for byte: TERM=xterm (8 colours) and LANG=C (ASCII)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.resilience.ptyrun import spawn

pytestmark = pytest.mark.slow

_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def _demo_bytes(env: dict[str, str], seconds: float = 6.0) -> bytes:
    """Every byte a demo writes in its first seconds (through a job's run and failure)."""
    app = spawn(["demo", "--speed", "5"], env=env, cols=100, rows=30)
    try:
        assert app.read_for(30, until=b"step"), app.output[-1500:]
        app.press(b"p", b"p", gap=0.5)  # the PAUSED badge and a notice
        app.read_for(seconds)
        return bytes(app.output)
    finally:
        app.kill()


#: Each terminal's demo: its environment and how long to read it. All run side by
#: side (separate programs in separate ptys), so one wall-clock wait serves all.
RUNS: dict[str, tuple[dict[str, str], float]] = {
    "xterm": ({"TERM": "xterm", "COLORTERM": ""}, 6.0),
    "xterm-256color": ({"TERM": "xterm-256color", "COLORTERM": ""}, 2.0),
    "LANG=C": ({"LANG": "C"}, 6.0),
    "LC_ALL=C": ({"LC_ALL": "C", "LANG": "C.UTF-8"}, 6.0),
}


@pytest.fixture(scope="module")
def demo_bytes() -> dict[str, bytes]:
    with ThreadPoolExecutor(len(RUNS)) as pool:
        runs = {
            name: pool.submit(_demo_bytes, env, seconds) for name, (env, seconds) in RUNS.items()
        }
        return {name: run.result() for name, run in runs.items()}


def _colour_codes(data: bytes) -> set[int]:
    codes: set[int] = set()
    for match in _SGR.finditer(data):
        parts = match.group(1).split(b";")
        index = 0
        while index < len(parts):
            if parts[index] in (b"38", b"48"):  # extended colour: skip its parameters
                index += 3 if parts[index + 1 : index + 2] == [b"5"] else 5
                continue
            if parts[index].isdigit():
                codes.add(int(parts[index]))
            index += 1
    return codes


def test_xterm_gets_only_the_8_colours_its_terminfo_promises(
    demo_bytes: dict[str, bytes],
) -> None:
    data = demo_bytes["xterm"]
    codes = _colour_codes(data)
    bright = {c for c in codes if 90 <= c <= 97 or 100 <= c <= 107}
    assert not bright, f"bright colour codes sent to an 8-colour terminal: {sorted(bright)}"
    assert b"\x1b[38;" not in data and b"\x1b[48;" not in data
    assert {31, 36} <= codes  # failure red, running cyan: both are drawn, in different colours


def test_a_256_colour_terminal_still_gets_its_colours(demo_bytes: dict[str, bytes]) -> None:
    data = demo_bytes["xterm-256color"]
    assert b"\x1b[38;5;" in data  # the filter is for few-colour terminals only


@pytest.mark.parametrize("locale", ["LANG=C", "LC_ALL=C"])
def test_a_c_locale_gets_only_ascii(demo_bytes: dict[str, bytes], locale: str) -> None:
    data = demo_bytes[locale]
    assert max(data) < 128, sorted({c for c in data.decode("utf-8", "replace") if ord(c) > 127})
