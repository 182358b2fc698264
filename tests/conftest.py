"""Fixtures shared by every test folder."""

from __future__ import annotations

import ipaddress
import os
import socket
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
    section, in the order they ran. A loop records only when it passed: a crash fails it.
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


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the fuzz counts of the run, if any fuzz loop ran."""
    counts = config.stash.get(_FUZZ_COUNTS, None)
    if counts is not None and counts.lines:
        terminalreporter.section("vBox interface fuzz")
        for line in counts.lines.values():
            terminalreporter.write_line(line)
