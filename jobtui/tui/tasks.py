"""One-off jobs of the monitor: copy a group's IPs, save host logs.

They fetch more than a poll does (a whole result group, every log of a step),
so each runs in a worker of its own, beside the poll and never blocking the UI;
one at a time. Every outcome ends in a toast, and an API or disk error is a
toast too, never a traceback.

The tasks know nothing of the monitor screen: they read a ``TaskContext``
snapshot (what is selected), run in a worker they are lent, and report by
posting messages (``TaskProgress``, ``TaskToast``, ``TaskCopy``) that the screen
turns into the task line, toasts and the clipboard. So this module does not
import the screen, and the screen does not hand out its widgets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker

from jobtui.api.base import JobApi
from jobtui.api.errors import JobTuiError
from jobtui.api.filters import StepFilter
from jobtui.api.models import HostRef, HostResult, ResultGroup, StepResult
from jobtui.core.export import BATCH_MAX, ExportResult, save_host_log, save_step_logs
from jobtui.core.groups import CopyFormat, SortKey, copy_ips, sort_hosts
from jobtui.core.numfmt import plural
from jobtui.core.sanitize import safe_text
from jobtui.core.terminal_seq import CLIPBOARD_LINES_MAX

SAVE_CHUNK = BATCH_MAX  # hosts per batch log request (tests lower it)

Severity = Literal["information", "warning", "error"]


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


class TaskProgress(Message):
    """The task line's text (``None``: hide it)."""

    def __init__(self, text: str | None) -> None:
        super().__init__()
        self.text = text


class TaskToast(Message):
    """An outcome to tell the user."""

    def __init__(self, text: str, severity: Severity = "information") -> None:
        super().__init__()
        self.text = safe_text(text, max_len=300)
        self.severity: Severity = severity


class TaskCopy(Message):
    """Addresses to put on the clipboard; ``total`` is how many hosts the group has."""

    def __init__(self, text: str, total: int) -> None:
        super().__init__()
        self.text = text
        self.total = total


@dataclass(frozen=True, slots=True)
class TaskContext:
    """What the monitor shows when a task starts: all a task reads from it."""

    job_instance_id: int
    save_dir: Path
    filter: StepFilter
    step_id: int | None
    host: HostResult | None
    result: StepResult | None
    group: ResultGroup | None  # the results pane's selected group
    sort: tuple[SortKey, bool]  # the host table's order


Run = Callable[[Coroutine[Any, Any, None]], Worker[None]]
Post = Callable[[Message], object]


