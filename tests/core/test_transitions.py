"""Toasts on transitions only: never for the first snapshot, never repeated."""

from dataclasses import replace

from jobtui.api.models import Block, Job, Step
from jobtui.core.transitions import Level, job_notices


def job(status: int, finished: bool, *step_statuses: int) -> Job:
    steps = tuple(Step(i + 1, f"step {i + 1}", 1, s) for i, s in enumerate(step_statuses))
    return Job(1, "deploy", status, finished, blocks=(Block(None, 1, steps, implicit=True),))


def test_first_snapshot_is_silent() -> None:
    assert job_notices(None, job(4, True, 4)) == []


def test_step_failure_toasts_once() -> None:
    before = job(2, False, 3, 2)
    after = job(2, False, 3, 4)
    notices = job_notices(before, after)
    assert [(n.level, n.title) for n in notices] == [(Level.ERROR, "Job #1 step failed")]
    assert job_notices(after, after) == []


def test_job_end_toasts_with_level_by_outcome() -> None:
    ok = job_notices(job(2, False, 2), job(3, True, 3))
    assert [(n.level, n.title) for n in ok] == [(Level.INFO, "Job #1 finished")]
    failed = job_notices(job(2, False, 2), job(4, True, 4))
    assert (Level.ERROR, "Job #1 finished") in [(n.level, n.title) for n in failed]
    assert (Level.ERROR, "Job #1 step failed") in [(n.level, n.title) for n in failed]


def test_waiting_for_a_person_toasts_once_not_twice() -> None:
    notices = job_notices(job(2, False, 3, 2), job(7, False, 3, 7))
    assert [n.title for n in notices] == ["Job #1 waiting for a person"]
    assert job_notices(job(7, False, 3, 7), job(7, False, 3, 7)) == []


def test_retry_of_a_finished_job_is_announced() -> None:
    notices = job_notices(job(4, True, 4), job(2, False, 2))
    assert [n.title for n in notices] == ["Job #1 running again"]


def test_other_job_is_not_a_transition() -> None:
    assert job_notices(replace(job(2, False, 2), job_instance_id=9), job(4, True, 4)) == []


def _confirm_job(job_status: int, step_status: int) -> Job:
    steps = (Step(1, "build", 1, 3), Step(2, "confirm", 3, step_status))
    return Job(1, "deploy", job_status, False, blocks=(Block(None, 1, steps, implicit=True),))


def test_a_wait_named_by_its_step_is_not_named_again_when_the_job_catches_up() -> None:
    # bk-job turns the step "waiting" a poll before the job: one notice, not two.
    first = job_notices(_confirm_job(2, 2), _confirm_job(2, 7))
    assert [n.title for n in first] == ["Job #1 waiting for a person"]
    assert job_notices(_confirm_job(2, 7), _confirm_job(7, 7)) == []


def test_one_event_seen_by_two_screens_is_announced_once() -> None:
    from jobtui.core.joblist import status_notice
    from jobtui.core.transitions import Announced

    said = Announced()
    monitor = job_notices(job(2, False, 2), job(4, True, 4))
    listed = status_notice("deploy", 2, 4, job_id=1)  # the job list under the monitor
    wall = status_notice("deploy", 2, 4, job_id=1)
    assert listed is not None and wall is not None
    shown = [n for n in [*monitor, listed, wall] if not said.is_repeat(n)]
    assert [n.title for n in shown] == ["Job #1 step failed", "Job #1 finished"]
    # a retry runs it again, and its end is news again
    again = job_notices(job(4, True, 4), job(2, False, 2))
    ended = job_notices(job(2, False, 2), job(3, True, 3))
    assert [n.title for n in [*again, *ended] if not said.is_repeat(n)] == [
        "Job #1 running again",
        "Job #1 finished",
    ]
    # a list's "waiting" after the monitor named the waiting step: already said
    step_wait = job_notices(_confirm_job(2, 2), _confirm_job(2, 7))
    assert not said.is_repeat(step_wait[0])
    waiting = status_notice("deploy", 2, 7, job_id=1)
    assert waiting is not None and said.is_repeat(waiting)


def test_every_job_level_notice_names_its_job() -> None:
    """Three runs of one plan fail alike: the notices (`m`) tell them apart by id."""
    from jobtui.core.joblist import status_notice

    runs = [replace(job(2, False, 2), job_instance_id=i) for i in (20100, 20101, 20102)]
    ended = [job_notices(r, replace(r, status=4, finished=True)) for r in runs]
    titles = [n.title for notices in ended for n in notices if n.event == "job=end"]
    assert titles == ["Job #20100 finished", "Job #20101 finished", "Job #20102 finished"]
    listed = status_notice("deploy", 2, 4, job_id=20100)
    assert listed is not None and listed.title == "Job #20100 failed"
    waiting = status_notice("deploy", 2, 7, job_id=20101)
    assert waiting is not None and waiting.title == "Job #20101 waiting for a person"
