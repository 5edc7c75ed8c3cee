"""What a newcomer trips on (issue 15), tried in a real terminal (tmux) at the real cadence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.tmux import (
    jobtui_in_tmux,
    keys,
    needs_tmux,
    screen,
    shows,
    wait_for,
    wait_for_screen,
)

pytestmark = needs_tmux


def test_a_filter_typed_in_one_burst_after_slash_reaches_the_filter_whole() -> None:
    """``send-keys '/Database'`` in one call: `t` and `s` are list keys (window, status)
    and once went there or were lost because `/` was acted on after they were handed on."""
    with jobtui_in_tmux("demo", size=(80, 24)) as session:
        assert wait_for(shows(session, "Steps"), 30), screen(session)
        keys(session, "Escape")
        assert wait_for(shows(session, "Database backup"), 15), screen(session)
        keys(session, "/Database")
        assert wait_for(shows(session, 'filter: "Database"'), 10), screen(session)
        text = screen(session)
        assert "Deploy app" not in text  # the list is filtered
        assert "since: 24h" in text and "status:" not in text  # `t`, `s` did not act
        assert "Wall" not in text.splitlines()[0]


def test_an_ip_typed_in_one_burst_with_slash_reaches_the_monitors_search() -> None:
    """The monitor's `/` opens a search box: ``send-keys '/10.1'`` fills it whole."""
    with jobtui_in_tmux("demo", size=(80, 24)) as session:
        assert wait_for(shows(session, "hosts "), 30), screen(session)
        keys(session, "/10.1")
        assert wait_for(shows(session, "Search hosts by IP"), 10), screen(session)
        keys(session, "Enter")
        assert wait_for(shows(session, "ip=10.1"), 10), screen(session)


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (120, 40)])
def test_the_header_shows_a_50000_host_count_whole_at_every_size(size: tuple[int, int]) -> None:
    """The scale demo (50,000 hosts a step), paused so the PAUSED badge needs room too."""
    count = re.compile(r"hosts \d{1,2},\d{3}/50,000")
    with jobtui_in_tmux("demo", "--scenario", "scale", size=size) as session:

        def line2() -> str:
            lines = screen(session).splitlines()
            return lines[1] if len(lines) > 1 else ""

        assert wait_for(lambda: bool(count.search(line2())), 40), screen(session)
        keys(session, "p")
        assert wait_for(lambda: "PAUSED" in line2(), 10), screen(session)
        text = line2()
        assert count.search(text) and "…" not in text, text
        assert len(text.rstrip()) <= size[0]


def test_a_long_toast_wraps_clear_of_the_log_and_m_shows_it_whole(tmp_path: Path) -> None:
    """`L` saves every log of the step under a long directory: the toast names it, cut to
    a few lines at the top right, and `m` lists it whole."""
    deep = tmp_path / ("a-rather-long-directory-name-" * 3) / "for-the-saved-logs"
    with jobtui_in_tmux("demo", "--save-dir", str(deep), size=(80, 24)) as session:
        assert wait_for(shows(session, "Steps"), 30), screen(session)
        assert wait_for(shows(session, "hosts "), 30), screen(session)
        keys(session, "L")
        saved = wait_for_screen(session, "Saved ", timeout=20)  # the screen with the toast
        assert saved is not None, screen(session)
        lines = saved.splitlines()
        rows = [i for i, line in enumerate(lines) if "▌" in line]
        assert rows and min(rows) >= 2 and max(rows) <= 8, lines  # under the header, top
        assert all("▌" not in line for line in lines[-5:]), lines  # log's last lines, key bar
        assert any("(m: in full)" in line for line in lines), lines
        keys(session, "m")
        assert wait_for(shows(session, "Notices"), 10), screen(session)
        shown = "".join(
            line.strip("│ ").strip() for line in screen(session).splitlines() if "│" in line
        )
        assert "for-the-saved-logs" in shown.replace(" ", ""), screen(session)
