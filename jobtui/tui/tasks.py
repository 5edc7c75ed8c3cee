"""One-off jobs of the monitor: copy a group's IPs, save host logs.

They fetch more than a poll does (a whole result group, every log of a step),
so each runs in a worker of its own, beside the poll and never blocking the UI;
one at a time. Progress goes to ``TaskLine``, a one-line strip above the footer
that is hidden when idle; Escape cancels. Every outcome ends in a toast, and an
API or disk error is a toast too, never a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.widgets import Static
from textual.worker import Worker

from jobtui.api.errors import JobTuiError
from jobtui.api.filters import StepFilter
from jobtui.api.models import HostResult, ResultGroup, StepResult
from jobtui.core.export import BATCH_MAX, save_host_log, save_step_logs
from jobtui.core.groups import CopyFormat, copy_ips, sort_hosts
from jobtui.core.sanitize import safe_text
from jobtui.core.terminal_seq import CLIPBOARD_LINES_MAX, fit_clipboard
from jobtui.tui.notify import copy_text

if TYPE_CHECKING:
    from jobtui.tui.screens.monitor import MonitorScreen

SAVE_CHUNK = BATCH_MAX  # hosts per batch log request (tests lower it)


class TaskLine(Static):
    """What a running task is doing, e.g. "saving 1,200/10,000 logs… (Escape cancels)"."""

    DEFAULT_CSS = """
    TaskLine { height: 1; padding: 0 1; background: $accent 25%; display: none; }
    """

    def say(self, text: str | None) -> None:
        """Show ``text`` (hide the line for ``None``); unchanged text repaints nothing."""
        if text is None:
            self.display = False
            return
        line = f"{text} (Escape cancels)"
        if str(self.content) != line:
            self.update(line)
        self.display = True


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class MonitorTasks:
    """Copy and save actions of one monitor screen; at most one runs at a time."""

    def __init__(self, screen: MonitorScreen) -> None:
        self.screen = screen
        self.worker: Worker[None] | None = None

    @property
    def busy(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def _line(self) -> TaskLine:
        return self.screen.query_one(TaskLine)

    def _toast(self, message: str, *, severity: str = "information") -> None:
        self.screen.app.notify(
            safe_text(message, max_len=300),
            title="jobtui",
            severity=severity,  # type: ignore[arg-type]
            markup=False,
        )

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        if self.busy:
            work.close()
            self._toast("Another copy or save is running (Escape cancels it)", severity="warning")
            return
        self.worker = self.screen.run_worker(work, group="task", exit_on_error=False)

    def cancel(self) -> bool:
        """Cancel the running task; False when there is none."""
        if not self.busy or self.worker is None:
            return False
        self.worker.cancel()
        self._line().say(None)
        return True

    # ------------------------------------------------------------ copy IPs

    def copy_group(self, fmt: CopyFormat) -> None:
        """Copy the selected group's addresses; fetch the whole group when only a page is loaded."""
        group = self.screen.results.selected_group
        if group is None or group.host_count == 0:
            self._toast("No result group to copy", severity="warning")
            return
        if group.complete:
            self._copy(self.screen.results.copy_ips(fmt), group.host_count)
            return
        self._start(self._fetch_and_copy(group, fmt))

    async def _fetch_and_copy(self, group: ResultGroup, fmt: CopyFormat) -> None:
        screen = self.screen
        wanted = min(group.host_count, CLIPBOARD_LINES_MAX)
        self._line().say(f"fetching {_plural(wanted, 'host')} of the group to copy…")
        flt = screen.filter.with_(
            statuses=(group.status,), tag=group.tag or None, max_hosts_per_group=wanted
        )
        try:
            result = await screen.client.get_step_result(
                screen.options.job_instance_id, _step_id(screen), flt
            )
        except JobTuiError as error:
            self._toast(f"Could not fetch the hosts to copy: {error}", severity="error")
            return
        finally:
            self._line().say(None)
        hosts = _group_hosts(result, group)
        table = screen.results.table_sort
        ordered = sort_hosts(hosts, table[0], reverse=table[1])
        self._copy(copy_ips(ordered, fmt), group.host_count)

    def _copy(self, text: str, total: int) -> None:
        fitted, kept, lines = fit_clipboard(text)
        if kept == 0:
            self._toast("No addresses to copy", severity="warning")
            return
        outcome = copy_text(self.screen.app, fitted)
        if kept < total:
            outcome += (
                f" (the first {kept:,} of {total:,} hosts: the most a terminal clipboard takes)"
            )
        elif lines < total:
            outcome += f" ({total - lines:,} hosts have no address)"
        self._toast(outcome)

    # ------------------------------------------------------------ save logs

    def save_host(self) -> None:
        """Save the selected host's log under the save directory."""
        screen = self.screen
        host = screen.host
        if host is None or screen.step_id is None:
            self._toast("No host selected", severity="warning")
            return
        self._start(self._save_host(host, screen.step_id))

    async def _save_host(self, host: HostResult, step_id: int) -> None:
        screen = self.screen
        self._line().say(f"saving the log of {safe_text(host.ref.display, max_len=60)}…")
        try:
            path = await save_host_log(
                screen.client, screen.options.job_instance_id, step_id, host.ref, self._base()
            )
        except (JobTuiError, OSError) as error:
            self._toast(f"Could not save the log: {error}", severity="error")
            return
        finally:
            self._line().say(None)
        self._toast(f"Saved the log to {path}")

    def save_step(self) -> None:
        """Save every host's log of the selected step (≤500 hosts a request)."""
        screen = self.screen
        result = screen.result
        if result is None or screen.step_id is None:
            self._toast("No step selected", severity="warning")
            return
        if result.host_count == 0:
            self._toast("This step has no hosts", severity="warning")
            return
        self._start(self._save_step(result))

    async def _save_step(self, result: StepResult) -> None:
        screen = self.screen
        job_id, step_id = screen.options.job_instance_id, result.step_instance_id
        biggest = max((group.host_count for group in result.groups), default=0)
        self._line().say(f"fetching the {_plural(result.host_count, 'host')} of the step…")
        every = StepFilter(
            execute_count=screen.filter.execute_count,
            batch=screen.filter.batch,
            max_hosts_per_group=max(biggest, 1),
        )
        saved = 0

        def progress(done: int, total: int) -> None:
            nonlocal saved
            saved = done
            self._line().say(f"saving {done:,}/{total:,} logs…")

        try:
            full = await screen.client.get_step_result(job_id, step_id, every)
            refs = [host.ref for group in full.groups for host in group.hosts]
            export = await save_step_logs(
                screen.client,
                job_id,
                step_id,
                refs,
                self._base(),
                chunk=SAVE_CHUNK,
                progress=progress,
            )
        except asyncio.CancelledError:
            self._toast(f"Saving cancelled after {_plural(saved, 'log')}", severity="warning")
            raise
        except (JobTuiError, OSError) as error:
            self._toast(f"Could not save the logs: {error}", severity="error")
            return
        finally:
            self._line().say(None)
        missing = f"; {_plural(export.missing, 'host')} had no log" if export.missing else ""
        self._toast(f"Saved {_plural(len(export.files), 'log')} to {export.directory}{missing}")

    def _base(self) -> Path:
        return self.screen.options.save_dir.expanduser().absolute()  # the notice names it whole


def _step_id(screen: MonitorScreen) -> int:
    assert screen.step_id is not None  # a group is selected, so a step is
    return screen.step_id


def _group_hosts(result: StepResult, group: ResultGroup) -> tuple[HostResult, ...]:
    """The hosts of ``group``'s (status, tag) in a fresh answer."""
    for candidate in result.groups:
        if candidate.key == group.key:
            return candidate.hosts
    return ()
