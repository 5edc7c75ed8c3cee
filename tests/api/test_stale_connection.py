"""A kept-alive connection the server had already closed: a read is sent again once, at once.

uvicorn (the simulator, and many proxies) closes idle keep-alive connections
after 5 s; httpx may pick one up in that instant, and the request dies with
"Server disconnected without sending a response." The simulator cannot make
this on demand, so a MockTransport plays it (the transport httpcore would have
raised it from). An operation is never sent again: it may have arrived.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from jobtui.api import errors as E
from jobtui.api.models import ApiFamily
from jobtui.api.operations import JobOperation, StepOperation
from jobtui.api.retry import stale_connection
from tests.support.api import ok

JOB = {
    "finished": False,
    "job_instance": {"job_instance_id": 7, "name": "j", "status": 2},
    "step_instance_list": [],
}
HTTP11 = "Server disconnected without sending a response."
HTTP2 = "Server disconnected"


def flaky(
    first: list[Exception], then: httpx.Response
) -> Callable[[httpx.Request], httpx.Response]:
    """Raise each exception of ``first`` in turn (one per request), then answer ``then``."""

    def reply(request: httpx.Request) -> httpx.Response:
        if first:
            exc = first.pop(0)
            raise type(exc)(str(exc), request=request)
        return then

    return reply


@pytest.mark.parametrize("message", [HTTP11, HTTP2])
async def test_a_read_on_a_closed_connection_is_sent_again_once(
    server, client_for, message
) -> None:
    server.replies["get_job_instance_status"] = flaky([httpx.RemoteProtocolError(message)], ok(JOB))
    job = await client_for(ApiFamily.V3).get_job(7)
    assert job.job_instance_id == 7
    assert len(server.requests) == 2


async def test_a_second_disconnect_is_reported_not_retried_again(server, client_for) -> None:
    server.replies["get_job_instance_status"] = flaky(
        [httpx.RemoteProtocolError(HTTP11), httpx.RemoteProtocolError(HTTP11)], ok(JOB)
    )
    with pytest.raises(E.ConnectionLost, match="Server disconnected"):
        await client_for(ApiFamily.V3).get_job(7)
    assert len(server.requests) == 2


async def test_an_answer_cut_short_is_not_retried(server, client_for) -> None:
    """The server had started answering: not a stale connection, the poller's backoff decides."""
    cut = "peer closed connection without sending complete message body (incomplete chunked read)"
    server.replies["get_job_instance_status"] = flaky([httpx.RemoteProtocolError(cut)], ok(JOB))
    with pytest.raises(E.ConnectionLost):
        await client_for(ApiFamily.V3).get_job(7)
    assert len(server.requests) == 1


@pytest.mark.parametrize("family", list(ApiFamily))
async def test_an_operation_on_a_closed_connection_is_never_sent_again(
    server, client_for, family
) -> None:
    reply = {"job_instance_id": 100, "step_instance_id": 200}
    for name in ("operate_job_instance", "operate_step_instance"):
        server.replies[name] = flaky([httpx.RemoteProtocolError(HTTP11)], ok(reply))
    client = client_for(family)
    with pytest.raises(E.OperationUnknown):
        await client.operate_job_instance(100, JobOperation.TERMINATE)
    assert len(server.requests) == 1
    with pytest.raises(E.OperationUnknown):
        await client.operate_step_instance(100, 200, StepOperation.CONFIRM)
    assert len(server.requests) == 2


def test_stale_connection_is_only_the_unanswered_close() -> None:
    assert stale_connection(httpx.RemoteProtocolError(HTTP11))
    assert stale_connection(httpx.RemoteProtocolError(HTTP2))
    assert not stale_connection(httpx.RemoteProtocolError("peer closed connection"))
    assert not stale_connection(httpx.ReadError(HTTP11))
