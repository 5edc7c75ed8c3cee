"""LogBuffer: append-only by suffix, bounded, searchable."""

from __future__ import annotations

import pytest

from jobtui.core import logbuffer
from jobtui.core.logbuffer import LogBuffer, LogDelta


def lines(buf: LogBuffer) -> list[str]:
    return [buf.full(i) for i in range(len(buf))]


def test_first_update_is_a_reset() -> None:
    buf = LogBuffer()
    assert buf.update("a\nb\n") == LogDelta(True, 2, 0)
    assert lines(buf) == ["a", "b"]
    assert not buf.partial


def test_growth_appends_only_the_suffix() -> None:
    buf = LogBuffer()
    buf.update("a\nb\n")
    assert buf.update("a\nb\nc\nd\n") == LogDelta(False, 2, 2)
    assert lines(buf) == ["a", "b", "c", "d"]


def test_same_content_changes_nothing() -> None:
    buf = LogBuffer()
    buf.update("a\nb\n")
    assert buf.update("a\nb\n") == LogDelta(False, 0, 2)


def test_partial_last_line_grows_in_place() -> None:
    buf = LogBuffer()
    buf.update("a\nhal")
    assert buf.partial
    delta = buf.update("a\nhalf done\nnext")
    assert delta == LogDelta(False, 1, 1)
    assert lines(buf) == ["a", "half done", "next"]


def test_partial_line_growing_without_newline_is_not_new() -> None:
    buf = LogBuffer()
    buf.update("abc")
    assert buf.update("abcdef") == LogDelta(False, 0, 0)
    assert lines(buf) == ["abcdef"]


def test_changed_prefix_reloads() -> None:
    buf = LogBuffer()
    buf.update("old 1\nold 2\n")
    delta = buf.update("new 1\nold 2\nmore\n")
    assert delta.reset
    assert lines(buf) == ["new 1", "old 2", "more"]


def test_shorter_content_reloads() -> None:
    buf = LogBuffer()
    buf.update("a\nb\nc\n")
    delta = buf.update("a\n")
    assert delta.reset
    assert lines(buf) == ["a"]


def test_changed_tail_window_reloads() -> None:
    buf = LogBuffer()
    buf.update("x" * 1000 + "end\n")
    assert buf.update("x" * 1000 + "END\nmore\n").reset


def test_empty_content_after_log_reloads() -> None:
    buf = LogBuffer()
    buf.update("a\n")
    assert buf.update("").reset
    assert len(buf) == 0


def test_carriage_returns() -> None:
    buf = LogBuffer()
    buf.update("dos line\r\nprogress 10%\rprogress 90%\rprogress 100%\n")
    assert lines(buf) == ["dos line", "progress 100%"]


def test_cap_drops_oldest_lines() -> None:
    buf = LogBuffer(max_lines=3)
    buf.update("1\n2\n")
    delta = buf.update("1\n2\n3\n4\n5\n")
    assert lines(buf) == ["3", "4", "5"]
    assert buf.dropped == 2
    assert delta.dropped == 2
    assert delta.new_lines == 3
    buf.update("1\n2\n3\n4\n5\n6\n")
    assert lines(buf) == ["4", "5", "6"]
    assert buf.dropped == 3


def test_long_lines_are_stored_whole_and_shown_cut() -> None:
    buf = LogBuffer(max_line_len=10)
    buf.update("y" * 25 + "\nshort\n")
    assert buf.full(0) == "y" * 25
    assert buf.is_cut(0)
    assert buf.display(0) == "y" * 10 + " ... [+15 chars, press enter to expand]"
    assert buf.display(1) == "short"
    assert buf.max_width == len(buf.display(0))


def test_find_forward_backward_and_wrap() -> None:
    buf = LogBuffer()
    buf.update("alpha\nERROR one\nbeta\nan error two\n")
    assert buf.find("error", 0) == (1, 0)
    assert buf.find("error", 2) == (3, 3)
    assert buf.find("error", 4) == (1, 0)
    assert buf.find("error", -1, backwards=True) == (3, 3)
    assert buf.find("ERROR", 0, backwards=True) == (3, 3)
    assert buf.find("error", 2, backwards=True) == (1, 0)
    assert buf.find("missing", 0) is None
    assert buf.find("", 0) is None


def test_find_ignores_colour_codes() -> None:
    buf = LogBuffer()
    buf.update("\x1b[31mfail\x1b[0med here\n")
    assert buf.find("failed", 0) == (0, 0)
    assert buf.matches_in(0, "HERE") == [(7, 11)]


def test_matches_in_and_count() -> None:
    buf = LogBuffer()
    buf.update("ab ab\nxx\nAB\n")
    assert buf.matches_in(0, "ab") == [(0, 2), (3, 5)]
    assert buf.count_matches("ab") == 3
    assert buf.count_matches("ab", 1) == 1
    assert buf.count_matches("ab", 0, 1) == 2


def test_regex_characters_are_literal() -> None:
    buf = LogBuffer()
    buf.update("a.b\naxb\n")
    assert buf.find("a.b", 1) == (0, 0)


