"""Step-result filters: immutable values, composed without a UI.

The same ``StepFilter`` drives every family. Gateway v3 sends it to the server
(get_step_instance_status); ESB jobv3 and v2 apply what their data allows on
the client and raise ``UnsupportedFilterError`` for the rest (for example a
rolling ``batch`` on v2), never silently ignoring a filter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Self


@dataclass(frozen=True, slots=True)
class StepFilter:
    """What subset of a step's results to ask for.

    - ``execute_count``: retry, 0-based; ``None`` = the latest.
    - ``batch``: rolling batch, 1-based; ``None`` = the current batch; ``0`` = all.
    - ``statuses``: host status codes; a group whose status is not listed keeps
      its count but carries no hosts (as the server does for ``status``).
    - ``tag``: exact tag; other groups keep counts only.
    - ``search_ip``: substring of IP or IPv6.
    - ``keyword``: substring of the host's log (script steps).
    - ``max_hosts_per_group``: cap of hosts listed per group (counts stay full).
    """

    execute_count: int | None = None
    batch: int | None = None
    statuses: tuple[int, ...] = ()
    tag: str | None = None
    search_ip: str | None = None
    keyword: str | None = None
    max_hosts_per_group: int | None = None

    def with_(self, **changes: object) -> Self:
        """A copy with some fields changed (empty strings normalised to ``None``)."""
        cleaned = {k: (None if v == "" else v) for k, v in changes.items()}
        return replace(self, **cleaned)  # type: ignore[arg-type]

    def cleared(self) -> Self:
        """Every user filter removed; the page size kept."""
        return type(self)(max_hosts_per_group=self.max_hosts_per_group)

    @property
    def active(self) -> dict[str, str]:
        """The user-visible active filters, for a filter bar: name → shown value."""
        shown: dict[str, str] = {}
        if self.statuses:
            shown["status"] = ",".join(str(s) for s in self.statuses)
        if self.tag is not None:
            shown["tag"] = self.tag
        if self.batch is not None:
            shown["batch"] = "all" if self.batch == 0 else str(self.batch)
        if self.search_ip:
            shown["ip"] = self.search_ip
        if self.keyword:
            shown["keyword"] = self.keyword
        if self.execute_count is not None:
            shown["retry"] = str(self.execute_count)
        return shown

    def matches_ip(self, ip: str | None, ipv6: str | None) -> bool:
        """Client-side ``search_ip``: substring of IP or IPv6."""
        if not self.search_ip:
            return True
        needle = self.search_ip
        return bool((ip and needle in ip) or (ipv6 and needle in ipv6))
