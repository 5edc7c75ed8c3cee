"""operate_step_instance / operate_job_instance: request shape per family, answers, errors.

A MockTransport checks the exact bytes each family sends and plays the
server's refusals; the simulator tests (tests/sim/test_operations.py) check the
same operations against the server's behaviour.
"""

from __future__ import annotations

import json

import httpx
import pytest

from jobtui.api import errors as E
from jobtui.api.models import ApiFamily
from jobtui.api.operations import JobOperation, OperationReceipt, StepOperation
from jobtui.api.retry import should_retry
from tests.support.api import SECRET, TOKEN, ok

REPLY = {"job_instance_id": 100, "step_instance_id": 200, "job_instance_name": None}


def fail(code: int, message: str, **extra: object) -> httpx.Response:
    return httpx.Response(200, json={"result": False, "code": code, "message": message, **extra})


async def test_v3_posts_the_body_in_json(server, client_for) -> None:
    server.replies["operate_step_instance"] = ok(REPLY, **{"X-Bkapi-Request-Id": "rid-1"})
    client = client_for(ApiFamily.V3)
    receipt = await client.operate_step_instance(100, 200, StepOperation.CONFIRM)
    request = server.last()
    assert request.method == "POST"
    assert request.url.path == "/api/bk-job/prod/api/v3/operate_step_instance"
    assert server.body() == {
        "bk_scope_type": "biz",
        "bk_scope_id": "2",
        "job_instance_id": 100,
        "step_instance_id": 200,
        "operation_code": 6,
    }
    assert json.loads(request.headers["X-Bkapi-Authorization"])["bk_app_secret"] == SECRET
    assert receipt == OperationReceipt(
        api="operate_step_instance",
        job_instance_id=100,
        step_instance_id=200,
        operation_code=6,
        request_id="rid-1",
    )


async def test_v3_job_operation(server, client_for) -> None:
    server.replies["operate_job_instance"] = ok({**REPLY, "step_instance_id": None})
    client = client_for(ApiFamily.V3)
    receipt = await client.operate_job_instance(100, JobOperation.TERMINATE)
    assert server.body() == {
        "bk_scope_type": "biz",
        "bk_scope_id": "2",
        "job_instance_id": 100,
        "operation_code": 1,
    }
    assert receipt.step_instance_id is None and receipt.operation_code == 1


@pytest.mark.parametrize(
    ("family", "path", "scope"),
    [
        (
            ApiFamily.JOBV3,
            "/api/bk-job/prod/api/c/compapi/v2/jobv3/operate_step_instance/",
            {"bk_scope_type": "biz", "bk_scope_id": "2"},
        ),
        (
            ApiFamily.V2,
            "/api/bk-job/prod/api/c/compapi/v2/job/operate_step_instance/",
            {"bk_biz_id": 2},
        ),
    ],
)
async def test_esb_families_send_credentials_in_the_body(
    server, client_for, family, path, scope
) -> None:
    server.replies["operate_step_instance"] = httpx.Response(
        200, json={"result": True, "code": 0, "data": REPLY, "job_request_id": "jr-9"}
    )
    client = client_for(family)
    receipt = await client.operate_step_instance(100, 200, StepOperation.RETRY_FAILED)
    assert server.last().url.path == path
    assert server.body() == {
        "bk_app_code": "jobtui-test",
        "bk_app_secret": SECRET,
        "bk_token": TOKEN,
        **scope,
        "job_instance_id": 100,
        "step_instance_id": 200,
        "operation_code": 2,
    }
    assert receipt.request_id == "jr-9"  # bk-job's own id when the gateway sends none


