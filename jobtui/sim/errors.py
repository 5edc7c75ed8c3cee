"""Errors the simulated server answers with (bk-job codes, not Python tracebacks)."""

from __future__ import annotations

from typing import Any


class SimError(Exception):
    """A bk-job ``result:false`` answer (HTTP 200 unless ``http_status`` says otherwise).

    ``esb_body``: a non-200 answer that still carries bk-job's EsbResp body (the
    server's ``MissingParameterException`` → HTTP 400), not the gateway's.
    """

    def __init__(
        self,
        code: int,
        message: str,
        *,
        http_status: int = 200,
        permission: dict[str, Any] | None = None,
        esb_body: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.permission = permission
        self.esb_body = esb_body


def missing(name: str) -> SimError:
    return SimError(1241007, f"Missing or illegal parameter [{name}]")


def missing_parameter(name: str) -> SimError:
    """``MissingParameterException``: HTTP 400 with an EsbResp body.

    ``EsbExceptionControllerAdvice.handleMissingParameterException`` is the one
    handler that answers an ESB call with a non-2xx status and bk-job's own body
    (1241004 MISSING_PARAM_WITH_PARAM_NAME). The simulator raises it where a
    scope is missing altogether, so the client's non-2xx EsbResp path is
    exercised; the exact trigger on a real server depends on the deployment.
    """
    return SimError(1241004, f"Missing parameter [{name}]", http_status=400, esb_body=True)


def unsupported_operation() -> SimError:
    """1241003 UNSUPPORTED_OPERATION, from a ``FailedPreconditionException`` (HTTP 200)."""
    return SimError(1241003, "Unsupported operation")


def internal_error() -> SimError:
    """1240002: what ``EsbExceptionControllerAdvice.handleException`` makes of any Throwable."""
    return SimError(1240002, "Internal error")


def job_not_found() -> SimError:
    return SimError(1244006, "Job instance not found")


def step_not_found() -> SimError:
    return SimError(1244007, "Step instance not found")


def permission_denied(scope_type: str, scope_id: str, user: str, language: str) -> SimError:
    """IAM denial of ``access_business`` on the scope, with the permission object.

    ``AuthAppInterceptor`` checks ``access_business`` before any API runs, so a
    forbidden scope is first refused for that action (9900403), not for
    ``view_history``. It throws ``PermissionDeniedException``, which
    ``EsbExceptionControllerAdvice.handlePermissionDeniedException`` answers as it
    answers a plan refusal: ``AuthServiceImpl.buildEsbAuthFailResp``, the message
    of ``EsbResp.buildAuthFailResult`` naming the user (:func:`_auth_fail_message`).
    """
    zh = language.lower().startswith("zh")
    type_name = "业务" if zh else "Business"
    permission = {
        "system_id": "bk_job",
        "system_name": "作业平台" if zh else "Job",
        "actions": [
            {
                "id": "access_business",
                "name": "业务访问" if zh else "Access business",
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
    return SimError(9900403, _auth_fail_message(user, zh), permission=permission)


def plan_not_found(language: str) -> SimError:
    """1243009 TASK_PLAN_NOT_EXIST, from ``TaskPlanServiceImpl.getTaskPlan``'s
    ``NotFoundException``, worded by ``i18n/exception/message*.properties``."""
    zh = language.lower().startswith("zh")
    return SimError(1243009, "执行方案不存在" if zh else "Job plan does not exist")


def plan_permission_denied(plan_id: int, plan_name: str, user: str, language: str) -> SimError:
    """IAM denial of ``view_job_plan`` on the plan (``PlanAuthServiceImpl.authViewJobPlan``).

    ``EsbExceptionControllerAdvice.handlePermissionDeniedException`` answers with
    ``AuthServiceImpl.buildEsbAuthFailResp``: code 9900403 BK_PERMISSION_DENIED,
    the message of ``EsbResp.buildAuthFailResult`` (the user's name in it) and the
    permission to apply for. The server's instance path also names the scope and
    the plan's template before the plan; the simulator keeps no templates, so the
    path is the plan alone.
    """
    zh = language.lower().startswith("zh")
    type_name = "作业执行方案" if zh else "Job Plans"
    system = "作业平台" if zh else "Job"
    permission = {
        "system_id": "bk_job",
        "system_name": system,
        "actions": [
            {
                "id": "view_job_plan",
                "name": "执行方案查看" if zh else "View Job Plan",
                "related_resource_types": [
                    {
                        "system_id": "bk_job",
                        "system_name": system,
                        "type": "job_plan",
                        "type_name": type_name,
                        "instances": [
                            [
                                {
                                    "id": str(plan_id),
                                    "type": "job_plan",
                                    "type_name": type_name,
                                    "name": plan_name,
                                }
                            ]
                        ],
                    }
                ],
            }
        ],
    }
    return SimError(9900403, _auth_fail_message(user, zh), permission=permission)


def _auth_fail_message(user: str, zh: bool) -> str:
    """``EsbResp.buildAuthFailResult``'s message for 9900403, in the request's language."""
    if zh:
        return f"用户({user})权限不足，请前往权限中心确认并申请补充后重试"
    return (
        f"User ({user}) permission not allowed, please confirm and apply permission in IAM"
        " and try again"
    )
