"""Simulator configuration: the scenario to play and the faults to inject.

``SimConfig.faults`` is read on every request, so tests and the demo may flip
fault rates while the simulator runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCENARIOS = ("default", "busy", "scale", "hostile", "faults", "containers")
# `jobtui demo` and `jobtui sim`: the failed deploy step sits at 4 this long before the
# simulated operator retries it, long enough to be seen and acted on. The library default
# (``SimConfig.retry_pause``) is shorter: the scenarios' timelines, which tests rely on,
# put the retry's run 3 s after the failure.
HUMAN_RETRY_PAUSE = 8.0


@dataclass
class FaultConfig:
    """Per-request fault probabilities (0..1), drawn from a seeded generator."""

    latency: float = 0.0  # seconds added to every answer
    error_rate: float = 0.0  # 5xx gateway error
    rate_limit_rate: float = 0.0  # 429 with X-Bkapi-RateLimit-* and Retry-After
    timeout_rate: float = 0.0  # hang (bounded by timeout_hang), then 504
    malformed_rate: float = 0.0  # truncated JSON body
    html_rate: float = 0.0  # nginx-style HTML 502 page
    down_until: float | None = None  # epoch seconds (sim clock): answer 503 until then
    timeout_hang: float = 30.0  # how long a "timeout" hangs; cancellable

    def validate(self) -> None:
        """Reject rates outside 0..1 with a one-line message."""
        for name in (
            "error_rate",
            "rate_limit_rate",
            "timeout_rate",
            "malformed_rate",
            "html_rate",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency < 0:
            raise ValueError("latency must not be negative")


@dataclass
class SimConfig:
    """What world to simulate and how the server misbehaves."""

    scenario: str = "default"
    speed: float = 1.0
    seed: int = 0
    hosts: int | None = None  # targets per step; None = scenario default
    scope_type: str = "biz"
    scope_id: str = "2"
    forbidden_scopes: set[str] = field(default_factory=set)  # "3" or "biz:3"
    faults: FaultConfig = field(default_factory=FaultConfig)
    demo_loop: bool = False  # start a new demo job ~10-20 s after the last one ends
    # Confirmations and MANUAL rolling pauses wait for a person (operations 6 and 13)
    # instead of ending by themselves after a while.
    manual: bool = False
    # A failed step stays at 4 until someone retries it, as on bk-job. The demo's
    # simulated operator (sim/operator.py) sends the retries its scenarios plan, under
    # this name, this many simulated seconds after the failure (its run starts
    # ENGINE_DELAY later); None (or ``manual``) leaves them to the user.
    retry_operator: str | None = "ops-oncall"
    retry_pause: float = 2.5
    # Who may confirm (TaskExecuteServiceImpl.checkConfirmUser): the step's confirm
    # users, its roles (none: anyone may), and the users the CMDB roles resolve to.
    confirm_users: tuple[str, ...] = ()
    confirm_roles: tuple[str, ...] = ()
    confirm_role_users: tuple[str, ...] = ()
    # Gateway resources the calling app has not been granted (v3 answers 403 1640301).
    ungranted_apis: set[str] = field(default_factory=set)
    # plans the user may not view: get_job_plan_detail answers 9900403 (view_job_plan)
    unviewable_plans: set[int] = field(default_factory=set)

    def validate(self) -> None:
        """Reject impossible settings with a clear one-line message."""
        if self.scenario not in SCENARIOS:
            raise ValueError(
                f"unknown scenario {self.scenario!r}; choose one of {', '.join(SCENARIOS)}"
            )
        if self.hosts is not None and not 1 <= self.hosts <= 50_000:
            raise ValueError(f"hosts must be between 1 and 50000, got {self.hosts}")
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        if self.retry_pause < 0:
            raise ValueError("retry_pause must not be negative")
        if self.scope_type not in ("biz", "biz_set"):
            raise ValueError("scope_type must be 'biz' or 'biz_set'")
        self.faults.validate()

    @property
    def operator_name(self) -> str | None:
        """Who retries planned failures; None when the user should (``manual``)."""
        return None if self.manual else self.retry_operator

    def is_forbidden(self, scope_type: str, scope_id: str) -> bool:
        """Whether IAM should deny this scope."""
        return scope_id in self.forbidden_scopes or (
            f"{scope_type}:{scope_id}" in self.forbidden_scopes
        )
