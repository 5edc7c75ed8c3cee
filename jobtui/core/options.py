"""Options of one live-monitor session, as the command line gives them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jobtui.api.filters import StepFilter
from jobtui.core.audit import AuditContext


@dataclass(frozen=True, slots=True)
class WatchOptions:
    """What `jobtui watch` / `jobtui demo` hand to the live monitor."""

    job_instance_id: int
    interval: float = 2.0  # job-status poll period while the job runs
    step_instance_id: int | None = None  # preselected step (--step)
    filter: StepFilter = field(default_factory=StepFilter)  # --status, --tag, ...
    bell: bool = False  # ring the terminal bell on transitions (--bell)
    ascii_only: bool = False  # no box-drawing/emoji glyphs (TERM=linux or --ascii)
    title: str = ""  # connection description shown in the header, e.g. "v3 · biz 2"
    notify: bool = False  # desktop notifications (OSC 777 / OSC 9) on transitions (--notify)
    save_dir: Path = field(default_factory=lambda: Path("jobtui-logs"))  # `l` / `L` (--save-dir)
    readonly: bool = False  # never send an operation (--readonly, profile, JOBTUI_READONLY)
    audit: AuditContext | None = None  # where operations are recorded (None: not recorded)
