"""One exception tree for everything that can go wrong talking to bk-job.

::

    JobTuiError                      every error jobtui raises on purpose
    ├── ConfigError                  bad flags, config file or environment (exit 2)
    │   └── UnsupportedFilterError   a filter this API family cannot apply
    └── ApiError                     the server could not be used (exit 3)
        ├── TransportError           no usable HTTP exchange           [retryable]
        │   ├── ConnectError         refused, reset, DNS, TLS
        │   │   └── ConnectionLost   broke after the request may have been sent
        │   └── RequestTimeout       no answer within the timeout
        ├── OperationUnknown         an operation may or may not have been applied
        ├── HttpStatusError          non-2xx without gateway markers   [5xx retryable]
        ├── GatewayError             API gateway error (16xxxxx, X-Bkapi-Error-Code)
        │   ├── GatewayAuthError     400 1640001: credentials missing or wrong
        │   ├── GatewayForbidden     403 1640301/1640302: app or IP not allowed
        │   ├── GatewayNotFound      404 1640401: no such resource or wrong method
        │   └── RateLimited          429 164290x                        [retryable]
        ├── BadResponseError         body is not the JSON envelope (HTML 502 page,
        │                            truncated or malformed JSON)       [retryable]
        └── BkJobError               HTTP 200 with ``result: false``
            ├── NotFoundError        1244006 job / 1244007 step instance not found
            ├── InvalidParameter     1240003, 1241xxx (but the two below)
            ├── FailedPrecondition   1241003: not possible in the step's current state
            │   └── AlreadyStarted   1241015: the job has already started
            ├── NotConfirmer         1244016: only the step's confirmers can do this
            ├── PermissionDenied     9900403 (IAM, names action + resource), 1238001,
            │                        1247403
            ├── NotLoggedIn          1247001
            └── InternalOnJob        1240002 again and again on one job (v3 on a
                                     container job: use --api v4)

Gateway v4 answers with real HTTP statuses and ``{"error": {"code": "NOT_FOUND"…}}``;
``v4err`` maps those onto the same classes (NOT_FOUND → NotFoundError,
NO_PERMISSION → PermissionDenied, RESOURCE_EXHAUSTED → RateLimited, …).

Every ``str(error)`` is one readable line, ends with the gateway request id
when the server sent one, and never contains a secret or an HTML body.
``retryable`` and ``retry_after`` feed ``jobtui.api.retry``.
"""

from __future__ import annotations


class JobTuiError(Exception):
    """Base of every error jobtui raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(JobTuiError):
    """Bad command line, configuration file or environment."""


class UnsupportedFilterError(ConfigError):
    """The API family cannot apply this filter (e.g. rolling batch on ESB v2)."""


class ApiError(JobTuiError):
    """The bk-job server (or the way to it) could not be used."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        retry_after: float | None = None,
        status_code: int | None = None,
        code: int | None = None,
    ) -> None:
        full = message if not request_id else f"{message} (request id {request_id})"
        super().__init__(" ".join(full.split()))
        self.request_id = request_id
        self.retry_after = retry_after
        self.status_code = status_code
        self.code = code


class TransportError(ApiError):
    retryable = True


class ConnectError(TransportError):
    pass


class ConnectionLost(ConnectError):
    """The connection broke after the request was (perhaps) sent: it may have been applied."""


class RequestTimeout(TransportError):
    pass


class OperationUnknown(ApiError):
    """An operation got no answer: bk-job may have applied it. Never retried automatically."""


class HttpStatusError(ApiError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.status_code is not None and self.status_code >= 500


class GatewayError(ApiError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.status_code is not None and self.status_code >= 500


class GatewayAuthError(GatewayError):
    pass


class GatewayForbidden(GatewayError):
    pass


class GatewayNotFound(GatewayError):
    pass


class RateLimited(GatewayError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return True


class BadResponseError(ApiError):
    retryable = True


class BkJobError(ApiError):
    """``result: false`` from bk-job itself. 1240001/1240002/125xxxx are transient."""

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.code in {1240001, 1240002, 1246001, 1250001, 1252001}


class NotFoundError(BkJobError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False


class InvalidParameter(BkJobError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False


class FailedPrecondition(BkJobError):
    """1241003 UNSUPPORTED_OPERATION: the request is valid, the step's state refuses it.

    bk-job throws it as ``FailedPreconditionException`` (for example
    ``TaskResultServiceImpl.preProcessViewStepExecutionResult`` for the result of
    a confirmation step, ``TaskExecuteServiceImpl`` for an operation whose step
    has moved on). It says "the state moved", so a poller refreshes instead of
    backing off, and it is never "invalid parameter".
    """

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False


class AlreadyStarted(FailedPrecondition):
    """1241015 UNSUPPORTED_OPERATION_REPEAT_START_JOB: the job was started already."""


class NotConfirmer(BkJobError):
    """1244016 NOT_IN_CONFIRM_USER_LIST (``TaskExecuteServiceImpl.checkConfirmUser``)."""

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False


class PermissionDenied(BkJobError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False


class NotLoggedIn(BkJobError):
    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False


class InternalOnJob(BkJobError):
    """bk-job failed internally (1240002) on every recent request about one job.

    Not retried: on v3, jobv3 and v2 this is what a job whose targets are
    containers answers, and asking again cannot help: the status builders
    (``EsbGetJobInstanceStatusV3ResourceImpl``, ``EsbGetStepInstanceStatusV3ResourceImpl``)
    read each execute object's host, which a container's ``ExecuteObject`` does not
    have, and ``EsbExceptionControllerAdvice.handleException`` answers the
    NullPointerException with 1240002.
    """

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return False
