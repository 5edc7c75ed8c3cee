"""ASCII mode (--ascii, TERM=linux), NO_COLOR and closing the client on exit."""

from __future__ import annotations

import pytest
from textual.scrollbar import ScrollBar

from jobtui.core.options import WatchOptions
from jobtui.tui.app import MonitorApp, for_terminal
from jobtui.tui.base_app import ASCII_THEME
from jobtui.tui.compat.scrollbars import AsciiScrollBarRender
from tests.support.fakes import FakeApi
from tests.support.monitor_rig import make_rig, refresh, screen_text, settle


def _non_ascii(lines: list[str]) -> dict[str, str]:
    """Each non-ASCII character seen, with the first line it is on."""
    found: dict[str, str] = {}
    for line in lines:
        for char in line:
            if ord(char) > 126:
                found.setdefault(char, line)
    return found


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
@pytest.mark.parametrize("advance", [20, 30, 55])  # failed step, running, waiting for a person
async def test_ascii_mode_draws_only_ascii(size: tuple[int, int], advance: float) -> None:
    rig = make_rig(advance=advance, ascii_only=True)
    async with rig.app.run_test(size=size) as pilot:
        await settle(pilot)
        await refresh(pilot)
        await pilot.press("p")  # the PAUSED badge too
        await pilot.pause()
        assert _non_ascii(screen_text(rig.app)) == {}
        assert rig.app.theme == ASCII_THEME
        assert ScrollBar.renderer is AsciiScrollBarRender


async def test_ascii_help_and_picker_screens_draw_only_ascii() -> None:
    rig = make_rig(advance=30, ascii_only=True)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert _non_ascii(screen_text(rig.app)) == {}
        await pilot.press("escape", "s")
        await pilot.pause()
        assert _non_ascii(screen_text(rig.app)) == {}
    assert ScrollBar.renderer is not AsciiScrollBarRender  # put back for other apps


async def test_ascii_toasts_notices_and_a_cut_filter_line_at_60x15_draw_only_ascii() -> None:
    """A toast cut to its lines, the notices list and the filter line cut by CSS."""
    rig = make_rig(advance=30, ascii_only=True)
    async with rig.app.run_test(size=(60, 15), notifications=True) as pilot:
        await settle(pilot)
        rig.app.notify("Saved 24 logs to " + "/a-rather-long-directory-name" * 6)
        await pilot.pause()
        lines = screen_text(rig.app)
        assert any("(m: in full)" in line for line in lines), lines  # cut: the pointer
        assert _non_ascii(lines) == {}
        await pilot.press("m")
        await pilot.pause()
        assert _non_ascii(screen_text(rig.app)) == {}


async def test_unicode_mode_still_uses_box_drawing() -> None:
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "╭" in "".join(screen_text(rig.app))


@pytest.mark.parametrize("advance", [20, 30, 55])
async def test_no_color_every_state_is_a_word(
    monkeypatch: pytest.MonkeyPatch, advance: float
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    rig = make_rig(advance=advance)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert rig.app.no_color
        text = "\n".join(screen_text(rig.app))
        job = rig.screen.job
        assert job is not None
        from jobtui.api.catalog import run_status
        from jobtui.core.waits import job_wait_word

        # the job's state in words (a job at 7: what it waits for)
        assert (job_wait_word(job) or run_status(job.status).label.upper()) in text
        expected = {20: "Non-zero Exit Code", 30: "Running", 55: "WAITING FOR CONFIRMATION"}
        assert expected[advance] in text
        assert "PAUSED" in text


async def test_the_client_is_closed_when_the_app_exits() -> None:
    api = FakeApi()
    app = MonitorApp(api, WatchOptions(job_instance_id=99), auto_poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not api.closed
    assert api.closed


def test_term_linux_implies_ascii() -> None:
    plain = WatchOptions(job_instance_id=1)
    assert for_terminal(plain, {"TERM": "linux"}).ascii_only
    assert not for_terminal(plain, {"TERM": "xterm-256color", "LANG": "C.UTF-8"}).ascii_only
    assert for_terminal(WatchOptions(job_instance_id=1, ascii_only=True), {}).ascii_only


def test_the_few_colour_palette_never_draws_running_as_failure() -> None:
    from jobtui.tui.base_app import ANSI_THEME

    running, failed = ANSI_THEME.accent, ANSI_THEME.error
    assert running == "ansi_cyan" and failed == "ansi_red"
    others = {ANSI_THEME.success, ANSI_THEME.warning, ANSI_THEME.secondary}
    assert running not in others | {failed}


async def test_ascii_row_cursor_is_not_the_running_glyph() -> None:
    rig = make_rig(advance=30, ascii_only=True)
    async with rig.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await refresh(pilot)
        rows = [line for line in screen_text(rig.app) if "10.0.0." in line]
        assert rows, screen_text(rig.app)
        assert any("||* 10.0.0." in line for line in rows), rows
        assert not any("||> 10.0.0." in line for line in rows), rows


def test_c_locale_implies_ascii() -> None:
    plain = WatchOptions(job_instance_id=1)
    assert for_terminal(plain, {"TERM": "xterm-256color", "LANG": "C"}).ascii_only
    assert not for_terminal(plain, {"TERM": "xterm-256color", "LANG": "C.UTF-8"}).ascii_only
