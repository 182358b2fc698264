"""Fixtures of the simulator tests: real loopback TCP, plain and core clients.

``sim`` and ``make_sim`` are the simulator's pytest plugin's (``vbox_simulator.pytest_plugin``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from vitrea_client import ConnectionConfig, ProtocolVersion, VitreaClient

from tests.simulator.sim_support import (
    PASSWORD,
    USERNAME,
    HostClient,
    RawClient,
    StatusQueue,
    socket_config,
)
from vbox_simulator import VBoxSimulator


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Every simulator test talks over loopback TCP."""


@pytest.fixture
async def raw() -> AsyncIterator[Callable[..., Awaitable[RawClient]]]:
    """Open plain connections to a simulator; all are closed afterwards."""
    opened: list[RawClient] = []

    async def connect(sim: VBoxSimulator, version: ProtocolVersion | None = None) -> RawClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
        client = RawClient(reader, writer, version or ProtocolVersion(sim.version))
        opened.append(client)
        return client

    yield connect
    for client in opened:
        await client.close()


@pytest.fixture
async def host() -> AsyncIterator[Callable[..., Awaitable[HostClient]]]:
    """Open raw host-interface connections to a simulator; all are closed afterwards."""
    opened: list[HostClient] = []

    async def connect(sim: VBoxSimulator) -> HostClient:
        assert sim.host_port is not None
        server = sim.host_server

        def accepted() -> int:
            return server.connections + server.refused_connections

        before = accepted()
        reader, writer = await asyncio.open_connection("127.0.0.1", sim.host_port)
        client = HostClient(reader, writer)
        opened.append(client)
        await sim.wait_until(lambda: accepted() > before)  # served or refused
        return client

    yield connect
    for client in opened:
        await client.close()


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[..., Awaitable[VitreaClient]]]:
    """Connect real core clients to a simulator; all are disconnected afterwards."""
    clients: list[VitreaClient] = []

    async def connect(
        sim: VBoxSimulator, *, password: str = PASSWORD, **socket_kwargs: Any
    ) -> VitreaClient:
        client = VitreaClient(
            ConnectionConfig(
                host="127.0.0.1",
                port=sim.port,
                username=USERNAME,
                password=password,
                version=sim.version,
                environ={},
            ),
            socket_config(**socket_kwargs),
        )
        clients.append(client)
        await client.connect()
        return client

    yield connect
    for client in clients:
        await client.disconnect()


@pytest.fixture
async def client(sim: VBoxSimulator, make_client: Callable[..., Awaitable[VitreaClient]]):
    """A core client connected and logged in to ``sim``."""
    return await make_client(sim)


@pytest.fixture
def statuses(client: VitreaClient) -> StatusQueue:
    """The key statuses ``client`` receives, pushed or answered."""
    return StatusQueue(client)
