"""One source per figure: where the step tree's and the header's host counts come from.

Decided in ``docs/numbers.md``; in short, for each step:

- **the job status** when it carries per-host results (small jobs): all
  batches, the latest retry; nothing else is mixed into that figure;
- otherwise **the last step result** fetched for the step, if it was asked
  with no narrowing filter (no IP or keyword search, the latest retry, all
  batches or a step known not to roll); a narrowed result still shows, but
  marked with what narrowed it ("filtered", "retry N", "batch"), never in the header;
- a figure is **dropped** when the job status says the step's status or retry
  changed since it was taken (it finished, paused or a retry started), so a
  step that succeeded on its retry never keeps the first run's counts. The
  selected step's result is then fetched at once (``Cadence.changed``); any
  other finished step without a figure is ``wanted``: its final counts (all
  batches, one host a group) are fetched once beside the next job status.

The status and tag filters do not narrow counts: bk-job keeps every group's
``host_size`` and only leaves the other groups' host lists out
(``EsbGetStepInstanceStatusV3ResourceImpl``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from jobtui.api.catalog import FINISHED_RUN_STATUSES, host_outcome, run_status
from jobtui.api.filters import StepFilter
from jobtui.api.models import Job, Step, StepResult
from jobtui.core.snapshot import HostCounts


class Source(StrEnum):
    JOB = "job status"
    RESULT = "step result"


@dataclass(frozen=True, slots=True)
class Figure:
    """One step's counts, where they came from and the step state they were taken at."""

    counts: HostCounts
    source: Source
    status: int
    execute_count: int


def narrows(flt: StepFilter, step: Step | None, *, rolls: bool) -> str:
    """What makes a result asked with ``flt`` show fewer hosts than the whole step's
    latest run: "filtered" (IP or keyword), "retry N", "batch", or "" (nothing)."""
    if flt.search_ip or flt.keyword:
        return "filtered"
    if flt.execute_count is not None and (step is None or flt.execute_count != step.execute_count):
        return f"retry {flt.execute_count}"
    if flt.batch is None:
        return "batch" if rolls else ""  # the current batch only
    return "" if flt.batch == 0 else "batch"


@dataclass(slots=True)
class CountBook:
    """Per step id, the one figure the tree and the header show."""

    figures: dict[int, Figure] = field(default_factory=dict)
    #: Finished steps with no figure: their final counts are fetched once each
    #: (a big job's step shows its final counts, not none, once it has ended).
    wanted: set[int] = field(default_factory=set)

    def observe_job(self, job: Job) -> None:
        """Take every step's counts from a job status with hosts; drop what it outdates."""
        self._observe_steps(job)
        self.wanted = {
            step.step_instance_id
            for step in job.steps
            if step.step_instance_id not in self.figures and run_status(step.status).finished
        }

    def _observe_steps(self, job: Job) -> None:
        for step in job.steps:
            sid = step.step_instance_id
            if step.hosts:
                counts = HostCounts.from_hosts(step.hosts)
                self.figures[sid] = Figure(counts, Source.JOB, step.status, step.execute_count)
                continue
            known = self.figures.get(sid)
            if known is not None and (known.status, known.execute_count) != (
                step.status,
                step.execute_count,
            ):
                del self.figures[sid]

    def observe_result(
        self, result: StepResult, flt: StepFilter, step: Step | None, *, rolls: bool
    ) -> None:
        """Take a step's counts from its result, unless the job status already gives them."""
        sid = result.step_instance_id
        known = self.figures.get(sid)
        if known is not None and known.source is Source.JOB:
            current = step is None or (known.status, known.execute_count) == (
                step.status,
                step.execute_count,
            )
            if current:
                return  # one source per figure: the job status wins
        counts = replace(HostCounts.from_result(result), scope=narrows(flt, step, rolls=rolls))
        status = step.status if step is not None else result.status
        retry = step.execute_count if step is not None else result.execute_count
        if (
            counts.filtered
            and known is not None
            and not known.counts.filtered
            and (known.status, known.execute_count) == (status, retry)
            and run_status(status).finished
        ):
            return  # a finished step's whole figure is not replaced by a narrower one
        self.figures[sid] = Figure(counts, Source.RESULT, status, retry)
        self.wanted.discard(sid)

    def counts(self) -> Mapping[int, HostCounts]:
        """What the tree shows, per step."""
        return {sid: figure.counts for sid, figure in self.figures.items()}

    def whole(self, step_instance_id: int | None) -> HostCounts | None:
        """The step's counts if they are the whole step's (the header shows no filtered figure)."""
        figure = self.figures.get(step_instance_id) if step_instance_id is not None else None
        if figure is None or figure.counts.filtered:
            return None
        return figure.counts


