"""Each failure maps to one class of the error tree with a clear one-line message."""

from __future__ import annotations

import logging

import httpx
import pytest

from jobtui.api import errors as E
from jobtui.api.errmap import retry_after
from jobtui.api.models import ApiFamily
from tests.support.api import SECRET, TOKEN

RID = {"X-Bkapi-Request-Id": "req-42"}


def _fail(code: int, message: str = "boom", **extra: object) -> httpx.Response:
    body = {"result": False, "code": code, "message": message, "data": None, **extra}
    return httpx.Response(200, json=body, headers=RID)


async def _get_job(server, client_for, reply, family=ApiFamily.V3):
    server.replies["get_job_instance_status"] = reply
    with pytest.raises(E.ApiError) as info:
        await client_for(family).get_job(7)
    return info.value


@pytest.mark.parametrize(
    ("code", "cls", "text"),
    [
        (1244006, E.NotFoundError, "job instance 7 not found"),
        (1240003, E.InvalidParameter, "invalid parameter: boom"),
        (1241007, E.InvalidParameter, "invalid parameter: boom"),
        (1238001, E.PermissionDenied, "permission denied: boom"),
        (1247403, E.PermissionDenied, "permission denied: boom"),
        (1247001, E.NotLoggedIn, "not logged in: boom"),
        (1240002, E.BkJobError, "bk-job error 1240002: boom"),
    ],
)
async def test_result_false_codes(server, client_for, code, cls, text) -> None:
    error = await _get_job(server, client_for, _fail(code))
    assert type(error) is cls
    assert text in str(error) and str(error).endswith("(request id req-42)")
    assert error.code == code and error.request_id == "req-42"


async def test_step_not_found_names_the_step(server, client_for) -> None:
    server.replies["get_step_instance_status"] = _fail(1244007)
    with pytest.raises(E.NotFoundError, match="step instance 9 not found"):
        await client_for(ApiFamily.V3).get_step_result(7, 9)


async def test_iam_denial_names_action_and_resource(server, client_for) -> None:
    permission = {
        "system_id": "bk_job",
        "system_name": "作业平台",
        "actions": [
            {
                "id": "view_history",
                "name": "查看执行历史",
                "related_resource_types": [
                    {
                        "system_id": "bk_cmdb",
                        "type": "biz",
                        "type_name": "业务",
                        "instances": [[{"id": "2", "type": "biz", "name": "蓝鲸"}]],
                    }
                ],
            }
        ],
    }
    error = await _get_job(server, client_for, _fail(9900403, "no perm", permission=permission))
    assert isinstance(error, E.PermissionDenied)
    assert 'needs "查看执行历史" (view_history) on 业务 蓝鲸' in str(error)


async def test_iam_denial_without_permission_object(server, client_for) -> None:
    error = await _get_job(server, client_for, _fail(9900403, "denied"))
    assert str(error) == "permission denied: denied (request id req-42)"


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, 1640001, E.GatewayAuthError),
        (403, 1640301, E.GatewayForbidden),
        (403, 1640302, E.GatewayForbidden),
        (404, 1640401, E.GatewayNotFound),
        (429, 1642902, E.RateLimited),
        (502, 1650200, E.GatewayError),
        (504, 1650401, E.GatewayError),
    ],
)
async def test_gateway_errors(server, client_for, status, code, cls) -> None:
    body = {
        "code_name": "SOME_NAME",
        "code": code,
        "message": "gw says no",
        "result": False,
        "data": None,
    }
    headers = {**RID, "X-Bkapi-Error-Code": str(code), "X-Bkapi-Error-Message": "gw says no"}
    error = await _get_job(server, client_for, httpx.Response(status, json=body, headers=headers))
    assert type(error) is cls
    assert str(error) == (
        f"get_job_instance_status: API gateway error {code} SOME_NAME: gw says no "
        f"(HTTP {status}) (request id req-42)"
    )
    assert error.status_code == status and error.code == code
    assert error.retryable == (status >= 500 or status == 429)


async def test_gateway_error_from_body_alone(server, client_for) -> None:
    body = {"code_name": "INVALID_ARGS", "code": 1640001, "message": "app code missing"}
    error = await _get_job(server, client_for, httpx.Response(400, json=body))
    assert isinstance(error, E.GatewayAuthError) and "app code missing" in str(error)


async def test_rate_limited_reads_reset_header(server, client_for) -> None:
    headers = {"X-Bkapi-Error-Code": "1642903", "X-Bkapi-RateLimit-Reset": "7"}
    error = await _get_job(server, client_for, httpx.Response(429, json={}, headers=headers))
    assert isinstance(error, E.RateLimited) and error.retry_after == 7.0


async def test_plain_429_is_rate_limited_with_retry_after(server, client_for) -> None:
    reply = httpx.Response(429, text="slow down", headers={"Retry-After": "3"})
    error = await _get_job(server, client_for, reply)
    assert isinstance(error, E.RateLimited) and error.retry_after == 3.0


