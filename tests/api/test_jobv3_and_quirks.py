"""Client-side groups (ESB jobv3, v2) and the server quirks of bkjob-api.md §6."""

from __future__ import annotations

import json

import httpx
import pytest

from jobtui.api.errors import UnsupportedFilterError
from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostRef, LogKind
from tests.support.api import ok


def _h(host_id: int, ip: str | None, status: int, tag: str | None = "", **kw: object) -> dict:
    return {
        "bk_host_id": host_id,
        "ip": ip,
        "bk_cloud_id": 0,
        "status": status,
        "tag": tag,
        "exit_code": 0 if status == 9 else 1,
        "error_code": 0,
        "start_time": None,
        "end_time": None,
        "total_time": None,
        **kw,
    }


HOSTS = [
    _h(1, "10.0.0.1", 9, "ok"),
    _h(2, "10.0.0.2", 9, "ok"),
    _h(3, "10.0.1.3", 104),
    _h(4, None, 104),
    _h(5, "10.0.1.5", 9, None),
]
JOB = {
    "finished": False,
    "job_instance": {"job_instance_id": 7, "name": "j", "status": 2},
    "step_instance_list": [
        {
            "step_instance_id": 9,
            "name": "s",
            "type": 1,
            "status": 2,
            "execute_count": 1,
            "step_ip_result_list": HOSTS,
        }
    ],
}


async def test_jobv3_groups_built_from_host_list(server, client_for) -> None:
    server.replies["get_job_instance_status"] = ok(JOB)
    client = client_for(ApiFamily.JOBV3)
    result = await client.get_step_result(7, 9)
    assert server.params()["return_ip_result"] == "true"
    assert [(g.status, g.tag, g.host_count) for g in result.groups] == [
        (9, "ok", 2),
        (104, "", 2),
        (9, "", 1),
    ]
    assert result.execute_count == 1 and result.groups[1].hosts[1].key == "h:4"


async def test_jobv3_filters_applied_like_the_server(server, client_for) -> None:
    server.replies["get_job_instance_status"] = ok(JOB)
    client = client_for(ApiFamily.JOBV3)
    flt = StepFilter(statuses=(104,), search_ip="10.0.1", max_hosts_per_group=1)
    result = await client.get_step_result(7, 9, flt)
    # search_ip narrows counts; statuses only decide which groups list hosts
    assert [(g.status, g.host_count, len(g.hosts)) for g in result.groups] == [
        (104, 1, 1),
        (9, 1, 0),
    ]
    result = await client.get_step_result(7, 9, StepFilter(tag="ok", execute_count=1, batch=0))
    assert [(g.tag, len(g.hosts)) for g in result.groups] == [("ok", 2), ("", 0), ("", 0)]


@pytest.mark.parametrize(
    ("flt", "text"),
    [(StepFilter(execute_count=0), "latest run"), (StepFilter(batch=2), "rolling batch 2")],
)
async def test_jobv3_unsupported_filters(server, client_for, flt, text) -> None:
    server.replies["get_job_instance_status"] = ok(JOB)
    with pytest.raises(UnsupportedFilterError, match=text):
        await client_for(ApiFamily.JOBV3).get_step_result(7, 9, flt)


