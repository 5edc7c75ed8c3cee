"""The action table (TaskExecuteServiceImpl.doStepOperation / doTaskOperation's
preconditions), the lock, and the audit file: pure logic."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import pytest

from jobtui.api.auth import Credentials
from jobtui.api.models import Block, Job, Step
from jobtui.core.actions import ACTIONS, QUESTIONS, Pending, current_step, offers, question, refusal
from jobtui.core.audit import AuditContext, AuditEntry, clean_url, record, who

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def job(*steps: tuple[int, int], status: int = 2, execute: int = 0) -> Job:
    """A job of (type, status) steps, ids 11, 12, ..."""
    built = tuple(
        Step(step_instance_id=11 + i, name=f"s{i + 1}", type=t, status=s, execute_count=execute)
        for i, (t, s) in enumerate(steps)
    )
    return Job(
        job_instance_id=1,
        name="Deploy",
        status=status,
        finished=status not in (1, 2, 7, 10),
        blocks=(Block(name=None, order=1, steps=built, implicit=True),),
    )


def names(j: Job, step: int | None = None, *, latest: bool = True) -> list[str]:
    return [o.action.name for o in offers(j, step, latest=latest)]


@pytest.mark.parametrize(
    ("steps", "job_status", "expected"),
    [
        # a confirmation waiting: confirm first, reject, terminate the job
        ([(1, 3), (3, 7), (1, 1)], 7, ["confirm", "reject", "terminate"]),
        # a rejected confirmation: only reconfirm (the job is finished, 13)
        ([(1, 3), (3, 13), (1, 1)], 13, ["reconfirm"]),
        # a failed script step: retry-failed first, retry-all, ignore-error
        ([(1, 4), (1, 1)], 4, ["retry-failed", "retry-all", "ignore-error"]),
        # abnormal state: the same three
        ([(2, 9), (1, 1)], 9, ["retry-failed", "retry-all", "ignore-error"]),
        # stopped (11), not last: retry-all (retry and continue) first, retry-failed, next-step
        ([(1, 11), (1, 1)], 11, ["retry-all", "retry-failed", "next-step"]),
        # stopped, last step: no next-step
        ([(1, 3), (1, 11)], 11, ["retry-all", "retry-failed"]),
        # stopping: skip (force skip)
        ([(1, 10), (1, 1)], 10, ["skip"]),
        # a manual rolling pause (type != 3 at 7): continue-rolling, terminate
        ([(1, 7), (1, 1)], 7, ["continue-rolling", "terminate"]),
        # running: only terminate
        ([(1, 2), (1, 1)], 2, ["terminate"]),
        # SQL steps retry too; status 8 (terminated) is not retryable on the server
        ([(4, 4)], 4, ["retry-failed", "retry-all", "ignore-error"]),
        ([(1, 8)], 8, []),
        # a successful job: nothing
        ([(1, 3), (1, 3)], 3, []),
        # rolling waiting (15) needs no person and allows nothing but terminate
        ([(1, 15)], 2, ["terminate"]),
        # the job RUNNING at a halting step: an operation is in flight, only terminate
        ([(1, 4), (1, 1)], 2, ["terminate"]),
        ([(3, 7), (1, 1)], 2, ["terminate"]),
        ([(1, 7), (1, 1)], 2, ["terminate"]),
        ([(1, 11), (1, 1)], 2, ["terminate"]),
    ],
)
def test_table(steps, job_status, expected) -> None:
    assert names(job(*steps, status=job_status)) == expected


def test_primary_first_and_flagged() -> None:
    found = offers(job((1, 11), (1, 1), status=11))
    assert [o.primary for o in found] == [True, False, False]
    assert found[0].consequence.startswith("retry and continue")


def test_step_actions_only_on_the_current_step_and_latest_retry() -> None:
    j = job((1, 4), (1, 1), status=4)
    assert names(j, 12) == []  # not started, not current
    j = job((1, 3), (3, 7), status=7)
    assert names(j, 11) == ["terminate"]  # a finished earlier step: only the job action
    assert names(j, 12, latest=False) == ["terminate"]
    assert current_step(j) is not None and current_step(j).step_instance_id == 12  # type: ignore[union-attr]


def test_refusal_names_what_is_allowed() -> None:
    j = job((1, 3), (3, 7), status=7)
    assert refusal(j, "retry-failed") == (
        '"retry-failed" is not possible now: step 12 (confirm) is Waiting for confirmation (7). '
        "Allowed now: confirm, reject, terminate"
    )  # the wait's one name (core/waits.py WAIT_NAMES), not the bare status label
    assert "not the job's current step (12)" in refusal(j, "retry-all", 11)
    assert "older retry" in refusal(j, "confirm", latest=False)
    done = job((1, 3), status=3)
    assert refusal(done, "terminate").endswith("Allowed now: none")


def test_pending_retry_waits_for_count_and_status() -> None:
    before = job((1, 4), (1, 1), status=4)
    offer = offers(before)[0]
    pending = Pending.sent(offer, before, NOW)
    bumped = job((1, 4), (1, 1), status=2, execute=1)  # the request's effect only
    assert not pending.moved(bumped)
    running = job((1, 2), (1, 1), status=2, execute=1)
    assert pending.moved(running)
    assert offers(bumped)[0].action.name == "terminate"  # in flight: no step action
    assert pending.blocks(offers(before)[0]) and not pending.blocks(offers(bumped)[0])


def test_pending_confirm_and_terminate() -> None:
    waiting = job((3, 7), (1, 1), status=7)
    confirm = Pending.sent(offers(waiting)[0], waiting, NOW)
    assert not confirm.moved(waiting)
    assert confirm.moved(job((3, 3), (1, 2), status=2))
    terminate = Pending.sent(offers(waiting)[-1], waiting, NOW)
    assert terminate.action is ACTIONS["terminate"]
    assert not terminate.moved(waiting) and terminate.moved(job((3, 11), status=10))


def test_audit_file_is_private_and_holds_no_secret(tmp_path) -> None:
    creds = Credentials("app", "s3cr3t-app", bk_token="tok-123456")
    context = AuditContext.of(creds, "prod", "https://u:pw@bk.example.com/api/bk-job/prod?x=1")
    context = AuditContext(
        context.user, context.profile, context.url, tmp_path / "a" / "audit.jsonl"
    )
    entry = AuditEntry(1, 12, "confirm", 6, "accepted", "accepted", "rid")
    path = record(context, entry, at=NOW)
    record(context, entry, at=NOW)
    text = path.read_text()
    assert "s3cr3t" not in text and "tok-123456" not in text and "pw@" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 2
    assert lines[0] == {
        "time": "2026-11-29T01:00:00Z",
        "user": "(bk_token user)",
        "profile": "prod",
        "url": "https://bk.example.com/api/bk-job/prod",
        "job_instance_id": 1,
        "step_instance_id": 12,
        "action": "confirm",
        "operation_code": 6,
        "outcome": "accepted",
        "code": None,
        "answer": "accepted",
        "request_id": "rid",
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_who_and_clean_url() -> None:
    assert who(Credentials("a", "b", username="alice")) == "alice"
    assert who(Credentials("a", "b", access_token="t")) == "(access_token user)"
    assert clean_url("http://127.0.0.1:8080/x?bk_app_secret=1#f") == "http://127.0.0.1:8080/x"


def test_lock_expires_when_nothing_changes() -> None:
    from datetime import timedelta

    from jobtui.core.actions import LOCK_SECONDS

    waiting = job((3, 7), (1, 1), status=7)
    pending = Pending.sent(offers(waiting)[0], waiting, NOW)
    assert not pending.expired(NOW + timedelta(seconds=LOCK_SECONDS - 1))
    assert pending.expired(NOW + timedelta(seconds=LOCK_SECONDS + 1))


def test_every_action_has_a_question_that_names_its_target() -> None:
    assert set(QUESTIONS) == set(ACTIONS)
    for action in ACTIONS.values():
        text = question(action, 'step "S"')
        assert 'step "S"' in text and text.endswith("?") and text[0].isupper()
    assert (
        question(ACTIONS["confirm"], 'step "Confirm rollout"')
        == 'Confirm the step "Confirm rollout"?'
    )
    assert (
        question(ACTIONS["retry-failed"], 'step "Deploy package"')
        == 'Retry the failed hosts of step "Deploy package"?'
    )
    assert (
        question(ACTIONS["terminate"], 'job 123 "Deploy v1.2"')
        == 'Terminate job 123 "Deploy v1.2"?'
    )
