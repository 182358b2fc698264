"""Fault injection: every fault, seen by a raw socket client and by the real core client."""

from __future__ import annotations

import asyncio

import pytest
from vitrea_client import (
    AckType,
    CommandID,
    CommandRejectedError,
    ConnectionState,
    KeyPowerStatus,
    VitreaTimeoutError,
    requests,
    responses,
)

from tests.simulator.sim_support import TIMEOUT
from vbox_simulator import FaultError, Faults, NoClientError
from vbox_simulator.faults import FaultCommand, parse_fault


def _ack(message_id: int, ack: AckType = AckType.ACK) -> responses.Acknowledgement:
    return responses.Acknowledgement(message_id=message_id, type=ack)


async def test_close(sim, client) -> None:
    lost = asyncio.Event()
    client.on_connection_state(
        lambda state: lost.set() if state is ConnectionState.DISCONNECTED else None
    )
    await sim.inject("close")
    assert not sim.client_connected
    async with asyncio.timeout(TIMEOUT):
        await lost.wait()
    assert not client.connected
    assert "closed the connection" in str(client.last_error)


async def test_actions_need_a_client(sim) -> None:
    for name in ("close", "garbage", "stray"):
        with pytest.raises(NoClientError):
            await sim.inject(name)


async def test_silent_and_recover(sim, client, statuses) -> None:
    await sim.inject("silent")
    assert sim.faults.silent
    with pytest.raises(VitreaTimeoutError):
        await client.send(requests.NodeCount())
    assert sim.client_connected  # the socket stays open
    await sim.set_key(1, 1, on=True)  # no push while silent
    await sim.inject("recover")
    assert not sim.faults.silent
    nodes = await client.send(requests.NodeCount())
    assert nodes.total == len(sim.house.nodes)
    assert statuses.queue.empty()
    assert sim.pushes == 0


async def test_silent_during_the_service_time_drops_the_reply(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    sim.service_time = 0.2
    await box.send_request(requests.NodeCount())
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_for_request(CommandID.NODE_COUNT)
    await sim.inject("silent")
    sim.service_time = 0.0
    # Requests are served in order: once the heartbeat is read, the NodeCount is done.
    await box.send_request(requests.Heartbeat())
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_for_request(CommandID.HEARTBEAT)
    await sim.inject("recover")
    # Neither was answered: the next frame answers the next heartbeat.
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)


async def test_garbage(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    await sim.inject("garbage", 64)
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
    received = b"".join(box.reads)
    assert box.frames.discarded_bytes >= 64
    assert len(received) >= 64 + 3 * 10
    await sim.inject("garbage")  # default size
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)


async def test_garbage_does_not_break_the_core_client(sim, client) -> None:
    await sim.send_garbage(200)
    nodes = await client.send(requests.NodeCount())
    assert nodes.total == len(sim.house.nodes)


