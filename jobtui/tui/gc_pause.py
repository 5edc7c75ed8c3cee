"""Start-up without the cyclic garbage collector, resumed once the first screen is up.

Importing Textual, httpx and pydantic and composing the first screen allocates
hundreds of thousands of container objects. Each time the young generation
fills, Python collects, and every few rounds the oldest generation's pass scans
everything imported so far: on the 2-core benchmark box that was ~30 ms of a
~0.35 s start (benchmark 6). Nothing built during start-up is garbage worth
finding, so the TUI commands pause the collector before their imports and the
app resumes it when its first screen is painted, or after ``LONGEST`` seconds
whatever happens (a slow server must not leave a days-long session without it).

Resuming freezes what exists first (``gc.freeze``): modules, classes and the
first screen live as long as the process, and without it the first collection
scans all of them at once (~45 ms, just before the first paint). Frozen
objects are still freed by reference counting; only cycles among them stay.
"""

from __future__ import annotations

import gc

__all__ = ["LONGEST", "pause", "paused", "resume"]

#: Seconds after the app mounts by which the collector runs again regardless.
LONGEST = 3.0

_paused = False


def pause() -> None:
    """Stop automatic collection, if it runs (a no-op when someone else disabled it)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo :func:`pause`; only what ``pause`` stopped is started again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    """Whether :func:`pause` is in effect."""
    return _paused
