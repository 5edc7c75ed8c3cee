"""Which steps roll and which batch is current (core/rolling), from sizes alone."""

from __future__ import annotations

from jobtui.api.filters import StepFilter
from jobtui.api.models import ResultGroup, StepResult
from jobtui.core.rolling import RollingEvidence
from jobtui.core.snapshot import HostCounts
from jobtui.core.stepcard import current_batch, selection_labels

RUNNING, PAUSE, SUCCESS, HOST_OK, HOST_RUN, HOST_WAIT = 2, 7, 3, 9, 7, 5
SID = 5


def batch(ok: int, running: int = 0, status: int = RUNNING) -> StepResult:
    groups = tuple(
        ResultGroup(code, "", n) for code, n in ((HOST_OK, ok), (HOST_RUN, running)) if n
    )
    return StepResult(SID, "roll", 1, status, 0, groups)


def test_a_current_batch_smaller_than_the_step_rolls_and_is_batch_1() -> None:
    evidence = RollingEvidence()
    whole = HostCounts(ok=3, running=5, waiting=16)  # 24 hosts, 16 of them later batches
    evidence.observe_sizes(batch(3, 5), StepFilter(), whole, same_poll=True)
    known = evidence.get(SID)
    assert known is not None and known.rolls and known.current == 1 and not known.flat
    assert current_batch(known) == "current batch 1"


def test_the_current_batch_follows_the_batches_seen_and_the_last_is_named() -> None:
    evidence = RollingEvidence()
    evidence.observe_sizes(batch(8), StepFilter(), HostCounts(ok=8, waiting=16), same_poll=True)
    paused = batch(8, status=PAUSE)
    evidence.observe_result(paused)
    assert "rolling pause: batch 1 done" in " · ".join(selection_labels(paused, evidence.get(SID)))
    evidence.observe_sizes(
        batch(2, 6), StepFilter(), HostCounts(ok=10, running=6, waiting=8), same_poll=True
    )
    known = evidence.get(SID)
    assert known is not None and known.current == 2
    evidence.observe_sizes(batch(8), StepFilter(), HostCounts(ok=24), same_poll=True)
    assert known.current == 3 and known.total is None
    from jobtui.api.models import Block, Job, Step

    step = Step(SID, "roll", 1, SUCCESS)
    evidence.observe_job(Job(1, "j", SUCCESS, True, (Block(None, 1, (step,), implicit=True),)))
    assert known.total == 3 and current_batch(known) == "current batch 3 of 3"


def test_no_batch_is_named_without_the_earlier_batches_sizes() -> None:
    """Watched from batch 2 on: 8 hosts of other batches done, batch 1's size unseen."""
    evidence = RollingEvidence()
    evidence.observe_sizes(
        batch(2, 6), StepFilter(), HostCounts(ok=10, running=6, waiting=8), same_poll=True
    )
    known = evidence.get(SID)
    assert known is not None and known.rolls and known.current is None
    assert current_batch(known) == "current batch"


def test_a_step_whose_current_batch_is_the_whole_step_does_not_roll() -> None:
    evidence = RollingEvidence()
    evidence.observe_sizes(batch(3, 21), StepFilter(), HostCounts(ok=3, running=21), same_poll=True)
    assert evidence.flat() == frozenset({SID})
    # a searched result says nothing: fewer hosts because of the search
    other = RollingEvidence()
    other.observe_sizes(batch(1), StepFilter(search_ip="10.1."), HostCounts(ok=24), same_poll=True)
    assert other.get(SID) is None