async def test_split(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    await sim.inject("split")
    writes = sim.writes
    request = requests.ToggleKeyStatus(node_id=8, key_id=1, status=KeyPowerStatus.ON)
    assert await box.exchange(request) == _ack(box.message_id)
    push = await box.response()
    assert isinstance(push, responses.KeyStatus)
    assert push.is_on
    assert sim.writes - writes == 10 + 17  # an acknowledgement and a key status, byte by byte


async def test_split_with_the_core_client(sim, client, statuses) -> None:
    await sim.inject("split")
    meta = await client.send(requests.NodeMetaData(node_id=1))
    assert meta.total_keys == 8
    await sim.set_key(1, 1, on=True)
    assert (await statuses.get()).is_on


async def test_merge(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    request = requests.ToggleKeyStatus(node_id=8, key_id=1, status=KeyPowerStatus.ON)
    writes = sim.writes
    await box.exchange(request)
    await box.response()
    assert sim.writes - writes == 2
    await sim.inject("merge")
    writes = sim.writes
    assert await box.exchange(request.with_message_id(1)) == _ack(box.message_id)
    push = await box.response()
    assert isinstance(push, responses.KeyStatus)
    assert sim.writes - writes == 1
    # A press and the state it causes also go out in one write.
    writes = sim.writes
    await sim.press(8, 3, "short")
    assert sim.writes - writes == 1
    event, state = await box.response(), await box.response()
    assert isinstance(event, responses.KeyStatus)
    assert isinstance(state, responses.KeyStatus)
    assert (event.power, state.power) == (KeyPowerStatus.SHORT, KeyPowerStatus.ON)


async def test_delay_longer_than_the_timeout(sim, client) -> None:
    await sim.inject("delay", "0.6")
    assert sim.faults.delay == 0.6
    with pytest.raises(VitreaTimeoutError):
        await client.send(requests.NodeCount())
    await sim.inject("delay", 0)
    # The late NodeCount reply carries an old message ID; the next request is not fooled.
    rooms = await client.send(requests.RoomCount())
    assert rooms.total == len(sim.house.rooms)


@pytest.mark.parametrize(
    ("name", "ack"),
    [("nack", AckType.NACK), ("in_use", AckType.IN_USE), ("error", AckType.ERROR)],
)
async def test_rejections(sim, client, name, ack) -> None:
    await sim.inject(name)
    for request in (
        requests.NodeCount(),
        requests.ToggleKeyStatus(node_id=8, key_id=1, status=KeyPowerStatus.ON),
    ):
        with pytest.raises(CommandRejectedError) as err:
            await client.send(request)
        assert err.value.ack_type is ack
    assert not sim.house.key(8, 1).on  # not done
    assert (await client.send(requests.Heartbeat())).is_ok  # heartbeats are answered
    await sim.inject("reset")
    assert (await client.send(requests.NodeCount())).total == len(sim.house.nodes)


async def test_rejection_count(sim, client) -> None:
    await sim.inject("in-use", "2")
    assert sim.faults.reject_count == 2
    for _ in range(2):
        with pytest.raises(CommandRejectedError):
            await client.send(requests.RoomCount())
    assert sim.faults.reject is None
    assert (await client.send(requests.RoomCount())).total == len(sim.house.rooms)


async def test_rejection_of_login(sim, make_client) -> None:
    await sim.inject("error", 1)
    with pytest.raises(CommandRejectedError):
        await make_client(sim)
    client = await make_client(sim)
    assert client.connected


async def test_stray(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    message_id = box.message_id
    await sim.inject("stray")
    stray = await box.frame()
    assert stray.command == CommandID.ACKNOWLEDGEMENT
    assert stray.message_id not in (message_id, message_id % 0xFF + 1)


async def test_stray_does_not_fool_the_core_client(sim, client) -> None:
    await sim.send_stray()
    nodes = await client.send(requests.NodeCount())
    assert nodes.total == len(sim.house.nodes)


async def test_corrupt_counted(sim, raw) -> None:
    box = await raw(sim)
    await box.login()
    await sim.inject("corrupt", 2)
    assert sim.faults.as_dict()["corrupt_count"] == 2
    # A reply and the push it causes: both checksums are wrong, so the reader drops both.
    request = requests.ToggleKeyStatus(node_id=8, key_id=1, status=KeyPowerStatus.ON)
    message_id = await box.send_request(request)
    await sim.wait_until(lambda: not sim.faults.corrupt)
    assert sim.faults.corrupt_count is None
    assert sim.house.key(8, 1).on  # the command itself was carried out
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
    received = b"".join(box.reads)
    frame = bytes.fromhex("56 54 55 3C 00 00 03") + bytes((message_id, 0))
    checksum = sum(frame) & 0xFF
    assert frame + bytes(((checksum + 1) & 0xFF,)) in received
    assert frame + bytes((checksum,)) not in received
    assert box.frames.discarded_bytes >= 10 + 17


async def test_corrupt_until_reset(sim, client) -> None:
    await sim.inject("corrupt")
    assert sim.faults.corrupt
    assert sim.faults.corrupt_count is None
    for _ in range(2):
        with pytest.raises(VitreaTimeoutError):
            await client.send(requests.NodeCount())
    await sim.inject("reset")
    assert (await client.send(requests.NodeCount())).total == len(sim.house.nodes)


async def test_reset_clears_every_fault(sim) -> None:
    for name, argument in (
        ("silent", None),
        ("split", None),
        ("merge", None),
        ("delay", 2),
        ("drop", None),
        ("nack", None),
        ("corrupt", 3),
    ):
        await sim.inject(name, argument)
    assert sim.faults.as_dict() == {
        "silent": True,
        "split": True,
        "merge": True,
        "delay": 2.0,
        "drop": True,
        "reject": "nack",
        "reject_count": None,
        "corrupt": True,
        "corrupt_count": 3,
    }
    await sim.inject("RESET")
    assert sim.faults == Faults()


@pytest.mark.parametrize(
    ("name", "argument", "message"),
    [
        ("explode", None, "unknown fault"),
        ("delay", None, "needs a number of seconds"),
        ("delay", "-1", "between 0 and 3600"),
        ("delay", "soon", "a number of seconds"),
        ("delay", "nan", "a number of seconds"),
        ("nack", "x", "a whole number"),
        ("nack", "0", "between 1 and"),
        ("garbage", "5000", "between 1 and 4096"),
        ("corrupt", "0", "between 1 and"),
        ("close", "1", "takes no argument"),
        ("reset", "now", "takes no argument"),
    ],
)
def test_invalid_faults(name, argument, message) -> None:
    with pytest.raises(FaultError, match=message):
        parse_fault(name, argument)


def test_parse_fault() -> None:
    assert parse_fault("Delay", "1.5").argument == 1.5
    assert parse_fault("garbage").argument is None
    assert parse_fault("in-use", "3").name == "in_use"
    assert parse_fault("corrupt") == FaultCommand("corrupt")
    assert parse_fault("corrupt", "2").argument == 2


async def test_drop_acknowledges_each_login_then_closes(sim, raw) -> None:
    await sim.inject("drop")
    for _ in range(2):
        box = await raw(sim)
        await box.login()  # acknowledged
        assert await box.closed_by_peer()
    await sim.inject("reset")
    box = await raw(sim)
    await box.login()
    assert await box.exchange(requests.Heartbeat()) == _ack(box.message_id)
