"""Command palette entries: jump to a step, a host, a batch; every toggle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from jobtui.core.filter_choices import apply_choice, batch_choices
from jobtui.core.sanitize import safe_text

if TYPE_CHECKING:
    from jobtui.tui.screens.monitor import MonitorScreen

Entry = tuple[str, Callable[[], object], str]  # (text, action, help)


def _toggles(screen: MonitorScreen) -> Iterator[Entry]:
    log = screen.log_pane
    yield ("Pause / resume polling", screen.action_toggle_pause, "p")
    yield ("Refresh now", screen.action_refresh, "r")
    yield ("Follow the running step", screen.action_follow_step, "F")
    yield ("Log: toggle follow", log.action_toggle_follow, "f in the log")
    yield ("Log: toggle wrap", log.action_toggle_wrap, "w in the log")
    yield ("Maximise / restore the focused pane", screen.action_maximise, "z")
    yield ("Clear all filters", screen.action_clear_filters, "x")
    yield ("Copy the group's IPs", partial(screen.action_copy_ips, "ip"), "c")
    yield ("Copy the group's IPs as cloud:ip", partial(screen.action_copy_ips, "cloud:ip"), "C")
    yield ("Save the selected host's log", screen.action_save_host_log, "l")
    yield ("Save every host's log of the step", screen.action_save_step_logs, "L")
    yield ("Act on the job: confirm, retry, skip, terminate…", screen.action_actions, "a")
    yield ("Help: every key", screen.action_help, "?")


def _steps(screen: MonitorScreen) -> Iterator[Entry]:
    job = screen.job
    for index, step in enumerate(job.steps if job else (), start=1):
        name = safe_text(step.name, max_len=60)
        jump = partial(screen.step_tree.select_step, step.step_instance_id)
        yield (f"Step {index}: {name}", jump, f"jump to step {step.step_instance_id}")


def _hosts(screen: MonitorScreen, limit: int = 500) -> Iterator[Entry]:
    result = screen.result
    shown = 0
    for group in result.groups if result else ():
        for host in group.hosts:
            if shown >= limit:
                return
            shown += 1
            address = safe_text(host.ref.display, max_len=60)
            yield (f"Host {address}", partial(screen.results.select_host, address), "select host")


def _batches(screen: MonitorScreen) -> Iterator[Entry]:
    for label, value in batch_choices(screen.filter, screen.result):
        flt = apply_choice(screen.filter, "batch", value)
        yield (f"Batch: {label}", partial(screen.set_filter, flt), "show this batch")


def entries(screen: MonitorScreen) -> list[Entry]:
    """Every palette entry for the monitor's current data."""
    return [*_toggles(screen), *_steps(screen), *_batches(screen), *_hosts(screen)]


class MonitorCommands(Provider):
    """Palette provider; does nothing outside the monitor screen."""

    def _monitor(self) -> MonitorScreen | None:
        from jobtui.tui.screens.monitor import MonitorScreen

        screen = getattr(self.app, "monitor", None)
        return screen if isinstance(screen, MonitorScreen) else None

    async def discover(self) -> Hits:
        screen = self._monitor()
        if screen is None:
            return
        for text, action, help_text in _toggles(screen):
            yield DiscoveryHit(text, action, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = self._monitor()
        if screen is None:
            return
        matcher = self.matcher(query)
        for text, action, help_text in entries(screen):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action, text=text, help=help_text)