@pytest.mark.parametrize("family", list(ApiFamily))
@pytest.mark.parametrize(
    ("reply", "kind", "text"),
    [
        (
            fail(1241003, "Unsupported operation"),
            E.FailedPrecondition,
            "not possible in the step's current state",
        ),
        (
            fail(1244016, "Only the confirmer of the step can operate"),
            E.NotConfirmer,
            "only the step's confirmers can do this",
        ),
        (
            fail(
                9900403,
                "no permission",
                permission={"actions": [{"id": "access_business", "name": "Access business"}]},
            ),
            E.PermissionDenied,
            'permission denied: needs "Access business" (access_business)',
        ),
        (fail(1241002, "Illegal parameter"), E.InvalidParameter, "invalid parameter"),
    ],
)
async def test_refusals_keep_their_meaning_and_are_never_retried(
    server, client_for, family, reply, kind, text
) -> None:
    server.replies["operate_step_instance"] = reply
    client = client_for(family)
    with pytest.raises(kind) as caught:
        await client.operate_step_instance(100, 200, StepOperation.CONFIRM)
    assert text in str(caught.value)
    assert not should_retry(caught.value)
    assert len(server.requests) == 1


async def test_gateway_resource_permission_is_named(server, client_for) -> None:
    server.replies["operate_step_instance"] = httpx.Response(
        403,
        json={
            "code": 1640301,
            "code_name": "APP_NO_PERMISSION",
            "message": "App has no permission",
        },
        headers={"X-Bkapi-Error-Code": "1640301", "X-Bkapi-Request-Id": "gw-1"},
    )
    client = client_for(ApiFamily.V3)
    with pytest.raises(E.GatewayForbidden) as caught:
        await client.operate_step_instance(100, 200, StepOperation.CONFIRM)
    assert str(caught.value) == (
        "your app has not been granted `operate_step_instance` on the gateway "
        "(ask the gateway's administrator for the resource permission) (request id gw-1)"
    )


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("timed out"), httpx.RemoteProtocolError("peer closed connection")],
)
async def test_no_answer_is_unknown_and_sent_once(server, client_for, exc) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise type(exc)(str(exc), request=request)

    server.replies["operate_job_instance"] = hang
    client = client_for(ApiFamily.V3)
    with pytest.raises(E.OperationUnknown) as caught:
        await client.operate_job_instance(100, JobOperation.TERMINATE)
    assert "unknown: check the job" in str(caught.value)
    assert not should_retry(caught.value)
    assert len(server.requests) == 1


async def test_refused_connection_was_not_sent(server, client_for) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    server.replies["operate_job_instance"] = refuse
    client = client_for(ApiFamily.V3)
    with pytest.raises(E.ConnectError) as caught:
        await client.operate_job_instance(100, JobOperation.TERMINATE)
    assert type(caught.value) is E.ConnectError  # never reached bk-job: not "unknown"


def test_codes_are_the_servers() -> None:
    """StepOperationEnum / TaskOperationEnum of job-execute."""
    assert {op.name: op.value for op in StepOperation} == {
        "RETRY_FAILED": 2,
        "IGNORE_ERROR": 3,
        "CONFIRM": 6,
        "RETRY_ALL": 8,
        "CONFIRM_TERMINATE": 9,
        "CONFIRM_RESTART": 10,
        "NEXT_STEP": 11,
        "SKIP": 12,
        "ROLLING_CONTINUE": 13,
    }
    assert (JobOperation.TERMINATE.value, JobOperation.START.value) == (1, 2)


async def test_v4_uses_the_gateways_v3_operation_resource(server, client_for) -> None:
    """v4 has no operation resource (the gateway's resources.yaml lists
    /api/v3/operate_step_instance, no /api/v4/ one): the same stage's v3 one."""
    server.replies["operate_step_instance"] = ok(REPLY)
    client = client_for(ApiFamily.V4)
    receipt = await client.operate_step_instance(100, 200, StepOperation.ROLLING_CONTINUE)
    assert server.last().url.path == "/api/bk-job/prod/api/v3/operate_step_instance"
    assert server.body()["operation_code"] == 13 and receipt.operation_code == 13
    server.replies["operate_step_instance"] = httpx.Response(
        403,
        json={"code": 1640301, "message": "App has no permission"},
        headers={"X-Bkapi-Error-Code": "1640301"},
    )
    with pytest.raises(E.GatewayForbidden, match="has not been granted `operate_step_instance`"):
        await client.operate_step_instance(100, 200, StepOperation.CONFIRM)