async def test_jobv3_keyword_via_batch_logs(server, client_for) -> None:
    server.replies["get_job_instance_status"] = ok(JOB)

    def logs(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["host_id_list"]
        return ok(
            {
                "log_type": 1,
                "script_task_logs": [
                    {"bk_host_id": i, "log_content": "ERROR disk" if i in (2, 3) else "fine"}
                    for i in ids
                ],
            }
        )

    server.replies["batch_get_job_instance_ip_log"] = logs
    result = await client_for(ApiFamily.JOBV3).get_step_result(7, 9, StepFilter(keyword="ERROR"))
    assert [(g.status, [h.key for h in g.hosts]) for g in result.groups] == [
        (9, ["h:2"]),
        (104, ["h:3"]),
    ]


async def test_jobv3_keyword_refused_for_file_steps(server, client_for) -> None:
    job = json.loads(json.dumps(JOB))
    job["step_instance_list"][0]["type"] = 2
    server.replies["get_job_instance_status"] = ok(job)
    with pytest.raises(UnsupportedFilterError, match="script steps only"):
        await client_for(ApiFamily.JOBV3).get_step_result(7, 9, StepFilter(keyword="x"))


# ---------------------------------------------------------------- §6 quirks


async def test_unknown_codes_nulls_and_missing_ip_tolerated(server, client_for) -> None:
    job = {
        "finished": None,
        "job_instance": {
            "job_instance_id": 7,
            "name": None,
            "status": 12,
            "bk_biz_id": None,
            "bk_scope_type": "biz",
            "bk_scope_id": "2",
            "start_time": None,
            "total_time": None,
            "new_field": {"x": 1},
        },
        "step_instance_list": [
            {
                "step_instance_id": 9,
                "name": "confirm",
                "type": 3,
                "status": 7,
                "execute_count": None,
                "step_ip_result_list": [],
            },
            {
                "step_instance_id": 10,
                "name": "s",
                "type": 99,
                "status": 77,
                "step_ip_result_list": [{"bk_host_id": 5, "ip": None, "status": 4242}],
            },
        ],
    }
    server.replies["get_job_instance_status"] = ok(job)
    got = await client_for(ApiFamily.V3).get_job(7)
    assert got.status == 12 and got.finished is False  # derived: 12 is not a backend status
    assert got.name == "" and got.scope_id == "2" and got.start_time is None
    confirm, odd = got.steps
    assert (confirm.type, confirm.status, confirm.hosts) == (3, 7, ())
    assert (odd.type, odd.status, odd.hosts[0].status, odd.hosts[0].key) == (99, 77, 4242, "h:5")


@pytest.mark.parametrize("status", [7, 10, 15])
async def test_server_finished_flag_is_kept(server, client_for, status) -> None:
    job = {"finished": False, "job_instance": {"job_instance_id": 7, "status": status}}
    server.replies["get_job_instance_status"] = ok(job)
    assert (await client_for(ApiFamily.V3).get_job(7)).finished is False


async def test_file_log_entries_from_ip_log(server, client_for) -> None:
    line = (
        "[2024-05-01 10:00:00] FileName: /data/a.tgz FileSize: 9.0 Bytes State: download "
        "success Speed: 1 KB/s Progress: 100% StatusDesc: ok Detail: done\n"
    )
    data = {
        "log_type": 2,
        "bk_host_id": 5,
        "ip": "10.0.0.5",
        "bk_cloud_id": 0,
        "file_logs": [
            {
                "mode": 0,
                "src_ip": {"host_id": 8, "bk_cloud_id": 0, "ip": None},
                "src_path": "/data/a.tgz",
                "status": 4,
                "log_content": line,
                "size": None,
                "speed": None,
                "process": None,
            },
            {
                "mode": 1,
                "src_ip": {"bk_host_id": 8},
                "dest_ip": {"bk_host_id": 5, "ip": "10.0.0.5"},
                "dest_path": "/tmp/",
                "status": 3,
                "log_content": "",
                "size": "2 MB",
                "speed": "5 MB/s",
                "process": "40%",
            },
        ],
    }
    server.replies["get_job_instance_ip_log"] = ok(data)
    log = await client_for(ApiFamily.V3).get_host_log(7, 9, HostRef(host_id=5))
    assert log.kind is LogKind.FILE and len(log.files) == 2
    up, down = log.files
    assert (up.mode, up.src.key, up.size, up.speed, up.progress) == (
        0,
        "h:8",
        "9.0 Bytes",
        "1 KB/s",
        "100%",
    )
    assert (down.dest.key, down.size, down.speed, down.progress) == ("h:5", "2 MB", "5 MB/s", "40%")


async def test_batch_file_logs(server, client_for) -> None:
    server.replies["batch_get_job_instance_ip_log"] = ok(
        {
            "log_type": 2,
            "file_task_logs": [
                {
                    "bk_host_id": 5,
                    "file_logs": [
                        {
                            "mode": 1,
                            "status": 4,
                            "size": "9.0 Bytes",
                            "speed": "1 KB/s",
                            "process": "100%",
                        }
                    ],
                }
            ],
        }
    )
    [log] = await client_for(ApiFamily.V3).get_host_logs(7, 9, [HostRef(host_id=5)])
    assert log.kind is LogKind.FILE and log.files[0].progress == "100%"


async def test_v2_quirks(server, client_for) -> None:
    """execute_count vs retry_count, no offset on times, no block type, pause null, escaped logs."""
    step = {
        "step_instance_id": 9,
        "name": "s",
        "type": 1,
        "status": 3,
        "execute_count": 2,
        "pause": None,
        "create_time": "2024-05-01 10:00:00",
        "total_time": 1.5,
        "step_ip_status": [{"ip": "10.0.0.1", "bk_cloud_id": 0, "status": 9}],
    }
    server.replies["get_job_instance_status"] = ok(
        {
            "is_finished": True,
            "job_instance": {
                "job_instance_id": 7,
                "status": 3,
                "bk_scope_type": "biz",
                "bk_scope_id": "2",
                "bk_biz_id": None,
                "total_time": 1.5,
            },
            "blocks": [{"step_instances": [step]}],
        }
    )
    client = client_for(ApiFamily.V2, timezone="Europe/Berlin")
    job = await client.get_job(7)
    [block] = job.blocks
    s = block.steps[0]
    assert block.order == 1 and s.execute_count == 2 and s.total_seconds == 1.5
    assert s.create_time.isoformat() == "2024-05-01T10:00:00+02:00"
    server.replies["get_job_instance_log"] = ok(
        [
            {
                "step_instance_id": 9,
                "step_results": [
                    {
                        "ip_status": 9,
                        "tag": "",
                        "ip_logs": [
                            {
                                "ip": "10.0.0.1",
                                "bk_cloud_id": 0,
                                "log_content": "a &lt;b&gt; &amp; &#39;c&#39;",
                            }
                        ],
                    }
                ],
            }
        ]
    )
    log = await client.get_host_log(7, 9, HostRef(cloud_id=0, ip="10.0.0.1"))
    assert log.content == "a <b> & 'c'"


async def test_v2_keyword_from_logs_and_unsupported_retry(server, client_for) -> None:
    server.replies["get_step_instance_status"] = ok(
        {"step_instance_detail": {"step_instance_id": 9, "status": 3, "type": 1, "retry_count": 1}}
    )
    server.replies["get_job_instance_log"] = ok(
        [
            {
                "step_instance_id": 9,
                "step_results": [
                    {
                        "ip_status": 9,
                        "tag": "a",
                        "ip_logs": [
                            {
                                "ip": "10.0.0.1",
                                "bk_cloud_id": 0,
                                "exit_code": 0,
                                "log_content": "all good",
                            },
                            {
                                "ip": "10.0.0.2",
                                "bk_cloud_id": 0,
                                "exit_code": 0,
                                "log_content": "warn: disk",
                            },
                        ],
                    },
                    {
                        "ip_status": 104,
                        "tag": "",
                        "ip_logs": [
                            {
                                "ip": "10.0.0.3",
                                "bk_cloud_id": 0,
                                "exit_code": 3,
                                "log_content": "disk full",
                            }
                        ],
                    },
                ],
            }
        ]
    )
    client = client_for(ApiFamily.V2)
    result = await client.get_step_result(7, 9, StepFilter(keyword="disk"))
    assert [(g.key, [h.ref.ip for h in g.hosts]) for g in result.groups] == [
        ((9, "a"), ["10.0.0.2"]),
        ((104, ""), ["10.0.0.3"]),
    ]
    assert result.groups[1].hosts[0].exit_code == 3 and result.execute_count == 1
    with pytest.raises(UnsupportedFilterError, match="latest run"):
        await client.get_step_result(7, 9, StepFilter(execute_count=0))
