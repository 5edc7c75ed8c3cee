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
    - ``statuses`` and ``tag`` pick result groups by their key ``(status, tag)``:
      a group is picked when its status is listed (or none is) and its tag equals
      ``tag`` (or no tag is given). Groups not picked keep their counts but carry
      no hosts. bk-job itself lists hosts only for the ONE group whose
      ``(status, tag or "")`` equals what was sent, else for the first group, and
      ignores a tag sent without a status (``EsbGetStepInstanceStatusV3ResourceImpl``,
      ``TaskResultServiceImpl``); so the gateway client sends both only when one
      group is picked, and narrows here otherwise (``picks``/``narrowed``).
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

    @property
    def picks_groups(self) -> bool:
        """Whether the filter picks some groups (status and/or tag)."""
        return bool(self.statuses) or self.tag is not None

    def picks(self, key: tuple[int, str]) -> bool:
        """Whether the group with this ``(status, tag)`` key is picked."""
        status, tag = key
        return (not self.statuses or status in self.statuses) and (
            self.tag is None or self.tag == tag
        )

    def matches_ip(self, ip: str | None, ipv6: str | None) -> bool:
        """Client-side ``search_ip``: substring of IP or IPv6."""
        if not self.search_ip:
            return True
        needle = self.search_ip
        return bool((ip and needle in ip) or (ipv6 and needle in ipv6))
