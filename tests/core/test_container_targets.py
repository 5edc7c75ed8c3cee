"""Container targets in the pure layers: keys, names, sorting, search, copy, file names."""

from __future__ import annotations

from jobtui.api.models import ContainerRef, HostRef, HostResult, ResultGroup, TargetKind
from jobtui.core.export import log_filename
from jobtui.core.groups import SortKey, copy_ips, find_host, sort_hosts
from jobtui.core.summary import target_kinds

POD = ContainerRef(
    cmdb_id=70001,
    container_id="containerd://3f2a9c11aa22bb33cc44dd55ee66ff77",
    name="web-7d9f8-xk2p",
    node_host_id=1901,
)


def _result(ref: HostRef) -> HostResult:
    return HostResult(ref=ref, status=9)


def test_a_container_has_its_own_key_kind_and_name() -> None:
    ref = HostRef(container=POD)
    assert ref.kind is TargetKind.CONTAINER and ref.key == "k:70001"
    assert ref.display == "web-7d9f8-xk2p"
    assert (
        HostRef(container=ContainerRef(cmdb_id=5, container_id="docker://abcdef0123456789")).display
        == "abcdef012345"
    )
    assert HostRef(container=ContainerRef(cmdb_id=5)).display == "container 5"
    assert HostRef(host_id=70001).key != ref.key  # a host id never names a container
    assert HostRef(host_id=1, ip="10.0.0.1").kind is TargetKind.HOST


def test_file_names_by_kind_never_collide() -> None:
    assert log_filename(HostRef(container=POD)) == "container_web-7d9f8-xk2p_70001.log"
    evil = HostRef(container=ContainerRef(cmdb_id=9, name="../../etc/passwd"))
    name = log_filename(evil)
    assert "/" not in name and not name.startswith(".")
    assert log_filename(HostRef(host_id=1, cloud_id=0, ip="10.0.0.1")) == "0_10.0.0.1.log"


def test_sort_search_and_copy_mixed_targets() -> None:
    hosts = [
        _result(HostRef(container=POD)),
        _result(HostRef(host_id=2, cloud_id=0, ip="10.0.0.2")),
        _result(HostRef(host_id=1, cloud_id=0, ip="10.0.0.1")),
    ]
    ordered = sort_hosts(hosts, SortKey.IP, reverse=False)
    assert [h.ref.display for h in ordered] == ["10.0.0.1", "10.0.0.2", "web-7d9f8-xk2p"]
    group = ResultGroup(status=9, tag="", host_count=3, hosts=tuple(hosts))
    assert find_host([group], "xk2p") == (group.key, "k:70001")
    assert find_host([group], "3f2a9c") == (group.key, "k:70001")
    assert copy_ips(hosts, "ip").splitlines() == ["web-7d9f8-xk2p", "10.0.0.2", "10.0.0.1"]
    assert copy_ips(hosts, "cloud:ip").splitlines() == [
        "3f2a9c11aa22bb33cc44dd55ee66ff77",
        "0:10.0.0.2",
        "0:10.0.0.1",
    ]
    assert target_kinds(hosts) == {"host": 2, "container": 1}
