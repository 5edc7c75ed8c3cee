"""Hypothesis fuzzing: arbitrary JSON into every family's mapping; arbitrary text into the renderer.

The client may refuse a payload, but only with an ``ApiError`` (one clean
line); the log renderer accepts everything. Example counts stay modest (CI).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobtui.api import wire
from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError
from jobtui.api.models import ApiFamily, HostRef
from jobtui.core.ansi import parse_line
from jobtui.core.logbuffer import LogBuffer
from jobtui.core.sanitize import safe_text
from tests.support.canaries import assert_clean_error, client

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _wire_keys() -> list[str]:
    """Every field name the wire models know, so random dicts look like real payloads."""
    keys: set[str] = set()
    for value in vars(wire).values():
        keys.update(getattr(value, "__annotations__", {}))
    for seed in SEEDS.glob("*.response.json"):
        keys.update(_keys_of(json.loads(seed.read_text())))
    return sorted(keys)


def _keys_of(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys_of(value)


KEYS = _wire_keys()
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=True, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "0", "-1", "2018-03-15 14:39:30 +0800", "1.5", "10.0.0.1", "&lt;b&gt;"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=6)
    ),
    max_leaves=30,
)
ENVELOPE = (
    st.fixed_dictionaries(
        {"result": st.just(True), "code": st.just(0), "data": JSON},
        optional={"message": st.text(max_size=10), "job_request_id": st.text(max_size=8)},
    )
    | JSON
)

Call = Callable[[JobApi], Awaitable[object]]
SINCE, UNTIL = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC)
CALLS: dict[str, tuple[ApiFamily, Call]] = {
    "v3-job": (ApiFamily.V3, lambda api: api.get_job(1)),
    "v3-step": (ApiFamily.V3, lambda api: api.get_step_result(1, 2)),
    "v3-log": (ApiFamily.V3, lambda api: api.get_host_log(1, 2, HostRef(5, 0, "10.0.0.1"))),
    "v3-logs": (ApiFamily.V3, lambda api: api.get_host_logs(1, 2, [HostRef(5, 0, "10.0.0.1")])),
    "v3-list": (ApiFamily.V3, lambda api: api.list_jobs(since=SINCE, until=UNTIL)),
    "jobv3-job": (ApiFamily.JOBV3, lambda api: api.get_job(1)),
    "jobv3-step": (ApiFamily.JOBV3, lambda api: api.get_step_result(1, 2)),
    "v2-job": (ApiFamily.V2, lambda api: api.get_job(1)),
    "v2-step": (ApiFamily.V2, lambda api: api.get_step_result(1, 2)),
    "v2-log": (ApiFamily.V2, lambda api: api.get_host_log(1, 2, HostRef(None, 0, "10.0.0.1"))),
}
RUNS = {"examples": 0}


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.parametrize("name", sorted(CALLS))
def test_arbitrary_json_gives_data_or_an_api_error(name: str, loop) -> None:
    family, call = CALLS[name]

    @FUZZ
    @given(body=ENVELOPE)
    def check(body: Any) -> None:
        content = json.dumps(body).encode()
        api = client(family, httpx.MockTransport(lambda r: httpx.Response(200, content=content)))
        try:
            loop.run_until_complete(call(api))
        except ApiError as error:
            assert_clean_error(error)
        finally:
            loop.run_until_complete(api.aclose())
        RUNS["examples"] += 1

    check()


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["surrogateescape", "replace"]))
def test_arbitrary_bytes_render(data: bytes, errors: str) -> None:
    text = data.decode("utf-8", errors)
    _render(text)


ESCAPEY = st.text(
    alphabet=st.sampled_from(list("\x1b[]();?0123456789mHJKP\\\x07\x9b\x9d\x00\t\r\n ab名")),
    max_size=200,
)


@FUZZ
@given(st.text(max_size=300) | ESCAPEY, ESCAPEY)
def test_arbitrary_text_renders_and_appends(first: str, more: str) -> None:
    _render(first)
    buffer = LogBuffer(max_lines=50, max_line_len=40)
    buffer.update(first)
    buffer.update(first + more)  # append path
    buffer.update(more)  # prefix changed: reload path
    buffer.update("")


def _render(text: str) -> None:
    cleaned = safe_text(text, max_len=50)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\x00" not in cleaned
    for line in text.split("\n")[:10]:
        parse_line(line)
    LogBuffer().update(text)
