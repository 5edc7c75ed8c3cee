"""The shape of a command-line mistake's message, shared by the CLI tests."""

from __future__ import annotations


def usage_error(err: str, command: str | None) -> str:
    """Check ``err`` is one ``jobtui: error: <command>: …`` line plus the --help hint.

    Returns the message after ``jobtui: error: `` (and the command) for the
    caller's own assertions. No usage block, no argparse ``jobtui demo: error:``.
    """
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    prefix = f"jobtui: error: {command}: " if command else "jobtui: error: "
    assert lines[0].startswith(prefix), err
    hint = (
        f"run 'jobtui {command} --help' for usage" if command else "run 'jobtui --help' for usage"
    )
    assert lines[1] == hint, err
    assert "usage:" not in err and "Traceback" not in err
    return lines[0].removeprefix(prefix)
