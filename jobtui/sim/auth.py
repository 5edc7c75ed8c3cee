"""Authentication as the gateway and ESB check it (never echoing secrets)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jobtui.sim.errors import SimError

USER_FIELDS = ("bk_token", "bk_ticket", "access_token", "bk_username")


def check_gateway(header: str | None) -> None:
    """v3: only the X-Bkapi-Authorization header counts (allow_auth_from_params: false)."""
    if not header:
        raise SimError(
            1640001,
            "Authentication failed: please provide X-Bkapi-Authorization in the request header",
            http_status=400,
        )
    try:
        auth = json.loads(header)
    except ValueError:
        raise SimError(
            1640001,
            "Authentication failed: X-Bkapi-Authorization is not valid JSON",
            http_status=400,
        ) from None
    _check(auth, 1640001, 400)


def check_esb(params: Mapping[str, Any], header: str | None) -> None:
    """ESB: bk_app_code/bk_app_secret in body or query (or the header newer SDKs send)."""
    if header:
        try:
            auth = json.loads(header)
        except ValueError:
            auth = {}
        if isinstance(auth, dict) and auth.get("bk_app_code") and auth.get("bk_app_secret"):
            return
    _check(params, 1306101, 200)


def _check(auth: Any, code: int, status: int) -> None:
    if not isinstance(auth, Mapping) or not auth.get("bk_app_code"):
        raise SimError(code, "Authentication failed: bk_app_code is missing", http_status=status)
    if not auth.get("bk_app_secret"):
        raise SimError(
            code, "Authentication failed: bk_app_secret is missing or invalid", http_status=status
        )
    if not any(auth.get(f) for f in USER_FIELDS):
        raise SimError(
            code,
            "Authentication failed: user authentication is required "
            "(bk_token, bk_ticket, access_token or bk_username)",
            http_status=status,
        )
