"""The local audit file: one JSON line for every operation jobtui sent to bk-job.

Operations change production; the person who sent one must be able to say
afterwards what was sent, when, as whom, and what bk-job answered, even when
the screen is gone. The file lives in the XDG state directory
(``$XDG_STATE_HOME/jobtui/audit.jsonl``, platformdirs elsewhere), is created
with mode 0600 in a 0700 directory, and never holds a secret: the user is the
configured ``bk_username`` (or only the kind of token), the URL loses any
user-info and query.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from jobtui.api.auth import Credentials

AUDIT_NAME = "audit.jsonl"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/jobtui`` (platformdirs' user state dir elsewhere)."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_STATE_HOME")
    if xdg:
        return Path(xdg) / "jobtui"
    import platformdirs

    return Path(platformdirs.user_state_dir("jobtui"))


def who(credentials: Credentials) -> str:
    """The user an operation is made as, without the token itself."""
    if credentials.username and not (credentials.bk_token or credentials.access_token):
        return credentials.username
    if credentials.access_token:
        return "(access_token user)"
    if credentials.bk_token:
        return "(bk_token user)"
    return credentials.username or "(no user)"


def clean_url(url: str) -> str:
    """The server URL without user-info, query or fragment (they could hold a secret)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Who sends operations, through which profile, to which server; where to record them."""

    user: str
    profile: str
    url: str
    path: Path | None = None  # None: the state directory's audit.jsonl

    @classmethod
    def of(
        cls, credentials: Credentials, profile: str, url: str, path: Path | None = None
    ) -> AuditContext:
        return cls(who(credentials), profile, clean_url(url), path)

    @property
    def file(self) -> Path:
        return self.path if self.path is not None else state_dir() / AUDIT_NAME


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One operation as sent and answered."""

    job_instance_id: int
    step_instance_id: int | None
    action: str
    operation_code: int
    outcome: str  # accepted, refused, unknown
    answer: str  # bk-job's answer in one line (the error, or "accepted")
    request_id: str | None = None
    code: int | None = None  # bk-job's error code when refused


def record(context: AuditContext, entry: AuditEntry, *, at: datetime | None = None) -> Path:
    """Append ``entry`` as one JSON line; the file is created 0600. Returns its path."""
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    line = {
        "time": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "user": context.user,
        "profile": context.profile,
        "url": context.url,
        "job_instance_id": entry.job_instance_id,
        "step_instance_id": entry.step_instance_id,
        "action": entry.action,
        "operation_code": entry.operation_code,
        "outcome": entry.outcome,
        "code": entry.code,
        "answer": entry.answer,
        "request_id": entry.request_id,
    }
    path = context.file
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return path
