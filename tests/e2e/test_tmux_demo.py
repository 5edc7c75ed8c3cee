"""`jobtui demo` in a real terminal (tmux): the panes fill with data and `q` quits."""

from __future__ import annotations

import pytest

from tests.support.tmux import jobtui_in_tmux, needs_tmux, quits, screen, shows, wait_for

pytestmark = needs_tmux


@pytest.mark.parametrize("compat", ["on", "off"])  # off: stock Textual only (tui/compat)
def test_demo_shows_data_and_quits(compat: str) -> None:
    with jobtui_in_tmux("demo", env={"JOBTUI_TEXTUAL_COMPAT": compat}) as session:
        assert wait_for(shows(session, "Deploy", "Steps"), 30), screen(session)
        assert wait_for(shows(session, "step ", "10."), 30), screen(session)
        text = screen(session)
        assert "Results" in text and "Log" in text
        assert quits(session), screen(session)
