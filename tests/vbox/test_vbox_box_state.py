"""The box as a whole: which interfaces a house uses, which are up, whatever the order.

Real loopback TCP to the simulator's two ports. ``House.interfaces`` is read from the
interfaces as they are, so a listener sees the truth whichever interface drops first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from vitrea_client import (
    ConnectionConfig,
    ConnectionState,
    House,
    Interface,
    SocketConfig,
    firmware_text,
)

from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, until

pytestmark = pytest.mark.usefixtures("socket_enabled")

SOCKET: dict[str, Any] = {"request_gap": 0, "request_timeout": 0.5, "stability_period": 0.0}
"""Every session counts as stable: the outages here come right after connecting."""


def houses(sim: VBoxSimulator) -> dict[str, House]:
    """A house of each kind on ``sim``: VTU alone, the host interface alone, both."""
    assert sim.host_port is not None
    vtu = ConnectionConfig("127.0.0.1", sim.port, USERNAME, PASSWORD)
    socket = SocketConfig(**SOCKET)
    return {
        "vtu": House.vtu(vtu, socket),
        "host": House.host("127.0.0.1", sim.host_port, socket),
        "dual": House.dual(vtu, sim.host_port, socket),
    }


@pytest.fixture
async def dual(sim: VBoxSimulator) -> AsyncIterator[House]:
    house = houses(sim)["dual"]
    await house.connect()
    yield house
    await house.disconnect()


@pytest.mark.parametrize(
    ("kind", "interfaces"),
    [
        ("vtu", {Interface.VTU}),
        ("host", {Interface.HOST}),
        ("dual", {Interface.VTU, Interface.HOST}),
    ],
)
async def test_each_house_names_its_interfaces(
    sim: VBoxSimulator, kind: str, interfaces: set[Interface]
) -> None:
    house = houses(sim)[kind]
    assert set(house.interfaces) == interfaces
    assert set(house.interfaces.values()) == {ConnectionState.DISCONNECTED}
    assert house.interfaces_up == frozenset()
    await house.connect()
    try:
        assert house.interfaces_up == interfaces
    finally:
        await house.disconnect()
    assert house.interfaces_up == frozenset()


@pytest.mark.parametrize("vtu_first", [False, True], ids=["host-first", "vtu-first"])
async def test_a_listener_sees_the_box_as_it_is_whichever_interface_drops_first(
    dual: House,
    sim: VBoxSimulator,
    vtu_first: bool,
) -> None:
    seen: list[tuple[ConnectionState, frozenset[Interface]]] = []
    dual.on_connection_state(lambda state: seen.append((state, dual.interfaces_up)))

    await sim.unplug(vtu_first=vtu_first)
    await until(lambda: not dual.interfaces_up)
    # Each call told the combined state of that moment: connected exactly while one was up.
    assert seen
    for state, up in seen:
        assert (state is ConnectionState.CONNECTED) == bool(up)
    assert seen[-1][0] is ConnectionState.RECONNECTING

    await sim.start()
    await until(lambda: dual.interfaces_up == {Interface.VTU, Interface.HOST})
    assert seen[-1] == (ConnectionState.CONNECTED, dual.interfaces_up)


async def test_one_interface_lost_leaves_the_box_reachable(dual: House, sim: VBoxSimulator) -> None:
    seen: list[ConnectionState] = []
    dual.on_connection_state(seen.append)

    await sim.host_server.stop()
    await until(lambda: dual.interfaces_up == {Interface.VTU})
    assert dual.interfaces[Interface.HOST] is not ConnectionState.CONNECTED
    assert set(seen) == {ConnectionState.CONNECTED}

    await sim.host_server.start()
    await until(lambda: dual.interfaces_up == {Interface.VTU, Interface.HOST})
    assert set(seen) == {ConnectionState.CONNECTED}


@pytest.mark.parametrize("kind", ["vtu", "host", "dual"])
async def test_each_house_tells_its_diagnostics_firmware_and_layout(
    sim: VBoxSimulator, kind: str
) -> None:
    house = houses(sim)[kind]
    await house.connect()
    try:
        await house.discover()
        diagnostics = house.diagnostics()
        assert set(diagnostics) == {interface.value for interface in house.interfaces}
        assert all(each["state"] == "connected" for each in diagnostics.values())
        assert firmware_text(house.firmware) == (None if kind == "vtu" else "9.66")
        cached = house.as_dict()
        assert cached["protocol_version"] == (None if kind == "host" else "v2")
    finally:
        await house.disconnect()

    again = houses(sim)[kind]
    again.restore(cached)  # before connecting: the layout is assumed, no probe is made
    assert again.link.protocol_version == cached["protocol_version"]
