"""Fixtures shared by every test folder."""

from __future__ import annotations

import ipaddress
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
