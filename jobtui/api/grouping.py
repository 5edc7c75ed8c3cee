"""Result groups built on the client, for families without get_step_instance_status.

Mirrors what the v3 server does (bkjob-api.md §2): ``search_ip`` and
``keyword`` narrow the host set (and so the counts); ``statuses`` and ``tag``
only decide which groups carry host lists, the others keep their counts;
``max_hosts_per_group`` caps each list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from jobtui.api.errors import UnsupportedFilterError
from jobtui.api.filters import StepFilter
from jobtui.api.models import HostResult, ResultGroup, StepResult

SCRIPT_LIKE_TYPES = frozenset({1, 4})  # script and SQL steps have logs to grep


def searchable(h: HostResult) -> tuple[str | None, str | None]:
    """What ``search_ip`` looks in: IP and IPv6, or a container's name and id."""
    c = h.ref.container
    return (h.ref.ip, h.ref.ipv6) if c is None else (c.name, c.container_id)


def check_unsupported(flt: StepFilter, *, latest: int, family: str) -> None:
    """Refuse, with a clear message, what a host list without history cannot answer."""
    if flt.execute_count is not None and flt.execute_count != latest:
        raise UnsupportedFilterError(
            f"{family} shows only the latest run (retry {latest}); "
            f"retry {flt.execute_count} needs the gateway v3 API"
        )
    if flt.batch not in (None, 0):
        raise UnsupportedFilterError(
            f"{family} cannot select rolling batch {flt.batch}; it shows all batches "
            "(use the gateway v3 API for per-batch results)"
        )


def check_keyword(flt: StepFilter, step_type: int, *, family: str) -> None:
    if flt.keyword and step_type not in SCRIPT_LIKE_TYPES:
        raise UnsupportedFilterError(f"{family}: log keyword search works on script steps only")


def build_groups(
    hosts: Iterable[HostResult],
    flt: StepFilter,
    keep: Callable[[HostResult], bool] | None = None,
) -> tuple[ResultGroup, ...]:
    """Group by (status, tag) in first-seen order, applying ``flt`` as the server would."""
    buckets: dict[tuple[int, str], list[HostResult]] = {}
    for h in hosts:
        if flt.search_ip and not flt.matches_ip(*searchable(h)):
            continue
        if keep is not None and not keep(h):
            continue
        buckets.setdefault((h.status, h.tag), []).append(h)
    cap = flt.max_hosts_per_group
    groups = []
    for (status, tag), members in buckets.items():
        listed = flt.picks((status, tag))
        shown = members if cap is None else members[: max(cap, 0)]
        groups.append(
            ResultGroup(
                status=status,
                tag=tag,
                host_count=len(members),
                hosts=tuple(shown) if listed else (),
            )
        )
    return tuple(groups)


def narrowed(result: StepResult, flt: StepFilter) -> StepResult:
    """``result`` with the hosts of the groups ``flt`` does not pick dropped (counts stay)."""
    if not flt.picks_groups:
        return result
    groups = tuple(
        g if flt.picks(g.key) or not g.hosts else replace(g, hosts=()) for g in result.groups
    )
    return replace(result, groups=groups)
