"""Unit tests of the pure result-group logic: ordering, sorting, keys, diffs, N of M."""

from __future__ import annotations

from jobtui.api.models import HostRef, HostResult, ResultGroup
from jobtui.core.groups import (
    TAG_SHOWN,
    SortKey,
    copy_ips,
    counts_only,
    diff_hosts,
    find_host,
    first_host,
    format_elapsed,
    group_word,
    n_of_m,
    order_groups,
    sort_hosts,
    tag_text,
)


def host(
    ip: str | None,
    *,
    host_id: int | None = None,
    cloud: int | None = 0,
    ipv6: str | None = None,
    status: int = 9,
    exit_code: int | None = 0,
    secs: float | None = 1.0,
) -> HostResult:
    ref = HostRef(host_id=host_id, cloud_id=cloud, ip=ip, ipv6=ipv6)
    return HostResult(ref=ref, status=status, exit_code=exit_code, total_seconds=secs)


def ips(hosts: tuple[HostResult, ...]) -> list[str | None]:
    return [h.ref.ip for h in hosts]


def test_groups_failed_first_then_status_then_tag() -> None:
    ok = ResultGroup(status=9, tag="", host_count=1)
    bad_b = ResultGroup(status=104, tag="b", host_count=1)
    bad_a = ResultGroup(status=104, tag="a", host_count=1)
    running = ResultGroup(status=7, tag="", host_count=1)
    waiting = ResultGroup(status=5, tag="", host_count=1)
    ordered = order_groups([ok, running, bad_b, waiting, bad_a])
    assert [g.key for g in ordered] == [(104, "a"), (104, "b"), (7, ""), (5, ""), (9, "")]


def test_sort_by_ip_is_numeric_not_lexical() -> None:
    hosts = [host("10.0.0.10"), host("10.0.0.9"), host("9.0.0.1")]
    assert ips(sort_hosts(hosts, SortKey.IP)) == ["9.0.0.1", "10.0.0.9", "10.0.0.10"]
    assert ips(sort_hosts(hosts, SortKey.IP, reverse=True)) == [
        "10.0.0.10",
        "10.0.0.9",
        "9.0.0.1",
    ]


def test_sort_ipv6_only_hosts_after_ipv4() -> None:
    v6 = host(None, ipv6="::1")
    v4 = host("10.0.0.1")
    assert sort_hosts([v6, v4], SortKey.IP) == (v4, v6)


def test_sort_by_elapsed_slowest_first_ties_by_ip() -> None:
    a = host("10.0.0.2", secs=5.0)
    b = host("10.0.0.1", secs=5.0)
    c = host("10.0.0.3", secs=9.0)
    unknown = host("10.0.0.0", secs=None)
    assert sort_hosts([a, b, c, unknown], SortKey.ELAPSED) == (c, b, a, unknown)
    assert sort_hosts([a, b, c, unknown], SortKey.ELAPSED, reverse=True) == (unknown, b, a, c)


def test_sort_by_exit_code_worst_first_and_stable_on_input_order() -> None:
    hosts = [host("10.0.0.2", exit_code=1), host("10.0.0.1", exit_code=1), host("10.0.0.3")]
    first = sort_hosts(hosts, SortKey.EXIT_CODE)
    again = sort_hosts(list(reversed(hosts)), SortKey.EXIT_CODE)
    assert ips(first) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert first == again


def test_sort_key_cycles() -> None:
    assert SortKey.ELAPSED.next() is SortKey.EXIT_CODE
    assert SortKey.EXIT_CODE.next() is SortKey.IP
    assert SortKey.IP.next() is SortKey.ELAPSED


def test_host_key_prefers_host_id_else_cloud_and_ip() -> None:
    assert host("10.0.0.1", host_id=7).key == "h:7"
    assert host("10.0.0.1", cloud=3).key == "c3:10.0.0.1"
    assert host(None, cloud=None, ipv6="fe80::1").key == "c?:fe80::1"


