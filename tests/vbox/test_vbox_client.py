"""VitreaClient against the vBox simulator, over real loopback TCP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from vitrea_client import (
    AckType,
    AuthenticationError,
    CommandID,
    CommandRejectedError,
    ConnectionConfig,
    ConnectionExistsError,
    ConnectionState,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    NoConnectionError,
    ProtocolVersion,
    SocketConfig,
    VitreaClient,
    VitreaConnectionError,
    VitreaTimeoutError,
    requests,
    responses,
)

from vbox_simulator import VBoxSimulator
from vbox_simulator.house import House, Key, Node, Room
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, until

pytestmark = pytest.mark.usefixtures("socket_enabled")

type ClientFactory = Callable[..., Awaitable[VitreaClient]]


def fast(**overrides: Any) -> SocketConfig:
    """Timings small enough for tests, with reconnect on."""
    settings: dict[str, Any] = {
        "request_timeout": 0.3,
        "request_gap": 0.0,
        "heartbeat_interval": 5.0,
        "max_retries": 1,
        "reconnect_min_delay": 0.01,
        "reconnect_max_delay": 0.05,
        # Sessions here are cut short on purpose; probation has its own tests
        # (test_vbox_reconnect.py, test_vbox_hostile.py): every session counts as stable.
        "stability_period": 0.0,
    }
    settings.update(overrides)
    reconnect = settings.pop("reconnect", True)
    return SocketConfig(**settings, reconnect=reconnect)


@pytest.fixture
async def make_client(sim: VBoxSimulator) -> AsyncIterator[ClientFactory]:
    clients: list[VitreaClient] = []

    def make(
        *,
        password: str = PASSWORD,
        port: int | None = None,
        version: ProtocolVersion | None = ProtocolVersion.V2,
        **socket: Any,
    ) -> VitreaClient:
        client = VitreaClient(
            ConnectionConfig(
                host="127.0.0.1",
                port=port or sim.port,
                username=USERNAME,
                password=password,
                version="auto" if version is None else version,
            ),
            fast(**socket),
        )
        clients.append(client)
        return client

    async def connect(**kwargs: Any) -> VitreaClient:
        client = make(**kwargs)
        await client.connect()
        return client

    connect.make = make  # type: ignore[attr-defined]
    yield connect
    for client in clients:
        await client.disconnect()


@pytest.fixture
async def client(make_client: ClientFactory) -> VitreaClient:
    return await make_client()


def track_states(client: VitreaClient) -> list[ConnectionState]:
    states: list[ConnectionState] = []
    client.on_connection_state(states.append)
    return states


async def test_handshake_enables_pushes_then_logs_in(
    sim: VBoxSimulator, client: VitreaClient
) -> None:
    assert client.connected
    assert sim.client_logged_in
    assert sim.pushes_enabled
    first, second = sim.requests[:2]
    assert first.command == CommandID.TOGGLE_HEARTBEAT
    assert first.payload == b"\x01\x01"
    assert second.command == CommandID.LOGIN
    assert (first.message_id, second.message_id) == (1, 2)


@pytest.mark.parametrize("version", list(ProtocolVersion))
async def test_the_protocol_version_is_detected_before_the_first_reading_that_needs_it(
    sim: VBoxSimulator, make_client: ClientFactory, version: ProtocolVersion
) -> None:
    """Not when connecting: a first setup over both interfaces reads nothing that depends on
    the layout over VTU before VTU's reading in the background (docs/identity.md §3)."""
    sim.version = version
    client = await make_client(version=None)
    assert client.protocol_version is None
    assert [request.command for request in sim.requests] == [
        CommandID.TOGGLE_HEARTBEAT,
        CommandID.LOGIN,
    ]
    node = min(sim.house.nodes, key=lambda node: node.id)
    # The first request whose answer has a layout asks for the layout first, once: the node
    # list, then the first key of the lowest node, undecoded; and is read right.
    meta = await client.send(requests.NodeMetaData(node_id=node.id))
    assert client.protocol_version is version
    assert await client.verify_version() is version  # known: nothing more is asked
    probe = [request.command for request in sim.requests[2:]]
    assert probe == [CommandID.NODE_COUNT, CommandID.KEY_PARAMETERS, CommandID.NODE_META_DATA]
    assert sim.requests[3].payload == bytes((node.id, 0))
    assert (meta.mac, [key.type for key in meta.keys]) == (
        node.mac,
        [key.type for key in node.keys],
    )
    key = await client.send(requests.KeyParameters(node_id=node.id, key_id=0))
    assert key.name == node.keys[0].name


