"""Write PNG screenshots of the monitor to screenshots/ (run from the repo root).

The app runs headless against the simulator on a manual clock, so the pictures
are reproducible; SVG → PNG through cairosvg with a locally installed font.
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

from tests.tui.sim_harness import make_rig, settle  # noqa: E402

OUT = ROOT / "screenshots"
Action = Callable[[Pilot[int]], Awaitable[None]]


async def _nothing(pilot: Pilot[int]) -> None:
    return None


async def _search_log(pilot: Pilot[int]) -> None:
    screen = pilot.app.screen
    screen.query_one("LogView").focus()
    await pilot.press("ctrl+f", *"service", "enter")
    await pilot.pause()


SHOTS: tuple[tuple[str, float, tuple[int, int], Action], ...] = (
    ("running-job", 30, (160, 48), _nothing),
    ("failed-step", 20, (160, 48), _nothing),
    ("waiting-for-confirmation", 55, (160, 48), _nothing),
    ("log-search", 30, (160, 48), _search_log),
    ("80x24", 30, (80, 24), _nothing),
)


async def shoot(name: str, advance: float, size: tuple[int, int], action: Action) -> Path:
    rig = make_rig(advance=advance)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        await action(pilot)
        svg = rig.app.export_screenshot()
    svg = re.sub(r"font-family:[^;\"]*", "font-family:DejaVu Sans Mono", svg)
    target = OUT / f"{name}.png"
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(target), output_width=size[0] * 10)
    return target


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for shot in SHOTS:
        print(await shoot(*shot))


if __name__ == "__main__":
    asyncio.run(main())
