"""The simulator binds loopback by default and warns when bound elsewhere."""

from __future__ import annotations

import inspect

import pytest

from jobtui.sim import server
from jobtui.sim.config import SimConfig


def test_defaults_are_loopback() -> None:
    for fn in (server.serve, server.start_in_thread):
        assert inspect.signature(fn).parameters["host"].default == "127.0.0.1"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.5.5.5", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("example.com", False),
    ],
)
def test_loopback_decision(host: str, loopback: bool) -> None:
    assert server._is_loopback(host) is loopback


class FakeServer:
    """Stands in for uvicorn: closes the bound socket instead of serving."""

    def __init__(self, config: object) -> None:
        pass

    def run(self, sockets: list) -> None:
        for sock in sockets:
            sock.close()


def test_serve_on_all_interfaces_warns(monkeypatch, capsys) -> None:
    monkeypatch.setattr(server.uvicorn, "Server", FakeServer)
    server.serve(SimConfig(), "0.0.0.0", 0)
    err = capsys.readouterr().err
    assert "warning" in err and "0.0.0.0" in err and "not loopback" in err


def test_serve_on_loopback_is_quiet(monkeypatch, capsys) -> None:
    monkeypatch.setattr(server.uvicorn, "Server", FakeServer)
    server.serve(SimConfig(), "127.0.0.1", 0)
    assert "warning" not in capsys.readouterr().err
