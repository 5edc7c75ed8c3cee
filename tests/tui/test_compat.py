"""Textual's private internals are touched only in jobtui/tui/compat/, and the app runs without.

The scan reads jobtui's source (outside ``tui/compat``) and Textual's: it fails
on an import of a private Textual module, an override of a private Textual
method, or a use of an attribute that Textual's own code keeps private
(``self._x = …`` in Textual, or ``_x`` in a Textual class) unless jobtui defines
that name itself. The monitor then runs with every compat fallback forced
(``JOBTUI_TEXTUAL_COMPAT=off``): stock Textual behaviour only.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
from functools import cache
from pathlib import Path

import pytest
import textual

import jobtui.tui
from jobtui.tui import compat
from jobtui.tui.compat import shadow, terminal
from jobtui.tui.widgets.log_view import LogView
from tests.support.monitor_rig import make_rig, settle

ROOT = Path(jobtui.tui.__file__).resolve().parent
COMPAT = ROOT / "compat"
# Textual's metaclass puts these on every DOMNode subclass: not overrides.
GENERATED = frozenset(
    {
        "_abc_impl",
        "_computes",
        "_css_type_name",
        "_css_type_names",
        "_decorated_handlers",
        "_inherit_bindings",
        "_inherit_component_classes",
        "_inherit_css",
        "_merged_bindings",
        "_reactives",
    }
)
# Overrides of Textual privates outside compat/ still tolerated: none (the monitor's
# first-paint hold is gone); a stale entry fails the test.
KNOWN: frozenset[str] = frozenset()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


#: In Textual's source: ``self._x = …`` or ``self._x: T = …`` (an annotation may span
#: lines inside brackets; not ``+=``, not ``==``), and ``def _x`` / ``class _x``. Read as
#: text, not parsed: Textual is some 250 files, and parsing them all took seconds of
#: every test run. A match in a comment or a string only makes the scan stricter.
TEXTUAL_DEFINES = re.compile(
    r"\bself\.(_\w+)\s*(?::[^=\n\[]*(?:\[[^=]*?\][^=\n\[]*)*)?=(?!=)"
    r"|\b(?:def|class)\s+(_\w+)"
)


@cache
def _textual_privates() -> frozenset[str]:
    """Every ``self._x`` Textual assigns and every ``_x`` it defines, anywhere in Textual."""
    names: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        for match in TEXTUAL_DEFINES.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return frozenset(n for n in names if _private(n))


def _self_assigned(tree: ast.AST) -> set[str]:
    """Names assigned as ``self.x = …`` (not ``+=``: that uses a name someone else made)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                names.add(target.attr)
    return names


@cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _sources() -> dict[Path, ast.Module]:
    return {
        path: _parsed(path)
        for path in ROOT.rglob("*.py")  # api, core and sim cannot import Textual (import-linter)
        if COMPAT not in path.parents
    }


@cache
def _class_defs(path: Path) -> dict[str, ast.ClassDef]:
    """Every class statement in a module, by qualified name (``Outer.Inner``)."""
    found: dict[str, ast.ClassDef] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                found[prefix + node.name] = node
                visit(node.body, f"{prefix}{node.name}.")

    visit(_parsed(path).body, "")
    return found


def _class_def(cls: type) -> ast.AST:
    """The class's own statement, from its module parsed once (``inspect.getsource``
    parses the whole module again for every class it is asked about)."""
    try:
        path = Path(inspect.getfile(cls)).resolve()
    except TypeError:  # a builtin
        return ast.Module(body=[], type_ignores=[])
    node = _class_defs(path).get(cls.__qualname__)
    if node is None:  # made in a function: read it the slow way
        return ast.parse(textwrap.dedent(inspect.getsource(cls)))
    return node


