"""What a newcomer trips on (issue 15), tried in a real terminal (tmux) at the real cadence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.tmuxrig import jobtui_in_tmux, screen, tmux, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_a_filter_typed_in_one_burst_after_slash_reaches_the_filter_whole() -> None:
    """``send-keys '/Database'`` in one call: `t` and `s` are list keys (window, status)
    and once went there or were lost because `/` was acted on after they were handed on."""
    with jobtui_in_tmux("demo", size=(80, 24)) as session:
        assert wait_for(lambda: "Steps" in screen(session), 30), screen(session)
        tmux("send-keys", "-t", session, "Escape")
        assert wait_for(lambda: "Database backup" in screen(session), 15), screen(session)
        tmux("send-keys", "-t", session, "/Database")
        assert wait_for(lambda: 'filter: "Database"' in screen(session), 10), screen(session)
        text = screen(session)
        assert "Deploy app" not in text  # the list is filtered
        assert "since: 1d" in text and "status:" not in text  # `t`, `s` did not act
        assert "Wall" not in text.splitlines()[0]


def test_an_ip_typed_in_one_burst_with_slash_reaches_the_monitors_search() -> None:
    """The monitor's `/` opens a search box: ``send-keys '/10.1'`` fills it whole."""
    with jobtui_in_tmux("demo", size=(80, 24)) as session:
        assert wait_for(lambda: "hosts " in screen(session), 30), screen(session)
        tmux("send-keys", "-t", session, "/10.1")
        assert wait_for(lambda: "Search hosts by IP" in screen(session), 10), screen(session)
        tmux("send-keys", "-t", session, "Enter")
        assert wait_for(lambda: "ip=10.1" in screen(session), 10), screen(session)


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (120, 40)])
def test_the_header_shows_a_50000_host_count_whole_at_every_size(size: tuple[int, int]) -> None:
    """The scale demo (50,000 hosts a step), paused so the PAUSED badge needs room too."""
    import re

    count = re.compile(r"hosts \d{1,2},\d{3}/50,000")
    with jobtui_in_tmux("demo", "--scenario", "scale", size=size) as session:

        def line2() -> str:
            lines = screen(session).splitlines()
            return lines[1] if len(lines) > 1 else ""

        assert wait_for(lambda: bool(count.search(line2())), 40), screen(session)
        tmux("send-keys", "-t", session, "p")
        assert wait_for(lambda: "PAUSED" in line2(), 10), screen(session)
        text = line2()
        assert count.search(text) and "…" not in text, text
        assert len(text.rstrip()) <= size[0]


def test_a_long_toast_wraps_clear_of_the_log_and_m_shows_it_whole(tmp_path: Path) -> None:
    """`L` saves every log of the step under a long directory: the toast names it, cut to
    a few lines at the top right, and `m` lists it whole."""
    deep = tmp_path / ("a-rather-long-directory-name-" * 3) / "for-the-saved-logs"
    with jobtui_in_tmux("demo", "--save-dir", str(deep), size=(80, 24)) as session:
        assert wait_for(lambda: "Steps" in screen(session), 30), screen(session)
        assert wait_for(lambda: "hosts " in screen(session), 30), screen(session)
        tmux("send-keys", "-t", session, "L")
        assert wait_for(lambda: "Saved " in screen(session), 20), screen(session)
        lines = screen(session).splitlines()
        rows = [i for i, line in enumerate(lines) if "▌" in line]
        assert rows and min(rows) >= 2 and max(rows) <= 8, lines  # under the header, top
        assert all("▌" not in line for line in lines[-5:]), lines  # log's last lines, key bar
        assert any("(m: in full)" in line for line in lines), lines
        tmux("send-keys", "-t", session, "m")
        assert wait_for(lambda: "Notices" in screen(session), 10), screen(session)
        shown = "".join(
            line.strip("│ ").strip() for line in screen(session).splitlines() if "│" in line
        )
        assert "for-the-saved-logs" in shown.replace(" ", ""), screen(session)
