"""What a newcomer trips on (issue 15), tried in a real terminal (tmux) at the real cadence."""

from __future__ import annotations

import shutil

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
