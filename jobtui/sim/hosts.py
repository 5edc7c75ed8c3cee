"""The host pool: host ``i`` is a pure function of its index, never stored."""

from __future__ import annotations

from dataclasses import dataclass

CLOUD_NAMES = {0: "Default Area", 1: "Cloud-Shenzhen", 2: "Cloud-Shanghai", 3: "Cloud-HK"}


@dataclass(frozen=True, slots=True)
class Host:
    """One target machine as CMDB knows it."""

    index: int
    host_id: int
    ip: str | None
    ipv6: str | None
    cloud_id: int
    cloud_name: str
    agent_id: str | None


@dataclass(frozen=True, slots=True)
class HostPool:
    """Derives hosts from indices so large steps cost nothing until serialised.

    ``ipv6_every``: every n-th host is IPv6-only (ip null); 0 disables.
    ``clouds``: how many cloud areas hosts are spread over.
    """

    clouds: int = 1
    ipv6_every: int = 0
    base_host_id: int = 1001

    def host(self, index: int) -> Host:
        cloud = index % self.clouds if self.clouds > 1 else 0
        ipv6_only = self.ipv6_every > 0 and index % self.ipv6_every == self.ipv6_every - 1
        ip = None if ipv6_only else f"10.{cloud}.{index // 250 % 256}.{index % 250 + 1}"
        ipv6 = f"fd00::{index + 1:x}" if ipv6_only or index % 7 == 3 else None
        agent = f"0200000000525400{index:08x}" if index % 5 != 4 else None
        return Host(
            index=index,
            host_id=self.base_host_id + index,
            ip=ip,
            ipv6=ipv6,
            cloud_id=cloud,
            cloud_name=CLOUD_NAMES.get(cloud, f"Cloud-{cloud}"),
            agent_id=agent,
        )

    def find(
        self,
        count: int,
        *,
        host_id: int | None = None,
        cloud_id: int | None = None,
        ip: str | None = None,
    ) -> Host | None:
        """Look a host up among the first ``count`` indices (arithmetic, no scan)."""
        if host_id is not None:
            index = host_id - self.base_host_id
            return self.host(index) if 0 <= index < count else None
        if ip is None:
            return None
        parts = ip.split(".")
        if len(parts) != 4 or not all(p.isdigit() for p in parts):
            return None
        _, _, hi, lo = (int(p) for p in parts)
        for block in range(hi, count // 250 + 1, 256):
            index = block * 250 + lo - 1
            if 0 <= index < count:
                candidate = self.host(index)
                if candidate.ip == ip and (cloud_id is None or candidate.cloud_id == cloud_id):
                    return candidate
        return None
