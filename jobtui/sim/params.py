"""Request parameter parsing with bk-job's 1241007 messages for bad input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobtui.sim.errors import missing

Params = Mapping[str, Any]


def opt_int(params: Params, name: str) -> int | None:
    """An optional integer; a present but non-integer value is 1241007."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise missing(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise missing(name) from None


def req_int(params: Params, name: str) -> int:
    value = opt_int(params, name)
    if value is None:
        raise missing(name)
    return value


def opt_str(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    return str(value)


def opt_bool(params: Params, name: str) -> bool:
    value = params.get(name)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1") if value is not None else False