async def test_a_configured_protocol_version_is_not_probed(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    sim.version = ProtocolVersion.V1
    client = await make_client(version=ProtocolVersion.V1)
    assert client.protocol_version is ProtocolVersion.V1
    assert [request.command for request in sim.requests] == [
        CommandID.TOGGLE_HEARTBEAT,
        CommandID.LOGIN,
    ]


async def test_the_detected_version_is_kept_across_reconnections(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    sim.version = ProtocolVersion.V1
    client = await make_client(version=None)
    await client.verify_version()
    states = track_states(client)
    sim.requests.clear()
    await sim.inject("close")
    await until(lambda: states[-1:] == [ConnectionState.CONNECTED])
    assert client.protocol_version is ProtocolVersion.V1
    assert CommandID.KEY_PARAMETERS not in [request.command for request in sim.requests]


async def test_an_assumed_version_is_used_at_once_and_checked_when_asked(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    sim.version = ProtocolVersion.V1
    client = make_client.make(version=None)  # type: ignore[attr-defined]
    client.assume_version("v2")  # as an earlier run found it, before a firmware update
    await client.connect()
    assert client.protocol_version is ProtocolVersion.V2
    assert [request.command for request in sim.requests] == [
        CommandID.TOGGLE_HEARTBEAT,
        CommandID.LOGIN,
    ]
    assert await client.verify_version() is ProtocolVersion.V1
    node = min(sim.house.nodes, key=lambda node: node.id)
    key = await client.send(requests.KeyParameters(node_id=node.id, key_id=0))
    assert key.name == node.keys[0].name
    # Checked once: a verified (or detected) layout is not probed again.
    sim.requests.clear()
    assert await client.verify_version() is ProtocolVersion.V1
    assert sim.requests == []
    client.assume_version("v2")  # ignored: a version is known
    assert client.protocol_version is ProtocolVersion.V1


async def test_an_assumed_version_stays_when_checking_it_fails(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = make_client.make(version=None)  # type: ignore[attr-defined]
    client.assume_version(ProtocolVersion.V2)
    await client.connect()
    await sim.inject("silent")
    with pytest.raises(VitreaTimeoutError):
        await client.verify_version()
    assert client.protocol_version is ProtocolVersion.V2


async def test_a_configured_version_is_not_checked(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = await make_client(version=ProtocolVersion.V1)
    client.assume_version("v2")
    assert await client.verify_version() is ProtocolVersion.V1
    assert CommandID.KEY_PARAMETERS not in [request.command for request in sim.requests]


@pytest.mark.parametrize(
    "house",
    [
        # Every probed first key is named so that its reply fits both layouts.
        House(
            rooms=[Room(id=0, floor=0, name="Hall")],
            nodes=[
                Node(
                    id=node_id,
                    node_type=2,
                    mac=f"00:0D:6F:00:00:00:00:{node_id:02X}",
                    firmware="7.9.3",
                    room_id=0,
                    keys=[
                        Key(id=0, type=KeyType.TOGGLE, category=KeyCategory.LIGHT, name="K" * 38)
                    ],
                )
                for node_id in (1, 2, 3, 4)
            ],
        ),
    ],
)
async def test_an_undecidable_version_falls_back_to_v2_and_says_so(
    make_client: ClientFactory,
    sim: VBoxSimulator,
    house: House,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sim.box.house = house
    sim.version = ProtocolVersion.V1
    client = await make_client(version=None)
    assert await client.verify_version() is ProtocolVersion.V2
    assert "Cannot tell the protocol version" in caplog.text
    probed = [r.payload[0] for r in sim.requests if r.command == CommandID.KEY_PARAMETERS]
    assert probed == [node.id for node in house.nodes][:3]


async def test_a_box_without_nodes_gets_v2_without_a_warning(
    make_client: ClientFactory, sim: VBoxSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    sim.box.house = House(rooms=[], nodes=[])
    client = await make_client(version=None)
    assert await client.verify_version() is ProtocolVersion.V2
    assert "Cannot tell" not in caplog.text
    assert CommandID.KEY_PARAMETERS not in [request.command for request in sim.requests]


async def test_wrong_password_raises_authentication_error(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    states: list[ConnectionState] = []
    with pytest.raises(AuthenticationError):
        await make_client(password="wrong")
    assert states == []
    await sim.wait_until_disconnected()
    assert sim.failed_logins == 1


async def test_unreachable_box_raises_connection_error(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    port = sim.port
    await sim.stop()
    with pytest.raises(VitreaConnectionError, match="cannot connect"):
        await make_client(port=port)


async def test_silent_box_times_out_the_handshake(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    await sim.inject("silent")
    with pytest.raises(VitreaTimeoutError, match="ToggleHeartbeat"):
        await make_client()
    # One attempt and one retry of the same frame, then the socket is closed.
    attempts = sim.requests_of(CommandID.TOGGLE_HEARTBEAT)
    assert len(attempts) == 2
    assert attempts[0].message_id == attempts[1].message_id
    await sim.wait_until_disconnected()


async def test_connect_twice_raises(client: VitreaClient) -> None:
    with pytest.raises(ConnectionExistsError):
        await client.connect()


async def test_request_before_connect_fails_at_once(make_client: ClientFactory) -> None:
    client = make_client.make()  # type: ignore[attr-defined]
    with pytest.raises(NoConnectionError):
        await client.send(requests.NodeCount())


async def test_discovery_requests(sim: VBoxSimulator, client: VitreaClient) -> None:
    nodes = await client.send(requests.NodeCount())
    assert list(nodes.node_ids) == [node.id for node in sim.house.nodes]
    rooms = await client.send(requests.RoomCount())
    assert list(rooms.room_ids) == [room.id for room in sim.house.rooms]

    node = sim.house.nodes[0]
    meta = await client.send(requests.NodeMetaData(node_id=node.id))
    assert meta.node_id == node.id
    assert meta.model == node.model
    assert meta.room_id == node.room_id
    assert [key.type for key in meta.keys] == [key.type for key in node.keys]

    room = sim.house.room(node.room_id)
    room_meta = await client.send(requests.RoomMetaData(room_id=room.id))
    assert room_meta.name == room.name

    key = node.keys[0]
    params = await client.send(requests.KeyParameters(node_id=node.id, key_id=key.id))
    assert (params.name, params.category) == (key.name, key.category)


async def test_key_status_and_toggle(sim: VBoxSimulator, client: VitreaClient) -> None:
    node = sim.house.nodes[0]
    key = node.keys[0]
    pushes: list[responses.KeyStatus] = []
    client.on_key_status(pushes.append)

    ack = await client.send(
        requests.ToggleKeyStatus(node_id=node.id, key_id=key.id, status=KeyPowerStatus.ON)
    )
    assert ack.is_ok
    assert key.on
    await until(lambda: any(p.node_id == node.id and p.is_on for p in pushes))

    await client.send(
        requests.ToggleKeyStatus(node_id=node.id, key_id=key.id, status=KeyPowerStatus.OFF)
    )
    status = await client.send(requests.KeyStatus(node_id=node.id, key_id=key.id))
    assert (status.node_id, status.key_id, status.is_on) == (node.id, key.id, False)


async def test_push_for_another_key_does_not_answer_a_key_status_request(
    sim: VBoxSimulator, client: VitreaClient
) -> None:
    first, other = sim.house.nodes[0], sim.house.nodes[1]
    await sim.set_key(first.id, first.keys[0].id, on=True)
    sim.service_time = 0.1
    pending = asyncio.create_task(
        client.send(requests.KeyStatus(node_id=first.id, key_id=first.keys[0].id))
    )
    await sim.wait_until(lambda: bool(sim.requests_of(CommandID.KEY_STATUS)))
    await sim.set_key(other.id, other.keys[0].id, on=False)  # pushed before the reply
    status = await pending
    assert (status.node_id, status.key_id, status.is_on) == (first.id, first.keys[0].id, True)


async def test_message_ids_wrap_from_255_to_1(client: VitreaClient, sim: VBoxSimulator) -> None:
    for _ in range(260):
        await client.send(requests.Heartbeat())
    ids = [request.message_id for request in sim.requests]
    assert max(ids) == 255
    assert 0 not in ids
    assert ids[ids.index(255) + 1] == 1


async def test_timeout_is_retried_with_the_same_bytes(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = await make_client(max_retries=2)
    await sim.inject("silent")
    sent = asyncio.create_task(client.send(requests.NodeCount()))
    await sim.wait_for_request(CommandID.NODE_COUNT, 1)
    await sim.inject("recover")
    nodes = await sent
    assert nodes.total == len(sim.house.nodes)
    first, retry = sim.requests_of(CommandID.NODE_COUNT)[:2]
    assert first.message_id == retry.message_id


async def test_timeout_after_every_retry(sim: VBoxSimulator, client: VitreaClient) -> None:
    await sim.inject("delay", 1.0)
    with pytest.raises(VitreaTimeoutError, match="NodeCount not answered"):
        await client.send(requests.NodeCount())
    # The box serves requests in order: the retry (max_retries=1) reaches it after the delay,
    # and its late answers to both attempts are ignored.
    retry = await sim.wait_for_request(CommandID.NODE_COUNT, 2)
    assert retry.message_id == sim.requests_of(CommandID.NODE_COUNT)[0].message_id
    # The failure made the client probe the link; a box this slow counts as dead, and the
    # client is back once the box answers in time again.
    await sim.inject("reset")
    await until(lambda: client.connected)
    assert (await client.send(requests.NodeCount())).total == len(sim.house.nodes)


@pytest.mark.parametrize(
    ("fault", "ack_type"),
    [("nack", AckType.NACK), ("in_use", AckType.IN_USE), ("error", AckType.ERROR)],
)
async def test_rejected_command(
    sim: VBoxSimulator, client: VitreaClient, fault: str, ack_type: AckType
) -> None:
    key = sim.house.nodes[0].keys[0]
    before = key.on
    await sim.inject(fault)
    with pytest.raises(CommandRejectedError) as caught:
        await client.send(
            requests.ToggleKeyStatus(
                node_id=sim.house.nodes[0].id, key_id=key.id, status=KeyPowerStatus.ON
            )
        )
    assert caught.value.ack_type == ack_type
    assert key.on == before
    assert client.connected


async def test_nack_answers_a_request_for_an_unknown_node(client: VitreaClient) -> None:
    with pytest.raises(CommandRejectedError, match="NodeMetaData: NACK"):
        await client.send(requests.NodeMetaData(node_id=250))


async def test_unsolicited_status_and_press_events(
    sim: VBoxSimulator, client: VitreaClient
) -> None:
    pushes: list[responses.KeyStatus] = []
    unsubscribe = client.on_key_status(pushes.append)
    node = sim.house.nodes[2]
    await sim.set_key(node.id, node.keys[0].id, on=True)
    await sim.press(node.id, node.keys[0].id, "long")
    await until(lambda: len(pushes) >= 2)
    assert pushes[0].is_on
    assert pushes[1].power == KeyPowerStatus.LONG
    assert pushes[1].is_press
    unsubscribe()
    unsubscribe()  # twice is harmless
    await sim.press(node.id, node.keys[0].id, "release")
    await client.send(requests.Heartbeat())  # the push arrived before this answer
    assert len(pushes) == 2


async def test_failing_listener_does_not_break_the_reader(
    sim: VBoxSimulator, client: VitreaClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: responses.KeyStatus) -> None:
        raise RuntimeError("listener bug")

    good: list[responses.KeyStatus] = []
    client.on_key_status(broken)
    client.on_key_status(good.append)
    node = sim.house.nodes[0]
    await sim.set_key(node.id, node.keys[0].id, on=True)
    await until(lambda: bool(good))
    assert "listener bug" in caplog.text
    assert (await client.send(requests.NodeCount())).total > 0


async def test_garbage_split_merged_and_stray_frames(
    sim: VBoxSimulator, client: VitreaClient
) -> None:
    await sim.inject("garbage")
    await sim.inject("stray")
    await sim.inject("split")
    assert (await client.send(requests.NodeCount())).total == len(sim.house.nodes)
    await sim.inject("reset")
    await sim.inject("merge")
    node = sim.house.nodes[0]
    pushes: list[responses.KeyStatus] = []
    client.on_key_status(pushes.append)
    await client.send(
        requests.ToggleKeyStatus(node_id=node.id, key_id=node.keys[0].id, status=KeyPowerStatus.ON)
    )
    await until(lambda: bool(pushes))
    assert client.connected


async def test_heartbeat_after_idle_interval(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    await make_client(heartbeat_interval=0.05)
    await sim.wait_for_request(CommandID.HEARTBEAT, 2)


async def test_reconnects_after_the_box_closes(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = make_client.make()  # type: ignore[attr-defined]
    states = track_states(client)
    await client.connect()
    await sim.inject("close")
    await until(lambda: states[-1] == ConnectionState.CONNECTED and len(states) == 4)
    assert states == [
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
    ]
    assert sim.logins == 2
    assert (await client.send(requests.NodeCount())).total > 0


async def test_reconnects_after_the_box_restarts(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = make_client.make()  # type: ignore[attr-defined]
    states = track_states(client)
    await client.connect()
    await sim.stop()
    await until(lambda: states[-1] == ConnectionState.RECONNECTING)
    with pytest.raises(NoConnectionError):
        await client.send(requests.NodeCount())
    await sim.start()
    await until(lambda: client.connected)
    assert states[-1] == ConnectionState.CONNECTED


async def test_silent_box_is_detected_by_the_heartbeat(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = make_client.make(heartbeat_interval=0.1)  # type: ignore[attr-defined]
    states = track_states(client)
    await client.connect()
    await sim.inject("silent")
    await until(lambda: ConnectionState.DISCONNECTED in states)
    await sim.inject("recover")
    await until(lambda: client.connected)
    assert states[-1] == ConnectionState.CONNECTED
    assert isinstance(client.last_error, VitreaConnectionError) or client.last_error is None


async def test_failed_requests_probe_the_link_at_once(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = make_client.make(heartbeat_interval=60)  # type: ignore[attr-defined]
    states = track_states(client)
    await client.connect()
    await sim.inject("silent")
    with pytest.raises(VitreaTimeoutError):
        await client.send(requests.NodeCount())
    await until(lambda: ConnectionState.DISCONNECTED in states)


async def test_changed_password_stops_reconnecting(
    sim: VBoxSimulator, make_client: ClientFactory
) -> None:
    client = make_client.make()  # type: ignore[attr-defined]
    states = track_states(client)
    await client.connect()
    sim.set_credentials(USERNAME, "changed")
    await sim.inject("close")
    await until(lambda: isinstance(client.last_error, AuthenticationError))
    await until(lambda: states[-1] == ConnectionState.DISCONNECTED)
    assert not client.connected
    assert sim.failed_logins == 1


async def test_second_client_is_refused(sim: VBoxSimulator, make_client: ClientFactory) -> None:
    await make_client()
    with pytest.raises(VitreaConnectionError):
        await make_client(reconnect=False)
    assert sim.refused_connections == 1


async def test_disconnect(sim: VBoxSimulator, make_client: ClientFactory) -> None:
    client = make_client.make()  # type: ignore[attr-defined]
    states = track_states(client)
    await client.connect()
    await client.disconnect()
    assert states == [ConnectionState.CONNECTED, ConnectionState.DISCONNECTED]
    assert not client.connected
    with pytest.raises(NoConnectionError):
        await client.send(requests.NodeCount())
    await sim.wait_until_disconnected()
    await client.disconnect()  # twice is harmless
    assert states == [ConnectionState.CONNECTED, ConnectionState.DISCONNECTED]


async def test_disconnect_fails_the_request_in_flight(
    sim: VBoxSimulator, client: VitreaClient
) -> None:
    await sim.inject("silent")
    pending = asyncio.create_task(client.send(requests.NodeCount()))
    await sim.wait_for_request(CommandID.NODE_COUNT)
    await client.disconnect()
    with pytest.raises(NoConnectionError):
        await pending


async def test_lost_connection_fails_the_request_in_flight(
    sim: VBoxSimulator, client: VitreaClient
) -> None:
    await sim.inject("silent")
    pending = asyncio.create_task(client.send(requests.NodeCount()))
    await sim.wait_for_request(CommandID.NODE_COUNT)
    await sim.inject("close")
    with pytest.raises(VitreaConnectionError, match="closed the connection"):
        await pending


async def test_credentials_never_reach_the_log(
    sim: VBoxSimulator, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = await make_client()
    await client.send(requests.NodeCount())
    await sim.inject("close")
    await until(lambda: sim.logins == 2 and client.connected)
    await client.disconnect()
    with pytest.raises(AuthenticationError):
        await make_client(password="wrong-" + PASSWORD, reconnect=False)
    secrets = [
        PASSWORD,
        USERNAME,
        PASSWORD.encode("utf-16-le").hex(),
        PASSWORD.encode("utf-16-le").hex(" "),
        USERNAME.encode("utf-16-le").hex(" "),
    ]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Login" in logged
    for secret in secrets:
        assert secret not in logged
