"""Hostile names, tags and log lines in a real pseudo-terminal: the raw bytes written
carry none of the hostile sequences, beyond what Textual itself writes (baseline run)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.resilience.ptyrun import PtyApp, spawn

pytestmark = pytest.mark.slow

DOWN, UP, TAB = b"\x1b[B", b"\x1b[A", b"\t"
# sequences only the simulator's hostile text could produce: never in the output
PAYLOADS = (
    b"\x1b]52;",  # OSC 52 clipboard write
    b"\x1b]0;HACKED",
    b"\x1b]0;pwned",
    b"\x1b]2;owned",
    b"\x1b]8;;http://evil",  # OSC 8 hyperlink
    b"\x1bPq",  # DCS sixel
    b"\x1bP",  # any DCS
    b"\x1b[200~",  # bracketed paste content markers
    b"\x1b[201~",
    b"\x1b[10;10Hmoved",
    b"\xc2\x9b",  # C1 CSI, UTF-8 encoded
    b"\x9b31m",
    b"\x00",
)
# sequences Textual writes itself: the hostile run may not write them more often
TEXTUAL_OWN = (b"\x1b[?1049h", b"\x1b[?1049l", b"\x1b[2J", b"\x1b]")


def _session(scenario: str, *, until: bytes | None = None) -> bytes:
    app: PtyApp = spawn(["demo", "--scenario", scenario, "--speed", "5"])
    try:
        assert app.read_for(30, until=b"step"), app.output[-2000:]
        app.read_for(2)
        app.press(DOWN, DOWN, UP, TAB, DOWN, DOWN, TAB, DOWN, b"G", TAB, TAB, DOWN, DOWN)
        app.read_for(2)
        if until is not None:
            # the hostile log reaches its later lines at its own pace; a loaded
            # machine may need longer than the fixed pauses above
            app.read_for(30, until=until)
        app.press(b"q")
        assert app.wait_gone(10) is not None
        return bytes(app.output)
    finally:
        app.kill()


@pytest.fixture(scope="module")
def runs() -> tuple[bytes, bytes]:
    """The baseline and the hostile run side by side: separate programs in separate
    ptys, so one wall-clock wait serves both."""
    with ThreadPoolExecutor(2) as pool:
        baseline = pool.submit(_session, "default")
        hostile = pool.submit(_session, "hostile", until=b"paste")
        return baseline.result(), hostile.result()


def test_hostile_text_was_drawn(runs: tuple[bytes, bytes]) -> None:
    _, hostile = runs
    assert b"evil" in hostile  # the job name, cleaned, was on screen
    assert b"TTTTTTTT" in hostile or b"paste" in hostile  # a hostile tag
    assert any(word in hostile for word in (b"clipboard", b"moved cursor", b"sixel"))  # log


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_no_hostile_sequence_reaches_the_terminal(
    runs: tuple[bytes, bytes], payload: bytes
) -> None:
    baseline, hostile = runs
    assert payload not in baseline or payload == b"\x1bP", "baseline already has it"
    assert payload not in hostile


@pytest.mark.parametrize("sequence", TEXTUAL_OWN, ids=repr)
def test_textual_own_sequences_not_multiplied(runs: tuple[bytes, bytes], sequence: bytes) -> None:
    baseline, hostile = runs
    assert hostile.count(sequence) <= max(baseline.count(sequence), 1) + 1
