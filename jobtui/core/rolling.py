"""Which steps are known to roll, and how many batches they are known to have.

The public v3 API says nothing about rolling (the batch list is web-only,
``TaskResultServiceImpl.setRollingInfoForStep``), and ``batch=k`` on a step that
does not roll answers empty groups (its tasks have batch 0:
``ScriptExecuteObjectTaskDAOImpl.listResultGroups``), as does a ``k`` past the
last batch. So batch numbers are offered only for a step with evidence that it
rolls: status 15 (between automatic batches), status 7 on a script/file step
(a manual rolling pause), or a batch above 1 that answered with hosts. An empty
answer for batch k of a started step marks the end: all batches' tasks exist
once batch 1 starts (``GseStepEventHandler.saveGseExecuteObjectTasksForStartRollingStep``).

That last fact also tells, from the first poll of a started step, whether it
rolls: its current batch (``batch`` omitted) holds fewer hosts than the whole
step, counted by the job status's per-host lists (every batch's hosts, future
ones waiting) or, for a big job, by a counts-only ``batch=0`` request
(``observe_sizes``). The same numbers equal mark a step that does not roll
(``flat``): it needs no more counts-only requests.

Which batch is current is not said either; it is worked out, and checked at
every result, from the hosts outside the current batch: none of them done
means batch 1 (earlier batches have run); later, their done count equal to the
sizes of batches 1..j seen so far means batch j + 1. A step watched from a
later batch, or whose earlier batches' sizes were not seen, has no known
current batch, and nothing on screen names one. A step that succeeded in a
known batch ran every batch: that batch was the last.

All of this needs a current-batch result, which only gateway v3 gives. On v2,
ESB jobv3 and v4 the current batch is never known: v2's
``get_step_instance_status`` answers every batch (its ``StepExecutionResultQuery``
has no ``filterByLatestBatch``), jobv3 and v4 have no step status (their groups
are built from the job status), and no job status names a batch (``listTasks(…,
null)`` in ``EsbGetJobInstanceStatusResourceImpl``, ``…V3ResourceImpl`` and
``OpenApiGetJobInstanceStatusV4ResourceImpl``). Their results equal the whole
step, so nothing here names a batch for them: "current batch", "batch done".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobtui.api.filters import StepFilter
from jobtui.api.models import Job, StepResult
from jobtui.core.snapshot import HostCounts
from jobtui.core.waits import Wait, step_wait

NOT_STARTED = 1
SUCCESS = 3


@dataclass(slots=True)
class StepRolling:
    """What is known about one step's batches."""

    rolls: bool = False
    highest: int = 0  # the highest batch that answered with hosts
    past_end: int | None = None  # the lowest batch that answered empty (step started)
    flat: bool = False  # its current batch was the whole step: it does not roll
    current: int | None = None  # the current batch, when worked out (see the module)
    sizes: dict[int, int] = field(default_factory=dict)  # batch → hosts, as seen
    last: int | None = None  # the last batch: the current one when the step succeeded

    @property
    def total(self) -> int | None:
        """The number of batches: the batch the step succeeded in, or the one before
        the first that answered empty."""
        if self.last is not None:
            return self.last
        if self.past_end is not None and self.highest == self.past_end - 1 and self.highest:
            return self.highest
        return None

    @property
    def known(self) -> int:
        """The highest batch known to exist (0: none)."""
        return max(self.highest, self.current or 0, self.total or 0)


@dataclass(slots=True)
class RollingEvidence:
    """Per step id, fed every job snapshot and step result the screen applies."""

    steps: dict[int, StepRolling] = field(default_factory=dict)

    def get(self, step_instance_id: int | None) -> StepRolling | None:
        return None if step_instance_id is None else self.steps.get(step_instance_id)

    def flat(self) -> frozenset[int]:
        """Steps known not to roll (no whole-step counts needed beside their results)."""
        return frozenset(sid for sid, known in self.steps.items() if known.flat and not known.rolls)

    def _step(self, step_instance_id: int) -> StepRolling:
        return self.steps.setdefault(step_instance_id, StepRolling())

    def observe_job(self, job: Job) -> None:
        for step in job.steps:
            if step_wait(step.type, step.status) in (Wait.ROLLING_PAUSE, Wait.NEXT_BATCH):
                self._step(step.step_instance_id).rolls = True
            known = self.steps.get(step.step_instance_id)
            if known is not None and known.rolls and step.status == SUCCESS and known.current:
                known.last = known.last or known.current

    def observe_sizes(
        self, result: StepResult, flt: StepFilter, whole: HostCounts | None, *, same_poll: bool
    ) -> None:
        """Compare a current-batch result with the whole step's counts (``whole``: the
        job status's host list, or a ``batch=0`` count; ``None``: not known).

        Only a result asked with no narrowing filter counts (no batch, IP or
        keyword, the latest retry), of a step that has started (before, both are 0).
        The current batch is worked out only from counts fetched in the same poll
        (``same_poll``): a job status a poll older has the current batch's hosts
        where they were then, which reads as other batches' hosts moving.
        """
        plain = flt.batch is None and not (flt.search_ip or flt.keyword) and result.latest
        if whole is None or not plain or result.status == NOT_STARTED or not whole.total:
            return
        known = self._step(result.step_instance_id)
        batch = HostCounts.from_result(result)
        if batch.total >= whole.total:
            if not known.rolls:
                known.flat = True
            return
        known.rolls, known.flat = True, False
        if not same_poll:
            return
        known.current = _current(known.sizes, whole, batch)
        if known.current is not None:
            known.sizes[known.current] = batch.total

    def observe_result(self, result: StepResult) -> None:
        if step_wait(result.type, result.status) in (Wait.ROLLING_PAUSE, Wait.NEXT_BATCH):
            self._step(result.step_instance_id).rolls = True
        batch = result.batch
        if not batch or batch < 1:
            return
        known = self._step(result.step_instance_id)
        if result.host_count:
            known.highest = max(known.highest, batch)
            if batch > 1:
                known.rolls = True
            if known.past_end is not None and known.past_end <= batch:
                known.past_end = None  # it was not the end after all
        elif result.status != NOT_STARTED and (known.past_end is None or batch < known.past_end):
            known.past_end = batch


def _current(sizes: dict[int, int], whole: HostCounts, batch: HostCounts) -> int | None:
    """The current batch from the hosts outside it, or ``None`` when it cannot be told."""
    outside_done = whole.done - batch.done
    outside_waiting = whole.waiting - batch.waiting
    if outside_done == 0 and outside_waiting == whole.total - batch.total:
        return 1  # no other batch has run yet
    ran = 0
    for number in range(1, len(sizes) + 2):
        if number not in sizes:
            return None
        ran += sizes[number]
        if ran == outside_done:
            return number + 1
        if ran > outside_done:
            return None
    return None
