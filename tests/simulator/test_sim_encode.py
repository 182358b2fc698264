"""Box-side encoders: byte-exact against the reference fixtures, and parsed back by the core."""

from __future__ import annotations

import pytest

from custom_components.vitrea.vbox import (
    AckType,
    DataGramDirection,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    ProtocolVersion,
    responses,
)
from vbox_simulator import Key, Node, Room, encode, load_demo_house


def _hex(text: str) -> bytes:
    return bytes.fromhex(text)


def test_acknowledgement_fixture() -> None:
    assert encode.acknowledgement(0x10).to_bytes() == _hex("56 54 55 3C 00 00 03 10 00 4E")
    nack = responses.parse(encode.acknowledgement(7, AckType.NACK).to_bytes())
    assert nack == responses.Acknowledgement(message_id=7, type=AckType.NACK)


def test_node_count_fixture() -> None:
    ids = [*range(1, 0x0C), *range(0x0D, 0x11)]
    frame = encode.node_count(0x3B, ids)
    assert frame.to_bytes() == _hex(
        "56 54 55 3C 24 00 12 3B 0F 01 02 03 04 05 06 07 08 09 0A 0B 0D 0E 0F 10 37"
    )


def test_room_count_fixture() -> None:
    frame = encode.room_count(0x1E, range(8))
    assert frame.to_bytes() == _hex("56 54 55 3C 1D 00 0B 1E 08 00 01 02 03 04 05 06 07 A5")


def test_room_meta_data_fixture() -> None:
    frame = encode.room_meta_data(0x1F, Room(0, 0, "Entrance"))
    assert frame.to_bytes() == _hex(
        "56 54 55 3C 1A 00 15 1F 00 00 10 45 00 6E 00 74 00 72 00 61 00 6E 00 63 00 65 00 C9"
    )


def test_node_meta_data_v1_fixture() -> None:
    node = Node(
        id=1,
        node_type=2,
        mac="00:15:8D:00:00:69:C4:FF",
        firmware="1.74",
        room_id=7,
        keys=[
            Key(0, KeyType.NOT_ACTIVE, KeyCategory.UNDEFINED, ""),
            Key(1, KeyType.TOGGLE, KeyCategory.LIGHT, ""),
        ],
    )
    frame = encode.node_meta_data(0x3C, node, ProtocolVersion.V1)
    assert frame.to_bytes() == _hex(
        "56 54 55 3C 1F 00 18 3C 01 00 15 8D 00 00 69 C4 FF 02 02 01 02"
        " 00 02 83 01 07 04 FF 07 00 1B"
    )


def test_node_meta_data_v2_layout() -> None:
    node = Node(
        id=2,
        node_type=0x15,
        mac="00:0D:6F:00:16:17:DE:B6",
        firmware="7.93",
        room_id=0,
        keys=[
            Key(i, KeyType(t), KeyCategory.LIGHT, "")
            for i, t in enumerate((2, 1, 2, 2, 4, 2, 4, 2))
        ],
    )
    payload = encode.node_meta_data(5, node, ProtocolVersion.V2).payload
    # The fixture's bytes up to the version; the reference leaves the rest open.
    assert payload[:25] == _hex(
        "02 00 0D 6F 00 16 17 DE B6 02 15 08 02 01 02 02 04 02 04 02 00 02 83 07 09"
    )
    assert payload[25:] == _hex("03 FF 00 00")


def test_key_parameters_v1_fixture() -> None:
    key = Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "Kitchen Island & Table (MW)")
    frame = encode.key_parameters(0x60, 2, key, ProtocolVersion.V1)
    name = "Kitchen Island & Table (MW)".encode("utf-16-le")
    assert frame.to_bytes() == (
        _hex("56 54 55 3C 2B 00 44 60 02 00 FF 01 00 00 00 00 00 73 3A 36") + name + _hex("93")
    )


def test_key_parameters_v2_fixture() -> None:
    key = Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "Dining Room Toilet")
    frame = encode.key_parameters(0x78, 1, key, ProtocolVersion.V2)
    name = "Dining Room Toilet".encode("utf-16-le")
    assert frame.to_bytes() == (
        _hex("56 54 55 3C 2B 00 33 78 01 00 FF 01 00 78 78 01 64 01 00 00 24") + name + _hex("33")
    )


def test_key_status_and_events() -> None:
    dimmer = Key(3, KeyType.DIMMER, KeyCategory.LIGHT, "d", on=True, level=42)
    status = responses.parse(encode.key_status(9, 4, dimmer).to_bytes())
    assert isinstance(status, responses.KeyStatus)
    assert (status.node_id, status.key_id, status.is_on, status.level) == (4, 3, True, 42)
    assert status.extra == bytes((42, 0, 0, 0, 0))
    dimmer.command(on=False)
    off = responses.parse(encode.key_status(9, 4, dimmer).to_bytes())
    assert isinstance(off, responses.KeyStatus)
    assert (off.is_off, off.level) == (True, 0)
    for power in (KeyPowerStatus.SHORT, KeyPowerStatus.LONG, KeyPowerStatus.RELEASED):
        event = responses.parse(encode.key_event(1, 4, 3, power).to_bytes())
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
    status = responses.parse(encode.node_status(4, node).to_bytes())
    assert status == responses.GenericResponse(message_id=4, command=0x23, payload=bytes((9, 1, 3)))
    internal = responses.parse(encode.internal_unit_statuses(5).to_bytes())
    assert internal == responses.InternalUnitStatuses(message_id=5)


def test_names_longer_than_a_byte_are_refused() -> None:
    assert encode.encode_name("א" * 127)[0] == 254
    with pytest.raises(ValueError, match="longer than 127"):
        encode.encode_name("a" * 128)


@pytest.mark.parametrize("version", list(ProtocolVersion))
def test_the_core_parses_the_whole_demo_house_back(version: ProtocolVersion) -> None:
    house = load_demo_house()
    for room in house.rooms:
        frame = encode.room_meta_data(1, room)
        assert frame.direction is DataGramDirection.INCOMING
        parsed = responses.from_frame(frame, version)
        assert parsed == responses.RoomMetaData(
            message_id=1, room_id=room.id, floor=room.floor, name=room.name
        )
    for node in house.nodes:
        meta = responses.from_frame(encode.node_meta_data(2, node, version), version)
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
            params = responses.from_frame(encode.key_parameters(3, node.id, key, version), version)
            assert params == responses.KeyParameters(
                message_id=3, node_id=node.id, key_id=key.id, category=key.category, name=key.name
            )
