"""Tests reach only the ports they opened: the guard of tests/conftest.py, and why it is needed.

The user step's default host port is 11502, where a vBox, or the simulator of
``scripts/develop``, may listen on the machine that runs the tests. A test that left the
default connected there: with the demo running, its commands went to the demo's house. Every
test now types its ports, and the guard refuses (and fails) any connection to a port the test
process did not open, whatever listens there.
"""

from __future__ import annotations

import _socket
import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.vitrea.const import DEFAULT_HOST_PORT, DOMAIN
from tests.conftest import PortGuard, closed_port
from vbox_simulator import VBoxSimulator


@pytest.fixture
def service() -> Iterator[socket.socket]:
    """A loopback listener opened around the guard, as a service of the machine would be."""
    with socket.socket() as listener:
        _socket.socket.bind(listener, ("127.0.0.1", 0))  # the socket's own bind, unrecorded
        listener.listen()
        listener.setblocking(False)
        yield listener


def accepted(listener: socket.socket) -> bool:
    """Whether a connection reached ``listener``."""
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


async def test_a_port_the_test_did_not_open_is_refused(
    port_guard: PortGuard, service: socket.socket, sim: VBoxSimulator
) -> None:
    port = service.getsockname()[1]
    with pytest.raises(ConnectionRefusedError, match="the test did not open"):
        await asyncio.open_connection("127.0.0.1", port)
    assert port_guard.refused == [("127.0.0.1", port)]
    assert not accepted(service)  # nothing reached the service
    port_guard.refused.clear()  # seen: the test passes

    # Ports the test opened: the simulator's, and one bound and closed again.
    _, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    writer.close()
    with pytest.raises(ConnectionRefusedError) as refused:
        await asyncio.open_connection("127.0.0.1", closed_port())
    assert "the test did not open" not in str(refused.value)
    assert port_guard.refused == []


@pytest.mark.usefixtures("mock_setup_entry")
async def test_the_user_step_left_at_its_default_host_port_is_caught(
    hass: HomeAssistant, port_guard: PortGuard, vbox_data: dict[str, Any]
) -> None:
    """The form as a test once filled it: the default host port sends the flow to 11502."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    typed = {key: vbox_data[key] for key in (CONF_HOST, CONF_PORT, CONF_USERNAME, CONF_PASSWORD)}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert port_guard.refused == [("127.0.0.1", DEFAULT_HOST_PORT)]
    port_guard.refused.clear()  # seen: the test passes; any other test would fail here
    assert result["result"].options == {}  # refused: as if nothing listened
