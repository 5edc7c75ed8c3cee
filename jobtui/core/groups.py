"""Pure logic behind the result-group tabs and the host table.

Kept free of Textual so ordering, sorting, diffing and the "N of M" text can be
tested as plain functions, and so the widget does each O(n log n) step once
per data change rather than once per paint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import ip_address
from typing import Literal

from jobtui.api.catalog import Severity, host_status
from jobtui.api.models import HostResult, ResultGroup

#: bk-job cuts tags at this length; a tag that long was probably truncated.
TAG_LIMIT = 256
#: How many characters of a tag a tab label shows before cutting it.
TAG_SHOWN = 40

GroupKey = tuple[int, str]
CopyFormat = Literal["ip", "cloud:ip"]

# Failed groups first so an operator sees trouble without switching tabs.
_SEVERITY_ORDER: dict[Severity, int] = {
    Severity.FAILED: 0,
    Severity.ATTENTION: 1,
    Severity.RUNNING: 2,
    Severity.PENDING: 3,
    Severity.UNKNOWN: 4,
    Severity.SKIPPED: 5,
    Severity.SUCCESS: 6,
}


class SortKey(StrEnum):
    """Host-table sort column, in the order `o` cycles through them."""

    ELAPSED = "elapsed"
    EXIT_CODE = "exit code"
    IP = "IP"

    def next(self) -> SortKey:
        members = list(SortKey)
        return members[(members.index(self) + 1) % len(members)]


def order_groups(groups: Iterable[ResultGroup]) -> tuple[ResultGroup, ...]:
    """Groups by severity (failed first), then status code, then tag."""

    def rank(group: ResultGroup) -> tuple[int, int, str]:
        severity = host_status(group.status).severity
        return (_SEVERITY_ORDER.get(severity, 4), group.status, group.tag)

    return tuple(sorted(groups, key=rank))


def _ip_rank(host: HostResult) -> tuple[int, int, str]:
    """IPv4 before IPv6 before container names before nothing; numeric order inside a family."""
    if host.ref.container is not None:
        return (2, 0, host.ref.display)
    text = host.ref.ip or host.ref.ipv6
    if not text:
        return (3, 0, "")
    try:
        address = ip_address(text)
    except ValueError:
        return (1, 0, text)
    return (0 if address.version == 4 else 1, int(address), "")


def _elapsed_rank(host: HostResult) -> float:
    return host.total_seconds if host.total_seconds is not None else -1.0


def _exit_rank(host: HostResult) -> int:
    # No exit code yet sorts below every real one, ascending.
    return host.exit_code if host.exit_code is not None else -(2**31)


def sort_hosts(
    hosts: Iterable[HostResult], key: SortKey, *, reverse: bool = False
) -> tuple[HostResult, ...]:
    """Hosts ordered by ``key``; ties broken by IP then host key so order is stable.

    Elapsed and exit code sort descending by default (slowest / worst first, as
    an operator hunting a problem wants); IP ascending. ``reverse`` flips it.
    """
    items = list(hosts)
    if key is SortKey.IP:
        items.sort(key=lambda h: (_ip_rank(h), h.key), reverse=reverse)
        return tuple(items)
    primary = _elapsed_rank if key is SortKey.ELAPSED else _exit_rank
    # Two stable passes: ties in ascending IP order, then the primary key.
    items.sort(key=lambda h: (_ip_rank(h), h.key))
    items.sort(key=primary, reverse=not reverse)
    return tuple(items)


@dataclass(frozen=True, slots=True)
class HostDiff:
    """What changed between two host lists, by host key."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_hosts(old: Sequence[HostResult], new: Sequence[HostResult]) -> HostDiff:
    """Keys added, removed and changed (same key, different value); O(n)."""
    before = {host.key: host for host in old}
    after = {host.key: host for host in new}
    added = tuple(k for k in after if k not in before)
    removed = tuple(k for k in before if k not in after)
    changed = tuple(k for k, h in after.items() if k in before and before[k] != h)
    return HostDiff(added, removed, changed)


