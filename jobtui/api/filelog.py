"""Read size, speed and progress out of a file-transfer log line.

``get_job_instance_ip_log`` sends ``size``/``speed``/``process`` as null; the
same facts are in the log text, one line per update, shaped
``[ts] FileName: … FileSize: … State: … Speed: … Progress: N% StatusDesc: … Detail: …``.
The last line that carries a field wins (it is the newest update).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABELS = ("FileName", "FileSize", "State", "Speed", "Progress", "StatusDesc", "Detail")
_LABEL_RE = re.compile(r"\b(" + "|".join(_LABELS) + r"):")


@dataclass(frozen=True, slots=True)
class FileLineFacts:
    """What one file-log text says about its transfer (``None`` = not said)."""

    name: str | None = None
    size: str | None = None
    state: str | None = None
    speed: str | None = None
    progress: str | None = None


def _fields(line: str) -> dict[str, str]:
    """``Label: value`` pairs of one line, values running up to the next label."""
    marks = list(_LABEL_RE.finditer(line))
    out: dict[str, str] = {}
    for here, after in zip(marks, [*marks[1:], None], strict=True):
        end = after.start() if after is not None else len(line)
        value = line[here.end() : end].strip()
        if value:
            out[here.group(1)] = value
    return out


def parse_file_log(content: str | None) -> FileLineFacts:
    """The newest value of each field found in ``content`` (any number of lines)."""
    found: dict[str, str] = {}
    for line in (content or "").splitlines():
        if "FileName:" in line or "Progress:" in line or "FileSize:" in line:
            found.update(_fields(line))
    progress = found.get("Progress")
    if progress is not None:
        progress = progress.split()[0]
    return FileLineFacts(
        name=found.get("FileName"),
        size=found.get("FileSize"),
        state=found.get("State"),
        speed=found.get("Speed"),
        progress=progress,
    )
