"""Box-side encoders, cross-checked with the client: the core parses every frame back.

The byte-exact reference vectors are in ``test_sim_wire.py``; here the simulator's frames go
through the client's own decoder, so that the two independent codecs check each other.
"""

from __future__ import annotations

import pytest
from vitrea_client import ProtocolVersion as CoreVersion
from vitrea_client import responses

from vbox_simulator import Key, Node, encode, load_demo_house
from vbox_simulator.wire import (
    AckType,
    DataGramDirection,
    Frame,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    ProtocolVersion,
    encode_name,
)


def _parse(frame: Frame, version: ProtocolVersion = ProtocolVersion.V2) -> responses.Response:
    """The simulator's frame as the client reads it off the wire."""
    assert frame.direction is DataGramDirection.INCOMING
    parsed = responses.parse(frame.to_bytes(), CoreVersion(version.value))
    assert parsed is not None
    return parsed


def test_acknowledgement() -> None:
    assert _parse(encode.acknowledgement(0x10)) == responses.Acknowledgement(message_id=0x10)
    nack = _parse(encode.acknowledgement(7, AckType.NACK))
    assert nack == responses.Acknowledgement(message_id=7, type=AckType.NACK)


def test_counts() -> None:
    nodes = _parse(encode.node_count(0x3B, [1, 2, 0x10]))
    assert nodes == responses.NodeCount(message_id=0x3B, node_ids=(1, 2, 0x10))
    rooms = _parse(encode.room_count(0x1E, range(8)))
    assert rooms == responses.RoomCount(message_id=0x1E, room_ids=tuple(range(8)))


def test_key_status_and_events() -> None:
    dimmer = Key(3, KeyType.DIMMER, KeyCategory.LIGHT, "d", on=True, level=42)
    status = _parse(encode.key_status(9, 4, dimmer))
    assert isinstance(status, responses.KeyStatus)
    assert (status.node_id, status.key_id, status.is_on, status.level) == (4, 3, True, 42)
    assert status.extra == bytes((42, 0, 0, 0, 0))
    dimmer.command(on=False)
    off = _parse(encode.key_status(9, 4, dimmer))
    assert isinstance(off, responses.KeyStatus)
    assert (off.is_off, off.level) == (True, 0)
    for power in (KeyPowerStatus.SHORT, KeyPowerStatus.LONG, KeyPowerStatus.RELEASED):
        event = _parse(encode.key_event(1, 4, 3, power))
        assert isinstance(event, responses.KeyStatus)
        assert (event.power, event.is_press, event.level) == (power, True, 0)


def test_node_status_and_internal_unit_statuses() -> None:
    node = Node(
        id=9,
        node_type=3,
        mac="00:00:00:00:00:00:00:09",
        firmware="7.93",
        room_id=0,
        locked=True,
        led=LEDBackgroundBrightness.HIGH,
    )
    status = _parse(encode.node_status(4, node))
    assert status == responses.GenericResponse(message_id=4, command=0x23, payload=bytes((9, 1, 3)))
    internal = _parse(encode.internal_unit_statuses(5))
    assert internal == responses.InternalUnitStatuses(message_id=5)


def test_names_longer_than_a_byte_are_refused() -> None:
    assert encode_name("א" * 127)[0] == 254
    with pytest.raises(ValueError, match="longer than 127"):
        encode_name("a" * 128)


@pytest.mark.parametrize("version", list(ProtocolVersion))
def test_the_core_parses_the_whole_demo_house_back(version: ProtocolVersion) -> None:
    house = load_demo_house()
    for room in house.rooms:
        parsed = _parse(encode.room_meta_data(1, room), version)
        assert parsed == responses.RoomMetaData(
            message_id=1, room_id=room.id, floor=room.floor, name=room.name
        )
    for node in house.nodes:
        meta = _parse(encode.node_meta_data(2, node, version), version)
        assert isinstance(meta, responses.NodeMetaData)
        assert (meta.node_id, meta.mac, meta.node_type, meta.model) == (
            node.id,
            node.mac,
            node.node_type,
            node.model,
        )
        assert [(k.id, k.type) for k in meta.keys] == [(k.id, k.type) for k in node.keys]
        assert (meta.is_locked, meta.led_level, meta.version, meta.room_id) == (
            node.locked,
            node.led,
            node.firmware,
            node.room_id,
        )
        for key in node.keys:
            params = _parse(encode.key_parameters(3, node.id, key, version), version)
            assert params == responses.KeyParameters(
                message_id=3, node_id=node.id, key_id=key.id, category=key.category, name=key.name
            )
