"""What each filter picker offers, from the data on screen.

Status and tag offer only values present in the step's groups (choosing a
value that matches nothing would show an empty pane); the retry picker marks
the latest run, as the web UI's history select does. Values are strings so a
picker can return them unchanged; ``""`` means "clear this filter".
"""

from __future__ import annotations

from jobtui.api.catalog import host_status
from jobtui.api.filters import StepFilter
from jobtui.api.models import Step, StepResult
from jobtui.core.rolling import StepRolling
from jobtui.core.sanitize import safe_text

Choice = tuple[str, str]  # (label, value)


def status_choices(result: StepResult | None) -> list[Choice]:
    choices: list[Choice] = [("any status", "")]
    seen: dict[int, int] = {}
    for group in result.groups if result else ():
        seen[group.status] = seen.get(group.status, 0) + group.host_count
    for status, count in sorted(seen.items()):
        choices.append((f"{host_status(status).label} ({count:,})", str(status)))
    return choices


def tag_choices(result: StepResult | None) -> list[Choice]:
    choices: list[Choice] = [("any tag", "")]
    tags: dict[str, int] = {}
    for group in result.groups if result else ():
        if group.tag:
            tags[group.tag] = tags.get(group.tag, 0) + group.host_count
    for tag, count in sorted(tags.items()):
        choices.append((f"{safe_text(tag, max_len=50)} ({count:,})", tag))
    return choices


def batch_choices(
    flt: StepFilter, result: StepResult | None, rolling: StepRolling | None = None
) -> list[Choice]:
    """Current, all, then the batches known to exist of a step known to roll
    (``core/rolling``): batch 1, those that answered with hosts, up to the
    current one, or all of them once the last is known ("of M").

    A step not known to roll gets no numbers (on bk-job, ``batch=k`` of a step
    that does not roll is empty, as is one past the last batch); a batch already
    chosen stays offered.
    """
    choices: list[Choice] = [("current batch", ""), ("all batches", "0")]
    chosen = flt.batch or 0
    if rolling is None or not rolling.rolls:
        if chosen:
            choices.append((f"batch {chosen}", str(chosen)))
        return choices
    total = rolling.total
    last = max(1, rolling.known)
    mark = f" of {total}" if total is not None else ""
    for n in range(1, last + 1):
        choices.append((f"batch {n}{mark}", str(n)))
    if chosen > last:
        choices.append((f"batch {chosen}", str(chosen)))
    return choices


def retry_choices(step: Step | None) -> list[Choice]:
    """Latest first, each older retry after it; the latest is marked."""
    latest = step.execute_count if step else 0
    choices: list[Choice] = [(f"latest (retry {latest})", "")]
    for count in range(latest, -1, -1):
        mark = "  ← latest" if count == latest else ""
        choices.append((f"retry {count}{mark}", str(count)))
    return choices


def apply_choice(flt: StepFilter, name: str, value: str) -> StepFilter:
    """The filter with one picker's answer applied (``""`` clears it)."""
    if name == "status":
        return flt.with_(statuses=(int(value),) if value else ())
    if name == "tag":
        return flt.with_(tag=value or None)
    if name in ("batch", "execute_count"):
        number = int(value) if value.strip().isdigit() else None
        return flt.with_(**{name: number})
    if name in ("search_ip", "keyword"):
        return flt.with_(**{name: value or None})
    raise ValueError(f"unknown filter {name!r}")
