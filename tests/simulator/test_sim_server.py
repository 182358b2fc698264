"""The simulated vBox over real loopback TCP: sessions, every request, state changes, pushes."""

from __future__ import annotations

import asyncio
import logging

import pytest
from vitrea_client import (
    AckType,
    AuthenticationError,
    CommandID,
    CommandRejectedError,
    DataGramDirection,
    Frame,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    LockStatus,
    ProtocolVersion,
    requests,
    responses,
)

from tests.simulator.sim_support import (
    NEW_PASSWORD,
    PASSWORD,
    TIMEOUT,
    USERNAME,
    WRONG_PASSWORD,
    StatusQueue,
)
from vbox_simulator import VBoxSimulator, generate_house


def _ack(message_id: int, ack: AckType = AckType.ACK) -> responses.Acknowledgement:
    return responses.Acknowledgement(message_id=message_id, type=ack)


# -- session ----------------------------------------------------------------------------


async def test_login_and_state_flags(sim, make_client) -> None:
    assert not sim.client_connected
    client = await make_client(sim)
    assert client.connected
    assert sim.client_connected
    assert sim.client_logged_in
    assert sim.pushes_enabled
    assert (sim.connections, sim.logins, sim.failed_logins) == (1, 1, 0)
    assert [r.command for r in sim.requests] == [CommandID.TOGGLE_HEARTBEAT, CommandID.LOGIN]
    await client.disconnect()
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_until_disconnected()
    assert not sim.client_logged_in


async def test_wrong_password_is_rejected(sim, make_client) -> None:
    with pytest.raises(AuthenticationError):
        await make_client(sim, password=WRONG_PASSWORD)
    assert (sim.logins, sim.failed_logins) == (0, 1)


async def test_login_nack_on_the_wire(sim, raw) -> None:
    box = await raw(sim)
    login = requests.Login(username=USERNAME, password=WRONG_PASSWORD)
    assert await box.exchange(login) == _ack(1, AckType.NACK)
    assert not sim.client_logged_in
    for payload in (b"", b"\x08ab", b"\x02a\x00\x09"):
        message_id = await box.send(CommandID.LOGIN, payload)
        assert await box.response() == _ack(message_id, AckType.NACK)
    await box.login()
    assert sim.client_logged_in
    # A later Login with wrong credentials logs the client out.
    assert await box.exchange(login) == _ack(box.message_id, AckType.NACK)
    assert not sim.client_logged_in


async def test_requests_before_login_are_nacked(sim, raw) -> None:
    box = await raw(sim)
    for request in (
        requests.NodeCount(),
        requests.RoomCount(),
        requests.NodeMetaData(node_id=1),
        requests.KeyStatus(node_id=1, key_id=0),
        requests.ToggleKeyStatus(node_id=1, key_id=1, status=KeyPowerStatus.ON),
    ):
        response = await box.exchange(request)
        assert response == _ack(box.message_id, AckType.NACK)
    assert not sim.house.key(1, 1).on
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
    toggle = requests.ToggleHeartbeat(enable=True, unsolicited=False)
    assert await box.exchange(toggle) == _ack(box.message_id)
    # ToggleHeartbeat needs both bytes.
    message_id = await box.send(CommandID.TOGGLE_HEARTBEAT, b"\x01")
    assert await box.response() == _ack(message_id, AckType.NACK)


async def test_credentials_can_change_at_runtime(sim, make_client) -> None:
    sim.set_credentials(USERNAME, NEW_PASSWORD)
    with pytest.raises(AuthenticationError):
        await make_client(sim)
    client = await make_client(sim, password=NEW_PASSWORD)
    assert client.connected


async def test_one_client_at_a_time(sim, client, raw) -> None:
    second = await raw(sim)
    assert await second.closed_by_peer()
    assert sim.refused_connections == 1
    assert sim.connections == 1
    nodes = await client.send(requests.NodeCount())
    assert nodes.total == len(sim.house.nodes)


