"""Suite-wide hooks. Fixtures live in each folder's conftest.py, shared rigs and
fakes in tests/support/ (docs/testing.md)."""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every ``slow`` test (a real terminal, clock or socket) joins one xdist group.

    The suite runs on two workers (``-n 2 --dist loadgroup`` in pyproject.toml):
    the slow tests run one after another on one of them while the other takes
    the fast ones, so two real-clock programs never race each other for CPU on
    a 2-core machine, and a module's shared run (a demo in a pty) is made once.
    """
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.xdist_group("slow"))
