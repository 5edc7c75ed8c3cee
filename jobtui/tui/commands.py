"""Command palette entries: jump to a step, a host, a batch; every toggle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from jobtui.core.filter_choices import apply_choice, batch_choices
from jobtui.core.sanitize import safe_text
from jobtui.core.waits import status_name
from jobtui.tui.keys import key_for

if TYPE_CHECKING:
    from jobtui.tui.screens.monitor import MonitorScreen

Entry = tuple[str, Callable[[], object], str]  # (text, action, help)


def _toggles(screen: MonitorScreen) -> Iterator[Entry]:
    """Every toggle, with its key read from the bindings (jobtui/tui/keys.py)."""
    log = screen.log_pane
    keys = partial(key_for, type(screen))
    log_keys = partial(key_for, type(log))
    yield ("Pause / resume polling", screen.action_toggle_pause, keys("toggle_pause"))
    yield ("Refresh now", screen.action_refresh, keys("refresh"))
    yield ("Follow the running step", screen.action_follow_step, keys("follow_step"))
    follow, wrap = log_keys("toggle_follow"), log_keys("toggle_wrap")
    yield ("Log: toggle follow", log.action_toggle_follow, f"{follow} in the log")
    yield ("Log: toggle wrap", log.action_toggle_wrap, f"{wrap} in the log")
    yield ("Maximise / restore the focused pane", screen.action_maximise, keys("maximise"))
    yield ("Clear all filters", screen.action_clear_filters, keys("clear_filters"))
    copy_ip = partial(screen.action_copy_ips, "ip")
    copy_cloud = partial(screen.action_copy_ips, "cloud:ip")
    yield ("Copy the group's IPs", copy_ip, keys("copy_ips('ip')"))
    yield ("Copy the group's IPs as cloud:ip", copy_cloud, keys("copy_ips('cloud:ip')"))
    yield ("Save the selected host's log", screen.action_save_host_log, keys("save_host_log"))
    save_step = screen.action_save_step_logs
    yield ("Save every host's log of the step", save_step, keys("save_step_logs"))
    yield (
        "Act on the job: confirm, retry, skip, terminate",
        screen.action_actions,
        keys("actions"),
    )
    yield ("Help: every key", screen.action_help, keys("help"))
    notices = getattr(screen.app, "action_notices", None)  # JobtuiApp's (it imports this)
    if callable(notices):
        yield ("Notices: every toast in full", notices, key_for(type(screen.app), "notices"))
    yield ("Quit jobtui", partial(screen.app.exit, 0), "q, ctrl+q or ctrl+c")


def _steps(screen: MonitorScreen) -> Iterator[Entry]:
    job = screen.job
    for index, step in enumerate(job.steps if job else (), start=1):
        name = safe_text(step.name, max_len=60)
        jump = partial(screen.step_tree.select_step, step.step_instance_id)
        state = status_name(step.type, step.status)
        yield (f"Step {index}: {name}", jump, f"jump to this step ({state})")


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
    rolling = screen.rolling.get(screen.step_id)
    for label, value in batch_choices(screen.filter, screen.result, rolling):
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
