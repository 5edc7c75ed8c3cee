"""Serving the simulator over a real socket: blocking (``jobtui sim``) or in a thread."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
from dataclasses import dataclass, field

import uvicorn

from jobtui.sim.app import SimApp, create_app
from jobtui.sim.config import SimConfig


def _bind(host: str, port: int) -> socket.socket:
    """Bind first so a busy port becomes a clear OSError before uvicorn starts.

    The protocol is named (``IPPROTO_TCP``, as ``getaddrinfo`` gives it): asyncio
    sets ``TCP_NODELAY`` only on connections whose listening socket says TCP, and
    without it every answer after the first on a kept-alive connection waited
    ~40 ms for the client's delayed ACK (Nagle), which no real gateway does.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _banner(url: str, app: SimApp) -> str:
    """Ready-to-paste commands; credentials go in the environment, never in argv."""
    job = app.world.demo_job_id()
    scope = f"--scope-type {app.config.scope_type} --scope-id {app.config.scope_id}"
    lines = [
        f"bk-job simulator ({app.config.scenario}) listening on {url}",
        "  it accepts any app code and secret; for example:",
        "  export BK_APP_CODE=demo BK_APP_SECRET=demo BK_USERNAME=admin",
    ]
    containers = app.config.scenario == "containers"
    # v3, jobv3 and v2 cannot describe container targets: only v4 is offered for them
    families = ("v4",) if containers else ("v3", "v4", "jobv3", "v2")
    for family in families:
        lines.append(f"  jobtui watch {job} --url {url} --api {family} {scope}")
    main = "v4" if containers else "v3"
    lines.append(f"  jobtui status {job} --url {url} --api {main} {scope}")
    lines.append(f"  jobtui jobs --url {url} --api v4 {scope}")
    return "\n".join(lines)


def serve(config: SimConfig, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Run until interrupted; warns when bound beyond loopback (no real auth here)."""
    app = create_app(config)
    sock = _bind(host, port)
    if not _is_loopback(host):
        print(
            f"warning: the simulator accepts any credentials; {host} is not loopback",
            file=sys.stderr,
        )
    url = f"http://{host}:{sock.getsockname()[1]}"
    print(_banner(url, app), flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])


@dataclass
class RunningSim:
    """A simulator serving in a background thread on a real socket."""

    app: SimApp
    host: str
    port: int
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """Gateway stage root for v3 and PaaS root for ESB: one base serves all families."""
        return f"http://{self.host}:{self.port}"

    def _start(self) -> None:
        sock = _bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="off"))
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="jobtui-sim", daemon=True
        )
        thread.start()
        while not server.started and thread.is_alive():
            time.sleep(0.01)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        with self._lock:
            if self._server is not None and self._thread is not None:
                self._server.should_exit = True
                self._thread.join(timeout=10)
            self._server = self._thread = None

    def go_down(self, seconds: float) -> None:
        """Really stop accepting connections for ``seconds`` (wall time), then come back."""
        self.stop()
        timer = threading.Timer(seconds, self._restart)
        timer.daemon = True
        timer.start()

    def _restart(self) -> None:
        with self._lock:
            if self._server is None:
                self._start()


def start_in_thread(config: SimConfig, host: str = "127.0.0.1", port: int = 0) -> RunningSim:
    """Serve on a real socket in a daemon thread; ``port=0`` picks a free port."""
    running = RunningSim(app=create_app(config), host=host, port=port)
    running._start()
    return running
