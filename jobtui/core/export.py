"""Save host logs to files: the selected host's, or every host's of a step.

A saved log is evidence, so it is written *faithfully*: the text exactly as the
API returned it (v2 already HTML-unescaped by the client), escape sequences and
all, as UTF-8; characters that cannot be encoded (lone surrogates) are written
back as the bytes they stood for, or replaced. Read such files with ``less -R``
or an editor, not ``cat`` on a terminal you care about.

File names come from IPs and host ids only, reduced to ``[A-Za-z0-9._-]``, so
no name from the server can climb out of the target directory. Logs of many
hosts are fetched ≤500 per request (bk-job's batch limit) with progress
reported after each request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jobtui.api.base import JobApi
from jobtui.api.catalog import file_status
from jobtui.api.errors import ApiError
from jobtui.api.models import HostLog, HostRef, LogKind

BATCH_MAX = 500
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

Progress = Callable[[int, int], None]  # (hosts saved so far, hosts in all)


@dataclass(frozen=True, slots=True)
class ExportResult:
    """Where the logs went, how many hosts had none, and which requests failed (why)."""

    directory: Path
    files: tuple[Path, ...]
    missing: int = 0
    failed: int = 0  # hosts whose log request failed
    reasons: tuple[str, ...] = ()  # the distinct errors of those requests


def step_directory(base: Path, job_instance_id: int, step_instance_id: int) -> Path:
    """``<base>/job-<id>/step-<id>``: ids are ints, so the path is ours alone."""
    return base / f"job-{int(job_instance_id)}" / f"step-{int(step_instance_id)}"


def log_filename(ref: HostRef) -> str:
    """``<cloud>_<ip>.log`` (or the IPv6 / host id), only safe characters, never hidden.

    A container's file is ``container_<name>_<CMDB id>.log``: names repeat across
    namespaces and restarts, the id does not, and the prefix keeps a container
    named like an address from taking a host's file.
    """
    if ref.container is not None:
        c = ref.container
        label = c.name or c.short_id or "container"
        ident = c.cmdb_id if c.cmdb_id is not None else c.short_id or "?"
        stem = _UNSAFE_NAME.sub("_", f"container_{label}_{ident}").strip("._") or "container"
        return f"{stem[:120]}.log"
    address = ref.ip or ref.ipv6 or (f"host-{ref.host_id}" if ref.host_id is not None else "host")
    cloud = ref.cloud_id if ref.cloud_id is not None else 0
    stem = _UNSAFE_NAME.sub("_", f"{cloud}_{address}").strip("._") or "host"
    return f"{stem[:120]}.log"


def encode_log(text: str) -> bytes:
    """UTF-8 of the text; surrogate-escaped bytes restored, other lone surrogates replaced."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def render_log(log: HostLog) -> str:
    """The file body: the script output, or one block per file transfer."""
    if log.kind is not LogKind.FILE:
        return log.content
    parts: list[str] = []
    for transfer in log.files:
        source = transfer.src.display if transfer.src else "-"
        dest = transfer.dest.display if transfer.dest else "-"
        head = (
            f"# {'upload' if transfer.mode == 0 else 'download'} "
            f"{source}:{transfer.src_path or '-'} -> {dest}:{transfer.dest_path or '-'} "
            f"[{file_status(transfer.status)}] size={transfer.size or '-'} "
            f"progress={transfer.progress or '-'} speed={transfer.speed or '-'}"
        )
        parts.append(head)
        if transfer.content:
            parts.append(transfer.content)
    return "\n".join(parts) + ("\n" if parts else "")


def _write(path: Path, text: str) -> None:
    """Write via a temporary file so a crash never leaves half a log under the real name."""
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(encode_log(text))
    os.replace(temporary, path)


def _unique(directory: Path, name: str, taken: set[str]) -> Path:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name[:-4]}-{n}.log"
    taken.add(candidate)
    return directory / candidate


async def save_host_log(
    client: JobApi, job_instance_id: int, step_instance_id: int, host: HostRef, base: Path
) -> Path:
    """Fetch and save one host's latest log; return the file written."""
    log = await client.get_host_log(job_instance_id, step_instance_id, host)
    directory = step_directory(base, job_instance_id, step_instance_id)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / log_filename(host)
    _write(path, render_log(log))
    return path


async def save_step_logs(
    client: JobApi,
    job_instance_id: int,
    step_instance_id: int,
    hosts: Sequence[HostRef],
    base: Path,
    *,
    chunk: int = BATCH_MAX,
    progress: Progress | None = None,
) -> ExportResult:
    """Fetch the logs of ``hosts`` ≤``chunk`` (≤500) at a time and save one file per host."""
    size = max(1, min(chunk, BATCH_MAX))
    directory = step_directory(base, job_instance_id, step_instance_id)
    directory.mkdir(parents=True, exist_ok=True)
    unique = list({ref.key: ref for ref in hosts}.values())
    files: list[Path] = []
    taken: set[str] = set()
    missing = failed = 0
    reasons: list[str] = []
    if progress is not None:
        progress(0, len(unique))
    for start in range(0, len(unique), size):
        part = unique[start : start + size]
        try:
            logs = await client.get_host_logs(job_instance_id, step_instance_id, part)
        except ApiError as error:
            # One failed request (a timeout on a huge batch) costs its hosts, not the rest.
            failed += len(part)
            if str(error) not in reasons:
                reasons.append(str(error))
            if progress is not None:
                progress(start + len(part), len(unique))
            continue
        by_key = {log.ref.key: log for log in logs}
        for ref in part:
            log = by_key.get(ref.key) or _by_address(logs, ref)
            if log is None:
                missing += 1
                continue
            path = _unique(directory, log_filename(ref), taken)
            _write(path, render_log(log))
            files.append(path)
        if progress is not None:
            progress(start + len(part), len(unique))
    return ExportResult(directory, tuple(files), missing, failed, tuple(reasons))


def _by_address(logs: Sequence[HostLog], ref: HostRef) -> HostLog | None:
    """Match a log whose reference lacks the host id the request had (ESB answers by IP)."""
    for log in logs:
        if ref.ip and log.ref.ip == ref.ip and (log.ref.cloud_id in (None, ref.cloud_id)):
            return log
        if ref.ipv6 and log.ref.ipv6 == ref.ipv6:
            return log
    return None