async def test_a_new_client_after_the_first_leaves(sim, make_client, raw) -> None:
    first = await raw(sim)
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_for_client()
    await first.close()
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_until_disconnected()
    client = await make_client(sim)
    assert client.connected
    assert sim.connections == 2


async def test_idle_client_is_dropped(make_sim, raw) -> None:
    sim = await make_sim(idle_timeout=0.2)
    box = await raw(sim)
    await box.login()
    assert await box.closed_by_peer()
    assert sim.idle_disconnects == 1
    assert not sim.client_connected


async def test_wait_for_login(sim, raw) -> None:
    box = await raw(sim)
    waiter = asyncio.create_task(sim.wait_for_login())
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_for_client()
    assert not waiter.done()
    await box.login()
    async with asyncio.timeout(TIMEOUT):
        await waiter


async def test_waits_have_a_deadline(sim, monkeypatch) -> None:
    monkeypatch.setattr("vbox_simulator.server.WAIT_TIMEOUT", 0.05)
    with pytest.raises(TimeoutError, match=r"did not reach the awaited state within 0\.05 s"):
        await sim.wait_for_client()


async def test_a_reset_connection_ends_the_session(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    await box.reset()
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_until_disconnected()
    assert sim.connections == 1


async def test_close_during_the_service_time(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    sim.service_time = 0.1
    reads = len(box.reads)
    await box.send_request(requests.NodeCount())
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_for_request(CommandID.NODE_COUNT)
        await sim.close_client()  # the reply due after the service time is not sent
    assert await box.closed_by_peer()
    assert box.reads[reads:] == []


async def test_heartbeats_keep_a_client(make_sim, make_client) -> None:
    sim = await make_sim(idle_timeout=0.5)
    client = await make_client(sim, heartbeat_interval=0.05)
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_for_request(CommandID.HEARTBEAT, count=15)
    assert client.connected
    assert sim.idle_disconnects == 0


async def test_login_password_never_logged_or_kept(sim, make_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = await make_client(sim)
    await client.send(requests.NodeCount())
    login = sim.requests_of(CommandID.LOGIN)[0]
    assert login.payload == b""
    assert login.username == USERNAME
    assert login.name == "LOGIN"
    assert PASSWORD not in repr(sim.requests)
    secret = PASSWORD.encode("utf-16-le").hex(" ")
    for record in caplog.records:
        text = record.getMessage()
        assert PASSWORD not in text
        assert secret not in text
        assert secret[:11] not in text  # not even a piece of the UTF-16LE hex
    assert any(r.name == "vbox_simulator" and "logged in" in r.getMessage() for r in caplog.records)


async def test_context_manager_restart_and_idempotence(raw) -> None:
    house = generate_house(2, 1)
    sim = VBoxSimulator(house, username=USERNAME, password=PASSWORD)
    assert sim.port == 0
    assert not sim.running
    async with sim:
        assert sim.running
        port = sim.port
        assert port > 0
        await sim.start()  # already started
        box = await raw(sim)
        await box.login()
        await sim.stop()
        assert await box.closed_by_peer()
        await sim.stop()  # already stopped
        await sim.start()
        assert sim.port == port
        again = await raw(sim)
        await again.login()
    assert not sim.running


# -- every request, V1 and V2 -----------------------------------------------------------


@pytest.mark.parametrize("version", list(ProtocolVersion))
async def test_discovery_of_the_whole_house(make_sim, make_client, version) -> None:
    sim = await make_sim(version=version)
    client = await make_client(sim)
    house = sim.house
    rooms = await client.send(requests.RoomCount())
    assert rooms.room_ids == tuple(room.id for room in house.rooms)
    for room_id in rooms.room_ids:
        room = await client.send(requests.RoomMetaData(room_id=room_id))
        assert (room.room_id, room.floor, room.name) == (
            room_id,
            house.room(room_id).floor,
            house.room(room_id).name,
        )
    nodes = await client.send(requests.NodeCount())
    assert nodes.node_ids == tuple(node.id for node in house.nodes)
    for node_id in nodes.node_ids:
        node = house.node(node_id)
        meta = await client.send(requests.NodeMetaData(node_id=node_id))
        assert meta.model == node.model
        assert meta.mac == node.mac
        assert meta.version == node.firmware
        assert meta.room_id == node.room_id
        assert meta.is_locked == node.locked
        assert meta.led_level == node.led
        assert [k.type for k in meta.keys] == [k.type for k in node.keys]
        for info in meta.keys:
            key = node.key(info.id)
            params = await client.send(requests.KeyParameters(node_id=node_id, key_id=info.id))
            assert (params.name, params.category) == (key.name, key.category)
            status = await client.send(requests.KeyStatus(node_id=node_id, key_id=info.id))
            assert status.message_id == client._message_id
            assert (status.is_on, status.level) == (key.on, key.level)
    assert house.room(5).name == "חדר שינה הורים"


async def test_demo_fixture_nodes(sim, client) -> None:
    old = await client.send(requests.NodeMetaData(node_id=2))
    assert (old.model, old.version, old.total_keys) == ("VT-MW3-SR2-10A", "1.74", 2)
    boiler = await client.send(requests.KeyParameters(node_id=21, key_id=0))
    assert boiler.name == "דוד שמש"


async def test_node_status_and_internal_unit_statuses(sim, client) -> None:
    status = await client.send(requests.NodeStatus(node_id=19))
    assert status.payload == bytes((19, LockStatus.LOCKED, LEDBackgroundBrightness.NORMAL))
    assert status.command == CommandID.NODE_STATUS
    internal = await client.send(requests.InternalUnitStatuses())
    assert internal.payload == b""


@pytest.mark.parametrize(
    "request_",
    [
        requests.NodeMetaData(node_id=200),
        requests.RoomMetaData(room_id=99),
        requests.KeyParameters(node_id=1, key_id=8),
        requests.KeyStatus(node_id=99, key_id=0),
        requests.ToggleKeyStatus(node_id=1, key_id=9, status=KeyPowerStatus.ON),
        requests.ToggleNodeStatus(
            node_id=99, lock=LockStatus.LOCKED, led=LEDBackgroundBrightness.LOW
        ),
        requests.NodeStatus(node_id=99),
    ],
    ids=lambda r: r.name,
)
async def test_unknown_ids_are_nacked(sim, client, request_) -> None:
    with pytest.raises(CommandRejectedError) as err:
        await client.send(request_)
    assert err.value.ack_type is AckType.NACK


async def test_malformed_requests_are_nacked(sim, raw) -> None:
    box = await raw(sim)
    await box.login(unsolicited=False)
    for command, payload in (
        (CommandID.NODE_META_DATA, b""),
        (CommandID.ROOM_META_DATA, b""),
        (CommandID.KEY_STATUS, b"\x01"),
        (CommandID.KEY_PARAMETERS, b"\x01"),
        (CommandID.NODE_STATUS, b""),
        (CommandID.TOGGLE_KEY_STATUS, b"\x01\x00\x4f\x00"),
        (CommandID.TOGGLE_KEY_STATUS, b"\x01\x00\x53\x00\x00\x00"),  # a press is not a switch
        (CommandID.TOGGLE_KEY_STATUS, b"\x03\x00\x4f\x65\x00\x00"),  # level 101
        (CommandID.TOGGLE_NODE_STATUS, b"\x01\x02\x02"),  # lock 2
        (CommandID.TOGGLE_NODE_STATUS, b"\x01\x00\x09"),  # LED 9
        (CommandID.TOGGLE_NODE_STATUS, b"\x01\x00"),
        (0x65, b""),  # a command the box does not take
    ):
        message_id = await box.send(command, payload)
        assert await box.response() == _ack(message_id, AckType.NACK), (command, payload)
    assert sim.house.key(3, 0).level == 80


async def test_frames_in_the_wrong_direction_and_garbage_are_ignored(sim, raw) -> None:
    box = await raw(sim)
    await box.write(Frame(DataGramDirection.INCOMING, CommandID.NODE_COUNT, 3).to_bytes())
    await box.write(b"\x00\x01garbage VT")
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
    assert [r.command for r in sim.requests] == [CommandID.HEARTBEAT]


async def test_frames_split_and_merged_by_the_client(sim, raw) -> None:
    box = await raw(sim)
    data = requests.Heartbeat().with_message_id(1).build()
    data += requests.Heartbeat().with_message_id(2).build()
    for i in range(len(data)):
        await box.write(data[i : i + 1])
    assert await box.response() == _ack(1)
    assert await box.response() == _ack(2)


async def test_service_time_delays_each_reply(sim, client) -> None:
    sim.service_time = 0.1
    loop = asyncio.get_running_loop()
    start = loop.time()
    await client.send(requests.NodeCount())
    assert loop.time() - start >= 0.1
    sim.service_time = 0.0


async def test_version_can_change_at_runtime(sim, raw) -> None:
    sim.version = ProtocolVersion.V1
    box = await raw(sim, ProtocolVersion.V1)
    await box.login()
    meta = await box.exchange(requests.NodeMetaData(node_id=1))
    assert isinstance(meta, responses.NodeMetaData)
    assert meta.model == "VT-MW4-SR4-ST4-10A"
    params = await box.exchange(requests.KeyParameters(node_id=1, key_id=0))
    assert isinstance(params, responses.KeyParameters)
    assert params.name == "תאורת כניסה"


# -- switching keys and nodes -----------------------------------------------------------


async def _switch(client, node_id, key_id, status, **options: int) -> None:
    request = requests.ToggleKeyStatus(node_id=node_id, key_id=key_id, status=status, **options)
    ack = await client.send(request)
    assert ack.is_ok


async def test_dimmer_switching_is_applied_and_pushed(sim, client, statuses) -> None:
    await _switch(client, 3, 0, KeyPowerStatus.ON, dimmer=40)
    push = await statuses.get()
    assert (push.node_id, push.key_id, push.is_on, push.level) == (3, 0, True, 40)
    assert sim.house.key(3, 0).level == 40
    await _switch(client, 3, 0, KeyPowerStatus.OFF)
    push = await statuses.get()
    assert (push.is_off, push.level) == (True, 0)
    await _switch(client, 3, 0, KeyPowerStatus.ON)
    push = await statuses.get()
    assert (push.is_on, push.level) == (True, 40)
    status = await client.send(requests.KeyStatus(node_id=3, key_id=0))
    assert (status.is_on, status.level) == (True, 40)
    assert {
        "node": 3,
        "key": 0,
        "type": "dimmer",
        "name": "תאורה ראשית",
        "on": True,
        "level": 40,
    } in sim.state()


async def test_blind_and_toggle_switching(sim, client, statuses) -> None:
    await _switch(client, 11, 0, KeyPowerStatus.ON, dimmer=30)
    push = await statuses.get()
    assert (push.is_on, push.level) == (True, 30)
    await _switch(client, 11, 0, KeyPowerStatus.OFF, dimmer=30)
    push = await statuses.get()
    assert (push.is_off, push.level) == (True, 0)
    await _switch(client, 8, 1, KeyPowerStatus.ON)
    push = await statuses.get()
    assert (push.node_id, push.key_id, push.is_on, push.level) == (8, 1, True, 100)
    assert sim.pushes == 3


async def test_no_push_without_unsolicited(sim, raw) -> None:
    box = await raw(sim)
    await box.login(unsolicited=False)
    assert not sim.pushes_enabled
    request = requests.ToggleKeyStatus(node_id=8, key_id=1, status=KeyPowerStatus.ON)
    assert await box.exchange(request) == _ack(box.message_id)
    # The next frame is the heartbeat's answer: no push came in between.
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
    await sim.set_key(8, 1, on=False)
    await sim.press(1, 4, "short")
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
    assert sim.house.key(8, 1).on is False
    assert sim.pushes == 0


async def test_boiler_timer_switches_off_and_pushes(sim, client, statuses) -> None:
    await _switch(client, 21, 0, KeyPowerStatus.ON, timer=1)
    push = await statuses.get()
    assert push.is_on
    assert sim.house.key(21, 0).on
    push = await statuses.get()
    assert (push.node_id, push.key_id, push.is_off) == (21, 0, True)
    assert not sim.house.key(21, 0).on


async def test_boiler_timer_is_cancelled_by_a_later_switch(sim, client, statuses) -> None:
    await _switch(client, 21, 0, KeyPowerStatus.ON, timer=60)
    assert (21, 0) in sim.engine.timed
    await _switch(client, 21, 0, KeyPowerStatus.OFF)
    assert sim.engine.timed == frozenset()
    await _switch(client, 21, 0, KeyPowerStatus.ON, timer=60)
    await sim.set_key(21, 0, on=True)
    assert sim.engine.timed == frozenset()
    await _switch(client, 33, 0, KeyPowerStatus.ON, timer=3600)
    await sim.stop()  # cancels the timer: no task is left behind
    assert sim.engine.timed == frozenset()


async def test_unplug_drops_the_client_and_keeps_the_box_going(sim, client) -> None:
    await _switch(client, 21, 0, KeyPowerStatus.ON, timer=3600)
    port = sim.port
    await sim.unplug()
    await sim.unplug()  # unplugging twice is harmless
    assert not sim.running
    assert not sim.client_connected
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)
    assert (21, 0) in sim.engine.timed  # the box goes on inside: its timer still runs
    await sim.set_key(3, 0, level=30)  # a change at the wall, pushed to nobody
    await sim.start()
    assert (sim.running, sim.port) == (True, port)
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()
    assert sim.house.key(3, 0).level == 30
    await sim.unplug()
    await sim.stop()  # stopping an unplugged box still cancels its timers
    assert sim.engine.timed == frozenset()


async def test_toggle_node_status(sim, client) -> None:
    request = requests.ToggleNodeStatus(
        node_id=5, lock=LockStatus.LOCKED, led=LEDBackgroundBrightness.MAX
    )
    assert (await client.send(request)).is_ok
    node = sim.house.node(5)
    assert (node.locked, node.led) == (True, LEDBackgroundBrightness.MAX)
    meta = await client.send(requests.NodeMetaData(node_id=5))
    assert (meta.is_locked, meta.led_level) == (True, LEDBackgroundBrightness.MAX)
    status = await client.send(requests.NodeStatus(node_id=5))
    assert status.payload == bytes((5, 1, 4))
    unlock = requests.ToggleNodeStatus(
        node_id=5, lock=LockStatus.UNLOCKED, led=LEDBackgroundBrightness.OFF
    )
    assert (await client.send(unlock)).is_ok
    assert (node.locked, node.led) == (False, LEDBackgroundBrightness.OFF)


# -- changes at the wall ----------------------------------------------------------------


async def test_set_key_pushes(sim, client, statuses) -> None:
    state = await sim.set_key(3, 1, level=70)
    assert state == {
        "node": 3,
        "key": 1,
        "type": "dimmer",
        "name": "ספוטים",
        "on": True,
        "level": 70,
    }
    push = await statuses.get()
    assert (push.node_id, push.key_id, push.is_on, push.level) == (3, 1, True, 70)
    await sim.set_key(3, 1, on=False)
    assert (await statuses.get()).is_off
    await sim.set_key(3, 1, True)
    assert (await statuses.get()).level == 70
    await sim.set_key(3, 1, level=0)
    assert (await statuses.get()).is_off
    await sim.set_key(4, 0, level=35)
    push = await statuses.get()
    assert (push.node_id, push.is_on, push.level) == (4, True, 35)
    await sim.set_key(1, 0, on=False, level=50)
    assert (await statuses.get()).is_off


async def test_set_key_errors(sim) -> None:
    with pytest.raises(KeyError):
        await sim.set_key(99, 0, on=True)
    with pytest.raises(KeyError):
        await sim.set_key(1, 8, on=True)
    with pytest.raises(ValueError, match="needs on or level"):
        await sim.set_key(1, 0)
    with pytest.raises(ValueError, match="between 0 and 100"):
        await sim.set_key(3, 0, level=101)
    # Without a client the state still changes.
    assert (await sim.set_key(1, 1, on=True))["on"] is True


async def test_press_events(sim, client, statuses) -> None:
    assert not sim.house.key(1, 1).on
    await sim.press(1, 1, "short")
    event = await statuses.get()
    assert (event.node_id, event.key_id, event.power, event.is_press) == (
        1,
        1,
        KeyPowerStatus.SHORT,
        True,
    )
    state = await statuses.get()
    assert (state.is_on, state.level) == (True, 100)
    assert sim.house.key(1, 1).on
    await sim.press(1, 5, "long")  # a satellite key: the press only
    assert (await statuses.get()).power == KeyPowerStatus.LONG
    await sim.press(1, 5, "release")
    released = await statuses.get()
    assert released.is_released
    await sim.press(1, 4, "short")  # a push button: no state follows
    assert (await statuses.get()).power == KeyPowerStatus.SHORT
    await sim.press(3, 2, "short")  # a dimmer that was off comes on at its last level
    assert (await statuses.get()).power == KeyPowerStatus.SHORT
    assert (await statuses.get()).level == 50
    # Nothing else was queued.
    ack = await client.send(requests.Heartbeat())
    assert ack.is_ok
    assert statuses.queue.empty()


async def test_press_errors(sim) -> None:
    with pytest.raises(ValueError, match="short, long or release"):
        await sim.press(1, 0, "double")
    with pytest.raises(KeyError):
        await sim.press(1, 99, "short")


async def test_state_lists_every_key(sim) -> None:
    state = sim.state()
    assert len(state) == sim.house.key_count
    assert state[0] == {
        "node": 1,
        "key": 0,
        "type": "toggle",
        "name": "תאורת כניסה",
        "on": True,
        "level": 100,
    }
    types = {entry["type"] for entry in state}
    assert {t.name.lower() for t in (KeyType.BOILER, KeyType.SATELLITE)} <= types


async def test_status_queue_helper_unsubscribes(sim, client) -> None:
    queue = StatusQueue(client)
    queue.unsubscribe()
    await sim.set_key(1, 0, on=False)
    await client.send(requests.Heartbeat())
    assert queue.queue.empty()


async def test_settings_are_the_engines_and_the_ports(make_sim) -> None:
    sim = await make_sim(host_clients=3)
    sim.dimmer_ramp, sim.minute, sim.idle_timeout = 2.0, 0.5, 7.0
    assert (sim.engine.dimmer_ramp, sim.engine.minute) == (2.0, 0.5)
    assert (sim.dimmer_ramp, sim.minute, sim.idle_timeout) == (2.0, 0.5, 7.0)
    assert sim.vtu.idle_timeout == 7.0
    assert sim.host_server.clients == 3


async def test_timer_minutes_left_and_raw_writes(sim, raw) -> None:
    await sim.set_key(21, 0, on=True)
    assert sim.timer_minutes_left(21, 0) == 0
    client = await raw(sim)
    await sim.wait_for_client()
    await sim._send(sim._require_session(), [b"\x00\x01"])  # as tests send what no codec builds
    async with asyncio.timeout(5):
        assert await client.reader.readexactly(2) == b"\x00\x01"
