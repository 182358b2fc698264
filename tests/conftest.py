"""Fixtures shared by every test folder."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest


class NoNames:
    """Name resolution that knows no names: what tests of bad host names resolve with.

    The system's resolver answers as its network allows, and the test plugin of Home
    Assistant 2026.x refuses every name outright (``RuntimeError``), so neither gives the
    same answer everywhere. This one encodes a name as ``socket.getaddrinfo`` does first (an
    empty label, or one longer than 63 characters, fails there, before any lookup), then
    answers that there is no such name. Numeric addresses resolve as before.
    """

    def __init__(self, resolve: Any) -> None:
        self.asked: list[str] = []
        """The names looked up, in order."""
        self._resolve = resolve

    def getaddrinfo(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        """``socket.getaddrinfo``, for a world without names."""
        if isinstance(host, str):
            try:
                ipaddress.ip_address(host)
            except ValueError:
                host.encode("idna")  # UnicodeError, as from the socket module
                self.asked.append(host)
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return self._resolve(host, *args, **kwargs)


@pytest.fixture
def no_names(monkeypatch: pytest.MonkeyPatch) -> NoNames:
    """Every name lookup of the test fails as for a name that does not exist."""
    resolver = NoNames(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver.getaddrinfo)
    return resolver


FUZZ_INPUTS = int(os.environ.get("VITREA_FUZZ_INPUTS", "100000"))
"""Generated inputs per fuzz loop: 100,000 unless ``VITREA_FUZZ_INPUTS`` says otherwise
(``scripts/test`` runs the full count in the session without Home Assistant, and fewer in
the coverage sessions, which run the same loops again only to measure them)."""


class FuzzCounts:
    """How many generated inputs each fuzz loop of the run fed, printed at its end.

    The loops of both vBox interfaces (host, TCP 11502; VTU, TCP 11501), of the library and
    of the simulator, record here; :func:`pytest_terminal_summary` prints them in one
    section, in the order they ran (under pytest-xdist, the workers hand theirs to the
    controller). A loop records only when it passed: a crash fails it.
    """

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}

    def record(self, name: str, count: int, seconds: float, detail: str = "") -> None:
        """Record that loop ``name`` fed ``count`` inputs in ``seconds``, without a crash."""
        more = f", {detail}" if detail else ""
        self.lines[name] = f"{name}: {count:,} generated inputs, 0 crashes{more}, {seconds:.1f} s"


_FUZZ_COUNTS = pytest.StashKey[FuzzCounts]()


@pytest.fixture
def fuzz_counts(pytestconfig: pytest.Config) -> FuzzCounts:
    """The run's fuzz counts, for a fuzz loop to record its own."""
    return pytestconfig.stash.setdefault(_FUZZ_COUNTS, FuzzCounts())


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker: hand the fuzz counts to the controller, which prints them."""
    output = getattr(session.config, "workeroutput", None)
    counts = session.config.stash.get(_FUZZ_COUNTS, None)
    if output is not None and counts is not None:
        output["vitrea_fuzz"] = counts.lines


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any) -> None:
    """In the pytest-xdist controller: take a finished worker's fuzz counts."""
    if lines := getattr(node, "workeroutput", {}).get("vitrea_fuzz"):
        node.config.stash.setdefault(_FUZZ_COUNTS, FuzzCounts()).lines.update(lines)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the fuzz counts of the run, if any fuzz loop ran."""
    counts = config.stash.get(_FUZZ_COUNTS, None)
    if counts is not None and counts.lines:
        terminalreporter.section("vBox interface fuzz")
        for line in counts.lines.values():
            terminalreporter.write_line(line)


# -- every test reaches only the ports it opened ---------------------------------------------

_SOCKET = next(cls for cls in socket.socket.__mro__ if cls.__module__ == "socket")
"""The socket class itself (pytest-socket puts a subclass of it in ``socket.socket`` while a
test runs without sockets)."""


class PortGuard:
    """The TCP ports this test process may connect to: the ports it opened itself.

    Every bind of an internet socket in the process adds its port: a test's server, a
    simulator, a port bound only to be closed again. :meth:`allow` adds a port another
    process opened for the test. An asyncio connection (``asyncio.open_connection``, the
    library's and the simulator's clients, aiohttp) to any other port is refused with
    ``ConnectionRefusedError``, as if nothing listened there, and recorded in :attr:`refused`:
    the test that made it fails. So no test reaches a service of the machine by accident,
    e.g. the simulator of ``scripts/develop`` on 127.0.0.1:11501 and 11502.
    """

    def __init__(self) -> None:
        self.opened: set[int] = set()
        self.refused: list[tuple[str, int]] = []
        """The connections refused during the current test: (host, port)."""

    def allow(self, port: int) -> None:
        """Let the tests connect to ``port``, which another process opened for them."""
        self.opened.add(port)

    def bound(self, sock: socket.socket) -> None:
        if sock.family in {socket.AF_INET, socket.AF_INET6}:
            self.opened.add(sock.getsockname()[1])

    def check(self, sock: socket.socket, address: Any) -> None:
        """Raise ``ConnectionRefusedError`` for a port the process did not open."""
        if sock.family not in {socket.AF_INET, socket.AF_INET6}:
            return
        host, port = address[0], address[1]
        if port not in self.opened:
            self.refused.append((host, port))
            msg = f"the test did not open {host}:{port} (tests/conftest.py: PortGuard)"
            raise ConnectionRefusedError(msg)


_GUARD = PortGuard()


def closed_port() -> int:
    """A loopback port nothing listens on: bound (so the test opened it), then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(autouse=True, scope="session")
def _guard_ports() -> Iterator[PortGuard]:
    """Record the ports the process opens, and refuse connections to any other one."""
    bind = _SOCKET.bind
    sock_connect = asyncio.selector_events.BaseSelectorEventLoop.sock_connect

    def guarded_bind(sock: socket.socket, address: Any) -> None:
        bind(sock, address)
        _GUARD.bound(sock)

    async def guarded_sock_connect(
        loop: asyncio.selector_events.BaseSelectorEventLoop, sock: socket.socket, address: Any
    ) -> None:
        _GUARD.check(sock, address)
        await sock_connect(loop, sock, address)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_SOCKET, "bind", guarded_bind)
        patch.setattr(
            asyncio.selector_events.BaseSelectorEventLoop, "sock_connect", guarded_sock_connect
        )
        yield _GUARD


@pytest.fixture(autouse=True)
def port_guard(_guard_ports: PortGuard) -> Iterator[PortGuard]:
    """The guard of the ports; the test fails if it tried one it did not open.

    A test that checks the guard itself clears :attr:`PortGuard.refused` once it has seen it.
    """
    _guard_ports.refused.clear()
    yield _guard_ports
    refused = [f"{host}:{port}" for host, port in _guard_ports.refused]
    _guard_ports.refused.clear()
    if refused:
        pytest.fail(f"connected to ports the test did not open: {', '.join(refused)}")
