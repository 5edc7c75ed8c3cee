"""Words for a step result: the confirmation card, and which retry/batch is shown.

What the bk-job web UI shows on its approval card (``approval.vue``), as far as
the public APIs tell it: the state in words with its time, who confirmed (ESB
v2 only: the step ``operator``), and the confirmation message (v3
get_step_instance_detail only). And for host lists: the retry and batch are
the ones ASKED for (the answer's own ``execute_count`` is the step's current
one), and the logs always come from the latest run (the log APIs have no
``execute_count``).
"""

from __future__ import annotations

from datetime import datetime

from jobtui.api.catalog import run_status
from jobtui.api.filters import StepFilter
from jobtui.api.models import Step, StepResult
from jobtui.core.rolling import StepRolling
from jobtui.core.sanitize import safe_text
from jobtui.core.waits import wait_text

CONFIRMED = 3
CONFIRM_TERMINATED = 13
NOT_STARTED = 1
#: A confirmation step has no hosts: what the log pane says instead of "select a host".
NO_HOSTS_CONFIRM = "no hosts to show: a confirmation step runs on no host"


def clock_time(moment: datetime | None, now: datetime | None) -> str:
    """``10:42`` today, ``11-27 10:42`` another day, in ``now``'s zone."""
    if moment is None:
        return "?"
    if now is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
        if moment.date() != now.date():
            return f"{moment:%m-%d %H:%M}"
    return f"{moment:%H:%M}"


def confirm_state(result: StepResult, now: datetime | None, step: Step | None = None) -> str:
    """The state line: waiting since, confirmed at/by, rejected at, not reached.

    ``step`` is the same step as the last job status tells it: that status is
    polled every few seconds, the step's result backs off while it waits, so
    the card follows the step (as the tree does) the moment it leaves 7.
    """
    confirm = result.confirm
    who = confirm.operator if confirm is not None else None
    by = f" by {safe_text(who, max_len=40)}" if who else ""
    status, start, end = result.status, result.start_time, result.end_time
    if step is not None and step.step_instance_id == result.step_instance_id:
        status, start, end = step.status, step.start_time or start, step.end_time or end
    began, ended = clock_time(start, now), clock_time(end, now)
    if status == 7:
        return f"Manual confirmation: waiting for confirmation since {began}"
    if status == CONFIRMED:
        return f"Manual confirmation: confirmed, step finished at {ended}{by}"
    if status == CONFIRM_TERMINATED:
        return f"Manual confirmation: confirmation rejected (terminated) at {ended}{by}"
    if status == NOT_STARTED:
        return "Manual confirmation: not reached yet"
    return f"Manual confirmation: {run_status(status).label}"


def confirm_card(result: StepResult, now: datetime | None, step: Step | None = None) -> str:
    """The card, most important first (at 80x24 only its first lines show): the
    state, then the message (or why there is none)."""
    lines = [confirm_state(result, now, step)]
    confirm = result.confirm
    if confirm is not None and confirm.message:
        first, *rest = confirm.message.splitlines() or [""]
        if confirm.message_source:  # its own line: the message itself must fit at 80 columns
            lines.append(f"Message ({safe_text(confirm.message_source, max_len=80)}):")
            rest = [first, *rest]
        else:
            lines.append(f"Message: {safe_text(first, max_len=200)}")
        lines.extend(f"  {safe_text(line, max_len=200)}" for line in rest)
    elif confirm is not None and confirm.message_note:
        lines.append(f"Message: ({safe_text(confirm.message_note, max_len=200)})")
    return "\n".join(lines)


def selection_labels(result: StepResult, rolling: StepRolling | None = None) -> list[str]:
    """What the host list shows, from the request: retry, batch, and the log caveat.

    ``rolling`` (what is known of the step's batches) adds "of M" when the last
    batch is known, and names the current batch of a step known to roll (its
    host list is that batch only, not the whole step).
    """
    parts: list[str] = []
    latest = result.latest_execute_count
    if not result.latest and latest is not None:
        parts.append(f"retry {result.execute_count} (latest: retry {latest}; logs: latest run)")
    elif result.execute_count:
        parts.append(f"retry {result.execute_count}")
    total = rolling.total if rolling is not None else None
    if result.batch == 0:
        parts.append("all batches")
    elif result.batch is not None:
        parts.append(f"batch {result.batch}" + (f" of {total}" if total else ""))
    elif rolling is not None and rolling.rolls:
        parts.append(current_batch(rolling))
    done = rolling.current if rolling is not None and result.batch is None else None
    waiting = wait_text(result.type, result.status, done)
    if waiting is not None and not result.is_confirm:
        parts.append(waiting)
    return parts


def current_batch(rolling: StepRolling) -> str:
    """ "current batch", with its number and "of M" when they are known (``core/rolling``)."""
    if rolling.current is None:
        return "current batch"
    total = rolling.total
    return f"current batch {rolling.current}" + (f" of {total}" if total else "")


def next_batch_text(rolling: StepRolling | None) -> str | None:
    """ "Batch 3 of 3 starts next.": what continuing a rolling pause starts, when known."""
    if rolling is None or rolling.current is None:
        return None
    total = rolling.total
    return f"Batch {rolling.current + 1}" + (f" of {total}" if total else "") + " starts next."


def empty_batch_text(result: StepResult) -> str | None:
    """An empty answer for batch k: past the last batch (or no rolling), not an error."""
    if result.batch and not result.groups:
        return f"Batch {result.batch}: no hosts (past the last batch, or the step does not roll)"
    return None


def idle_log_text(result: StepResult | None) -> str | None:
    """The log pane's words with no host selected (``None``: its default)."""
    if result is not None and result.is_confirm and result.host_count == 0:
        return NO_HOSTS_CONFIRM
    return None


def chart_note(result: StepResult) -> str | None:
    """Instead of the hosts chart when there are no hosts to count."""
    if result.is_confirm and result.host_count == 0:
        return "no hosts (confirmation step)"
    return None


def chart_scope(result: StepResult, flt: StepFilter, rolling: StepRolling | None) -> str:
    """What the chart's counts cover when it is less than the step's figure in the tree and
    header (all batches, latest retry, unfiltered): "current batch", "batch 2 of 3",
    "retry 1", "filtered", joined; "" when it is that figure.

    The chart draws the step result the groups show (one truth per number:
    docs/numbers.md), so during a rolling step it counts the current batch,
    ``done 7/8`` beside the header's ``hosts 7/24``: the chart says so.
    """
    words: list[str] = []
    if flt.search_ip or flt.keyword:
        words.append("filtered")
    if not result.latest:
        words.append(f"retry {result.execute_count}")
    total = rolling.total if rolling is not None else None
    if result.batch is None:
        if rolling is not None and rolling.rolls:
            words.append(current_batch(rolling))
    elif result.batch != 0:
        words.append(f"batch {result.batch}" + (f" of {total}" if total else ""))
    return ", ".join(words)


def log_run_note(result: StepResult | None) -> str | None:
    """The log pane's badge while an older retry is listed (logs are the latest run's)."""
    if result is None or result.latest or result.latest_execute_count is None:
        return None
    return f"latest run (retry {result.latest_execute_count}), not retry {result.execute_count}"
