"""Everything needed to reach one bk-job scope through one API family."""

from __future__ import annotations

from dataclasses import dataclass, field

from jobtui.api.auth import Credentials
from jobtui.api.models import ApiFamily, ScopeType


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Where and how to talk to bk-job.

    ``url`` is the gateway stage root for v3
    (``https://bkapi.example.com/api/bk-job/prod``) and the PaaS root for the
    ESB families (``https://paas.example.com``).
    """

    url: str
    family: ApiFamily = ApiFamily.V3
    scope_type: ScopeType = ScopeType.BIZ
    scope_id: str = ""
    credentials: Credentials = field(default_factory=Credentials)
    timeout: float = 10.0
    verify: bool | str = True  # False for --insecure, a path for --ca-bundle
    timezone: str = "Asia/Shanghai"  # zone of v2 time strings
    language: str = "en"  # Blueking-Language header
