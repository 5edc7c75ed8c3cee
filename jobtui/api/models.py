"""The family-neutral domain model every layer above ``api/`` uses.

Three wire families (gateway v3, ESB jobv3, ESB v2) are parsed at the edge and
mapped onto these frozen values, so ``core/`` and ``tui/`` never see a raw dict
nor care which family the data came from.

Conventions:
- times are timezone-aware ``datetime`` (v2 strings are read in the configured
  zone, v3 epoch milliseconds in UTC); durations are float seconds;
- codes stay plain ``int`` (unknown codes are legal; see ``catalog``);
- targets are identified by ``HostRef.key``: a host by ``bk_host_id`` when
  known, else cloud id + IP (IP may be ``None`` for IPv6-only hosts); a
  container (gateway v4 only: bk-job 3.12 runs steps in containers, which v3
  cannot describe) by its CMDB container id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ApiFamily(StrEnum):
    """Which bk-job API family a client speaks."""

    V3 = "v3"  # API gateway v3, header auth
    V4 = "v4"  # API gateway v4 (bk-job 3.12.1+), header auth; hosts and containers
    JOBV3 = "jobv3"  # ESB jobv3, parameter auth
    V2 = "v2"  # ESB v2 (legacy), parameter auth


class ScopeType(StrEnum):
    """bk-job resource scope."""

    BIZ = "biz"
    BIZ_SET = "biz_set"


class TargetKind(StrEnum):
    """What a step ran on: bk-job's execute object type (``ExecuteObjectTypeEnum``)."""

    HOST = "host"  # type 1
    CONTAINER = "container"  # type 2 (gateway v4 only)


@dataclass(frozen=True, slots=True)
class ContainerRef:
    """A container target as v4's ``OpenApiContainerDTO`` describes it."""

    cmdb_id: int | None = None  # ``id``: the CMDB container id, v4's ``resource_id``
    container_id: str | None = None  # the runtime's id (docker/containerd), long hex
    name: str | None = None
    node_host_id: int | None = None  # bk_host_id of the node the container runs on

    @property
    def short_id(self) -> str | None:
        """The runtime id cut to 12 characters, as ``docker ps`` shows it."""
        if not self.container_id:
            return None
        cid = self.container_id.split("://", 1)[-1]  # "containerd://abc…" → "abc…"
        return cid[:12]


@dataclass(frozen=True, slots=True)
class HostRef:
    """How to address one target (a host, or with ``container`` set, a container).

    The type keeps its historical name because every layer passes it around as
    "the host"; ``kind`` says which it is. A container's ``host_id`` stays
    ``None`` (its node is ``container.node_host_id``), so no host-keyed request
    can address a container by mistake.
    """

    host_id: int | None = None
    cloud_id: int | None = None
    ip: str | None = None
    ipv6: str | None = None
    container: ContainerRef | None = None

    @property
    def kind(self) -> TargetKind:
        return TargetKind.HOST if self.container is None else TargetKind.CONTAINER

    @property
    def key(self) -> str:
        """Stable identity: ``h:<bk_host_id>`` else ``c<cloud>:<ip or ipv6>``;
        a container ``k:<CMDB id>`` (else ``k:<runtime id>``)."""
        if self.container is not None:
            c = self.container
            return f"k:{c.cmdb_id}" if c.cmdb_id is not None else f"k:{c.container_id or '?'}"
        if self.host_id is not None:
            return f"h:{self.host_id}"
        cloud = "?" if self.cloud_id is None else self.cloud_id
        return f"c{cloud}:{self.ip or self.ipv6 or '?'}"

    @property
    def display(self) -> str:
        """What a person would recognise: a container's name (else its short id);
        a host's IPv4, else IPv6, else the host id."""
        if self.container is not None:
            c = self.container
            if c.name:
                return c.name
            if c.short_id:
                return c.short_id
            return f"container {c.cmdb_id if c.cmdb_id is not None else '?'}"
        if self.ip:
            return self.ip
        if self.ipv6:
            return self.ipv6
        if self.host_id is not None:
            return f"host {self.host_id}"
        return "?"


@dataclass(frozen=True, slots=True)
class HostResult:
    """One host's outcome in one step (for one retry)."""

    ref: HostRef
    status: int
    status_desc: str | None = None  # as the server localised it, if sent
    tag: str = ""
    exit_code: int | None = None
    error_code: int | None = None
    cloud_name: str | None = None
    agent_id: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_seconds: float | None = None
    execute_count: int | None = None

    @property
    def key(self) -> str:
        return self.ref.key


@dataclass(frozen=True, slots=True)
class ResultGroup:
    """Hosts sharing one (status, tag): a tab of the bk-job web UI's step detail.

    ``host_count`` is the full count (``host_size``); ``hosts`` may hold fewer
    when the request capped them with ``max_host_num_per_group`` or when the
    server sent counts only (a ``status`` filter matching another group).
    """

    status: int
    tag: str
    host_count: int
    hosts: tuple[HostResult, ...] = ()
    status_desc: str | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.status, self.tag)

    @property
    def complete(self) -> bool:
        return len(self.hosts) >= self.host_count


