"""The key reference of docs/user-guide.md, generated from the bindings.

``python -m jobtui.tui.keydoc`` rewrites the block between ``<!-- keys:begin -->``
and ``<!-- keys:end -->`` in docs/user-guide.md; tests/tui/test_keys_doc.py fails
when the file and the bindings disagree, and checks the README's short summary.
Nothing in the app imports this module (it imports the screens, which import
the help screen).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from textual.dom import DOMNode

from jobtui.tui.app import MonitorApp
from jobtui.tui.keys import KeySection, sections
from jobtui.tui.run_jobs import JobsApp
from jobtui.tui.screens.jobs import JobsScreen
from jobtui.tui.screens.monitor import MonitorScreen
from jobtui.tui.screens.wall import WallScreen
from jobtui.tui.widgets.group_tabs import GroupTabs
from jobtui.tui.widgets.host_table import HostTable
from jobtui.tui.widgets.job_card import JobCard
from jobtui.tui.widgets.job_list import JobList
from jobtui.tui.widgets.log_view import LogView
from jobtui.tui.widgets.logpane import LogPane
from jobtui.tui.widgets.results import ResultsPane
from jobtui.tui.widgets.step_tree import StepTree

# Owners in screen order, as the help screen finds them on a live screen.
MONITOR: tuple[type[DOMNode], ...] = (
    MonitorApp,
    MonitorScreen,
    StepTree,
    ResultsPane,
    GroupTabs,
    HostTable,
    LogPane,
    LogView,
)
JOBS: tuple[type[DOMNode], ...] = (JobsApp, JobsScreen, JobList, WallScreen, JobCard)

BEGIN, END = "<!-- keys:begin -->", "<!-- keys:end -->"
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"


def cell(keys: str) -> str:
    """``q / ctrl+q`` → ``\\`q\\` / \\`ctrl+q\\```; a ``|`` key is escaped for the table."""
    return " / ".join(f"`{k}`".replace("|", "\\|") for k in keys.split(" / "))


def markdown(found: Sequence[KeySection], heading: str = "####") -> str:
    out: list[str] = []
    for section in found:
        out += [f"{heading} {section.title}", "", "| key | does |", "|---|---|"]
        out += [f"| {cell(line.keys)} | {line.text} |" for line in section.lines]
        out.append("")
    return "\n".join(out)


def reference() -> str:
    """The whole block: the monitor's keys, then the job list's and the wall's."""
    monitor = markdown(sections(MONITOR))
    jobs = markdown([s for s in sections(JOBS) if s.title != "Everywhere"])
    intro = (
        "In `jobtui jobs`, `escape` goes back from a monitor or the wall to the list (in the"
        " monitor, once a copy or save in progress and a log search have been cleared: one"
        " level at a time)."
    )
    return f"{monitor}\n{intro}\n\n{jobs}".rstrip() + "\n"


def replace_block(text: str, block: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{block}{END}{tail}"


def main() -> int:
    text = GUIDE.read_text(encoding="utf-8")
    new = replace_block(text, reference())
    if new != text:
        GUIDE.write_text(new, encoding="utf-8")
        print(f"updated {GUIDE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
