"""Parse cost of a 10,000-host get_step_instance_status answer versus json.loads.

Not a test (no timed assertions in the suite): run
``.venv/bin/python -m tests.api.bench_parse`` and read the ratio (target ≤ 3).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from jobtui.api import v3map
from jobtui.api.v3 import STEP_STATUS


def payload(hosts: int = 10_000) -> bytes:
    rows = [
        {
            "bk_host_id": i,
            "ip": f"10.0.{i // 256}.{i % 256}",
            "ipv6": None,
            "bk_agent_id": f"02000000{i}",
            "bk_cloud_id": 0,
            "bk_cloud_name": "Default Area",
            "status": 9 if i % 7 else 104,
            "status_desc": "Success",
            "tag": "",
            "exit_code": 0,
            "start_time": 1605064271000 + i * 13,
            "end_time": 1605064272000 + i * 17,
            "total_time": 1000 + i,
        }
        for i in range(hosts)
    ]
    group = {
        "result_type": 9,
        "result_type_desc": "Success",
        "tag": "",
        "host_size": hosts,
        "host_result_list": rows,
    }
    data = {
        "step_instance_id": 1,
        "execute_count": 0,
        "name": "x",
        "type": 1,
        "status": 3,
        "step_result_group_list": [group],
    }
    return json.dumps({"result": True, "code": 0, "data": data}).encode()


def best(fn: Callable[[], object], rounds: int = 15) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    raw = payload()
    baseline = best(lambda: json.loads(raw))
    parse = best(lambda: v3map.step_result(STEP_STATUS.validate_json(raw)["data"], None))
    print(
        f"{len(raw)} bytes: json.loads {baseline * 1000:.1f} ms, "
        f"client parse {parse * 1000:.1f} ms, ratio {parse / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
