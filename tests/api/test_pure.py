"""Pure helpers: time/duration conversion, file-log lines, text safety, retry policy."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from jobtui.api import errors as E
from jobtui.api.convert import load_zone, ms_to_datetime, ms_to_seconds, v2_time
from jobtui.api.filelog import parse_file_log
from jobtui.api.retry import backoff_delay, should_retry
from jobtui.api.text import one_line, safe_line

SH = load_zone("Asia/Shanghai")


def test_v2_times_with_and_without_offset() -> None:
    assert v2_time("2018-03-15 12:56:35", SH) == datetime(
        2018, 3, 15, 12, 56, 35, tzinfo=timezone(timedelta(hours=8))
    )
    assert v2_time("2018-03-15 12:56:35 +0800", SH) == datetime(2018, 3, 15, 4, 56, 35, tzinfo=UTC)
    assert v2_time("2018-03-15 12:56:35 -0130", SH) == datetime(2018, 3, 15, 14, 26, 35, tzinfo=UTC)
    assert v2_time(None, SH) is None and v2_time("", SH) is None
    assert v2_time("yesterday", SH) is None


def test_v3_epoch_ms_and_durations() -> None:
    assert ms_to_datetime(1605064271000) == datetime(2020, 11, 11, 3, 11, 11, tzinfo=UTC)
    assert ms_to_datetime(None) is None and ms_to_datetime(0) is None
    assert ms_to_datetime(1e20) is None
    assert ms_to_seconds(1500) == 1.5 and ms_to_seconds(None) is None


def test_load_zone_rejects_unknown() -> None:
    with pytest.raises(E.ConfigError, match="unknown time zone 'Nowhere/Else'"):
        load_zone("Nowhere/Else")


def test_file_log_newest_line_wins() -> None:
    text = (
        "[2024-05-01 10:00:00] FileName: /a b.txt FileSize: 2.0 MB State: downloading "
        "Speed: 1 MB/s Progress: 50% StatusDesc: running\n"
        "[2024-05-01 10:00:02] FileName: /a b.txt FileSize: 2.0 MB State: download success "
        "Speed: 2 MB/s Progress: 100% StatusDesc: ok Detail: done\n"
    )
    facts = parse_file_log(text)
    assert (facts.name, facts.size, facts.state, facts.speed, facts.progress) == (
        "/a b.txt",
        "2.0 MB",
        "download success",
        "2 MB/s",
        "100%",
    )
    empty = parse_file_log("no structured lines here")
    assert (empty.size, empty.progress) == (None, None)


def test_text_safety() -> None:
    assert safe_line("plain 名字") == "plain 名字"
    assert safe_line("a\x1b[2Jb\x1b]8;;http://x\x07c\x00d\ne") == "abcd e"
    assert one_line("x" * 500).endswith("…") and len(one_line("x" * 500)) == 300


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (E.ConnectError("x"), True),
        (E.RequestTimeout("x"), True),
        (E.HttpStatusError("x", status_code=503), True),
        (E.HttpStatusError("x", status_code=400), False),
        (E.GatewayError("x", status_code=504), True),
        (E.RateLimited("x", status_code=429), True),
        (E.BadResponseError("x"), True),
        (E.BkJobError("x", code=1240002), True),
        (E.BkJobError("x", code=1259999), False),
        (E.GatewayAuthError("x", status_code=400), False),
        (E.GatewayForbidden("x", status_code=403), False),
        (E.GatewayNotFound("x", status_code=404), False),
        (E.NotFoundError("x", code=1244006), False),
        (E.InvalidParameter("x", code=1240003), False),
        (E.PermissionDenied("x", code=9900403), False),
        (E.NotLoggedIn("x", code=1247001), False),
    ],
)
def test_should_retry(error: E.ApiError, retry: bool) -> None:
    assert should_retry(error) is retry


def test_backoff_is_capped_exponential_with_jitter() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, None, rng=rng) for n in range(1, 9)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(2.0 ** (n - 1), 30.0)
        assert 0.75 * ceiling <= delay <= ceiling
    assert backoff_delay(100, None, rng=rng) <= 30.0
    fixed = random.Random(1)
    assert backoff_delay(3, None, base=0.5, cap=10, rng=fixed) == pytest.approx(
        2.0 * (1 - random.Random(1).random() * 0.25)
    )


def test_backoff_honours_retry_after() -> None:
    limited = E.RateLimited("x", retry_after=12.0)
    assert backoff_delay(1, limited) == 12.0
    assert backoff_delay(1, E.RateLimited("x", retry_after=900.0)) == 30.0
    assert backoff_delay(1, E.RateLimited("x", retry_after=-3.0)) == 0.0


def test_fast_constructor_builds_the_same_frozen_instance() -> None:
    import dataclasses

    from jobtui.api.fastbuild import fast_constructor
    from jobtui.api.models import HostRef, HostResult, Step

    make = fast_constructor(HostResult)
    args = (HostRef(1, 0, "10.0.0.1"), 9, "ok", "t", 0, None, "area", "agent", None, None, 1.5, 2)
    built = make(*args)
    assert built == HostResult(*args) and hash(built.ref) == hash(HostRef(1, 0, "10.0.0.1"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.status = 3  # type: ignore[misc]
    assert fast_constructor(HostRef)(5) == HostRef(5)  # defaults honoured
    assert fast_constructor(Step) is not Step  # tuple default is a plain default
