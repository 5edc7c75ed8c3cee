"""The fault matrix through the simulator's fault injection (ASGI) and a MockTransport.

Each fault, for each API family: the client raises the right ``ApiError``
subclass with one clean line, and ``jobtui status`` exits 3 with one line.
When the fault clears, the same client works again.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from jobtui.api import errors as e
from jobtui.api.models import ApiFamily
from jobtui.sim.app import SimApp, create_app
from jobtui.sim.clock import ManualClock
from jobtui.sim.config import FaultConfig, SimConfig
from tests.support.canaries import (
    FAMILIES,
    CliRun,
    assert_clean_error,
    assert_one_error_line,
    client,
)

Breaker = Callable[[SimApp], None]


def _faults(**kw: float) -> Breaker:
    def apply(sim: SimApp) -> None:
        sim.config.faults = FaultConfig(**kw)

    return apply


def _down(sim: SimApp) -> None:
    sim.config.faults = FaultConfig(down_until=sim.clock.now() + 60)


def _forbid(sim: SimApp) -> None:
    sim.config.forbidden_scopes = {"2"}


def _delete(sim: SimApp) -> None:
    assert sim.world.delete_job(sim.world.demo_job_id())


SIM_FAULTS: dict[str, tuple[Breaker, type[e.ApiError]]] = {
    "gateway-502": (_faults(error_rate=1.0), e.GatewayError),
    "rate-limit-429": (_faults(rate_limit_rate=1.0), e.RateLimited),
    "backend-timeout-504": (_faults(timeout_rate=1.0, timeout_hang=0.0), e.GatewayError),
    "html-502": (_faults(html_rate=1.0), e.BadResponseError),
    "truncated-json": (_faults(malformed_rate=1.0), e.BadResponseError),
    "down-503": (_down, e.HttpStatusError),
    "permission-denied": (_forbid, e.PermissionDenied),
    "job-disappeared-1244006": (_delete, e.NotFoundError),
}


def _sim() -> SimApp:
    clock = ManualClock()
    sim = create_app(SimConfig(), clock=clock)
    clock.advance(20)
    return sim


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
@pytest.mark.parametrize("fault", sorted(SIM_FAULTS))
async def test_sim_fault_raises_clean_error_and_recovers(fault: str, family: ApiFamily) -> None:
    sim = _sim()
    api = client(family, httpx.ASGITransport(app=sim))
    job_id = sim.world.demo_job_id()
    before = await api.get_job(job_id)
    breaker, expected = SIM_FAULTS[fault]
    breaker(sim)
    with pytest.raises(expected) as caught:
        await api.get_job(job_id)
    assert_clean_error(caught.value)
    if fault == "rate-limit-429":
        assert caught.value.retry_after == 1 and caught.value.retryable
    if fault == "permission-denied":
        # the first denial of a forbidden scope names access_business (AuthAppInterceptor)
        assert "(access_business)" in str(caught.value)
    if fault == "job-disappeared-1244006":
        assert str(job_id) in str(caught.value) and not caught.value.retryable
        return  # a deleted job does not come back
    sim.config.faults = FaultConfig()
    sim.config.forbidden_scopes = set()
    after = await api.get_job(job_id)
    assert after.job_instance_id == before.job_instance_id
    await api.aclose()


@pytest.mark.parametrize("fault", sorted(SIM_FAULTS))
def test_status_exits_3_with_one_line_on_sim_fault(fault: str, run_cli, monkeypatch) -> None:
    sim = _sim()
    job_id = sim.world.demo_job_id()
    SIM_FAULTS[fault][0](sim)
    run: CliRun = run_cli(
        ["status", str(job_id), "--url", "http://sim", "--scope-id", "2"],
        transport=httpx.ASGITransport(app=sim),
    )
    assert run.code == 3
    assert run.out == ""
    assert_one_error_line(run)


# ---------------------------------------------------------------- MockTransport faults


def _reply(status: int, body: bytes | str, **headers: str) -> httpx.MockTransport:
    content = body.encode() if isinstance(body, str) else body
    return httpx.MockTransport(
        lambda request: httpx.Response(status, content=content, headers=headers)
    )


def _false(code: int, message: str = "boom", **extra: object) -> httpx.MockTransport:
    body = {"result": False, "code": code, "message": message, "data": None, **extra}
    return _reply(200, json.dumps(body), **{"content-type": "application/json"})


def _gateway(status: int, code: int, name: str) -> httpx.MockTransport:
    body = {
        "code_name": name,
        "code": code,
        "message": f"{name} happened",
        "result": False,
        "data": None,
    }
    return _reply(
        status,
        json.dumps(body),
        **{
            "X-Bkapi-Error-Code": str(code),
            "X-Bkapi-Error-Message": f"{name} happened",
            "X-Bkapi-Request-Id": "rid-1",
            "Retry-After": "2",
        },
    )


HTML = (
    "<!DOCTYPE html><html><head><title>Oops</title></head><body><h1>Error</h1>"
    + "x" * 5000
    + "</body></html>"
)
PERMISSION = {
    "system_id": "bk_job",
    "actions": [{"id": "view_history", "name": "View history", "related_resource_types": []}],
}

# result:false with every documented bk-job code (docs/bkjob-api.md), plus one never seen
BKJOB_CODES: dict[int, type[e.ApiError]] = {
    1238001: e.PermissionDenied,
    1240001: e.BkJobError,
    1240002: e.BkJobError,
    1240003: e.InvalidParameter,
    1241001: e.InvalidParameter,
    1241002: e.InvalidParameter,
    1241004: e.InvalidParameter,
    1241005: e.InvalidParameter,
    1241007: e.InvalidParameter,
    1241010: e.InvalidParameter,
    1244006: e.NotFoundError,
    1244007: e.NotFoundError,
    1244036: e.BkJobError,
    1246001: e.BkJobError,
    1247001: e.NotLoggedIn,
    1247403: e.PermissionDenied,
    1247005: e.BkJobError,
    1250001: e.BkJobError,
    1252001: e.BkJobError,
    9900403: e.PermissionDenied,
    1299999: e.BkJobError,
}
GATEWAY_CODES: dict[tuple[int, int, str], type[e.ApiError]] = {
    (400, 1640001, "INVALID_ARGS"): e.GatewayAuthError,
    (403, 1640301, "APP_NO_PERMISSION"): e.GatewayForbidden,
    (403, 1640302, "IP_NOT_ALLOWED"): e.GatewayForbidden,
    (404, 1640401, "API_NOT_FOUND"): e.GatewayNotFound,
    (429, 1642901, "RATE_LIMIT_RESTRICTION"): e.RateLimited,
    (429, 1642902, "RATE_LIMIT_RESTRICTION"): e.RateLimited,
    (429, 1642903, "RATE_LIMIT_RESTRICTION"): e.RateLimited,
    (429, 1642904, "CONCURRENCY_LIMIT_RESTRICTION"): e.RateLimited,
    (502, 1650200, "BAD_GATEWAY"): e.GatewayError,
    (502, 1650201, "BAD_GATEWAY"): e.GatewayError,
    (504, 1650401, "BACKEND_TIMEOUT"): e.GatewayError,
}
MOCK_FAULTS: dict[str, tuple[httpx.MockTransport, type[e.ApiError]]] = {
    **{f"http-{s}-empty": (_reply(s, ""), e.HttpStatusError) for s in (500, 502, 503, 504)},
    **{
        f"http-{s}-text": (_reply(s, "upstream said no\n\x1b[2J"), e.HttpStatusError)
        for s in (500, 503)
    },
    **{
        f"html-{s}": (_reply(s, HTML, **{"content-type": "text/html"}), e.BadResponseError)
        for s in (500, 502, 503, 504)
    },
    "html-200": (_reply(200, HTML, **{"content-type": "text/html"}), e.BadResponseError),
    "429-plain-retry-after": (_reply(429, "slow down", **{"Retry-After": "7"}), e.RateLimited),
    "truncated-json": (
        _reply(200, '{"result": true, "code": 0, "data": {"job_instance'),
        e.BadResponseError,
    ),
    "malformed-json": (_reply(200, "{result: true,, }"), e.BadResponseError),
    "empty-200": (_reply(200, ""), e.BadResponseError),
    "json-array": (_reply(200, "[1, 2]"), e.BadResponseError),
    "json-null": (_reply(200, "null"), e.BadResponseError),
    "json-string": (_reply(200, '"ok"'), e.BadResponseError),
    "data-wrong-type": (
        _reply(200, '{"result": true, "code": 0, "data": "nope"}'),
        e.BadResponseError,
    ),
    "data-null": (_reply(200, '{"result": true, "code": 0, "data": null}'), e.BadResponseError),
    "invalid-utf8": (
        _reply(200, b'{"result": true, "code": 0, "data": {"x": "\xff\xfe"}}'),
        e.BadResponseError,
    ),
    "result-false-html-message": (_false(1240002, "<html><body>crash</body></html>"), e.BkJobError),
    "result-false-no-code": (_reply(200, '{"result": false}'), e.BkJobError),
    "permission-object": (_false(9900403, "denied", permission=PERMISSION), e.PermissionDenied),
    "permission-garbage": (_false(9900403, "denied", permission=[1, "x"]), e.PermissionDenied),
    **{f"bkjob-{c}": (_false(c), cls) for c, cls in BKJOB_CODES.items()},
    **{f"gateway-{s}-{c}": (_gateway(s, c, n), cls) for (s, c, n), cls in GATEWAY_CODES.items()},
}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.value)
@pytest.mark.parametrize("fault", sorted(MOCK_FAULTS))
async def test_mock_fault_raises_the_right_clean_error(fault: str, family: ApiFamily) -> None:
    transport, expected = MOCK_FAULTS[fault]
    api = client(family, transport)
    calls = [api.get_job(7), api.get_step_result(7, 8)]
    for call in calls:
        with pytest.raises(e.ApiError) as caught:
            await call
        assert isinstance(caught.value, expected), (type(caught.value), str(caught.value))
        assert_clean_error(caught.value)
    await api.aclose()


@pytest.mark.parametrize("fault", sorted(MOCK_FAULTS))
def test_status_exits_3_with_one_line_on_mock_fault(fault: str, run_cli) -> None:
    run = run_cli(
        ["status", "7", "--url", "http://bk.example.com", "--scope-id", "2"],
        transport=MOCK_FAULTS[fault][0],
    )
    assert run.code == 3, run.err
    assert_one_error_line(run)
