"""Wire times and durations to the domain's aware datetimes and float seconds.

v3 sends epoch milliseconds (UTC); v2 sends ``yyyy-MM-dd HH:mm:ss`` in the
user's zone, sometimes with a ``+0800`` suffix (the legacy docs). Conversions
are cached because thousands of hosts usually share a handful of timestamps.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobtui.api.errors import ConfigError


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` or a ConfigError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown time zone {name!r} (expected an IANA name such as Asia/Shanghai)"
        ) from None


@lru_cache(maxsize=4096)
def ms_to_datetime(ms: float | None) -> datetime | None:
    """Epoch milliseconds → aware UTC datetime; ``None``/0/negative mean 'not set'."""
    if ms is None or ms <= 0:
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def ms_to_seconds(ms: float | None) -> float | None:
    """A v3 duration in milliseconds → float seconds."""
    return None if ms is None else ms / 1000


@lru_cache(maxsize=4096)
def v2_time(text: str | None, zone: tzinfo) -> datetime | None:
    """``2018-03-15 12:56:35`` (in ``zone``) or ``... +0800`` → aware datetime."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) > 19:
            return datetime.fromisoformat(text[:19] + text[19:].strip())
        return datetime.fromisoformat(text).replace(tzinfo=zone)
    except ValueError:
        return None
