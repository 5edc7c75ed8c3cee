"""Every notice of this run, in full; and a notice cut to a toast's few lines.

A toast is a glance: a few lines within a bounded width, gone after seconds.
An error with its gateway request id, a saved file's path or a refused
operation's reason can be longer than that, so every notice is also kept here,
whole, for the notices screen (``m``). The text kept is the text shown: already
made safe (no escape sequences) and, for API errors, already redacted by the
client, so no secret reaches either.
"""

from __future__ import annotations

import textwrap
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

__all__ = ["MAX_NOTICES", "NoticeEntry", "NoticeLog", "hanging", "toast_text"]

MAX_NOTICES = 200  # a run of days keeps its last 200 notices, a fixed cost


@dataclass(frozen=True, slots=True)
class NoticeEntry:
    at: datetime
    severity: str  # information, warning, error
    text: str


class NoticeLog:
    """The last ``MAX_NOTICES`` notices, oldest first."""

    def __init__(self, maxlen: int = MAX_NOTICES) -> None:
        self._entries: deque[NoticeEntry] = deque(maxlen=maxlen)

    def add(self, at: datetime, severity: str, text: str) -> NoticeEntry:
        entry = NoticeEntry(at, severity, text)
        self._entries.append(entry)
        return entry

    def __iter__(self) -> Iterator[NoticeEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def toast_text(
    text: str, width: int, *, lines: int = 4, more: str = "", ellipsis: str = "…"
) -> str:
    """``text`` wrapped to ``width`` cells; past ``lines`` lines it is cut with ``ellipsis``
    (``...`` in ASCII mode) and ``more`` (where the full text is) ends the last line.

    Words are kept whole where they fit; a word longer than the width (a path, a
    request id) is broken, as the toast would break it.
    """
    width = max(8, width)
    wrapped = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    tail = f"{ellipsis} {more}" if more else ellipsis
    kept = wrapped[:lines]
    last = kept[-1]
    room = max(0, width - len(tail))
    kept[-1] = (last[:room].rstrip() + tail) if len(last) + len(tail) > width else last + tail
    return "\n".join(kept)


def hanging(head: str, text: str, width: int) -> list[str]:
    """``head`` then ``text`` wrapped to ``width``, continuation lines under the text."""
    indent = len(head)
    chunks = textwrap.wrap(text, max(8, width - indent), break_on_hyphens=False) or [""]
    return [head + chunks[0], *(" " * indent + chunk for chunk in chunks[1:])]