class MonitorTasks:
    """Copy and save actions of one monitor; at most one runs at a time."""

    def __init__(
        self, client: JobApi, context: Callable[[], TaskContext], run: Run, post: Post
    ) -> None:
        self.client = client
        self._context = context
        self._run = run
        self._post = post
        self.worker: Worker[None] | None = None

    @property
    def busy(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def _say(self, text: str | None) -> None:
        self._post(TaskProgress(text))

    def _toast(self, message: str, *, severity: Severity = "information") -> None:
        self._post(TaskToast(message, severity))

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        if self.busy:
            work.close()
            self._toast("Another copy or save is running (Escape cancels it)", severity="warning")
            return
        self.worker = self._run(work)

    def cancel(self) -> bool:
        """Cancel the running task; False when there is none."""
        if not self.busy or self.worker is None:
            return False
        self.worker.cancel()
        self._say(None)
        return True

    # ------------------------------------------------------------ copy IPs

    def copy_group(self, fmt: CopyFormat) -> None:
        """Copy the selected group's addresses; fetch the whole group when only a page is loaded."""
        ctx = self._context()
        group = ctx.group
        if group is None or group.host_count == 0:
            self._toast("No result group to copy", severity="warning")
            return
        if group.complete:
            ordered = sort_hosts(group.hosts, ctx.sort[0], reverse=ctx.sort[1])
            self._post(TaskCopy(copy_ips(ordered, fmt), group.host_count))
            return
        self._start(self._fetch_and_copy(ctx, group, fmt))

    async def _fetch_and_copy(self, ctx: TaskContext, group: ResultGroup, fmt: CopyFormat) -> None:
        assert ctx.step_id is not None  # a group is selected, so a step is
        wanted = min(group.host_count, CLIPBOARD_LINES_MAX)
        self._say(f"fetching {plural(wanted, 'host')} of the group to copy…")
        flt = ctx.filter.with_(
            statuses=(group.status,), tag=group.tag or None, max_hosts_per_group=wanted
        )
        try:
            result = await self.client.get_step_result(ctx.job_instance_id, ctx.step_id, flt)
        except JobTuiError as error:
            self._toast(f"Could not fetch the hosts to copy: {error}", severity="error")
            return
        finally:
            self._say(None)
        hosts = _group_hosts(result, group)
        ordered = sort_hosts(hosts, ctx.sort[0], reverse=ctx.sort[1])
        self._post(TaskCopy(copy_ips(ordered, fmt), group.host_count))

    # ------------------------------------------------------------ save logs

    def save_host(self) -> None:
        """Save the selected host's log under the save directory."""
        ctx = self._context()
        if ctx.host is None or ctx.step_id is None:
            self._toast("No host selected", severity="warning")
            return
        self._start(self._save_host(ctx, ctx.host, ctx.step_id))

    async def _save_host(self, ctx: TaskContext, host: HostResult, step_id: int) -> None:
        self._say(f"saving the log of {safe_text(host.ref.display, max_len=60)}…")
        try:
            base = ctx.save_dir.expanduser().absolute()  # the notice names it whole
            path = await save_host_log(self.client, ctx.job_instance_id, step_id, host.ref, base)
        except (JobTuiError, OSError) as error:
            self._toast(f"Could not save the log: {error}", severity="error")
            return
        finally:
            self._say(None)
        self._toast(f"Saved the log to {path}")

    def save_step(self) -> None:
        """Save every host's log of the selected step (≤500 hosts a request)."""
        ctx = self._context()
        if ctx.result is None or ctx.step_id is None:
            self._toast("No step selected", severity="warning")
            return
        if ctx.result.host_count == 0:
            self._toast("This step has no hosts", severity="warning")
            return
        self._start(self._save_step(ctx, ctx.result))

    async def _save_step(self, ctx: TaskContext, result: StepResult) -> None:
        job_id, step_id = ctx.job_instance_id, result.step_instance_id
        self._say(f"fetching the {plural(result.host_count, 'host')} of the step…")
        saved = 0

        def progress(done: int, total: int) -> None:
            nonlocal saved
            saved = done
            self._say(f"saving {done:,}/{plural(total, 'log')}…")

        try:
            refs = await self._every_host(ctx, result)
            export = await save_step_logs(
                self.client,
                job_id,
                step_id,
                refs,
                ctx.save_dir.expanduser().absolute(),
                chunk=SAVE_CHUNK,
                progress=progress,
            )
        except asyncio.CancelledError:
            self._toast(f"Saving cancelled after {plural(saved, 'log')}", severity="warning")
            raise
        except (JobTuiError, OSError) as error:
            self._toast(f"Could not save the logs: {error}", severity="error")
            return
        finally:
            self._say(None)
        text, severity = saved_message(export, len(refs))
        self._toast(text, severity=severity)

    async def _every_host(self, ctx: TaskContext, result: StepResult) -> list[HostRef]:
        """Every host of the step, paged by the step's host count (not a group's, which
        may be stale: a group that grew since the shown result would be cut)."""
        every = StepFilter(
            execute_count=ctx.filter.execute_count,
            batch=ctx.filter.batch,
            max_hosts_per_group=max(result.host_count, 1),
        )
        full = await self.client.get_step_result(
            ctx.job_instance_id, result.step_instance_id, every
        )
        if any(not group.complete for group in full.groups):  # the step grew: ask once more
            every = every.with_(max_hosts_per_group=max(full.host_count, 1))
            full = await self.client.get_step_result(
                ctx.job_instance_id, result.step_instance_id, every
            )
        return [host.ref for group in full.groups for host in group.hosts]


def saved_message(export: ExportResult, wanted: int) -> tuple[str, Severity]:
    """The toast after ``L``: "saved N of M" whenever a host's log is not saved, and why."""
    saved = len(export.files)
    if saved == wanted:
        return f"Saved {plural(saved, 'log')} to {export.directory}", "information"
    why = []
    if export.missing:
        why.append(f"{plural(export.missing, 'host')} had no log")
    if export.failed:
        reasons = "; ".join(export.reasons)
        why.append(f"{plural(export.failed, 'host')} failed: {reasons}")
    return (
        f"Saved {saved:,} of {plural(wanted, 'log')} to {export.directory}; {'; '.join(why)}",
        "warning",
    )


def _group_hosts(result: StepResult, group: ResultGroup) -> tuple[HostResult, ...]:
    """The hosts of ``group``'s (status, tag) in a fresh answer."""
    for candidate in result.groups:
        if candidate.key == group.key:
            return candidate.hosts
    return ()
