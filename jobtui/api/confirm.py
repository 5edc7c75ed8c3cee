"""Manual-confirmation steps: a result built from the job status, never asked for.

bk-job refuses get_step_instance_status for a confirmation step (type 3) with
1241003 UNSUPPORTED_OPERATION (``TaskResultServiceImpl.preProcessViewStepExecutionResult``,
v3 gateway and ESB v2 alike), and such a step has no hosts anyway. So every
family answers it from the step as the job status reports it, with the groups
empty and the approval card's facts in ``ConfirmInfo``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from jobtui.api.errors import ApiError, GatewayForbidden, NotFoundError, PermissionDenied
from jobtui.api.filters import StepFilter
from jobtui.api.models import (
    CONFIRM_STEP_TYPE,
    ConfirmInfo,
    Job,
    ResultGroup,
    Step,
    StepResult,
)
from jobtui.api.text import safe_line

Entry = TypeVar("Entry", bound=Mapping[str, Any])


def plan_step(steps: Sequence[Entry], job: Job, step: Step) -> Entry | None:
    """The plan's entry for ``step`` (jobv3's ``get_job_plan_detail``, v2's
    ``get_job_detail``): by name (neither carries the step instance's id), else by
    position among the job's steps when the plan has as many steps."""
    named = [s for s in steps if s.get("name") == step.name]
    found = named[0] if len(named) == 1 else None
    if found is None and not named:
        ids = [s.step_instance_id for s in job.steps]
        if len(steps) == len(ids) and step.step_instance_id in ids:
            found = steps[ids.index(step.step_instance_id)]
    return found


#: What a family without get_step_instance_detail says about the message.
NO_MESSAGE_API = "message not available on this API"
#: Where a message read from the job's PLAN (jobv3, v2) is said to come from.
FROM_PLAN = "from the plan, may have changed since launch"


def no_plan_note(exc: ApiError) -> str:
    """Why the plan gave no message, short enough for the card's second line."""
    if isinstance(exc, (PermissionDenied, GatewayForbidden)):
        return "message not available: no permission to view the job's plan"
    if isinstance(exc, NotFoundError) or exc.code == 1243009:  # TASK_PLAN_NOT_EXIST
        return "message not available: the job's plan no longer exists"
    return f"message not available: {exc.message[:100]}"


def clean_message(raw: str | None) -> str | None:
    """A confirmation message kept on its lines, each made safe; ``None`` when blank."""
    if not raw or not raw.strip():
        return None
    lines = [safe_line(line).rstrip() for line in raw.strip().splitlines()]
    return "\n".join(lines)


def is_confirm(step: Step | None) -> bool:
    return step is not None and step.type == CONFIRM_STEP_TYPE


def result_from_step(
    step: Step,
    flt: StepFilter,
    groups: tuple[ResultGroup, ...] = (),
    confirm: ConfirmInfo | None = None,
) -> StepResult:
    """The step's result for ``flt``'s retry and batch, from its job-status entry."""
    asked = flt.execute_count
    return StepResult(
        step_instance_id=step.step_instance_id,
        name=step.name,
        type=step.type,
        status=step.status,
        execute_count=step.execute_count if asked is None else asked,
        groups=groups,
        batch=flt.batch,
        create_time=step.create_time,
        start_time=step.start_time,
        end_time=step.end_time,
        total_seconds=step.total_seconds,
        latest_execute_count=step.execute_count,
        confirm=confirm,
    )