@pytest.mark.parametrize("chunks", [["a\nb", "\nc\n"], ["", "a\n"], ["a", "b", "c\n", "d"]])
def test_incremental_equals_one_shot(chunks: list[str]) -> None:
    buf, content = LogBuffer(), ""
    for chunk in chunks:
        content += chunk
        buf.update(content)
    fresh = LogBuffer()
    fresh.update(content)
    assert lines(buf) == lines(fresh)


def test_appending_to_a_big_log_touches_only_new_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Micro-check of the O(new) promise: count what is processed, not time."""
    buf = LogBuffer()
    content = "".join(f"line {i} " + "x" * 40 + "\r\n" for i in range(100_000))  # ~5 MB
    buf.update(content)
    calls, seen = 0, []
    real_clean, real_append = logbuffer._clean, LogBuffer._append

    def counting(raw: str) -> str:
        nonlocal calls
        calls += 1
        return real_clean(raw)

    def appending(self: LogBuffer, suffix: str) -> LogDelta:
        seen.append(len(suffix))
        return real_append(self, suffix)

    monkeypatch.setattr(logbuffer, "_clean", counting)
    monkeypatch.setattr(LogBuffer, "_append", appending)
    added = "".join(f"new {i}\r\n" for i in range(10))
    delta = buf.update(content + added)
    assert delta == LogDelta(False, 10, 100_000)
    assert calls == 10  # carriage returns: each new line cleaned, no old one
    assert seen == [len(added)]
    plain = LogBuffer()
    plain.update(content.replace("\r", ""))
    seen.clear()
    assert plain.update(content.replace("\r", "") + "one more\n").new_lines == 1
    assert seen == [len("one more\n")]  # the fast path (no carriage return) too


def _naive_count(buf: LogBuffer, query: str, start: int = 0, end: int | None = None) -> int:
    stop = len(buf) if end is None else end
    return sum(buf.plain(i).lower().count(query.lower()) for i in range(start, stop))


def big_log(n: int = 300) -> str:
    """A log past the per-line threshold: every 7th line an error, some coloured, a tab."""
    rows = []
    for i in range(n):
        if i % 7 == 3:
            rows.append(f"\x1b[31mERROR\x1b[0m\tat {i} error")
        else:
            rows.append(f"line {i} ok")
    return "\n".join(rows) + "\n"


def test_whole_log_search_matches_the_per_line_reference() -> None:
    buf = LogBuffer()
    buf.update(big_log())
    assert buf.count_matches("error") == _naive_count(buf, "error") == 2 * len(range(3, 300, 7))
    assert buf.count_matches("error", 10, 200) == _naive_count(buf, "error", 10, 200)
    # The column is in the shown text: colour codes gone, the tab expanded.
    assert buf.find("at 3 ", 0) == (3, buf.plain(3).index("at 3 "))
    assert buf.find("error", 4) == (10, 0)
    assert buf.find("error", 298) == (3, 0)  # wraps to the top
    assert buf.find("ERROR", 9, backwards=True) == (3, 0)  # the line's first match
    assert buf.find("error", 2, backwards=True) == (297, 0)  # wraps to the bottom
    assert buf.find("missing", 0) is None


def test_whole_log_search_sees_appended_and_grown_lines() -> None:
    buf = LogBuffer()
    text = big_log()
    buf.update(text)
    before = buf.count_matches("needle")
    buf.update(text + "a nee")
    assert buf.count_matches("needle") == before == 0
    buf.update(text + "a needle\nneedle again\n")
    assert buf.count_matches("needle") == 2
    assert buf.find("needle", 0) == (300, 2)


def test_whole_log_search_after_a_reload() -> None:
    buf = LogBuffer()
    buf.update(big_log())
    assert buf.count_matches("ok") > 0
    buf.update("fresh\n" * 100)
    assert buf.count_matches("ok") == 0
    assert buf.count_matches("fresh") == 100


def test_search_falls_back_when_lowercase_changes_length() -> None:
    buf = LogBuffer()
    buf.update("\u0130stanbul error\n" + big_log())  # "İ".lower() is two code points
    assert buf.find("error", 0) == (0, 9)
    assert buf.count_matches("error") == _naive_count(buf, "error")


def test_not_plain_marks_exactly_the_characters_the_display_rewrites() -> None:
    from jobtui.core.ansi import parse_line

    for code in range(0x10000):
        char = chr(code)
        if char == "\n":
            continue
        rewritten = parse_line(f"a{char}b").text != f"a{char}b"
        assert bool(logbuffer._NOT_PLAIN.search(char)) == rewritten, hex(code)


def test_the_cut_marker_is_plain_ascii_for_every_terminal() -> None:
    from jobtui.core.logbuffer import LogBuffer

    assert LogBuffer.cut_marker(1).isascii() and "1 char," in LogBuffer.cut_marker(1)
    assert "+12,345 chars" in LogBuffer.cut_marker(12_345)
