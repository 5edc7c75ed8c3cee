"""Options of one live-monitor session, as the command line gives them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jobtui.api.filters import StepFilter
from jobtui.core.audit import AuditContext
from jobtui.core.readonly import ReadOnly


def default_save_dir() -> Path:
    """Where ``l`` / ``L`` save logs: the user's data directory, not the current one.

    ``$XDG_DATA_HOME/jobtui/logs`` (``~/.local/share/jobtui/logs`` on Linux, the
    platform's equivalent elsewhere): a monitor started inside a git clone must
    not leave a ``jobtui-logs`` folder in its ``git status``.
    """
    import platformdirs

    return Path(platformdirs.user_data_dir("jobtui")) / "logs"


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
    save_dir: Path = field(default_factory=default_save_dir)  # `l` / `L` (--save-dir)
    readonly: ReadOnly | None = None  # why no operation may be sent (None: they may)
    audit: AuditContext | None = None  # where operations are recorded (None: not recorded)
