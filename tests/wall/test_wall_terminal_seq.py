"""OSC 9 / 777 / 52: exact bytes, and hostile payloads cannot break out."""

from __future__ import annotations

import base64

import pytest

from jobtui.api.models import HostRef
from jobtui.core.terminal_seq import (
    for_terminal,
    host_addresses,
    notification,
    osc9,
    osc52,
    osc777,
    tmux_passthrough,
)

HOSTILE = "evil\x07\x1b]52;c;cm0gLXJmIC8K\x07\x1b\\\x9c\x9d0;title\x1b[2J;x\n"


def test_exact_bytes() -> None:
    assert osc9("Job failed") == "\x1b]9;Job failed\x07"
    assert osc777("Job failed", "deploy: Failed") == "\x1b]777;notify;Job failed;deploy: Failed\x07"
    assert osc52("10.0.0.1\n10.0.0.2") == "\x1b]52;c;MTAuMC4wLjEKMTAuMC4wLjI=\x07"
    assert notification("T", "b") == "\x1b]777;notify;T;b\x07\x1b]9;T: b\x07"


def _payload(sequence: str, prefix: str) -> str:
    assert sequence.startswith(prefix) and sequence.endswith("\x07")
    return sequence[len(prefix) : -1]


@pytest.mark.parametrize("text", [HOSTILE, "\x1b\\", "\x07", "\x9c", "a\x00b", "\x1bP1$r\x1b\\"])
def test_hostile_payloads_stay_inside(text: str) -> None:
    for sequence, prefix in ((osc9(text), "\x1b]9;"), (osc777(text, text), "\x1b]777;notify;")):
        inner = _payload(sequence, prefix)
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in inner), inner
    title_and_body = _payload(osc777("a;b;c", "d;e"), "\x1b]777;notify;")
    assert title_and_body == "a,b,c;d;e"  # the title cannot add fields


def test_osc9_subcommand_lookalike_is_defused() -> None:
    assert osc9("4;3;50") == "\x1b]9; 4;3;50\x07"


def test_osc52_is_base64_and_bounded() -> None:
    sequence = osc52(HOSTILE)
    encoded = _payload(sequence, "\x1b]52;c;")
    assert base64.b64decode(encoded).decode() == HOSTILE
    with pytest.raises(ValueError, match="too many"):
        osc52("x" * 100_000)
    with pytest.raises(ValueError):
        osc52("x", target="q")


def test_tmux_passthrough_doubles_every_escape() -> None:
    wrapped = tmux_passthrough(osc9("hi"))
    assert wrapped == "\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\"
    assert for_terminal("X", {"TMUX": "/tmp/tmux-0/default,1,0"}) == tmux_passthrough("X")
    assert for_terminal("X", {}) == "X"


def test_host_addresses() -> None:
    hosts = [
        HostRef(1, 0, "10.0.0.1"),
        HostRef(2, 3, None, "fd00::1"),
        HostRef(3, 0, "10.0.0.1"),
        HostRef(4, 0, None, None),
        HostRef(5, 2, "1.2.3.4\x1b]0;x\x07"),
    ]
    assert host_addresses(hosts) == "10.0.0.1\nfd00::1\n1.2.3.4"
    assert host_addresses(hosts, with_cloud=True) == "0:10.0.0.1\n3:fd00::1\n2:1.2.3.4"
