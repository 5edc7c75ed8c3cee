"""Build the one client a ConnectionSettings asks for.

The returned client owns its ``httpx.AsyncClient``; ``aclose()`` closes it.
A transport can be injected (``MockTransport`` in unit tests, ``ASGITransport``
over the built-in simulator).
"""

from __future__ import annotations

import os
import ssl

import httpx

from jobtui import __version__
from jobtui.api.base import JobApi
from jobtui.api.convert import load_zone
from jobtui.api.errors import ConfigError
from jobtui.api.http import HttpCore
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy")

USER_AGENT = f"jobtui/{__version__}"


def _headers(settings: ConnectionSettings) -> dict[str, str]:
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Blueking-Language": settings.language,
        "User-Agent": USER_AGENT,
    }
    if settings.family in (ApiFamily.V3, ApiFamily.V4):
        headers["X-Bkapi-Authorization"] = settings.credentials.as_header()
    return headers


def _check(settings: ConnectionSettings) -> None:
    url = httpx.URL(settings.url) if settings.url else None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(f"bad server URL {settings.url!r}: expected http(s)://host/...")
    if not settings.scope_id:
        raise ConfigError("no scope id: give the business (or business set) id")
    if settings.timeout <= 0:
        raise ConfigError(f"timeout must be positive, not {settings.timeout}")
    load_zone(settings.timezone)


def _verify(settings: ConnectionSettings) -> bool | str | ssl.SSLContext:
    """What to hand httpx as ``verify``: the settings, except for plain http.

    httpx builds its TLS context when the client is created, loading the whole
    CA bundle (~25 ms of start-up) even if the server is ``http://``. Without
    an environment proxy (which might be ``https://``) a plain-http client never
    speaks TLS, so it gets a bare context instead; that context still verifies
    (no CAs loaded), so should TLS ever happen it fails closed, never open.
    """
    plain = httpx.URL(settings.url).scheme == "http"
    proxied = any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARS)
    if plain and not proxied:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return settings.verify


def make_client(
    settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> JobApi:
    """The JobApi for ``settings.family`` (ConfigError for unusable settings)."""
    _check(settings)
    client = httpx.AsyncClient(
        base_url=settings.url,
        headers=_headers(settings),
        timeout=settings.timeout,
        verify=_verify(settings),
        transport=transport,
        follow_redirects=False,
    )
    # Each family's module (and its pydantic adapters) is imported only when asked for.
    if settings.family is ApiFamily.V4:
        from jobtui.api.v4 import V4Client, V4Http

        return V4Client(V4Http(client, settings.credentials), settings)
    http = HttpCore(client, settings.credentials)
    if settings.family is ApiFamily.V3:
        from jobtui.api.gateway import V3Client

        return V3Client(http, settings)
    if settings.family is ApiFamily.JOBV3:
        from jobtui.api.jobv3 import JobV3Client

        return JobV3Client(http, settings)
    from jobtui.api.v2 import V2Client

    return V2Client(http, settings)
