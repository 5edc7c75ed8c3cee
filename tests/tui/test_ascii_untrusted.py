"""ASCII mode and untrusted text: a name or tag with a newline or a control stays ASCII.

The simulator's hostile scenario names its demo job and its deploy step with
sequences, controls and a newline, and tags hosts the same way: the header, the
tree, the group tabs, the job list and the wall's cards all show them.
"""

from __future__ import annotations

import pytest

from jobtui.core import sanitize
from jobtui.core.sanitize import safe_text, visible
from jobtui.tui.screens.wall import WallScreen
from tests.support.monitor_rig import make_rig, refresh, screen_text, settle
from tests.support.wall_rig import make_app, sim_rig


def _non_ascii(lines: list[str]) -> dict[str, str]:
    """Each non-ASCII character seen, with the first line it is on.

    The hostile log's "mojibake" line is left out: its accented letters and
    U+FFFD are the log's own text, which jobtui shows as it is, not a mark.
    """
    found: dict[str, str] = {}
    for line in lines:
        if "mojibake" in line:
            continue
        for char in line:
            if ord(char) > 126:
                found.setdefault(char, line)
    return found


@pytest.fixture
def ascii_marks() -> object:
    sanitize.use_ascii(True)
    yield
    sanitize.use_ascii(False)


@pytest.mark.usefixtures("ascii_marks")
def test_ascii_marks_spell_out_newlines_controls_and_the_cut() -> None:
    assert safe_text("deploy\nprod") == "deploy \\n prod"
    assert safe_text("a\x07b\x00c\x7fd") == "a\\x07b\\x00c\\x7fd"
    assert safe_text("x" * 20, max_len=8) == "x" * 7 + "~"
    assert visible("lone \ud800 surrogate") == "lone \\ud800 surrogate"
    assert visible("byte \udcff kept") == "byte \\xff kept"
    assert safe_text("line\u2028sep\u202e").isascii()


def test_unicode_marks_are_the_default_and_come_back() -> None:
    sanitize.use_ascii(True)
    sanitize.use_ascii(False)
    assert safe_text("deploy\nprod\x07") == "deploy ⏎ prod␇"
    assert safe_text("deploy\nprod", max_len=12) == "deploy ⏎ pr…"


async def test_ascii_monitor_shows_a_hostile_job_step_and_tags_in_ascii() -> None:
    rig = make_rig(scenario="hostile", advance=60, ascii_only=True)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        await pilot.press("up", "up")  # from the confirmation to the hostile deploy step
        await settle(pilot)
        lines = screen_text(rig.app)
        text = "\n".join(lines)
        assert "rm -rf / \\n then reboot" in text, text  # header and tree, spelt out
        assert _non_ascii(lines) == {}
        seen = []
        await pilot.press("tab")  # to the results pane
        for _ in range(4):  # the tag tabs, one group after another
            await pilot.press("right_square_bracket")
            await pilot.pause()
            lines = screen_text(rig.app)
            seen.append("\n".join(lines))
            assert _non_ascii(lines) == {}
        assert any("paste \\n second line" in text for text in seen), seen[-1]
    assert safe_text("a\nb") == "a ⏎ b"  # put back when the app ends


async def test_ascii_job_list_and_wall_show_a_hostile_name_in_ascii() -> None:
    rig = sim_rig(advance=60, scenario="hostile")
    app = make_app(rig, ascii_only=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        lines = screen_text(app)
        assert any("rm -rf / \\n then" in line for line in lines), lines
        assert _non_ascii(lines) == {}
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WallScreen)
        lines = screen_text(app)
        assert any("rm -rf / \\n then" in line for line in lines), lines
        assert _non_ascii(lines) == {}
