"""``operate_step_instance`` and ``operate_job_instance``: the server's preconditions and effects.

Follows ``TaskExecuteServiceImpl.doStepOperation`` / ``doTaskOperation``
(the preconditions of its per-code methods, ``retryStepFail``, ``confirmContinue``,
``nextStep``, ``continueRolling`` and the rest, with ``isStepRetryable`` and
``checkConfirmUser``) and the engine handlers that carry
the effect out a moment later (``GseStepEventHandler``, ``ConfirmStepEventHandler``,
``JobListener``). Requests are validated as ``EsbOperateStepInstanceV3ResourceImpl.
checkRequest`` does (1241002 for a missing id or an unknown code); a failed
precondition is ``FailedPreconditionException(UNSUPPORTED_OPERATION)``, 1241003.

Effects change the job's schedule from the request's instant on (see
``StepRun``'s operation fields); what the request itself does synchronously
(``execute_count`` + 1 on a retry, the job back to RUNNING) is visible at once,
what the engine does comes ``ENGINE_DELAY`` later.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jobtui.sim import groups
from jobtui.sim.errors import SimError, step_not_found
from jobtui.sim.jobs import Job
from jobtui.sim.params import Params, opt_int
from jobtui.sim.steps import CONFIRM, Retry
from jobtui.sim.world import World

Json = dict[str, Any]

ENGINE_DELAY = 0.5  # the MQ event reaches the engine
STOP_DELAY = 2.0  # STOPPING until the agents report the kill
STEP_CODES = frozenset({2, 3, 6, 8, 9, 10, 11, 12, 13})  # StepOperationEnum
JOB_CODES = frozenset({1, 2})  # TaskOperationEnum
RETRY_STATUSES = frozenset({4, 9, 11})  # isStepRetryable
# Codes whose request sets the job RUNNING at once (TaskExecuteServiceImpl: retry,
# ignore, confirm, next step, rolling continue); reject and skip leave it to the engine.
SETS_JOB_RUNNING = frozenset({2, 3, 6, 8, 11, 13})
CONFIRM_TRIGGER_ROLE = "JOB_RESOURCE_TRIGGER_USER"


def illegal() -> SimError:
    """``InvalidParamException(ILLEGAL_PARAM)``: no field name, unlike 1241007."""
    return SimError(1241002, "Illegal parameter")


def unsupported() -> SimError:
    return SimError(1241003, "Unsupported operation")


def not_confirmer() -> SimError:
    return SimError(1244016, "Only the confirmer of the step can operate")


def caller(params: Mapping[str, Any], header: str | None) -> str:
    """The user an operation is made as: ``bk_username`` of the header or the parameters."""
    auth: Any = {}
    if header:
        try:
            auth = json.loads(header)
        except ValueError:
            auth = {}
    for source in (auth if isinstance(auth, dict) else {}, params):
        name = source.get("bk_username")
        if name:
            return str(name)
    return "admin"  # a bk_token / access_token user: the simulator's only login


def job_id(params: Params) -> int:
    """The job of an operation: missing or not positive is 1241002 (``checkRequest``)."""
    return _positive(params, "job_instance_id")


def _positive(params: Params, name: str) -> int:
    try:
        value = opt_int(params, name)
    except SimError:
        raise illegal() from None
    if value is None or value <= 0:
        raise illegal()
    return value


def operate_step(world: World, job: Job, params: Params, now: float, user: str) -> Json:
    """``EsbOperateStepInstanceV3ResourceImpl`` → ``TaskExecuteServiceImpl.doStepOperation``."""
    _positive(params, "job_instance_id")
    step_id = _positive(params, "step_instance_id")
    code = opt_int(params, "operation_code") if params.get("operation_code") is not None else None
    if code not in STEP_CODES:
        raise illegal()
    run = job.step(step_id)
    if run is None:
        raise step_not_found()
    index = job.steps.index(run)
    status = run.status(now)
    ended = job.end_time(now)  # the request sets only the status (updateTaskStatus)
    if code in (6, 9):
        if run.spec.type != CONFIRM or status != 7:
            raise unsupported()
        _check_confirm_user(world, job, user)
        if code == 6:
            _confirm(job, index, now, user)
        else:
            _end_job_at(job, index, now + ENGINE_DELAY, 13)
    elif code == 10:
        if run.spec.type != CONFIRM or status != 13:
            raise unsupported()
        _reconfirm(job, index, now)
    elif code in (2, 8):
        if status not in RETRY_STATUSES or run.spec.type == CONFIRM:
            raise unsupported()
        _retry(job, index, now, failed_only=code == 2)
    elif code == 3:
        if status not in (4, 9):
            raise unsupported()
        if status == 4:  # GseStepEventHandler.ignoreError acts on FAIL only
            _go_on(job, index, now + ENGINE_DELAY, 6)
    elif code == 11:
        if status != 11:
            raise unsupported()
        _go_on(job, index, now + ENGINE_DELAY, 5)  # nextStep: the stopped step is SKIPPED
    elif code == 12:
        if status != 10:
            raise unsupported()
        _go_on(job, index, now + ENGINE_DELAY, 5)  # skipStep: SKIPPED, the job runs on
    else:  # 13 ROLLING_CONTINUE: a rolling step (not a confirmation) at WAITING_USER
        if status != 7 or run.spec.type == CONFIRM or not run.spec.rolling:
            raise unsupported()
        _continue_rolling(job, index, now)
    if code in SETS_JOB_RUNNING:
        job.released, job.released_end = (now, now + ENGINE_DELAY), ended
    world.record(now, job.job_instance_id, step_id, code, user)
    groups.forget()
    return {
        "job_instance_id": job.job_instance_id,
        "step_instance_id": step_id,
        "job_instance_name": None,
    }


def operate_job(world: World, job: Job, params: Params, now: float, user: str) -> Json:
    """``EsbOperateJobInstanceV3ResourceImpl`` → ``TaskExecuteServiceImpl.doTaskOperation``."""
    _positive(params, "job_instance_id")
    code = opt_int(params, "operation_code") if params.get("operation_code") is not None else None
    if code not in JOB_CODES:
        raise illegal()
    status = job.status(now)
    if code == 2:  # START_JOB: only a job created and not started (status 1)
        if status != 1:
            raise SimError(1241015, "Job already started")
    else:
        if status not in (2, 7):
            raise unsupported()
        _terminate(job, now)
    world.record(now, job.job_instance_id, None, code, user)
    groups.forget()
    return {
        "job_instance_id": job.job_instance_id,
        "step_instance_id": None,
        "job_instance_name": None,
    }


# ---------------------------------------------------------------- confirm steps


def _check_confirm_user(world: World, job: Job, user: str) -> None:
    """``TaskExecuteServiceImpl.checkConfirmUser``: refused only when roles are set.

    A caller in the confirm users passes; otherwise, with roles configured, the
    job's operator passes through ``JOB_RESOURCE_TRIGGER_USER`` and CMDB role
    users pass; with no roles configured anyone passes.
    """
    config = world.config
    if user in config.confirm_users:
        return
    roles = config.confirm_roles
    if not roles:
        return
    if CONFIRM_TRIGGER_ROLE in roles and job.meta.operator == user:
        return
    if user in config.confirm_role_users:
        return
    raise not_confirmer()


def _confirm(job: Job, index: int, now: float, user: str) -> None:
    """``ConfirmStepEventHandler.confirmStepContinue``: SUCCESS, then the next step starts.

    The request makes the caller the step's operator (``updateStepOperator``).
    """
    run = job.steps[index]
    run.confirmed_at, run.confirmed_by = now + ENGINE_DELAY, user
    run.changed()
    job.schedule()


def _reconfirm(job: Job, index: int, now: float) -> None:
    """``ConfirmStepEventHandler.confirmStepRestart``: step and job back to WAITING_USER.

    The confirmers are notified again; the simulator's step then waits as its
    scenario says (for ever with ``--manual``).
    """
    run = job.steps[index]
    run.finish = None
    run.confirmed_at = None
    run.reopened_at = now
    run.changed()
    job.schedule()


# ---------------------------------------------------------------- script/file steps


def _retry(job: Job, index: int, now: float, *, failed_only: bool) -> None:
    """RETRY_FAIL_IP / RETRY_ALL_IP: ``execute_count`` + 1 now, the run a moment later.

    ``GseStepEventHandler.retryStepFail``/``retryStepAll``: a retry of failed
    hosts leaves the hosts that succeeded as "Successful Last Time" (3); a
    rolling step runs its current batch again, then the later ones. The
    simulator's operator retries succeed, so the job goes on after them.
    """
    run = job.steps[index]
    retry = Retry(
        attempt=run.execute_count(now) + 1,
        sent=now,
        start=now + ENGINE_DELAY,
        failed_only=failed_only,
        before=run.status(now),
    )
    run.retries.append(retry)
    run.finish = None
    run.changed()
    job.stopping = None
    job.schedule()


def _continue_rolling(job: Job, index: int, now: float) -> None:
    """ROLLING_CONTINUE: the next batch of a step paused in MANUAL rolling mode starts."""
    if not job.continue_rolling(job.steps[index].spec.step_instance_id, now):
        raise unsupported()


def _go_on(job: Job, index: int, at: float, status: int) -> None:
    """End the step with ``status`` (IGNORE_ERROR, SKIPPED) and start the next one."""
    job.steps[index].finish = (at, status)
    job.steps[index].changed()
    job.stopping = None
    job.schedule()


# ---------------------------------------------------------------- the job


def _terminate(job: Job, now: float) -> None:
    """``JobListener.stopJob``: the job STOPPING, its step stopped, then STOP_SUCCESS.

    A step waiting for a person (``WAITING_USER``) is set STOP_SUCCESS at once
    (``GseStepEventHandler.stopStep``); a running step is STOPPING until the
    agents report, its unfinished hosts then "Force Terminated" (403). No later
    step starts.
    """
    begin = now + ENGINE_DELAY
    done = begin + STOP_DELAY
    current = job.current_step(now)
    status = current.status(now)
    current.stop_attempt = current.execute_count(now)
    if status == 7:
        current.stop = (begin, begin)
    elif status in (2, 15):
        current.stop = (begin, done)
    current.changed()
    job.stopping = (begin, done)
    job.schedule()


def _end_job_at(job: Job, index: int, at: float, status: int) -> None:
    """The step ends with ``status`` and so does the job: no later step starts."""
    job.steps[index].finish = (at, status)
    job.steps[index].changed()
    job.schedule()
