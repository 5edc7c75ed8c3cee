"""v3map and v4map share commonmap: the same fields map the same way, the differences stay.

What the two families share (the step and job instance fields, the job-list row, a
file-log entry's size/speed/progress) maps to equal domain objects; what differs is read
only by its own family: v3 hosts in ``step_ip_result_list`` and ``EsbIpDTO`` file ends,
v4 execute objects in ``step_execute_object_result_list``, ``job_cron_id`` in v3 only.
"""

from __future__ import annotations

from typing import Any

from jobtui.api import v3map, v4map
from jobtui.api.models import HostRef

TIMES = {"create_time": 1_000, "start_time": 2_000, "end_time": 9_000, "total_time": 7_000}
HOST = {"bk_host_id": 7, "bk_cloud_id": 0, "ip": "10.0.0.7", "status": 9, "tag": "ok"}
OBJECT = {
    "type": 1,
    "resource_id": "7",
    "host": {"bk_host_id": 7, "bk_cloud_id": 0, "ip": "10.0.0.7"},
}


def step(**targets: Any) -> dict[str, Any]:
    return {
        "step_instance_id": 11,
        "name": "deploy",
        "type": 1,
        "status": 3,
        "execute_count": 1,
        **TIMES,
        **targets,
    }


def status(s: dict[str, Any]) -> dict[str, Any]:
    job = {"job_instance_id": 5, "name": "j", "status": 3, "bk_scope_type": "biz"}
    return {
        "finished": True,
        "job_instance": {**job, "bk_scope_id": 2, **TIMES},
        "step_instance_list": [s],
    }


def test_the_shared_fields_map_alike_and_each_family_reads_its_own_targets() -> None:
    both = {
        "step_ip_result_list": [HOST],
        "step_execute_object_result_list": [{**HOST, "execute_object": OBJECT}],
    }
    v3, v4 = v3map.job(status(step(**both))), v4map.job(status(step(**both)))  # type: ignore[arg-type]
    assert (v3.status, v3.finished, v3.scope_id, v3.total_seconds) == (3, True, "2", 7.0)
    assert (v4.status, v4.finished, v4.scope_id, v4.start_time) == (3, True, "2", v3.start_time)
    s3, s4 = v3.steps[0], v4.steps[0]
    assert (s3.name, s3.execute_count, s3.end_time) == (s4.name, s4.execute_count, s4.end_time)
    [h3], [h4] = s3.hosts, s4.hosts
    assert h3.ref.host_id == h4.ref.host_id == 7 and h3.execute_count == h4.execute_count == 1
    assert (
        v3map.step(step(step_execute_object_result_list=[{**HOST, "execute_object": OBJECT}])).hosts
        == ()
    )  # type: ignore[arg-type]
    assert v4map.step(step(step_ip_result_list=[HOST])).hosts == ()  # type: ignore[arg-type]


def test_job_cron_id_is_v3_only() -> None:
    row = {"job_instance_id": 5, "status": 3, "job_cron_id": 42, "job_plan_id": 9, **TIMES}
    assert v3map.summary(row).cron_id == 42  # type: ignore[arg-type]
    assert v4map.summary(row).cron_id is None  # type: ignore[arg-type]  # V4JobInstanceDTO lacks it
    assert v3map.summary(row).plan_id == v4map.summary(row).plan_id == 9  # type: ignore[arg-type]


def test_file_log_ends_are_the_familys_own() -> None:
    entry = {"mode": 1, "log_content": "Downloading... 1.5 MB 100%", "status": 3}
    v3 = v3map.file_transfer({**entry, "src_ip": {"bk_host_id": 8}, "dest_ip": {"bk_host_id": 7}})  # type: ignore[arg-type]
    v4 = v4map.file_transfer({**entry, "src_execute_object": OBJECT, "dest_execute_object": OBJECT})  # type: ignore[arg-type]
    assert v3.src == HostRef(8) and v3.dest == HostRef(7)
    assert v4.dest is not None and v4.dest.host_id == 7 and v4.dest.ip == "10.0.0.7"
    assert (v3.mode, v3.content, v3.progress) == (v4.mode, v4.content, v4.progress)
    # each family's ends are read only from its own fields
    assert v3map.file_transfer({**entry, "src_execute_object": OBJECT}).src is None  # type: ignore[arg-type]
    assert v4map.file_transfer({**entry, "src_ip": {"bk_host_id": 8}}).src is None  # type: ignore[arg-type]
