"""Layering and start-up imports, checked in fresh interpreters.

The layers (api → core → tui, sim beside them) are a contract, and what
``jobtui watch`` imports before its first screen is start-up time. Each check
imports modules in a new ``python`` process and reports which forbidden
top-level packages ended up in ``sys.modules``, so an import added anywhere in
the chain (not only in the module under test) is caught.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import importlib, json, pkgutil, sys
targets, packages = json.loads(sys.argv[1])
for name in targets:
    importlib.import_module(name)
for name in packages:  # every submodule of these packages
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(info.name)
print(json.dumps(sorted(n for n, m in sys.modules.items() if m is not None)))
"""


def _loaded(*, modules: tuple[str, ...] = (), packages: tuple[str, ...] = ()) -> set[str]:
    """Names in ``sys.modules`` after importing ``modules`` and all of ``packages``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([list(modules), list(packages)])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout))


def _hits(loaded: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in loaded if any(n == f or n.startswith(f + ".") for f in forbidden))


WATCH_PATH = (
    "jobtui.cli",
    "jobtui.config",
    "jobtui.api.filters",
    "jobtui.core.options",
    "jobtui.api.factory",
    "jobtui.tui.app",
)


def test_the_watch_path_leaves_the_simulator_out() -> None:
    loaded = _loaded(modules=WATCH_PATH)
    assert "jobtui.tui.app" in loaded  # the probe really imported the monitor
    assert _hits(loaded, ("uvicorn", "starlette", "jobtui.sim", "jobtui.status")) == []


def test_the_watch_path_loads_no_operation_code() -> None:
    """Acting (the menu, the dialogs, the sending code, the audit record) and the help
    and notices screens load on first use: most monitors only watch."""
    loaded = _loaded(modules=(*WATCH_PATH, "jobtui.api.v3"))
    assert "jobtui.tui.screens.acting" in loaded  # the monitor's hook is there
    lazy = (
        "jobtui.api.operations",
        "jobtui.core.operate",
        "jobtui.tui.screens.actions",
        "jobtui.tui.screens.help",
        "jobtui.tui.screens.notices",
    )
    assert _hits(loaded, lazy) == []


def test_the_cli_module_alone_imports_neither_textual_nor_httpx() -> None:
    """``jobtui --help`` and argument errors stay fast."""
    assert _hits(_loaded(modules=("jobtui.cli",)), ("textual", "httpx", "pydantic")) == []


def test_a_v3_client_does_not_import_the_other_families() -> None:
    probe = (
        "jobtui.api.factory",
        "jobtui.api.v3",  # what make_client(v3) imports
    )
    assert _hits(_loaded(modules=probe), ("jobtui.api.v2", "jobtui.api.v2map")) == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # Not "rich": httpx imports it for its own command-line client (httpx._main)
        # when click is installed. That api and core never import rich themselves is
        # an import-linter contract (pyproject.toml).
        ("jobtui.core", ("textual", "jobtui.tui", "jobtui.sim")),
        ("jobtui.api", ("textual", "jobtui.core", "jobtui.tui", "jobtui.sim")),
        ("jobtui.sim", ("jobtui.api", "jobtui.core", "jobtui.tui", "textual")),
        ("jobtui.tui", ("jobtui.sim", "uvicorn", "starlette")),
    ],
)
def test_layers_import_only_what_they_may(package: str, forbidden: tuple[str, ...]) -> None:
    loaded = _loaded(packages=(package,))
    assert any(n.startswith(package + ".") for n in loaded)
    assert _hits(loaded, forbidden) == []