@dataclass(frozen=True, slots=True)
class Step:
    """One step instance as the job status reports it."""

    step_instance_id: int
    name: str
    type: int
    status: int
    execute_count: int = 0  # 0-based retry count of the latest run
    step_id: int | None = None
    operator: str | None = None
    create_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_seconds: float | None = None
    hosts: tuple[HostResult, ...] = ()  # latest retry, all batches; may be empty


@dataclass(frozen=True, slots=True)
class Block:
    """A group of steps. v3 has no blocks: its steps live in one ``implicit`` block."""

    name: str | None
    order: int
    steps: tuple[Step, ...]
    implicit: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """A job instance with its blocks and steps."""

    job_instance_id: int
    name: str
    status: int
    finished: bool
    blocks: tuple[Block, ...] = ()
    operator: str | None = None
    launch_mode: int | None = None
    instance_type: int | None = None
    scope_type: str | None = None
    scope_id: str | None = None
    plan_id: int | None = None
    current_step_instance_id: int | None = None
    create_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_seconds: float | None = None

    @property
    def steps(self) -> tuple[Step, ...]:
        """All steps in execution order, across blocks."""
        return tuple(step for block in self.blocks for step in block.steps)

    def step(self, step_instance_id: int) -> Step | None:
        for candidate in self.steps:
            if candidate.step_instance_id == step_instance_id:
                return candidate
        return None


CONFIRM_STEP_TYPE = 3  # bk-job StepExecuteTypeEnum MANUAL_CONFIRM (APPROVAL in the DTOs)


@dataclass(frozen=True, slots=True)
class ConfirmInfo:
    """What the public APIs tell about a manual-confirmation step (the web UI's approval card).

    ``message`` comes from v3 get_step_instance_detail (``approval_info.approval_message``,
    fetched once per step), or on ESB jobv3 and v2 from the PLAN (get_job_plan_detail,
    get_job_detail)
    (``message_source`` says so: the plan may have changed since launch);
    ``message_note`` says why there is none (v4 has no such API, or the request
    failed). ``operator`` is who confirmed:
    only ESB v2's job status carries it (``TaskExecuteServiceImpl.confirmContinue``
    sets the step operator to the confirmer).
    """

    message: str | None = None
    message_note: str | None = None
    operator: str | None = None
    # where ``message`` was read when not from the instance (ESB jobv3: the plan)
    message_source: str | None = None


@dataclass(frozen=True, slots=True)
class StepResult:
    """A step's result groups for one retry and batch (get_step_instance_status).

    ``execute_count`` and ``batch`` are what was ASKED for (the retry whose hosts
    are listed; ``None`` batch = the server's current one): bk-job's answer carries
    the step's current ``execute_count``, status and times whatever was asked
    (``EsbGetStepInstanceStatusV3ResourceImpl.buildEsbStepInstanceStatusV3DTO``), so
    ``status``, the times and ``latest_execute_count`` are the step's own, now.
    """

    step_instance_id: int
    name: str
    type: int
    status: int
    execute_count: int
    groups: tuple[ResultGroup, ...] = ()
    batch: int | None = None  # the batch requested (None = the server's current batch)
    create_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_seconds: float | None = None
    latest_execute_count: int | None = None  # the step's current retry; None = unknown
    confirm: ConfirmInfo | None = None  # set for manual-confirmation steps

    @property
    def is_confirm(self) -> bool:
        return self.type == CONFIRM_STEP_TYPE

    @property
    def latest(self) -> bool:
        """Whether the hosts listed are the step's latest run (the one the logs show)."""
        return self.latest_execute_count is None or self.execute_count >= self.latest_execute_count

    @property
    def host_count(self) -> int:
        return sum(group.host_count for group in self.groups)


class LogKind(StrEnum):
    SCRIPT = "script"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class FileTransfer:
    """One file-log entry: an upload on a source host (mode 0) or a download (mode 1)."""

    mode: int
    src_path: str | None = None
    src: HostRef | None = None
    dest_path: str | None = None
    dest: HostRef | None = None
    status: int | None = None
    size: str | None = None  # as sent: "9.0 Bytes"
    speed: str | None = None  # "1 KB/s"
    progress: str | None = None  # "100%"
    content: str = ""


@dataclass(frozen=True, slots=True)
class HostLog:
    """The latest log of one host in one step (logs have no retry selector)."""

    ref: HostRef
    kind: LogKind
    content: str = ""  # script output, already HTML-unescaped for v2
    files: tuple[FileTransfer, ...] = ()


@dataclass(frozen=True, slots=True)
class JobSummary:
    """One row of get_job_instance_list."""

    job_instance_id: int
    name: str
    status: int
    operator: str | None = None
    launch_mode: int | None = None
    instance_type: int | None = None
    scope_type: str | None = None
    scope_id: str | None = None
    plan_id: int | None = None
    cron_id: int | None = None
    create_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class JobPage:
    start: int
    length: int
    total: int
    jobs: tuple[JobSummary, ...] = field(default_factory=tuple)
