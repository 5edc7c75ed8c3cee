"""The monitor against the real client and the simulator, on a manual clock.

Polls are driven by the test (``auto_poll=False`` plus ``r`` or a selection),
never by wall-clock timers, and waited for through the worker API.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from textual.message import Message
from textual.pilot import Pilot

from jobtui.api.auth import Credentials
from jobtui.api.factory import make_client
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings
from jobtui.core.options import WatchOptions
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import SimConfig
from jobtui.tui.app import MonitorApp
from jobtui.tui.screens.jobs import PollDone as ListPollDone
from jobtui.tui.screens.monitor import MonitorScreen, PollDone
from tests.support.textual_probe import full_update
from tests.support.transports import Meter

URL = "http://sim"


def sim_settings(family: ApiFamily = ApiFamily.V3) -> ConnectionSettings:
    """The connection every in-process simulator rig uses (the URL is never dialled:
    requests go through an ASGI transport)."""
    return ConnectionSettings(
        url=URL,
        family=family,
        scope_id="2",
        credentials=Credentials("jobtui", "secret", username="admin"),
        timezone="UTC",
    )


@dataclass
class Polls:
    """Poll answers applied: the monitor's and the job list's or wall's ``PollDone`` messages.

    Pass it as ``run_test(message_hook=…)``: Textual calls the hook as it
    dispatches each message, right before the screen's handler applies it. The
    hook can see one message more than once (seen with the monitor's answers:
    the handler runs once), so each message counts once.
    """

    count: int = 0
    recent: deque[Message] = field(default_factory=lambda: deque(maxlen=16))

    def __call__(self, message: Message) -> None:
        if not isinstance(message, PollDone | ListPollDone):
            return
        if not any(m is message for m in self.recent):
            self.recent.append(message)
            self.count += 1


@dataclass
class Rig:
    app: MonitorApp
    sim: SimApp
    clock: ManualClock
    meter: Meter
    polls: Polls = field(default_factory=Polls)

    @property
    def screen(self) -> MonitorScreen:
        return self.app.monitor

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)


def make_rig(
    *,
    family: ApiFamily = ApiFamily.V3,
    scenario: str = "default",
    step: int | None = None,
    flt: StepFilter | None = None,
    bell: bool = False,
    ascii_only: bool = False,
    advance: float = 0.0,
    start: float | None = None,
) -> Rig:
    clock = ManualClock() if start is None else ManualClock(start)
    sim = create_app(SimConfig(scenario=scenario), clock=clock)
    clock.advance(advance)
    meter = Meter(httpx.ASGITransport(app=sim))
    client = make_client(sim_settings(family), transport=meter)
    options = WatchOptions(
        job_instance_id=sim.world.demo_job_id(),
        step_instance_id=step,
        filter=flt or StepFilter(),
        bell=bell,
        ascii_only=ascii_only,
        title=f"{family.value} · sim",
    )
    app = MonitorApp(
        client,
        options,
        clock=lambda: datetime.fromtimestamp(clock.now(), UTC),
        auto_poll=False,
    )
    return Rig(app, sim, clock, meter)


async def settle(pilot: Pilot[int]) -> None:
    """Let polls started by the last action finish and their answers be applied."""
    app = pilot.app
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def refresh(pilot: Pilot[int]) -> None:
    await pilot.press("r")
    await settle(pilot)


def screen_text(app: MonitorApp) -> list[str]:
    """The composited screen as plain text lines (what the terminal would show)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(full_update(app))
    return console.export_text(styles=False).splitlines()