def test_retry_after_variants() -> None:
    now = 1_700_000_000.0
    assert retry_after({"x-bkapi-ratelimit-reset": "12"}, now=now) == 12
    assert retry_after({"x-bkapi-ratelimit-reset": str(now + 5)}, now=now) == 5
    assert retry_after({"x-bkapi-ratelimit-reset": str((now + 2) * 1000)}, now=now) == 2
    assert retry_after({"x-bkapi-ratelimit-reset": str(now - 50)}, now=now) == 0
    assert retry_after({"retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"}, now=now) == 10
    assert retry_after({"retry-after": "soon"}, now=now) is None
    assert retry_after({}, now=now) is None


async def test_plain_http_status(server, client_for) -> None:
    error = await _get_job(server, client_for, httpx.Response(503, text="down"))
    assert type(error) is E.HttpStatusError
    assert str(error) == "HTTP 503 Service Unavailable" and error.retryable


async def test_html_page_never_echoed(server, client_for) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1><script>x</script></body></html>"
    reply = httpx.Response(502, text=page, headers={"content-type": "text/html"})
    error = await _get_job(server, client_for, reply)
    assert type(error) is E.BadResponseError
    assert str(error) == "bad gateway: the server answered with an HTML page (HTTP 502)"


async def test_html_with_200(server, client_for) -> None:
    error = await _get_job(server, client_for, httpx.Response(200, text="<!DOCTYPE html><p>login"))
    assert type(error) is E.BadResponseError and "<" not in str(error)


@pytest.mark.parametrize("body", [b'{"result": true, "code": 0, "data": {"job_ins', b"", b"nul"])
async def test_truncated_or_malformed_json(server, client_for, body) -> None:
    error = await _get_job(server, client_for, httpx.Response(200, content=body))
    assert type(error) is E.BadResponseError
    assert (
        str(error)
        == "get_job_instance_status: the server answered with malformed or truncated JSON"
    )


async def test_missing_required_field_is_one_clear_line(server, client_for) -> None:
    data = {"job_instance": {"job_instance_id": 7, "name": "x"}}
    error = await _get_job(
        server, client_for, httpx.Response(200, json={"result": True, "data": data})
    )
    assert type(error) is E.BadResponseError
    assert (
        str(error) == "get_job_instance_status: bad response: data.job_instance.status is missing"
    )


async def test_success_without_data(server, client_for) -> None:
    error = await _get_job(
        server, client_for, httpx.Response(200, json={"result": True, "code": 0})
    )
    assert type(error) is E.BadResponseError and "no data" in str(error)


async def test_connect_and_timeout_errors(server, client_for) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    error = await _get_job(server, client_for, refuse)
    assert type(error) is E.ConnectError and error.retryable
    assert (
        str(error)
        == "get_job_instance_status: cannot reach bk.example.com: [Errno 111] Connection refused"
    )

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    error = await _get_job(server, client_for, slow)
    assert type(error) is E.RequestTimeout
    assert str(error) == "get_job_instance_status: no answer from bk.example.com within 10 s"

    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    assert type(await _get_job(server, client_for, reset)) is E.ConnectionLost  # may have arrived


async def test_server_text_is_sanitised_to_one_line(server, client_for) -> None:
    nasty = "line one\n\x1b[31mred\x1b[0m\x07 and \x1b]0;title\x07 done"
    error = await _get_job(server, client_for, _fail(1240002, nasty))
    text = str(error)
    assert "\x1b" not in text and "\x07" not in text and "\n" not in text
    assert "line one red and done" in text


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_secret_canary_never_leaks(server, client_for, caplog, family) -> None:
    """Secrets echoed by the server, sent in URLs or held by the client stay hidden."""
    caplog.set_level(logging.DEBUG)
    echo = f"bad app secret {SECRET} for token {TOKEN}"
    client = client_for(family)
    for reply in (
        _fail(1240002, echo),
        httpx.Response(
            500,
            json={"code": 1650200, "message": echo},
            headers={"X-Bkapi-Error-Code": "1650200", "X-Bkapi-Error-Message": echo},
        ),
    ):
        server.replies["get_job_instance_status"] = reply
        with pytest.raises(E.ApiError) as info:
            await client.get_job(7)
        shown = f"{info.value} {info.value!r} {info.value.args} {info.value.__cause__!r}"
        assert SECRET not in shown and TOKEN not in shown and "***" in str(info.value)
    assert SECRET not in repr(client) and TOKEN not in repr(client)
    assert SECRET not in caplog.text and TOKEN not in caplog.text
    if family not in (ApiFamily.V3, ApiFamily.V4):  # ESB: the secret was in the URL it logged
        assert "bk_app_secret=%2A%2A%2A" in caplog.text or "***" in caplog.text
