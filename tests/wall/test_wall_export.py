"""Saving logs through the real client against the simulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobtui.api.filters import StepFilter
from jobtui.api.models import ApiFamily, HostLog, HostRef, LogKind
from jobtui.core.export import (
    encode_log,
    log_filename,
    save_host_log,
    save_step_logs,
    step_directory,
)
from tests.support.wall_rig import sim_rig


async def _hosts(rig_family: ApiFamily, hosts: int) -> tuple[object, int, int, list[HostRef]]:
    rig = sim_rig(family=rig_family, hosts=hosts, advance=60)
    job_id = rig.sim.world.demo_job_id()
    result = await rig.client.get_step_result(job_id, 201001, StepFilter())
    refs = [host.ref for group in result.groups for host in group.hosts]
    return rig, job_id, 201001, refs


async def test_every_host_of_a_step_in_chunks_of_at_most_500(tmp_path: Path) -> None:
    rig, job_id, step_id, refs = await _hosts(ApiFamily.V3, 1200)
    assert len(refs) == 1200
    seen: list[tuple[int, int]] = []
    result = await save_step_logs(
        rig.client,
        job_id,
        step_id,
        refs,
        tmp_path,
        progress=lambda d, t: seen.append((d, t)),  # type: ignore[attr-defined]
    )
    batches = rig.transport.named("batch_get_job_instance_ip_log")  # type: ignore[attr-defined]
    assert len(batches) == 3
    assert all(len(_targets(body)) <= 500 for body in batches)
    assert seen == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]
    assert len(result.files) == 1200 and result.missing == 0
    assert result.directory == step_directory(tmp_path, job_id, step_id)
    sample = result.files[0].read_text()
    single = await rig.client.get_host_log(job_id, step_id, refs[0])  # type: ignore[attr-defined]
    assert sample == single.content and sample  # written exactly as received


def _targets(body: dict[str, object]) -> list[object]:
    for key in ("host_id_list", "ip_list", "execute_object_list"):
        value = body.get(key)
        if isinstance(value, list):
            return value
    raise AssertionError(f"no host list in {sorted(body)}")


async def test_one_host_on_esb_v2(tmp_path: Path) -> None:
    rig, job_id, step_id, refs = await _hosts(ApiFamily.V2, 4)
    path = await save_host_log(rig.client, job_id, step_id, refs[0], tmp_path)  # type: ignore[attr-defined]
    assert path.parent == step_directory(tmp_path, job_id, step_id)
    assert path.name == log_filename(refs[0])
    assert path.read_text() != ""


@pytest.mark.parametrize(
    "ref",
    [
        HostRef(None, 0, "../../etc/passwd"),
        HostRef(None, None, None, "fe80::1/../../x"),
        HostRef(None, 1, ".."),
        HostRef(None, 1, "a\x00b\x1b[2J/c"),
    ],
)
def test_file_names_cannot_escape_the_directory(ref: HostRef) -> None:
    name = log_filename(ref)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(c.isalnum() or c in "._-" for c in name)
    assert name.endswith(".log")


def test_faithful_bytes() -> None:
    raw = b"ok \x1b[31mred\x1b[0m \xff\xfe end\n"
    assert encode_log(raw.decode("utf-8", "surrogateescape")) == raw
    assert encode_log("lone \ud800") == b"lone ?"


async def test_duplicate_file_names_get_a_suffix(tmp_path: Path) -> None:
    class Fake:
        async def get_host_logs(self, job: int, step: int, hosts: list[HostRef]) -> list[HostLog]:
            return [HostLog(ref, LogKind.SCRIPT, f"log of {ref.host_id}") for ref in hosts]

    refs = [HostRef(1, 0, "10.0.0.1"), HostRef(2, 0, "10.0.0.1"), HostRef(3, 0, None)]
    result = await save_step_logs(Fake(), 1, 2, refs, tmp_path, chunk=2)  # type: ignore[arg-type]
    names = sorted(p.name for p in result.files)
    assert names == ["0_10.0.0.1-2.log", "0_10.0.0.1.log", "0_host-3.log"]
    assert not list(result.directory.glob("*.part"))
