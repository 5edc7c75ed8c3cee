"""Terminal sequences for desktop notifications (OSC 9, OSC 777) and the clipboard (OSC 52).

Their payloads come from bk-job (job names, IPs) and so from other people: a
name holding ``BEL`` or ``ESC \\`` would end the sequence early and smuggle the
rest to the terminal. Notification text therefore goes through ``safe_text``
(every ESC, BEL and C1 control becomes visible text) and loses the ``;`` that
separates OSC 777 fields; clipboard text is base64, which has no controls.

Inside tmux the sequences are wrapped in tmux's passthrough
(``ESC P tmux; … ESC \\``, every inner ESC doubled) when ``$TMUX`` is set; tmux
3.3+ forwards them only with ``set -g allow-passthrough on``. OSC 52 also works
without passthrough when tmux's ``set-clipboard`` is ``on``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping

from jobtui.api.models import HostRef
from jobtui.core.sanitize import safe_text

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
NOTIFY_MAX = 200  # characters of title or body; terminals show one line anyway
CLIPBOARD_MAX = 74_994  # base64 bytes: xterm's default limit, hterm's too
_SUBCOMMAND = re.compile(r"^\d+;")  # "4;…" would be an OSC 9 sub-command (ConEmu progress)


def _payload(text: str, *, semicolons: bool = True) -> str:
    """One safe line: no controls at all (safe_text shows them visibly)."""
    clean = safe_text(text, max_len=NOTIFY_MAX)
    if not semicolons:
        clean = clean.replace(";", ",")
    return clean


def osc9(message: str) -> str:
    """``ESC ] 9 ; message BEL``: iTerm2, WezTerm, Windows Terminal, kitty, foot."""
    body = _payload(message)
    if _SUBCOMMAND.match(body):
        body = " " + body
    return f"{ESC}]9;{body}{BEL}"


def osc777(title: str, body: str) -> str:
    """``ESC ] 777 ; notify ; title ; body BEL``: rxvt-unicode, foot, Ghostty, VTE terminals."""
    return f"{ESC}]777;notify;{_payload(title, semicolons=False)};{_payload(body)}{BEL}"


def notification(title: str, body: str) -> str:
    """Both forms: a terminal ignores the OSC it does not know."""
    return osc777(title, body) + osc9(f"{title}: {body}")


def osc52(text: str, *, target: str = "c") -> str:
    """``ESC ] 52 ; c ; base64 BEL``: put ``text`` on the clipboard; ValueError when too big."""
    if target not in ("c", "p", "s"):
        raise ValueError(f"bad clipboard target {target!r}")
    encoded = base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")
    if len(encoded) > CLIPBOARD_MAX:
        raise ValueError(
            f"{len(text):,} characters are too many for the terminal clipboard "
            f"(at most about {CLIPBOARD_MAX * 3 // 4} bytes)"
        )
    return f"{ESC}]52;{target};{encoded}{BEL}"


def tmux_passthrough(sequence: str) -> str:
    """Wrap for tmux: ``ESC P tmux ; <sequence with ESC doubled> ESC \\``."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"


def for_terminal(sequence: str, env: Mapping[str, str]) -> str:
    """``sequence`` as it must be written in this environment (tmux-wrapped under $TMUX)."""
    return tmux_passthrough(sequence) if env.get("TMUX") else sequence


def host_addresses(hosts: Iterable[HostRef], *, with_cloud: bool = False) -> str:
    """One address a line, ``ip`` or ``cloud:ip`` (IPv6 when there is no IPv4), deduplicated."""
    lines: dict[str, None] = {}
    for ref in hosts:
        address = ref.ip or ref.ipv6
        if not address:
            continue
        address = safe_text(address, max_len=64).replace(" ", "")
        if with_cloud:
            cloud = ref.cloud_id if ref.cloud_id is not None else 0
            address = f"{cloud}:{address}"
        lines[address] = None
    return "\n".join(lines)


# The most addresses that could fit the clipboard ("1.1.1.1\n" is the shortest
# line): fetching more hosts than this to copy them would be wasted bytes.
CLIPBOARD_LINES_MAX = CLIPBOARD_MAX // 4 * 3 // 8


def fit_clipboard(text: str) -> tuple[str, int, int]:
    """(the leading lines of ``text`` that OSC 52 can carry, lines kept, lines in all)."""
    lines = text.split("\n") if text else []
    budget = CLIPBOARD_MAX // 4 * 3  # base64: 4 bytes per 3
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = len(line.encode("utf-8", "replace")) + (1 if kept else 0)
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    return "\n".join(kept), len(kept), len(lines)
