"""jobtui as a user runs it, for the start-up measures (6 and 7).

toolong, the reference of measure 6, runs from its own virtualenv through its
console script. jobtui is measured the same way: the working tree is
pip-installed (not editable) into ``/tmp/jobtui-bench/jobtui-venv`` and started
through that venv's ``jobtui`` script, as the README's install does. The
development checkout differs from any user's installation in two ways that show
at start: its editable-install import hook (a ``.pth`` file that puts a finder in
front of every import: ~15 ms of ``site`` alone on this machine) and the test
extras beside it.

The venv is made once with the dependencies, and made again when
``pyproject.toml`` changes; jobtui itself is re-installed on every run so the
figure is always the working tree's. Without pip or the package registry the
measures fall back to ``python -m jobtui`` from the checkout and say so.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from benchmarks.common import ROOT

WORK = Path("/tmp/jobtui-bench")
VENV = WORK / "jobtui-venv"
STAMP = VENV / "pyproject.sha256"  # the dependency list the venv was made for


def _pip(*args: str) -> bool:
    try:
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *args],
            check=True,
            timeout=600,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError):
        return False
    return True


@cache
def installed_jobtui() -> Path | None:
    """The ``jobtui`` script of a venv holding the working tree; None when pip cannot make it.

    Made once per benchmark run (measures 6 and 7 share it).
    """
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    script = VENV / "bin" / "jobtui"
    fresh = not (STAMP.exists() and STAMP.read_text() == wanted and script.exists())
    try:
        if fresh:
            shutil.rmtree(VENV, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120)
            if not _pip(str(ROOT)):
                return None
            STAMP.write_text(wanted)
        elif not _pip("--no-deps", "--force-reinstall", str(ROOT)):
            return None
    except (subprocess.SubprocessError, OSError):
        return None
    return script if script.exists() else None


def user_env(base: dict[str, str]) -> dict[str, str]:
    """``base`` without the checkout on ``PYTHONPATH``, so the installed copy is the one run."""
    env = dict(base)
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p) != ROOT]
    if parts:
        env["PYTHONPATH"] = os.pathsep.join(parts)
    else:
        env.pop("PYTHONPATH", None)
    return env
