"""Requests to the simulator as the wire sees them: gateway and ESB auth, the scope."""

from __future__ import annotations

import json
from typing import Any

import httpx

AUTH = {
    "X-Bkapi-Authorization": json.dumps(
        {"bk_app_code": "demo", "bk_app_secret": "s3cret", "bk_username": "admin"}
    )
}
SCOPE = {"bk_scope_type": "biz", "bk_scope_id": "2"}
ESB_AUTH = {"bk_app_code": "demo", "bk_app_secret": "s3cret", "bk_username": "admin"}


async def v3(client: httpx.AsyncClient, resource: str, /, **params: Any) -> httpx.Response:
    return await client.get(f"/api/v3/{resource}", params={**SCOPE, **params}, headers=AUTH)
