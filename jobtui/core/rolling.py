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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobtui.api.filters import StepFilter
from jobtui.api.models import Job, StepResult
from jobtui.core.waits import Wait, step_wait

NOT_STARTED = 1


@dataclass(slots=True)
class StepRolling:
    """What is known about one step's batches."""

    rolls: bool = False
    highest: int = 0  # the highest batch that answered with hosts
    past_end: int | None = None  # the lowest batch that answered empty (step started)
    flat: bool = False  # its current batch was the whole step: it does not roll

    @property
    def total(self) -> int | None:
        """The number of batches, when the batch after the last one was seen empty."""
        if self.past_end is not None and self.highest == self.past_end - 1 and self.highest:
            return self.highest
        return None


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

    def observe_sizes(self, result: StepResult, flt: StepFilter, whole: int | None) -> None:
        """Compare a current-batch result with the whole step's host count (``whole``:
        the job status's host list, or a ``batch=0`` count; ``None``: not known).

        Only a result asked with no narrowing filter counts (no batch, IP or
        keyword, the latest retry), of a step that has started (before, both are 0).
        """
        plain = flt.batch is None and not (flt.search_ip or flt.keyword) and result.latest
        if whole is None or not plain or result.status == NOT_STARTED or not whole:
            return
        known = self._step(result.step_instance_id)
        if result.host_count < whole:
            known.rolls, known.flat = True, False
        elif not known.rolls:
            known.flat = True

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
