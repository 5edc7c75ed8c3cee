"""Moved to tests/support/tmux.py (the one tmux rig); this name stays for tests written
against it before the move. New tests import tests.support.tmux."""

from tests.support.tmux import CREDENTIALS, ROOT, jobtui_in_tmux, screen, tmux, wait_for

__all__ = ["CREDENTIALS", "ROOT", "jobtui_in_tmux", "screen", "tmux", "wait_for"]
