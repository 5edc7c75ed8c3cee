"""Code tables of bk-job: job/step status, host status, step types, launch modes.

Every lookup is total: an unknown code is kept and labelled ``unknown (N)`` so a
server newer than this table never crashes the monitor (bkjob-api.md §6.3).
The severity is what the UI colours by; the label is what it prints, so a state
is always readable without colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How a state should be presented, independent of its exact code."""

    SUCCESS = "success"
    RUNNING = "running"
    PENDING = "pending"  # not started yet / waiting for its turn
    ATTENTION = "attention"  # waiting for a person (manual confirm, manual rolling pause)
    FAILED = "failed"
    SKIPPED = "skipped"  # skipped, ignored error, terminated on purpose
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One entry of a code table."""

    code: int
    label: str
    finished: bool
    severity: Severity
    known: bool = True


def _unknown(code: int, *, finished: bool = False) -> CodeInfo:
    return CodeInfo(code, f"unknown ({code})", finished, Severity.UNKNOWN, known=False)


# ---------------------------------------------------------------- job / step status

_S = Severity
_RUN_STATUS: dict[int, tuple[str, bool, Severity]] = {
    1: ("Pending", False, _S.PENDING),
    2: ("Running", False, _S.RUNNING),
    3: ("Success", True, _S.SUCCESS),
    4: ("Failed", True, _S.FAILED),
    5: ("Skipped", True, _S.SKIPPED),
    6: ("Ignore Error", True, _S.SKIPPED),
    # WAITING_USER: a confirmation step (type 3), or a manual rolling pause (a
    # script/file step between batches, JobListener.nextStep MANUAL branch). Where the
    # step is known the screens name which (core/waits.py WAIT_NAMES); this label is
    # for where it is not (a job list row): "a person", as both waits need one.
    7: ("Waiting for a person", False, _S.ATTENTION),
    8: ("Terminated", True, _S.FAILED),
    9: ("Abnormal", True, _S.FAILED),
    10: ("Terminating", False, _S.RUNNING),
    11: ("Terminate Success", True, _S.FAILED),
    12: ("Force Terminate Failed", True, _S.FAILED),
    13: ("Termination Confirmed", True, _S.FAILED),
    14: ("Abandoned", True, _S.FAILED),
    # ROLLING_WAITING: a step between two automatic batches, for an instant
    # (GseStepEventHandler.onSuccess, JobListener); never a job's status
    15: ("Next batch starting", False, _S.RUNNING),
}

#: Job statuses for which bk-job reports ``finished: true`` (§2; 7, 10, 15 are not).
FINISHED_RUN_STATUSES = frozenset({3, 4, 5, 6, 8, 9, 11, 13, 14})
#: Job/step statuses that mean "a person must act": 7 (a confirmation, or continuing
#: a manual rolling pause). 15 is not one: the next batch starts on its own.
PERSON_WAIT_STATUSES = frozenset({7})
#: Finished job statuses that count as a failed run for exit codes and toasts.
FAILED_RUN_STATUSES = frozenset({4, 8, 9, 11, 12, 13, 14})


def run_status(code: int | None) -> CodeInfo:
    """Describe a job or step status (bk-job ``RunStatusEnum``)."""
    if code is None:
        return CodeInfo(-1, "unknown", False, Severity.UNKNOWN, known=False)
    entry = _RUN_STATUS.get(code)
    if entry is None:
        return _unknown(code)
    label, finished, severity = entry
    return CodeInfo(code, label, finished, severity)


# ---------------------------------------------------------------- host status

_HOST_STATUS: dict[int, str] = {
    0: "Unknown Error",
    1: "Abnormal Agent",
    2: "Invalid Execute Object",
    3: "Successful Last Time",
    5: "Waiting",
    7: "Running",
    9: "Success",
    11: "Failed",
    12: "Task Send Failed",
    13: "Task Timeout",
    15: "Error in Log",
    16: "Script Log Timeout",
    17: "File Log Timeout",
    18: "Agent Not Installed",
    101: "Script Execution Failed",
    102: "Script Execution Timeout",
    103: "Script Execution Terminated",
    104: "Non-zero Exit Code",
    202: "File Transmission Failed",
    203: "Source File Not Exists",
    301: "Unclassified File Failure",
    303: "File Transmission Timeout",
    310: "Abnormal Agent",
    311: "User Not Exist",
    312: "User Password Incorrect",
    320: "File Pull Failed",
    321: "File Size Exceeds Limit",
    329: "File Transmission Error",
    399: "Execution Error",
    403: "Force Terminated",
    404: "Force Terminate Failed",
    500: "Unknown",
}
HOST_SUCCESS_STATUSES = frozenset({3, 9})
HOST_RUNNING_STATUSES = frozenset({7})
HOST_WAITING_STATUSES = frozenset({5})


def host_status(code: int | None) -> CodeInfo:
    """Describe a host (execute object) status; the UI colours fail for all others."""
    if code is None:
        return CodeInfo(-1, "unknown", True, Severity.UNKNOWN, known=False)
    label = _HOST_STATUS.get(code)
    if code in HOST_SUCCESS_STATUSES:
        severity = Severity.SUCCESS
    elif code in HOST_RUNNING_STATUSES:
        severity = Severity.RUNNING
    elif code in HOST_WAITING_STATUSES:
        severity = Severity.PENDING
    else:
        severity = Severity.FAILED
    finished = code not in HOST_RUNNING_STATUSES | HOST_WAITING_STATUSES
    if label is None:
        return CodeInfo(code, f"unknown ({code})", finished, severity, known=False)
    return CodeInfo(code, label, finished, severity)


def host_outcome(code: int | None) -> str:
    """Bucket a host status as ``ok``, ``failed``, ``running`` or ``waiting`` for counts."""
    if code in HOST_SUCCESS_STATUSES:
        return "ok"
    if code in HOST_RUNNING_STATUSES:
        return "running"
    if code in HOST_WAITING_STATUSES:
        return "waiting"
    return "failed"


# ---------------------------------------------------------------- other enums

_STEP_TYPES = {1: "script", 2: "file", 3: "confirm", 4: "SQL"}
_LAUNCH_MODES = {1: "web", 2: "API", 3: "cron"}
_INSTANCE_TYPES = {0: "job plan", 1: "quick script", 2: "quick file"}
_FILE_STATUS = {
    0: "pulling",
    1: "waiting",
    2: "uploading",
    3: "downloading",
    4: "finished",
    5: "failed",
}


def _label(table: dict[int, str], code: int | None) -> str:
    if code is None:
        return "-"
    return table.get(code, f"unknown ({code})")


def step_type(code: int | None) -> str:
    """Short step-type word: script, file, confirm, SQL."""
    return _label(_STEP_TYPES, code)


def launch_mode(code: int | None) -> str:
    """How the job was started: web, API, cron."""
    return _label(_LAUNCH_MODES, code)


def instance_type(code: int | None) -> str:
    """Job instance type: job plan, quick script, quick file."""
    return _label(_INSTANCE_TYPES, code)


def file_status(code: int | None) -> str:
    """File-transfer state of one file-log entry."""
    return _label(_FILE_STATUS, code)
