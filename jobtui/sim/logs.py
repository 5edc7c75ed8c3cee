"""Host logs that grow line by line as the clock advances.

Logs are regenerated from (step, attempt, host, now) on demand; nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from jobtui.sim.hosts import Host
from jobtui.sim.steps import FILE, StepRun

SHANGHAI = timezone(timedelta(hours=8))
LOG_CAP = 5 * 1024 * 1024  # GSE keeps at most 5 MB per host

DEFAULT_LINES = (
    "Starting step on {ip}",
    "Checking disk space: /data 63% used",
    "Downloading artifact app-v1.2.tar.gz",
    "\x1b[32mOK\x1b[0m artifact verified (sha256 3f2a9c)",
    "Stopping service app.service",
    "Extracting to /data/app/releases/v1.2",
    "Starting service app.service",
    "\x1b[33mWARN\x1b[0m slow start: 2.4s",
)
HOSTILE_LINES = (
    "clipboard \x1b]52;c;cm0gLXJmIH4vKg==\x07 set",
    "title \x1b]0;HACKED\x07 and \x1b]2;owned\x1b\\ changed",
    "link \x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    "clear \x1b[2J\x1b[H\x1b[10;10Hmoved cursor",
    "alt screen \x1b[?1049h still here",
    "paste \x1b[200~rm -rf /\x1b[201~",
    "sixel \x1bPq#0;2;0;0;0#0~~@@vv\x1b\\ done",
    "c1 \x9b31mred\x9b0m and nul \x00 byte",
    "mojibake Ã©Ã¨ \ufffd\udcff bytes",
)
FINAL_LINES = {
    9: "\x1b[32mOK\x1b[0m done",
    104: "\x1b[31mERROR\x1b[0m No space left on device; exit {code}",
    103: "Terminated",
    13: "still waiting for lock /var/run/app.lock",
}
FILLER = "payload chunk " + "x" * 100


def fmt_ts(epoch: float) -> str:
    """bk-job's log timestamp, in the server's zone (Asia/Shanghai)."""
    return datetime.fromtimestamp(epoch, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _template(run: StepRun, host: Host) -> list[str]:
    lines = list(HOSTILE_LINES if run.spec.profile == "hostile" else DEFAULT_LINES)
    if run.spec.profile == "hostile" and host.index == 0:
        lines.append("long " + "A" * 100_000)
    return [line.replace("{ip}", host.ip or host.ipv6 or "?") for line in lines]


def _big(run: StepRun, host: Host) -> bool:
    return run.spec.profile == "scale" and host.index % 5000 == 7


def script_log(run: StepRun, attempt: int, host: Host, now: float) -> str:
    """The host's script log as of ``now``: lines appear at evenly spaced instants."""
    state = run.host_state(attempt, host.index, now)
    if state.start is None or state.fate[0] == 1:
        return ""
    lines = _template(run, host)
    duration = state.fate[4]
    out: list[str] = []
    for k, line in enumerate(lines):
        at = state.start + (k + 1) * duration / (len(lines) + 1)
        if at > now:
            break
        out.append(f"[{fmt_ts(at)}] {line}\n")
    if _big(run, host):
        out.append(_filler(state.start, duration, now))
    if state.end is not None:
        final = FINAL_LINES.get(state.status, "")
        if final:
            out.append(f"[{fmt_ts(state.end)}] {final.format(code=state.exit_code)}\n")
        if state.tag:
            verb = "job_success" if state.status == 9 else "job_fail"
            out.append(f"[{fmt_ts(state.end)}] {verb} {state.tag}\n")
    text = "".join(out)
    return text[:LOG_CAP] if len(text) > LOG_CAP else text


def _filler(start: float, duration: float, now: float) -> str:
    fraction = min(1.0, max(0.0, (now - start) / duration)) if duration else 1.0
    line = f"[{fmt_ts(start)}] {FILLER}\n"
    count = int(LOG_CAP // len(line) * fraction)
    return line * count


def log_contains(run: StepRun, attempt: int, host: Host, now: float, keyword: str) -> bool:
    """Keyword grep without building 5 MB logs: the filler is checked once."""
    if _big(run, host) and keyword in FILLER:
        state = run.host_state(attempt, host.index, now)
        return state.start is not None and state.fate[0] != 1
    return keyword in script_log_small(run, attempt, host, now)


def script_log_small(run: StepRun, attempt: int, host: Host, now: float) -> str:
    """The log without the bulk filler, for searching."""
    if not _big(run, host):
        return script_log(run, attempt, host, now)
    text = script_log(run, attempt, host, now)
    return text.replace(FILLER, "")


FILES = (("/data/release/app-v1.2.tar.gz", 52_428_800), ("/data/release/app.conf", 2048))


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One line of a file-distribution log (upload on a source, download on a target)."""

    mode: int  # 0 upload, 1 download
    src_path: str
    dest_path: str | None
    status: int  # 1 waiting, 2 uploading, 3 downloading, 4 finished, 5 failed
    size: str
    speed: str
    process: str
    log_content: str


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("Bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _file_line(
    ts: float, name: str, size: int, state: str, speed: str, pct: int, desc: str, detail: str
) -> str:
    return (
        f"[{fmt_ts(ts)}] FileName: {name} FileSize: {human_size(size)} State: {state} "
        f"Speed: {speed} Progress: {pct}% StatusDesc: {desc} Detail: {detail}\n"
    )


def file_entries(run: StepRun, attempt: int, host: Host, now: float, mode: int) -> list[FileEntry]:
    """Per-file transfer logs of a target (mode 1) or the source (mode 0) at ``now``."""
    if run.spec.type != FILE:
        return []
    index = host.index if mode == 1 else 0
    state = run.host_state(attempt, index, now)
    if mode == 0 and state.start is not None:
        state = run.host_state(attempt, 0, max(now, state.end or now))
    entries = []
    for path, size in FILES:
        name = path.rsplit("/", 1)[-1]
        dest = f"/data/deploy/{name}"
        shown = dest if mode == 1 else path
        if state.start is None:
            entries.append(
                FileEntry(
                    mode,
                    path,
                    dest if mode else None,
                    1,
                    human_size(size),
                    "0 KB/s",
                    "0%",
                    _file_line(now, shown, size, "waiting", "0 KB/s", 0, "Waiting", ""),
                )
            )
            continue
        duration = state.fate[4] or 1.0
        pct = int(100 * min(1.0, (now - state.start) / duration))
        speed = f"{int(size / 1024 / duration)} KB/s"
        failed = state.end is not None and state.status != 9
        if state.end is not None and not failed:
            pct, status, word, desc = 100, 4, "finished", "Success"
        elif failed:
            status, word, desc = 5, "failed", "Failed"
        else:
            status, word, desc = (
                (3, "downloading", "Downloading") if mode else (2, "uploading", "Uploading")
            )
        detail = "connection reset by peer" if failed else ""
        text = _file_line(state.start, shown, size, word, speed, 0, desc, "")
        if pct:
            text += _file_line(
                min(now, state.end or now), shown, size, word, speed, pct, desc, detail
            )
        entries.append(
            FileEntry(
                mode, path, dest if mode else None, status, human_size(size), speed, f"{pct}%", text
            )
        )
    return entries
