"""Mapping shared by the gateway v3 (and ESB jobv3) and v4 families.

Both serialise the same task and step instance fields under the same names
(``EsbJobInstanceStatusV3DTO``/``EsbStepInstanceStatusV3DTO`` and
``V4JobInstanceStatusResp``; ``EsbTaskInstanceV3DTO`` and ``V4JobInstanceDTO``
for the job list; ``EsbFileLogV3DTO`` and ``V4FileLogDTO``), so that mapping is
written once here. What differs stays in ``v3map``/``v4map``, where it is read:
how targets are listed (v3 hosts in ``step_ip_result_list``, v4 execute objects
in ``step_execute_object_result_list``), how a file log names its ends (v3 an
``EsbIpDTO``, v4 an execute object), and ``job_cron_id`` (v3 only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from jobtui.api.catalog import FINISHED_RUN_STATUSES
from jobtui.api.convert import ms_to_datetime, ms_to_seconds
from jobtui.api.fastbuild import fast_constructor
from jobtui.api.filelog import parse_file_log
from jobtui.api.models import Block, FileTransfer, HostRef, HostResult, Job, JobSummary, Step
from jobtui.api.text import safe_line, safe_opt

Wire = Mapping[str, Any]  # a validated wire TypedDict (every field read with .get)

host_result = fast_constructor(HostResult)
host_ref = fast_constructor(HostRef)


def scope_id(value: int | str | None) -> str | None:
    return None if value is None else str(value)


def clean(text: str | None) -> str | None:
    """``safe_opt`` with the common case inlined (this runs per host or target)."""
    return text if text is None or text.isprintable() else safe_line(text)


def when(ms: float | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms and ms > 0 else None


def tag(value: str | None) -> str:
    return (value if value.isprintable() else safe_line(value)) if value else ""


def step(s: Wire, targets: Callable[[int], Iterable[HostResult]]) -> Step:
    """A step of a job status; ``targets(execute_count)`` maps the family's target list."""
    count = s.get("execute_count") or 0
    return Step(
        step_instance_id=s["step_instance_id"],
        name=safe_line(s.get("name")),
        type=s.get("type") or 0,
        status=s["status"],
        execute_count=count,
        create_time=ms_to_datetime(s.get("create_time")),
        start_time=ms_to_datetime(s.get("start_time")),
        end_time=ms_to_datetime(s.get("end_time")),
        total_seconds=ms_to_seconds(s.get("total_time")),
        hosts=tuple(targets(count)),
    )


def job(data: Wire, step_of: Callable[[Any], Step]) -> Job:
    """A job status; neither family has blocks: every step goes into one implicit block."""
    ji = data["job_instance"]
    steps = tuple(step_of(s) for s in data.get("step_instance_list") or ())
    finished = data.get("finished")
    return Job(
        job_instance_id=ji["job_instance_id"],
        name=safe_line(ji.get("name")),
        status=ji["status"],
        finished=ji["status"] in FINISHED_RUN_STATUSES if finished is None else finished,
        blocks=(Block(name=None, order=1, steps=steps, implicit=True),),
        scope_type=ji.get("bk_scope_type"),
        scope_id=scope_id(ji.get("bk_scope_id")),
        create_time=ms_to_datetime(ji.get("create_time")),
        start_time=ms_to_datetime(ji.get("start_time")),
        end_time=ms_to_datetime(ji.get("end_time")),
        total_seconds=ms_to_seconds(ji.get("total_time")),
    )


def summary(item: Wire, cron_id: int | None) -> JobSummary:
    """A job-list row; ``cron_id`` is the family's (v4 has none)."""
    return JobSummary(
        job_instance_id=item["job_instance_id"],
        name=safe_line(item.get("name")),
        status=item["status"],
        operator=safe_opt(item.get("operator")),
        launch_mode=item.get("launch_mode"),
        instance_type=item.get("type"),
        scope_type=item.get("bk_scope_type"),
        scope_id=scope_id(item.get("bk_scope_id")),
        plan_id=item.get("job_plan_id"),
        cron_id=cron_id,
        create_time=ms_to_datetime(item.get("create_time")),
        start_time=ms_to_datetime(item.get("start_time")),
        end_time=ms_to_datetime(item.get("end_time")),
        total_seconds=ms_to_seconds(item.get("total_time")),
    )


def file_transfer(f: Wire, src: HostRef | None, dest: HostRef | None) -> FileTransfer:
    """One file-log entry between the family's ``src`` and ``dest``; size, speed and
    progress read from its text when the server left them out (or null)."""
    content = f.get("log_content") or ""
    size, speed, progress = f.get("size"), f.get("speed"), f.get("process")
    if size is None or speed is None or progress is None:
        facts = parse_file_log(content)
        size = size if size is not None else facts.size
        speed = speed if speed is not None else facts.speed
        progress = progress if progress is not None else facts.progress
    return FileTransfer(
        mode=f.get("mode") or 0,
        src_path=f.get("src_path"),
        src=src,
        dest_path=f.get("dest_path"),
        dest=dest,
        status=f.get("status"),
        size=size,
        speed=speed,
        progress=progress,
        content=content,
    )