def test_diff_hosts_by_key() -> None:
    a, b, c = host("10.0.0.1"), host("10.0.0.2"), host("10.0.0.3")
    b2 = host("10.0.0.2", status=11, exit_code=2)
    diff = diff_hosts([a, b], [b2, c])
    assert diff.added == (c.key,)
    assert diff.removed == (a.key,)
    assert diff.changed == (b.key,)
    assert not diff.empty
    assert diff_hosts([a, b], [b, a]).empty


def test_n_of_m_only_for_incomplete_groups() -> None:
    hosts = tuple(host(f"10.0.0.{i}") for i in range(50))
    assert n_of_m(ResultGroup(9, "", 1200, hosts)) == "50 of 1,200"
    assert n_of_m(ResultGroup(9, "", 50, hosts)) == ""
    assert n_of_m(None) == ""


def test_counts_only_group() -> None:
    assert counts_only(ResultGroup(9, "", 3))
    assert not counts_only(ResultGroup(9, "", 0))
    assert not counts_only(ResultGroup(9, "", 1, (host("10.0.0.1"),)))


def test_group_word_catalog_then_server_text() -> None:
    assert group_word(ResultGroup(104, "", 1, status_desc="脚本返回值非零")) == "Non-zero Exit Code"
    assert group_word(ResultGroup(777, "", 1, status_desc="Brand new")) == "Brand new"
    assert group_word(ResultGroup(777, "", 1)) == "unknown (777)"


def test_tag_text_cuts_and_flags_the_256_limit() -> None:
    assert tag_text("v1.2 deployed") == ("v1.2 deployed", False)
    shown, at_limit = tag_text("x" * 256)
    assert at_limit and len(shown) == TAG_SHOWN and shown.endswith("…")
    assert tag_text("x" * 100)[1] is False


def test_find_host_by_ip_or_ipv6_substring() -> None:
    g1 = ResultGroup(9, "", 1, (host("10.0.0.1"),))
    g2 = ResultGroup(104, "", 2, (host("10.0.0.2"), host(None, ipv6="FE80::abcd")))
    assert find_host([g1, g2], "0.0.2") == ((104, ""), "c0:10.0.0.2")
    assert find_host([g1, g2], "fe80::ab") == ((104, ""), "c0:FE80::abcd")
    assert find_host([g1, g2], "192.") is None
    assert find_host([g1, g2], "  ") is None


def test_copy_ips_formats() -> None:
    hosts = [host("10.0.0.1", cloud=2), host(None, cloud=None, ipv6="::1"), host(None)]
    assert copy_ips(hosts, "ip") == "10.0.0.1\n::1"
    assert copy_ips(hosts, "cloud:ip") == "2:10.0.0.1\n0:::1"


def test_format_elapsed() -> None:
    assert format_elapsed(None) == "-"
    assert format_elapsed(1.25) == "1.2"
    assert format_elapsed(12345.6) == "12346"


def test_first_host_is_the_kept_group_else_the_first_then_table_order() -> None:
    ok = ResultGroup(
        status=9, tag="", host_count=2, hosts=(host("10.0.0.9", secs=1), host("10.0.0.2", secs=5))
    )
    bad = ResultGroup(status=104, tag="", host_count=1, hosts=(host("10.0.0.7", status=104),))
    groups = [ok, bad]
    assert first_host(groups, None, SortKey.ELAPSED) is bad.hosts[0]  # failed first
    assert first_host(groups, (9, ""), SortKey.ELAPSED) is ok.hosts[1]  # slowest first
    assert first_host(groups, (9, ""), SortKey.IP, reverse=True) is ok.hosts[0]
    assert first_host(groups, (5, "gone"), SortKey.IP) is bad.hosts[0]
    assert first_host([ResultGroup(status=9, tag="", host_count=3)], None, SortKey.IP) is None
    assert first_host([], None, SortKey.IP) is None
