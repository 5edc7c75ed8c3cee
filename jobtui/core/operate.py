"""Send one chosen action to bk-job, once, and record it: shared by ``jobtui act`` and the monitor.

The single place an operation leaves jobtui, so the safety rules live here once:
nothing is sent in read-only mode, nothing is retried, and every request that
left (or may have left) is appended to the audit file with bk-job's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jobtui.api.errors import (
    ApiError,
    BkJobError,
    ConfigError,
    ConnectError,
    ConnectionLost,
    OperationUnknown,
)
from jobtui.api.operations import JobOperation, JobOperator, OperationReceipt, StepOperation
from jobtui.core.actions import Offer
from jobtui.core.audit import AuditContext, AuditEntry, record
from jobtui.core.readonly import ReadOnly, read_only_refusal


class ReadOnlyError(ConfigError):
    """An operation was asked for in a read-only session."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What came of one operation: a receipt, or the error bk-job (or the way) gave."""

    offer: Offer
    receipt: OperationReceipt | None = None
    error: ApiError | None = None
    audit_error: str | None = None  # the audit file could not be written

    @property
    def accepted(self) -> bool:
        return self.receipt is not None

    @property
    def unknown(self) -> bool:
        return isinstance(self.error, OperationUnknown)

    def summary(self, job_id: int, job_name: str) -> str:
        """One line for a notice or stdout."""
        target = _target(self.offer, job_id, job_name)
        if self.receipt is not None:
            rid = f" (request id {self.receipt.request_id})" if self.receipt.request_id else ""
            return f'bk-job accepted "{self.offer.action.name}" of {target}{rid}'
        return f'"{self.offer.action.name}" of {target}: {self.error}'


def _target(offer: Offer, job_id: int, job_name: str) -> str:
    step = offer.step
    where = f'step "{step.name}" ({step.step_instance_id}) of ' if step is not None else ""
    return f"{where}job {job_id} ({job_name})"


async def send(
    client: JobOperator,
    offer: Offer,
    job_instance_id: int,
    *,
    audit: AuditContext | None,
    readonly: ReadOnly | None,
    now: datetime | None = None,
) -> Outcome:
    """Send ``offer`` once; record it; return the outcome (never raises an ApiError).

    ``readonly`` is why the session may not act (None: it may): the refusal names it.
    """
    if readonly is not None:
        raise ReadOnlyError(read_only_refusal(readonly))
    action = offer.action
    step_id = offer.step.step_instance_id if offer.step is not None else None
    try:
        if step_id is not None:
            receipt = await client.operate_step_instance(
                job_instance_id, step_id, StepOperation(action.code)
            )
        else:
            receipt = await client.operate_job_instance(job_instance_id, JobOperation(action.code))
    except ApiError as error:
        outcome = Outcome(offer, error=error)
    else:
        outcome = Outcome(offer, receipt=receipt)
    return _audited(outcome, job_instance_id, step_id, audit, now)


def _audited(
    outcome: Outcome,
    job_instance_id: int,
    step_id: int | None,
    audit: AuditContext | None,
    now: datetime | None,
) -> Outcome:
    if audit is None:
        return outcome
    error = outcome.error
    if outcome.receipt is not None:
        kind, answer, rid, code = "accepted", "accepted", outcome.receipt.request_id, None
    else:
        assert error is not None
        kind = _kind(error)
        answer, rid, code = str(error), error.request_id, error.code
    entry = AuditEntry(
        job_instance_id=job_instance_id,
        step_instance_id=step_id,
        action=outcome.offer.action.name,
        operation_code=outcome.offer.action.code,
        outcome=kind,
        answer=answer,
        request_id=rid,
        code=code,
    )
    try:
        record(audit, entry, at=now)
    except OSError as exc:
        return Outcome(outcome.offer, outcome.receipt, outcome.error, f"audit file: {exc}")
    return outcome


def _kind(error: ApiError) -> str:
    if isinstance(error, OperationUnknown | ConnectionLost):
        return "unknown"
    if isinstance(error, ConnectError):
        return "not sent"
    if isinstance(error, BkJobError):
        return "refused"
    return "failed"
