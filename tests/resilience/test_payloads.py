"""Seed payloads bent out of shape: every field nulled in turn, hostile long text, huge logs.

Each mutated seed is served through the real client. The answer is either a
domain object whose text is clean, or one ``ApiError`` with one clean line —
never another exception.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from jobtui.api.base import JobApi
from jobtui.api.errors import ApiError
from jobtui.api.models import ApiFamily, HostRef
from jobtui.core.ansi import parse_line
from jobtui.core.logbuffer import LogBuffer
from tests.support.canaries import assert_clean_error, client

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
HOSTILE = "\x1b]52;c;Q0FOQVJZ\x07\x1b]0;pwned\x07\x1b[2J\x1b[H\x9b31m\x1bP+q\x1b\\\x00" + "名" * 300
Call = Callable[[JobApi], Awaitable[object]]


def _seed(name: str) -> Any:
    return json.loads((SEEDS / name).read_text())


V2_DETAIL = {
    "result": True,
    "code": 0,
    "data": {
        "is_finished": True,
        "step_instance_detail": {
            "step_instance_id": 90000,
            "name": "test",
            "type": 1,
            "status": 3,
            "execute_count": 0,
        },
    },
}
# (case id, family, seed file mutated, other replies by api name, the call)
CASES: list[tuple[str, ApiFamily, str, dict[str, Any], Call]] = [
    (
        "v2-job",
        ApiFamily.V2,
        "v2_get_job_instance_status.response.json",
        {},
        lambda api: api.get_job(65),
    ),
    (
        "v2-step",
        ApiFamily.V2,
        "v2_get_step_instance_status.response.json",
        {
            "get_job_instance_log": _seed("v2_get_job_instance_log.response.json"),
            # no logs for this step: the client counts groups from the job status
            "get_job_instance_status": _seed("v2_get_job_instance_status.response.json"),
        },
        lambda api: api.get_step_result(490001, 790001),
    ),
    (
        "v2-log-groups",
        ApiFamily.V2,
        "v2_get_job_instance_log.response.json",
        {
            "get_step_instance_status": V2_DETAIL,
            "get_job_instance_status": _seed("v2_get_job_instance_status.response.json"),
        },
        lambda api: api.get_step_result(100, 90000),
    ),
    (
        "v2-log",
        ApiFamily.V2,
        "v2_get_job_instance_log.response.json",
        {},
        lambda api: api.get_host_log(100, 90000, HostRef(None, 0, "10.0.0.1")),
    ),
    (
        "v3-step",
        ApiFamily.V3,
        "v3_get_step_instance_status.response.json",
        {},
        lambda api: api.get_step_result(100, 75),
    ),
]
API_OF = {
    "v2_get_job_instance_status.response.json": "get_job_instance_status",
    "v2_get_step_instance_status.response.json": "get_step_instance_status",
    "v2_get_job_instance_log.response.json": "get_job_instance_log",
    "v3_get_step_instance_status.response.json": "get_step_instance_status",
}


def _paths(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field inside ``data`` (all keys; every list element)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*here, key)
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*here, index)
            yield from _paths(value, (*here, index))


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


def _transport(replies: dict[str, Any]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        return httpx.Response(200, json=replies[name])

    return httpx.MockTransport(handle)


def _texts(obj: object) -> Iterator[str]:
    """Every string in a domain object, except log bodies and host addresses.

    Addresses are identities sent back in log requests, so ``api/`` keeps them
    verbatim; the UI cleans them when drawing (checked in the pty test).
    """
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _texts(item)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name not in ("content", "ip", "ipv6"):
                yield from _texts(getattr(obj, f.name))


async def _outcome(family: ApiFamily, replies: dict[str, Any], call: Call) -> object:
    api = client(family, _transport(replies))
    try:
        return await call(api)
    except ApiError as error:
        assert_clean_error(error)
        return error
    finally:
        await api.aclose()


def _mutations(value_for: Callable[[Any], Any | None]) -> list[tuple[str, tuple[Any, ...], Any]]:
    out = []
    for case_id, _family, seed_name, _others, _call in CASES:
        data = _seed(seed_name)["data"]
        for path in _paths(data):
            node: Any = data
            for part in path:
                node = node[part]
            new = value_for(node)
            if new is not None or value_for is _null:
                out.append((case_id, path, new))
    return out


def _null(_: Any) -> None:
    return None


def _hostile(value: Any) -> Any | None:
    return HOSTILE if isinstance(value, str) else None


NULLED = _mutations(_null)
HOSTILED = _mutations(_hostile)
_CASE = {c[0]: c for c in CASES}


async def _run(case_id: str, path: tuple[Any, ...], value: Any) -> object:
    _, family, seed_name, others, call = _CASE[case_id]
    doc = _seed(seed_name)
    doc["data"] = _set(doc["data"], path, value)
    return await _outcome(family, {**others, API_OF[seed_name]: doc}, call)


@pytest.mark.parametrize(("case_id", "path", "value"), NULLED, ids=lambda v: str(v)[:40])
async def test_null_in_any_field_is_data_or_a_clean_error(case_id, path, value) -> None:
    result = await _run(case_id, path, value)
    assert result is not None


@pytest.mark.parametrize(("case_id", "path", "value"), HOSTILED, ids=lambda v: str(v)[:40])
async def test_hostile_long_text_in_any_string_field_is_cleaned(case_id, path, value) -> None:
    result = await _run(case_id, path, value)
    for text in _texts(result):
        assert "\x1b" not in text and "\x9b" not in text and "\x00" not in text, repr(text[:80])


def _log_doc(content: str) -> dict[str, Any]:
    doc = _seed("v2_get_job_instance_log.response.json")
    doc["data"][0]["step_results"][0]["ip_logs"][0]["log_content"] = content
    return doc


LOGS = {
    "100k-line": "x" * 100_000 + "\n",
    "nul-bytes": "a\x00b\x00\x00c\n" * 50,
    "invalid-utf8-surrogates": b"ok \xff\xfe\xc3( \xed\xa0\x80\n".decode(
        "utf-8", "surrogateescape"
    ),
    "invalid-utf8-replaced": b"ok \xff\xfe\xc3(\n".decode("utf-8", "replace"),
    "hostile": HOSTILE + "\n" + HOSTILE,
}


@pytest.mark.parametrize("name", sorted(LOGS))
async def test_hard_logs_reach_the_renderer_without_error(name: str) -> None:
    content = LOGS[name]
    body = json.dumps(_log_doc(content)).encode("utf-8", "surrogatepass")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    api = client(ApiFamily.V2, transport)
    try:
        log = await api.get_host_log(100, 90000, HostRef(None, 0, "10.0.0.1"))
    except ApiError as error:  # a body that is not UTF-8 may be refused, cleanly
        assert_clean_error(error)
        return
    finally:
        await api.aclose()
    buffer = LogBuffer()
    buffer.update(log.content)
    buffer.update(log.content + "more\n")
    for line in log.content.splitlines()[:20]:
        styled = parse_line(line)
        assert "\x1b" not in str(styled)
