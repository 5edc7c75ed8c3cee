"""Errors the simulated server answers with (bk-job codes, not Python tracebacks)."""

from __future__ import annotations

from typing import Any


class SimError(Exception):
    """A bk-job ``result:false`` answer (HTTP 200 unless ``http_status`` says otherwise)."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        http_status: int = 200,
        permission: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.permission = permission


def missing(name: str) -> SimError:
    return SimError(1241007, f"Missing or illegal parameter [{name}]")


def job_not_found() -> SimError:
    return SimError(1244006, "Job instance not found")


def step_not_found() -> SimError:
    return SimError(1244007, "Step instance not found")


def permission_denied(scope_type: str, scope_id: str, language: str) -> SimError:
    """IAM denial with the permission object the real server attaches."""
    zh = language.lower().startswith("zh")
    type_name = "业务" if zh else "Business"
    permission = {
        "system_id": "bk_job",
        "system_name": "作业平台" if zh else "Job",
        "actions": [
            {
                "id": "view_history",
                "name": "查看执行历史" if zh else "View execution history",
                "related_resource_types": [
                    {
                        "system_id": "bk_cmdb",
                        "system_name": "配置平台" if zh else "CMDB",
                        "type": scope_type,
                        "type_name": type_name,
                        "instances": [
                            [
                                {
                                    "id": scope_id,
                                    "type": scope_type,
                                    "type_name": type_name,
                                    "name": f"biz-{scope_id}",
                                }
                            ]
                        ],
                    }
                ],
            }
        ],
    }
    return SimError(
        9900403, "You have no permission to view execution history", permission=permission
    )
