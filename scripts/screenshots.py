"""Write PNG screenshots of the monitor, the job list and the wall to screenshots/.

Run from the repo root. The apps run headless against the simulator on a
manual clock, so the pictures are reproducible; each is taken after one more
refresh than the first paint, so every step line (and every wall card) has its
host counts. SVG → PNG through cairosvg with a locally installed font.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import cairosvg
from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.app import App  # noqa: E402

from tests.support.monitor_rig import make_rig, refresh, settle  # noqa: E402
from tests.support.wall_rig import make_app, sim_rig  # noqa: E402

OUT = ROOT / "screenshots"
Action = Callable[[Pilot[int]], Awaitable[None]]


async def _nothing(pilot: Pilot[int]) -> None:
    return None


async def _search_log(pilot: Pilot[int]) -> None:
    screen = pilot.app.screen
    screen.query_one("LogView").focus()
    await pilot.press("ctrl+f", *"service", "enter")
    await pilot.pause()


async def _focus_hosts(pilot: Pilot[int]) -> None:
    pilot.app.screen.query_one("HostTable").focus()  # at 80x24 the focused pane grows
    await pilot.pause()
    await pilot.pause(0.2)


SHOTS: tuple[tuple[str, float, tuple[int, int], Action], ...] = (
    ("running-job", 30, (160, 48), _nothing),
    ("failed-step", 20, (160, 48), _nothing),
    ("waiting-for-confirmation", 55, (160, 48), _nothing),
    ("log-search", 30, (160, 48), _search_log),
    ("80x24", 30, (80, 24), _focus_hosts),
)


async def _wall(pilot: Pilot[int]) -> None:
    await pilot.press("w")
    await settle(pilot)
    await pilot.press("r")  # a second round: every card has its step's counts
    await settle(pilot)


def _png(name: str, svg: str, size: tuple[int, int]) -> Path:
    svg = re.sub(r"font-family:[^;\"]*", "font-family:DejaVu Sans Mono", svg)
    target = OUT / f"{name}.png"
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(target), output_width=size[0] * 10)
    return target


async def shoot(name: str, advance: float, size: tuple[int, int], action: Action) -> Path:
    rig = make_rig(advance=advance)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        await refresh(pilot)  # one more refresh: counts on every step line
        await action(pilot)
        svg = rig.app.export_screenshot()
    return _png(name, svg, size)


async def shoot_jobs(name: str, size: tuple[int, int], action: Action) -> Path:
    """The job list (``jobtui jobs``), or what ``action`` opens from it.

    The ``busy`` scenario 20 s in: one job failed, two wait (a confirmation and a
    rolling batch), four run, so the wall shows what it is for.
    """
    app: App[int] = make_app(sim_rig(advance=20, scenario="busy"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await action(pilot)
        svg = app.export_screenshot()
    return _png(name, svg, size)


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for shot in SHOTS:
        print(await shoot(*shot))
    print(await shoot_jobs("job-list", (160, 48), _nothing))
    print(await shoot_jobs("wall", (160, 48), _wall))


if __name__ == "__main__":
    asyncio.run(main())
