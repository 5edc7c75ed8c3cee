"""The HTTP exchange every family shares: send, map failures, unwrap the envelope.

The client does not retry: the poller owns the schedule (``retry`` holds the
policy). The one exception is a READ on a kept-alive connection the server had
already closed (``retry.stale_connection``): sent again once, at once, never
for an operation. Errors leave here already redacted of every credential and reduced to
one line; the causing httpx exception is dropped because its request carries
the credentials of the ESB families in its URL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from jobtui.api.auth import Credentials
from jobtui.api.errmap import (
    Call,
    bkjob_error,
    html_error,
    looks_like_html,
    status_error,
    validation_error,
)
from jobtui.api.errors import (
    ApiError,
    BadResponseError,
    ConnectError,
    ConnectionLost,
    RequestTimeout,
)
from jobtui.api.retry import stale_connection
from jobtui.api.streak import InternalStreak
from jobtui.api.text import one_line
from jobtui.api.wire import Envelope

T = TypeVar("T")
E = TypeVar("E")
Params = Mapping[str, str | int | float | bool]

_HTTPX_LOGGERS = ("httpx", "httpcore")


class _RedactFilter(logging.Filter):
    """Scrubs credentials from httpx's request log lines (ESB sends them in the URL)."""

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def filter(self, record: logging.LogRecord) -> bool:
        if self._credentials.secrets:
            record.msg = self._credentials.redact(record.getMessage())
            record.args = None
        return True


class HttpCore:
    """One owned ``httpx.AsyncClient`` plus the bk-job envelope rules."""

    def __init__(self, client: httpx.AsyncClient, credentials: Credentials) -> None:
        self._client = client
        self._credentials = credentials
        self._filter = _RedactFilter(credentials)
        self._streak = InternalStreak()  # v3/jobv3/v2 on a container job (1240002)
        for name in _HTTPX_LOGGERS:
            logging.getLogger(name).addFilter(self._filter)

    def __repr__(self) -> str:
        return f"HttpCore(base_url={str(self._client.base_url)!r})"

    async def aclose(self) -> None:
        for name in _HTTPX_LOGGERS:
            logging.getLogger(name).removeFilter(self._filter)
        await self._client.aclose()

    async def fetch(
        self,
        method: str,
        path: str,
        adapter: TypeAdapter[Envelope[T]],
        call: Call,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> T:
        """Send, check, validate: the ``data`` of a successful envelope (reads only).

        A read is sent again once if the server had closed its kept-alive
        connection unanswered; operations go through ``fetch_with_id``, which never does.
        """
        data, _ = await self.fetch_with_id(
            method, path, adapter, call, params=params, body=body, read=True
        )
        return data

    async def fetch_with_id(
        self,
        method: str,
        path: str,
        adapter: TypeAdapter[Envelope[T]],
        call: Call,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        read: bool = False,
    ) -> tuple[T, str | None]:
        """``fetch`` plus the request id (gateway header, else bk-job's ``job_request_id``).

        Operations record it in the audit file, so that bk-job's operators can
        find the request in their logs. ``read`` (False unless the caller says
        so) allows the one immediate resend on a stale kept-alive connection.
        """
        try:
            self._streak.before(call)
            response = await self._send(method, path, call, params=params, body=body, read=read)
            data, envelope = self._unwrap(response, adapter, call)
        except ApiError as exc:
            raise self._scrub(self._streak.failed(call, exc)) from None
        self._streak.ok(call)
        rid = response.headers.get("x-bkapi-request-id") or envelope.get("job_request_id")
        return data, rid

    async def _send(
        self,
        method: str,
        path: str,
        call: Call,
        *,
        params: Params | None,
        body: Any,
        read: bool = False,
    ) -> httpx.Response:
        base = self._client.base_url
        port = base.port or (443 if base.scheme == "https" else 80)
        host = f"{base.host}:{port}" if base.host else "the server"  # the port is often the fault
        try:
            try:
                response = await self._client.request(method, path, params=params, json=body)
            except httpx.RemoteProtocolError as exc:
                if not (read and stale_connection(exc)):
                    raise
                # a read on a connection the server had closed: once, at once
                response = await self._client.request(method, path, params=params, json=body)
        except httpx.ConnectTimeout:
            raise ConnectError(f"{call.api}: cannot reach {host}: connect timeout") from None
        except httpx.TimeoutException:
            timeout = self._client.timeout.read
            within = f" within {timeout:g} s" if timeout else ""
            raise RequestTimeout(f"{call.api}: no answer from {host}{within}") from None
        except httpx.TransportError as exc:
            reason = one_line(str(exc)) or type(exc).__name__
            if isinstance(exc, httpx.ConnectError | httpx.UnsupportedProtocol | httpx.ProxyError):
                raise ConnectError(f"{call.api}: cannot reach {host}: {reason}") from None
            # read/write errors, a closed connection: the request may have arrived
            raise ConnectionLost(f"{call.api}: connection to {host} lost: {reason}") from None
        if not response.is_success:
            raise self._status_error(
                response.status_code,
                response.reason_phrase,
                response.headers,
                response.content,
                call,
            )
        return response

    def _status_error(
        self, status: int, reason: str, headers: Mapping[str, str], body: bytes, call: Call
    ) -> ApiError:
        """The error of a non-2xx answer (gateway v4 reads its own error body)."""
        return status_error(status, reason, headers, body, call)

    def _unwrap(
        self, response: httpx.Response, adapter: TypeAdapter[Envelope[T]], call: Call
    ) -> tuple[T, Envelope[T]]:
        rid = response.headers.get("x-bkapi-request-id")
        envelope = decode(response, adapter, call)
        if not envelope["result"]:
            raise bkjob_error(envelope, call, rid)
        data = envelope.get("data")
        if data is None:
            raise BadResponseError(f"{call.api}: the response carries no data", request_id=rid)
        return data, envelope

    def _scrub(self, exc: ApiError) -> ApiError:
        """Redact credentials the server might have echoed into a message."""
        clean = self._credentials.redact(exc.message)
        if clean != exc.message:
            exc.message = clean
            exc.args = (clean,)
        return exc


_REFUSED = object()


def decode(response: httpx.Response, adapter: TypeAdapter[E], call: Call) -> E:
    """The answer's body validated as ``adapter``'s envelope (every family's, v4's too).

    An HTML page (a proxy's error) is an error of its own; a body the strict parser
    refuses is read again leniently (:func:`_lenient_json`) before it is one.
    """
    rid = response.headers.get("x-bkapi-request-id")
    raw = response.content
    if looks_like_html(raw, response.headers.get("content-type")):
        raise html_error(response.status_code, rid)
    try:
        return adapter.validate_json(raw)
    except ValidationError as exc:
        data = _lenient_json(raw, exc)
        if data is _REFUSED:
            raise validation_error(exc, raw, call, rid) from None
        try:
            return adapter.validate_python(data)
        except ValidationError:
            raise validation_error(exc, raw, call, rid) from None


def _lenient_json(raw: bytes, exc: ValidationError) -> Any:
    """JSON the strict parser refused but the grammar allows, else ``_REFUSED``.

    A Java server escapes a lone surrogate (half of a cut emoji) as ``\\ud83d``:
    valid JSON grammar, refused by pydantic's parser but read by ``json``. Such a
    log must show (``safe_text`` makes the surrogate visible later), not turn every
    poll into an error. Bytes that are not UTF-8 stay an error: that is no JSON.
    """
    if not any(err["type"] == "json_invalid" for err in exc.errors()):
        return _REFUSED
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError included
        return _REFUSED