def n_of_m(group: ResultGroup | None) -> str:
    """``"50 of 1,200"`` when the group lists fewer hosts than it counts, else ``""``."""
    if group is None or group.complete:
        return ""
    return f"{len(group.hosts):,} of {group.host_count:,}"


def first_host(
    groups: Iterable[ResultGroup],
    group_key: GroupKey | None,
    key: SortKey,
    *,
    reverse: bool = False,
) -> HostResult | None:
    """The host the results pane selects when it shows ``groups`` afresh.

    The kept group if it is still there, else the first in ``order_groups`` that
    has hosts listed (a status/tag filter leaves the others with counts only);
    its first host in table order. The poller asks this so it can fetch that host's
    log in the same poll as the step result: the first screen (and a newly
    chosen step) then needs no second round trip and paints once.
    """
    ordered = order_groups(groups)
    if not ordered:
        return None
    listed = next((g for g in ordered if not counts_only(g)), ordered[0])
    group = next((g for g in ordered if g.key == group_key), listed)
    if not group.hosts:
        return None
    return sort_hosts(group.hosts, key, reverse=reverse)[0]


def counts_only(group: ResultGroup) -> bool:
    """True when the server sent a count but no host list (a status/tag filter)."""
    return group.host_count > 0 and not group.hosts


def group_word(group: ResultGroup) -> str:
    """The status word of a group: the catalogue label, else what the server said."""
    info = host_status(group.status)
    if info.known or not group.status_desc:
        return info.label
    return group.status_desc


def tag_text(tag: str, *, ellipsis: str = "…") -> tuple[str, bool]:
    """A tag as a tab shows it, and whether it hit bk-job's 256-char limit."""
    at_limit = len(tag) >= TAG_LIMIT
    if len(tag) > TAG_SHOWN:
        return tag[: TAG_SHOWN - len(ellipsis)] + ellipsis, at_limit
    return tag, at_limit


def find_host(groups: Iterable[ResultGroup], query: str) -> tuple[GroupKey, str] | None:
    """The first target whose IP, IPv6, container name or id contains ``query``."""
    needle = query.strip().lower()
    if not needle:
        return None
    for group in groups:
        for host in group.hosts:
            for address in _searchable(host):
                if address and needle in address.lower():
                    return group.key, host.key
    return None


def _searchable(host: HostResult) -> tuple[str | None, ...]:
    container = host.ref.container
    if container is not None:
        return (container.name, container.container_id)
    return (host.ref.ip, host.ref.ipv6)


def copy_ips(hosts: Iterable[HostResult], fmt: CopyFormat = "ip") -> str:
    """One address per line, as the web UI's copy menu: ``ip`` or ``cloudId:ip``.

    A container has no address: ``ip`` copies its name, ``cloud:ip`` its runtime
    id (what ``docker``/``crictl`` take), the scheme prefix dropped.
    """
    lines: list[str] = []
    for host in hosts:
        container = host.ref.container
        if container is not None:
            cid = (container.container_id or "").split("://", 1)[-1]
            text = cid if fmt == "cloud:ip" else container.name or cid
            if text:
                lines.append(text)
            continue
        address = host.ref.ip or host.ref.ipv6
        if not address:
            continue
        if fmt == "cloud:ip":
            cloud = host.ref.cloud_id if host.ref.cloud_id is not None else 0
            lines.append(f"{cloud}:{address}")
        else:
            lines.append(address)
    return "\n".join(lines)


def format_elapsed(seconds: float | None) -> str:
    """Elapsed seconds as the host list shows them: ``12.3``, ``-`` when unknown."""
    if seconds is None:
        return "-"
    return f"{seconds:.1f}" if seconds < 1000 else f"{seconds:.0f}"