#: The groups say how much older they are than the tree from this lag on (s).
RESULT_LAG_SHOWN = 2.0


def groups_settled(result: StepResult | None, step: Step | None) -> bool:
    """Whether the groups are as current as the job status, however long ago fetched.

    An older retry's hosts cannot change once the step has moved past it. A
    step that had finished when its groups were fetched, and that the latest
    job status still shows finished at the same status and retry, has not
    changed since either: its groups are not "older than the steps". Without
    this a finished job, its status polled every interval and its groups every
    30 s, said "28s older" about figures that cannot move.
    """
    if result is None or step is None:
        return False
    if result.is_confirm:
        return True  # a confirmation's card follows the job status itself (follow_step)
    if not result.latest and result.execute_count < step.execute_count:
        return True  # a past retry: immutable
    return result.status in FINISHED_RUN_STATUSES and (step.status, step.execute_count) == (
        result.status,
        result.execute_count,
    )


def counts_disagree(result: StepResult, tree: HostCounts | None, step: Step | None = None) -> bool:
    """Whether the groups count the same hosts as the tree's figure differently.

    The same population (same total) is compared by its counts. A narrower one
    (a batch, a filter) counts fewer hosts and says so, but can still disagree:
    a rolling step's current batch all done in the groups while the tree still
    runs one of its hosts. Where the job status lists the step's hosts (``step``,
    the tree's own source), each host the groups list is looked up there.
    """
    if tree is None or tree.filtered:
        return False
    shown = HostCounts.from_result(result)
    if shown.total == tree.total:
        return shown != replace(tree, scope="")
    return step is not None and hosts_disagree(result, step)


def hosts_disagree(result: StepResult, step: Step) -> bool:
    """Whether a host the groups list is counted otherwise in the job status's ``step``.

    Compared as the tree counts (done, failed, running, waiting), only for the
    same retry: the groups of an older retry keep its statuses. A host the job
    status does not name (or names by another key) is not compared.
    """
    if not step.hosts or result.execute_count != step.execute_count:
        return False
    outcome = {host.key: host_outcome(host.status) for host in step.hosts}
    return any(
        outcome.get(host.key, shown) != shown
        for group in result.groups
        for shown in (host_outcome(group.status),)
        for host in group.hosts
    )


def groups_age(lag: float | None, disagree: bool) -> str:
    """How the groups' moment compares with the job status the tree shows, or "".

    From ``RESULT_LAG_SHOWN`` seconds always; below it only when the two figures
    disagree, so that two panes never differ without saying why: "1s older than
    the steps", or "newer than the steps" when the groups were fetched after
    the job status (later in the same poll).
    """
    if lag is None:
        return ""
    if lag >= RESULT_LAG_SHOWN or (disagree and lag >= 0.5):
        return f"{max(1, round(lag))}s older than the steps"
    if disagree:
        return "newer than the steps" if lag <= 0 else "a moment older than the steps"
    return ""


def short_age(age: str) -> str:
    """``groups_age`` in the few words a narrow title has room for ("2s older", "newer")."""
    if not age:
        return ""
    if age.startswith("not updated"):
        return "not updated"
    first = age.split(" than ")[0]
    return first.removeprefix("a moment ")


def groups_label(flt: StepFilter, has_result: bool, age: str, sep: str = " · ") -> str:
    """The groups' border: "filtered" for an active filter other than the retry (the host
    list names the retry and batch itself), and ``age`` (``groups_age``), joined by ``sep``."""
    words: list[str] = []
    if has_result:
        if flt.with_(execute_count=None, batch=None).active or flt.batch:  # batch k narrows
            words.append("filtered")
        if age:
            words.append(age)
    return sep.join(words)