def _jobtui_names(trees: dict[Path, ast.Module]) -> set[str]:
    """Private names jobtui's own code defines (``self.x = …``, fields, functions, classes)."""
    names: set[str] = set()
    for tree in trees.values():
        names |= _self_assigned(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def _attribute_uses(trees: dict[Path, ast.Module]) -> list[str]:
    textual_private = _textual_privates()
    ours = _jobtui_names(trees)
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                module = node.module or ""
                names = [a.name for a in node.names]
                if any(_private(p) for p in module.split(".")) or any(map(_private, names)):
                    found.append(f"{path.name}:{node.lineno} imports {module}")
            if not isinstance(node, ast.Attribute) or not _private(node.attr):
                continue
            if node.attr in textual_private and node.attr not in ours:
                found.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    return found


def _textual_state(cls: type) -> set[str]:
    """Private names the Textual classes ``cls`` inherits from assign on ``self`` or define."""
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("textual"):
            names |= _base_state(base)
    return names - GENERATED


@cache
def _base_state(base: type) -> frozenset[str]:
    """One Textual class's own private names (its attributes and what it assigns on
    ``self``); every jobtui widget shares the same few bases (Widget, DOMNode …), so
    each is read once per run."""
    names = set(base.__dict__) | _self_assigned(_class_def(base))
    return frozenset(n for n in names if _private(n))


def _overrides() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(jobtui.tui.__path__, "jobtui.tui."):
        if info.name.startswith("jobtui.tui.compat"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            textual_state = _textual_state(cls)
            mine = set(cls.__dict__) | _self_assigned(_class_def(cls))
            found += [f"{cls.__name__}.{name}" for name in sorted(mine & textual_state)]
    return found


def test_no_textual_private_outside_compat() -> None:
    trees = _sources()
    uses = _attribute_uses(trees)
    assert not uses, "Textual privates outside jobtui/tui/compat: " + "; ".join(uses)
    overrides = set(_overrides())
    stale, new = sorted(KNOWN - overrides), sorted(overrides - KNOWN)
    assert not stale, f"no longer overridden, drop from KNOWN: {stale}"
    assert not new, f"Textual's private names set or overridden: {new}"


#: The test files that may touch Textual privates: the probe every other test goes
#: through, and the tests of compat itself (which must name what compat patches).
TESTS = Path(__file__).resolve().parents[1]
PROBES = frozenset({"textual_probe.py", "test_compat.py", "test_compat_shadow.py"})


def test_the_tests_touch_textual_privates_only_through_the_probe() -> None:
    """A Textual upgrade that moves a private breaks tests/support/textual_probe.py alone."""
    trees = {p: _parsed(p) for p in TESTS.rglob("*.py") if p.name not in PROBES}
    package = ROOT.parent  # all of jobtui: tests read core's privates too (LogBuffer._search)
    ours = _jobtui_names({p: _parsed(p) for p in package.rglob("*.py")})
    uses = [u for u in _attribute_uses(trees) if u.rsplit(".", 1)[-1] not in ours]
    assert not uses, "Textual privates outside tests/support/textual_probe.py: " + "; ".join(uses)


BENCHMARKS = TESTS.parent / "benchmarks"


def test_the_benchmarks_touch_no_textual_private() -> None:
    """They time paints through a driver of their own (public API), not ``App._display``."""
    trees = {p: _parsed(p) for p in BENCHMARKS.rglob("*.py")}
    assert len(trees) > 5
    ours = _jobtui_names(trees)  # only the benchmarks' own (jobtui's KeyBar has a _display)
    uses = [u for u in _attribute_uses(trees) if u.rsplit(".", 1)[-1] not in ours]
    assert not uses, "Textual privates in benchmarks/: " + "; ".join(uses)


def test_the_scan_sees_a_private_use() -> None:
    """The scan is not blind: a snippet with the removed uses is caught."""
    code = "def f(app, table):\n    app._driver.write('x')\n    table._update_count += 1\n"
    snippet = ast.parse(code)
    uses = _attribute_uses({Path("snippet.py"): snippet})
    assert any("._driver" in u for u in uses) and any("._update_count" in u for u in uses)


def test_compat_is_on_for_the_tested_textual_and_off_by_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert compat.textual_version() in compat.TESTED_TEXTUAL  # the pinned version was tested
    monkeypatch.delenv(compat.ENV, raising=False)
    assert compat.enabled()
    monkeypatch.setenv(compat.ENV, "off")
    assert not compat.enabled()
    monkeypatch.setenv(compat.ENV, "on")
    monkeypatch.setattr(compat, "TESTED_TEXTUAL", frozenset({"0.0.1"}))
    assert not compat.enabled()  # another Textual: the fallbacks until someone checks it


async def test_monitor_runs_on_stock_textual(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fallback forced: the job, its steps, groups and the log still show and follow."""
    monkeypatch.setenv(compat.ENV, "off")
    rig = make_rig(advance=30)
    async with rig.app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert not terminal.write(rig.app, "\a")
        assert shadow.shadow_of(rig.app.console) is None
        screen = rig.screen
        assert screen.job is not None and screen.result is not None
        view = screen.log_pane.query_one(LogView)
        assert len(view.buffer) > 0 and view.virtual_size.height >= len(view.buffer)
        before = (screen.log_pane.host, len(view.buffer))
        for _ in range(10):
            rig.advance(2)
            await pilot.press("r")
            await settle(pilot)
            if len(view.buffer) and (screen.log_pane.host, len(view.buffer)) != before:
                break
        assert (screen.log_pane.host, len(view.buffer)) != before, "the log never changed"
        assert len(view.buffer) and view.virtual_size.height >= len(view.buffer)
        await pilot.press("c")
        await settle(pilot)
        assert rig.app.clipboard.count(".") >= 3  # App.copy_to_clipboard's own copy
