"""Build the one client a ConnectionSettings asks for.

The returned client owns its ``httpx.AsyncClient``; ``aclose()`` closes it.
A transport can be injected (``MockTransport`` in unit tests, ``ASGITransport``
over the built-in simulator).
"""

from __future__ import annotations

import httpx

from jobtui import __version__
from jobtui.api.base import JobApi
from jobtui.api.convert import load_zone
from jobtui.api.errors import ConfigError
from jobtui.api.http import HttpCore
from jobtui.api.models import ApiFamily
from jobtui.api.settings import ConnectionSettings

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


def make_client(
    settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> JobApi:
    """The JobApi for ``settings.family`` (ConfigError for unusable settings)."""
    _check(settings)
    client = httpx.AsyncClient(
        base_url=settings.url,
        headers=_headers(settings),
        timeout=settings.timeout,
        verify=settings.verify,
        transport=transport,
        follow_redirects=False,
    )
    # Each family's module (and its pydantic adapters) is imported only when asked for.
    if settings.family is ApiFamily.V4:
        from jobtui.api.v4 import V4Client, V4Http

        return V4Client(V4Http(client, settings.credentials), settings)
    http = HttpCore(client, settings.credentials)
    if settings.family is ApiFamily.V3:
        from jobtui.api.v3 import V3Client

        return V3Client(http, settings)
    if settings.family is ApiFamily.JOBV3:
        from jobtui.api.jobv3 import JobV3Client

        return JobV3Client(http, settings)
    from jobtui.api.v2 import V2Client

    return V2Client(http, settings)
