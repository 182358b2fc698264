"""Parsing of every response fixture, the V1/V2 factory, and parser robustness."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vitrea_client import responses
from vitrea_client.enums import (
    AckType,
    CommandID,
    DataGramDirection,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    ProtocolVersion,
)
from vitrea_client.errors import ProtocolError
from vitrea_client.frames import Frame, checksum, decode_frame
from vitrea_client.responses import KeyInfo

V1 = ProtocolVersion.V1
V2 = ProtocolVersion.V2
IN = DataGramDirection.INCOMING
OUT = DataGramDirection.OUTGOING

# --- fixtures of the upstream test-suite (reference §2.5-2.6) --------------------------------

NODE_COUNT = bytes.fromhex(
    "56 54 55 3C 24 00 12 3B 0F 01 02 03 04 05 06 07 08 09 0A 0B 0D 0E 0F 10 37"
)
ROOM_COUNT = bytes.fromhex("56 54 55 3C 1D 00 0B 1E 08 00 01 02 03 04 05 06 07 A5")
ROOM_ENTRANCE = bytes.fromhex(
    "56 54 55 3C 1A 00 15 1F 00 00 10 45 00 6E 00 74 00 72 00 61 00 6E 00 63 00 65 00 C9"
)
# Upstream's Hebrew fixture lacks its checksum byte 07 (reference §2.6).
ROOM_HEBREW_TRUNCATED = bytes.fromhex(
    "56 54 55 3C 1A 00 0F 06 01 00 0A DE 05 D8 05 D1 05 D7 05 20 00"
)
ROOM_HEBREW = ROOM_HEBREW_TRUNCATED + b"\x07"
KEY_PARAMETERS_V1_NAME = "Kitchen Island & Table (MW)"
KEY_PARAMETERS_V1 = (
    bytes.fromhex("56 54 55 3C 2B 00 44 60 02 00 FF 01 00 00 00 00 00 73 3A 36")
    + KEY_PARAMETERS_V1_NAME.encode("utf-16-le")
    + b"\x93"
)
KEY_PARAMETERS_V2_NAME = "Dining Room Toilet"
KEY_PARAMETERS_V2 = (
    bytes.fromhex("56 54 55 3C 2B 00 33 78 01 00 FF 01 00 78 78 01 64 01 00 00 24")
    + KEY_PARAMETERS_V2_NAME.encode("utf-16-le")
    + b"\x33"
)
KEY_STATUS = bytes.fromhex("56 54 55 3C 29 00 0A 48 01 00 46 00 00 00 41 00 3E")
NODE_META_DATA_V1 = bytes.fromhex(
    "56 54 55 3C 1F 00 18 3C 01 00 15 8D 00 00 69 C4 FF 02 02 01 02 00 02 83 01 07 04 FF 07 00 1B"
)
NODE_META_DATA_V2_1 = bytes.fromhex(
    "56 54 55 3C 1F 00 1B 34 01 00 0D 6F 00 0E FB 96 21 02 03 03 02 02 02 00 02 83 07 09 03"
    " 00 00 00 00 8C"
)
# Upstream's second V2 fixture lacks its checksum byte 88 (reference §2.6).
NODE_META_DATA_V2_2_TRUNCATED = bytes.fromhex(
    "56 54 55 3C 1F 00 20 05 02 00 0D 6F 00 16 17 DE B6 02 15 08 02 01 02 02 04 02 04 02 00 02"
    " 83 07 09 03 00 00 00 00"
)
NODE_META_DATA_V2_2 = NODE_META_DATA_V2_2_TRUNCATED + b"\x88"
ACK = bytes.fromhex("56 54 55 3C 00 00 03 00 00 3E")
CURTAIN = bytes.fromhex(
    "56 54 55 3C 65 00 13 31 0A 0A 0E 43 00 75 00 72 00 74 00 61 00 69 00 6E 00 DC"
)
# Its length field says 14 but only 12 bytes follow (reference §2.6).
NODE_EXISTENCE_BAD_LENGTH = bytes.fromhex(
    "56 54 55 3C C8 00 0E 64 03 FF 00 0D 6F 00 16 17 09 54 7D"
)


def parsed(data: bytes, version: ProtocolVersion = V2) -> responses.Response:
    response = responses.parse(data, version)
    assert response is not None
    return response


# --- reconstructed fixtures are self-consistent ------------------------------------------


@pytest.mark.parametrize(
    ("data", "length"),
    [
        (KEY_PARAMETERS_V1, 0x44),
        (KEY_PARAMETERS_V2, 0x33),
        (ROOM_HEBREW, 0x0F),
        (NODE_META_DATA_V2_2, 0x20),
    ],
)
def test_reconstructed_fixtures_have_the_reference_length_and_checksum(
    data: bytes, length: int
) -> None:
    assert int.from_bytes(data[5:7], "big") == length == len(data) - 7
    assert checksum(data[:-1]) == data[-1]


def test_reconstructed_key_parameters_checksums_match_the_reference() -> None:
    assert checksum(KEY_PARAMETERS_V1[:-1]) == 0x93
    assert checksum(KEY_PARAMETERS_V2[:-1]) == 0x33
    assert len(KEY_PARAMETERS_V1_NAME.encode("utf-16-le")) == 0x36
    assert len(KEY_PARAMETERS_V2_NAME.encode("utf-16-le")) == 0x24


def test_truncated_upstream_fixtures_do_not_parse() -> None:
    assert responses.parse(ROOM_HEBREW_TRUNCATED) is None
    assert responses.parse(NODE_META_DATA_V2_2_TRUNCATED) is None


# --- each fixture ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", [V1, V2])
def test_node_count(version: ProtocolVersion) -> None:
    response = parsed(NODE_COUNT, version)
    assert response == responses.NodeCount(
        message_id=0x3B, node_ids=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)
    )
    assert isinstance(response, responses.NodeCount)
    assert response.total == 15
    assert 0x0C not in response.node_ids


def test_room_count() -> None:
    response = parsed(ROOM_COUNT)
    assert response == responses.RoomCount(message_id=0x1E, room_ids=(0, 1, 2, 3, 4, 5, 6, 7))
    assert isinstance(response, responses.RoomCount)
    assert response.total == 8


def test_room_meta_data_entrance() -> None:
    assert parsed(ROOM_ENTRANCE) == responses.RoomMetaData(
        message_id=0x1F, room_id=0, floor=0, name="Entrance"
    )


def test_room_meta_data_hebrew_trailing_space_stripped() -> None:
    assert parsed(ROOM_HEBREW) == responses.RoomMetaData(
        message_id=0x06, room_id=1, floor=0, name="מטבח"
    )


def test_key_parameters_v1() -> None:
    assert parsed(KEY_PARAMETERS_V1, V1) == responses.KeyParameters(
        message_id=0x60,
        node_id=2,
        key_id=0,
        category=KeyCategory.LIGHT,
        name="Kitchen Island & Table (MW)",
    )


def test_key_parameters_v2() -> None:
    assert parsed(KEY_PARAMETERS_V2, V2) == responses.KeyParameters(
        message_id=0x78, node_id=1, key_id=0, category=KeyCategory.LIGHT, name="Dining Room Toilet"
    )


def test_key_parameters_layout_depends_on_the_version() -> None:
    # Read with the other layout, the name starts one byte off.
    v1_as_v2 = parsed(KEY_PARAMETERS_V1, V2)
    assert isinstance(v1_as_v2, responses.KeyParameters)
    assert v1_as_v2.name != KEY_PARAMETERS_V1_NAME
    v2_as_v1 = parsed(KEY_PARAMETERS_V2, V1)
    assert isinstance(v2_as_v1, responses.KeyParameters)
    assert v2_as_v1.name != KEY_PARAMETERS_V2_NAME


def _payload(frame: bytes) -> bytes:
    decoded = decode_frame(frame)
    assert decoded is not None
    return decoded.payload


def test_each_upstream_key_parameters_capture_fits_its_own_layout_only() -> None:
    """The rule that tells V1 from V2: the name length byte counts the bytes after it."""
    assert responses.key_parameters_layouts(_payload(KEY_PARAMETERS_V1)) == [V1]
    assert responses.key_parameters_layouts(_payload(KEY_PARAMETERS_V2)) == [V2]


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize("name", ["", "a", "תאורה ראשית", "Kitchen Island & Table (MW)"])
def test_a_key_parameters_payload_fits_the_layout_it_was_built_in(
    version: ProtocolVersion, name: str
) -> None:
    encoded = name.encode("utf-16-le")
    filler = bytes(responses.NAME_LENGTH_AT[version] - 4)
    payload = bytes((1, 0, 0xFF, 1)) + filler + bytes((len(encoded),)) + encoded
    assert version in responses.key_parameters_layouts(payload)


def test_a_key_parameters_payload_can_fit_both_layouts() -> None:
    """V1 with a name whose first byte is its length minus one reads as V2 too."""
    name = "K" * 38  # 76 bytes; its first byte, 0x4B, is 75
    encoded = name.encode("utf-16-le")
    payload = bytes((1, 0, 0xFF, 1)) + bytes(7) + bytes((len(encoded),)) + encoded
    assert responses.key_parameters_layouts(payload) == [V1, V2]


@pytest.mark.parametrize("payload", [b"", bytes(11), bytes(12) + b"\x05", bytes(40)])
def test_a_key_parameters_payload_of_neither_layout_fits_none(payload: bytes) -> None:
    assert responses.key_parameters_layouts(payload) == []


@pytest.mark.parametrize(
    "frame", [KEY_PARAMETERS_V1, KEY_PARAMETERS_V2, NODE_META_DATA_V1, NODE_META_DATA_V2_1]
)
def test_without_a_version_the_layout_dependent_frames_stay_undecoded(frame: bytes) -> None:
    decoded = decode_frame(frame)
    assert decoded is not None
    assert responses.from_frame(decoded, None) == responses.GenericResponse(
        message_id=decoded.message_id, command=decoded.command, payload=decoded.payload
    )


def test_without_a_version_the_other_frames_are_decoded() -> None:
    decoded = decode_frame(KEY_STATUS)
    assert decoded is not None
    assert isinstance(responses.from_frame(decoded, None), responses.KeyStatus)


def test_key_status_fixture() -> None:
    response = parsed(KEY_STATUS)
    assert response == responses.KeyStatus(
        message_id=0x48,
        node_id=1,
        key_id=0,
        power=KeyPowerStatus.OFF,
        extra=bytes.fromhex("00 00 00 41 00"),
    )
    assert isinstance(response, responses.KeyStatus)
    assert response.is_off
    assert not response.is_on
    assert not response.is_released
    assert not response.is_press
    assert response.level == 0


def test_node_meta_data_v1_key_types_from_offset_19() -> None:
    # Upstream bug (reference §3.3, §8.1): upstream reads the V1 key types from the
    # lock/LED block (types 0, 2); the bytes at [19..20] are 01 02.
    response = parsed(NODE_META_DATA_V1, V1)
    assert isinstance(response, responses.NodeMetaData)
    assert response.keys == (
        KeyInfo(id=0, type=KeyType.NOT_ACTIVE),
        KeyInfo(id=1, type=KeyType.TOGGLE),
    )
    assert [k.type for k in response.keys] != [0, 2]


def test_node_meta_data_v1() -> None:
    response = parsed(NODE_META_DATA_V1, V1)
    assert response == responses.NodeMetaData(
        message_id=0x3C,
        node_id=1,
        mac="00:15:8D:00:00:69:C4:FF",
        node_type=2,
        keys=(KeyInfo(id=0, type=KeyType.NOT_ACTIVE), KeyInfo(id=1, type=KeyType.TOGGLE)),
        is_locked=False,
        led_level=LEDBackgroundBrightness.NORMAL,
        version="1.74",
        room_id=7,
    )
    assert isinstance(response, responses.NodeMetaData)
    assert response.model == "VT-MW3-SR2-10A"
    assert response.total_keys == 2


def test_node_meta_data_v2_first() -> None:
    response = parsed(NODE_META_DATA_V2_1, V2)
    assert response == responses.NodeMetaData(
        message_id=0x34,
        node_id=1,
        mac="00:0D:6F:00:0E:FB:96:21",
        node_type=3,
        keys=tuple(KeyInfo(id=i, type=KeyType.TOGGLE) for i in range(3)),
        is_locked=False,
        led_level=LEDBackgroundBrightness.NORMAL,
        version="7.93",
        room_id=0,
    )
    assert isinstance(response, responses.NodeMetaData)
    assert response.model == "VT-MW3-SR3-10A"
    assert response.total_keys == 3


def test_node_meta_data_v2_second() -> None:
    response = parsed(NODE_META_DATA_V2_2, V2)
    assert isinstance(response, responses.NodeMetaData)
    assert response.message_id == 0x05
    assert response.node_id == 2
    assert response.mac == "00:0D:6F:00:16:17:DE:B6"
    assert response.node_type == 0x15
    assert response.model == "VT-MW4-SR4-ST4-10A"
    assert response.total_keys == 8
    assert [k.id for k in response.keys] == list(range(8))
    assert [k.type for k in response.keys] == [2, 1, 2, 2, 4, 2, 4, 2]
    assert all(isinstance(k.type, KeyType) for k in response.keys)
    assert response.is_locked is False
    assert response.led_level is LEDBackgroundBrightness.NORMAL
    assert response.version == "7.93"
    assert response.room_id == 0


def test_node_meta_data_factory_selects_the_layout() -> None:
    # The V2 fixture read as V1 takes the unknown byte [17] (02) as type and 03 as key count.
    as_v1 = parsed(NODE_META_DATA_V2_1, V1)
    assert isinstance(as_v1, responses.NodeMetaData)
    assert as_v1.node_type == 2
    assert as_v1.total_keys == 3
    assert as_v1.version != "7.93"
    # The V1 fixture read as V2 takes its key count (02) as type and its first key type as
    # key count.
    as_v2 = parsed(NODE_META_DATA_V1, V2)
    assert isinstance(as_v2, responses.NodeMetaData)
    assert as_v2.node_type == 2
    assert as_v2.keys == (KeyInfo(id=0, type=KeyType.TOGGLE),)


def test_node_meta_data_locked_and_unknown_led() -> None:
    payload = bytearray(NODE_META_DATA_V1[8:-1])
    payload[13] = 1  # lock
    payload[14] = 9  # LED level unknown to the enum
    payload[11] = 0x63  # key type unknown to the enum
    response = parsed(Frame(IN, 0x1F, 1, bytes(payload)).to_bytes(), V1)
    assert isinstance(response, responses.NodeMetaData)
    assert response.is_locked is True
    assert response.led_level == 9
    assert type(response.led_level) is int
    assert response.keys[0] == KeyInfo(id=0, type=0x63)
    assert type(response.keys[0].type) is int


def test_node_meta_data_lock_byte_other_than_one_is_unlocked() -> None:
    payload = bytearray(NODE_META_DATA_V1[8:-1])
    payload[13] = 2
    response = parsed(Frame(IN, 0x1F, 1, bytes(payload)).to_bytes(), V1)
    assert isinstance(response, responses.NodeMetaData)
    assert response.is_locked is False


def test_node_meta_data_version_concatenates_minor_and_patch() -> None:
    payload = bytearray(NODE_META_DATA_V1[8:-1])
    payload[16:19] = b"\x01\x07\x0a"
    response = parsed(Frame(IN, 0x1F, 1, bytes(payload)).to_bytes(), V1)
    assert isinstance(response, responses.NodeMetaData)
    assert response.version == "1.710"


def test_node_meta_data_unknown_model() -> None:
    payload = bytearray(NODE_META_DATA_V1[8:-1])
    payload[9] = 250
    response = parsed(Frame(IN, 0x1F, 1, bytes(payload)).to_bytes(), V1)
    assert isinstance(response, responses.NodeMetaData)
    assert response.model == "Unknown-250"


def test_node_meta_data_without_keys() -> None:
    payload = bytes.fromhex("05 01 02 03 04 05 06 07 08 20 00 01 03 83 02 00 01 FF 04")
    response = parsed(Frame(IN, 0x1F, 2, payload).to_bytes(), V1)
    assert response == responses.NodeMetaData(
        message_id=2,
        node_id=5,
        mac="01:02:03:04:05:06:07:08",
        node_type=0x20,
        keys=(),
        is_locked=True,
        led_level=LEDBackgroundBrightness.HIGH,
        version="2.01",
        room_id=4,
    )


def test_acknowledgement_fixture() -> None:
    response = parsed(ACK)
    assert response == responses.Acknowledgement(message_id=0, command=0, type=AckType.ACK)
    assert isinstance(response, responses.Acknowledgement)
    assert response.is_ok
    assert response.type is AckType.ACK


@pytest.mark.parametrize(
    "ack_type",
    [AckType.NACK, AckType.ERROR, AckType.IN_USE, AckType.NOT_AVAILABLE],
)
def test_acknowledgement_failures(ack_type: AckType) -> None:
    data = Frame(IN, 0x00, 0x10, bytes((ack_type,))).to_bytes()
    response = parsed(data)
    assert response == responses.Acknowledgement(message_id=0x10, command=0, type=ack_type)
    assert isinstance(response, responses.Acknowledgement)
    assert not response.is_ok
    assert response.type is ack_type


def test_acknowledgement_nack_bytes() -> None:
    assert Frame(IN, 0x00, 0x10, b"\x01").to_bytes() == bytes.fromhex(
        "56 54 55 3C 00 00 03 10 01 4F"
    )


def test_acknowledgement_unknown_type_kept_as_int() -> None:
    response = parsed(Frame(IN, 0x00, 1, b"\x09").to_bytes())
    assert isinstance(response, responses.Acknowledgement)
    assert response.type == 9
    assert type(response.type) is int
    assert not response.is_ok


def test_acknowledgement_extra_payload_bytes_are_ignored() -> None:
    response = parsed(Frame(IN, 0x00, 1, b"\x00\x01\x02").to_bytes())
    assert response == responses.Acknowledgement(message_id=1, type=AckType.ACK)


@pytest.mark.parametrize("command", [0x01, 0x1E])
def test_acknowledgement_framed_as_login_or_toggle_node_status(command: int) -> None:
    for version in (V1, V2):
        response = parsed(Frame(IN, command, 2, b"\x00").to_bytes(), version)
        assert response == responses.Acknowledgement(
            message_id=2, command=command, type=AckType.ACK
        )


def test_acknowledgement_defaults() -> None:
    ack = responses.Acknowledgement(message_id=3)
    assert ack.command == CommandID.ACKNOWLEDGEMENT
    assert ack.type is AckType.ACK
    assert ack.is_ok


def test_curtain_fixture_is_a_generic_response() -> None:
    response = parsed(CURTAIN)
    assert response == responses.GenericResponse(
        message_id=0x31,
        command=0x65,
        payload=bytes.fromhex("0A 0A 0E") + "Curtain".encode("utf-16-le"),
    )


def test_node_existence_fixture_with_wrong_length_does_not_parse() -> None:
    assert responses.parse(NODE_EXISTENCE_BAD_LENGTH) is None


def test_node_existence_status_corrected() -> None:
    payload = NODE_EXISTENCE_BAD_LENGTH[8:-1]
    data = Frame(IN, 0xC8, 0x64, payload).to_bytes()
    assert data[5:7] == b"\x00\x0c"
    for version in (V1, V2):
        assert parsed(data, version) == responses.NodeExistenceStatus(
            message_id=0x64, node_id=3, payload=bytes.fromhex("03 FF 00 0D 6F 00 16 17 09 54")
        )


def test_internal_unit_statuses() -> None:
    assert parsed(Frame(IN, 0x60, 0x33, b"").to_bytes()) == responses.InternalUnitStatuses(
        message_id=0x33
    )
    assert parsed(Frame(IN, 0x60, 0x33, b"\x01\x02").to_bytes()) == (
        responses.InternalUnitStatuses(message_id=0x33, payload=b"\x01\x02")
    )


def test_node_status_reply_is_generic() -> None:
    assert parsed(Frame(IN, 0x23, 0x79, b"\x01\x00").to_bytes()) == responses.GenericResponse(
        message_id=0x79, command=0x23, payload=b"\x01\x00"
    )


def test_generic_response_without_payload() -> None:
    assert parsed(Frame(IN, 0xFE, 1).to_bytes()) == responses.GenericResponse(
        message_id=1, command=0xFE
    )


# --- KeyStatus variants ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("power", "on", "off", "released", "press"),
    [
        (KeyPowerStatus.ON, True, False, False, False),
        (KeyPowerStatus.OFF, False, True, False, False),
        (KeyPowerStatus.SHORT, False, False, False, True),
        (KeyPowerStatus.LONG, False, False, False, True),
        (KeyPowerStatus.RELEASED, False, False, True, True),
    ],
)
def test_key_status_power(
    power: KeyPowerStatus, on: bool, off: bool, released: bool, press: bool
) -> None:
    response = parsed(Frame(IN, 0x29, 1, bytes((4, 3, power))).to_bytes())
    assert isinstance(response, responses.KeyStatus)
    assert response.power is power
    assert (response.is_on, response.is_off, response.is_released, response.is_press) == (
        on,
        off,
        released,
        press,
    )
    assert response.extra == b""
    assert response.level is None


def test_key_status_unknown_power_kept_as_int() -> None:
    response = parsed(Frame(IN, 0x29, 1, b"\x01\x02\x99").to_bytes())
    assert isinstance(response, responses.KeyStatus)
    assert response.power == 0x99
    assert type(response.power) is int
    assert not response.is_on
    assert not response.is_off
    assert not response.is_press


@pytest.mark.parametrize(
    ("extra", "level"),
    [(b"\x32", 50), (b"\x64\x00", 100), (b"\x65", None), (b"\xff\x10", None), (b"", None)],
)
def test_key_status_level(extra: bytes, level: int | None) -> None:
    response = parsed(Frame(IN, 0x29, 1, b"\x01\x02\x4f" + extra).to_bytes())
    assert isinstance(response, responses.KeyStatus)
    assert response.extra == extra
    assert response.level == level


# --- helpers ------------------------------------------------------------------------------


def test_decode_name() -> None:
    assert responses.decode_name("Entrance".encode("utf-16-le")) == "Entrance"
    assert responses.decode_name("Hall \x00\x00".encode("utf-16-le")) == "Hall"
    assert responses.decode_name(" Lead".encode("utf-16-le")) == "Lead"
    assert responses.decode_name("a\t\r\n".encode("utf-16-le")) == "a"
    # Cleaned (tests/vbox/test_vbox_names.py): controls gone, whitespace collapsed.
    assert responses.decode_name("Kit\x00chen\x1b  lights\x7f".encode("utf-16-le")) == (
        "Kitchen lights"
    )
    assert responses.decode_name("\x00\x01\x02".encode("utf-16-le")) == ""
    assert responses.decode_name(b"") == ""
    # An odd byte (a cut name) is dropped.
    assert responses.decode_name("ab".encode("utf-16-le") + b"c") == "ab"
    # A lone surrogate does not raise.
    assert responses.decode_name(b"\x00\xd8") == "\ufffd"


def test_format_mac() -> None:
    assert responses.format_mac(bytes.fromhex("00 15 8D 00 00 69 C4 FF")) == (
        "00:15:8D:00:00:69:C4:FF"
    )
    assert responses.format_mac(b"") == ""


def test_room_meta_data_name_length_limits_the_name() -> None:
    payload = b"\x02\x01\x04" + "abcd".encode("utf-16-le")
    assert parsed(Frame(IN, 0x1A, 1, payload).to_bytes()) == responses.RoomMetaData(
        message_id=1, room_id=2, floor=1, name="ab"
    )


def test_room_meta_data_name_length_beyond_payload_takes_what_is_there() -> None:
    payload = b"\x02\x01\xff" + "abcd".encode("utf-16-le")
    response = parsed(Frame(IN, 0x1A, 1, payload).to_bytes())
    assert isinstance(response, responses.RoomMetaData)
    assert response.name == "abcd"


HOSTILE_NAME = "\x00Spo\x00ts\x07\r\n\u202e \u200f"
"""A name with NULs, a bell, a line break, an override and a kept mark, cleaned: "Spots \u200f"."""


def test_room_meta_data_name_is_cleaned() -> None:
    name = HOSTILE_NAME.encode("utf-16-le")
    payload = bytes((2, 1, len(name))) + name
    assert parsed(Frame(IN, 0x1A, 1, payload).to_bytes()) == responses.RoomMetaData(
        message_id=1, room_id=2, floor=1, name="Spots \u200f"
    )
    nothing = "\x00\x01\x1f\u200b".encode("utf-16-le")
    payload = bytes((2, 1, len(nothing))) + nothing
    assert parsed(Frame(IN, 0x1A, 1, payload).to_bytes()) == responses.RoomMetaData(
        message_id=1, room_id=2, floor=1, name=""
    )


@pytest.mark.parametrize("version", [V1, V2])
def test_key_parameters_name_is_cleaned(version: ProtocolVersion) -> None:
    name = HOSTILE_NAME.encode("utf-16-le")
    at = responses.NAME_LENGTH_AT[version]
    payload = bytes((3, 1, 0, KeyCategory.LIGHT)) + bytes(at - 4) + bytes((len(name),)) + name
    assert responses.key_parameters_layouts(payload) == [version]
    assert parsed(Frame(IN, 0x2B, 1, payload).to_bytes(), version) == responses.KeyParameters(
        message_id=1, node_id=3, key_id=1, category=KeyCategory.LIGHT, name="Spots \u200f"
    )


def test_key_parameters_unknown_category_kept_as_int() -> None:
    payload = bytearray(KEY_PARAMETERS_V2[8:-1])
    payload[3] = 0xFF
    response = parsed(Frame(IN, 0x2B, 1, bytes(payload)).to_bytes(), V2)
    assert isinstance(response, responses.KeyParameters)
    assert response.category == 0xFF
    assert type(response.category) is int


def test_responses_are_frozen() -> None:
    response = parsed(ACK)
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.message_id = 2  # type: ignore[misc]


# --- the factory ----------------------------------------------------------------------------


def test_factory_tables() -> None:
    common = {0x00, 0x01, 0x1E, 0x1A, 0x1D, 0x24, 0x29, 0x60, 0xC8}
    assert set(responses.PARSERS) == {V1, V2}
    assert set(responses.PARSERS[V1]) == common | {0x1F, 0x2B}
    assert set(responses.PARSERS[V2]) == common | {0x1F, 0x2B}
    for command in common:
        assert responses.PARSERS[V1][command] is responses.PARSERS[V2][command]
    assert responses.PARSERS[V1][0x1F] is not responses.PARSERS[V2][0x1F]
    assert responses.PARSERS[V1][0x2B] is not responses.PARSERS[V2][0x2B]


def test_parse_defaults_to_v2() -> None:
    assert responses.parse(KEY_PARAMETERS_V2) == responses.parse(KEY_PARAMETERS_V2, V2)
    assert responses.parse(NODE_META_DATA_V2_1) == responses.parse(NODE_META_DATA_V2_1, V2)


def test_from_frame() -> None:
    frame = Frame(IN, 0x24, 1, b"\x02\x05\x06")
    assert responses.from_frame(frame, V1) == responses.NodeCount(message_id=1, node_ids=(5, 6))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes.fromhex("56 54 55 3C 00"), id="too-short"),
        pytest.param(bytes.fromhex("56 54 55 3E 1D 00 0B 1E"), id="outgoing-truncated"),
        pytest.param(bytes.fromhex("56 54 55 3E 24 00 02 33 96"), id="outgoing-request"),
        pytest.param(bytes.fromhex("56 54 55 3C 00 00 03 00 00 3D"), id="bad-checksum"),
        pytest.param(ROOM_COUNT[:-1] + b"\x00", id="room-count-bad-checksum"),
        pytest.param(NODE_EXISTENCE_BAD_LENGTH, id="wrong-length"),
        pytest.param(ACK + b"\x3e", id="trailing-byte"),
        pytest.param(b"", id="empty"),
        pytest.param(b"VTH<\x00\x00\x03\x00\x00\x30", id="other-prefix"),
    ],
)
@pytest.mark.parametrize("version", [V1, V2])
def test_parse_returns_none(data: bytes, version: ProtocolVersion) -> None:
    assert responses.parse(data, version) is None


def test_parse_rejects_outgoing_direction_of_valid_frame() -> None:
    data = Frame(OUT, 0x00, 1, b"\x00").to_bytes()
    assert responses.parse(data) is None


@pytest.mark.parametrize(
    ("command", "payload", "version", "what"),
    [
        (0x00, b"", V2, "Acknowledgement needs at least 1 payload bytes, got 0"),
        (0x01, b"", V2, "Acknowledgement"),
        (0x1E, b"", V1, "Acknowledgement"),
        (0x29, b"\x01\x02", V2, "KeyStatus needs at least 3 payload bytes, got 2"),
        (0x24, b"", V2, "NodeCount needs at least 1"),
        (0x1D, b"", V1, "RoomCount needs at least 1"),
        (0x1A, b"\x01\x00", V2, "RoomMetaData needs at least 3"),
        (0x2B, bytes(11), V1, "KeyParameters needs at least 12 payload bytes, got 11"),
        (0x2B, bytes(12), V2, "KeyParameters needs at least 13 payload bytes, got 12"),
        (0x1F, bytes(10), V1, "NodeMetaData needs at least 11 payload bytes, got 10"),
        (0x1F, bytes(11), V2, "NodeMetaData needs at least 12 payload bytes, got 11"),
        (0xC8, b"", V2, "NodeExistenceStatus needs at least 1"),
    ],
)
def test_valid_frame_with_too_short_payload_raises(
    command: int, payload: bytes, version: ProtocolVersion, what: str
) -> None:
    data = Frame(IN, command, 1, payload).to_bytes()
    with pytest.raises(ProtocolError, match=what):
        responses.parse(data, version)


def test_node_meta_data_too_short_for_its_keys_raises() -> None:
    # Key count 8, but the block after the key types is missing its last byte.
    payload = NODE_META_DATA_V2_2[8:-1]
    payload = payload[: 10 + 2 + 8 + 7]
    with pytest.raises(ProtocolError, match="NodeMetaData with 8 keys needs at least 28"):
        responses.parse(Frame(IN, 0x1F, 1, payload).to_bytes(), V2)
    # One more byte is enough.
    full = NODE_META_DATA_V2_2[8 : 8 + 28]
    assert isinstance(
        responses.parse(Frame(IN, 0x1F, 1, full).to_bytes(), V2), responses.NodeMetaData
    )


def test_minimal_payloads_parse() -> None:
    assert parsed(Frame(IN, 0x24, 1, b"\x00").to_bytes()) == responses.NodeCount(
        message_id=1, node_ids=()
    )
    assert parsed(Frame(IN, 0x1D, 1, b"\x00").to_bytes()) == responses.RoomCount(
        message_id=1, room_ids=()
    )
    assert parsed(Frame(IN, 0x1A, 1, b"\x01\x02\x00").to_bytes()) == responses.RoomMetaData(
        message_id=1, room_id=1, floor=2, name=""
    )
    assert parsed(Frame(IN, 0x2B, 1, bytes(12)).to_bytes(), V1) == responses.KeyParameters(
        message_id=1, node_id=0, key_id=0, category=KeyCategory.UNDEFINED, name=""
    )


# --- robustness: property tests -----------------------------------------------------------

ALL_COMMANDS = sorted(set(responses.PARSERS[V1]) | set(responses.PARSERS[V2]) | {0x23, 0x65})


@settings(deadline=None, max_examples=500)
@given(
    command=st.one_of(st.sampled_from(ALL_COMMANDS), st.integers(0, 255)),
    message_id=st.integers(0, 255),
    payload=st.binary(max_size=120),
    version=st.sampled_from([V1, V2]),
)
def test_property_parsers_return_a_response_or_raise_protocol_error(
    command: int, message_id: int, payload: bytes, version: ProtocolVersion
) -> None:
    frame = Frame(IN, command, message_id, payload)
    try:
        response = responses.from_frame(frame, version)
    except ProtocolError:
        return
    assert isinstance(response, responses.Response)
    assert response.message_id == message_id
    if command not in responses.PARSERS[version]:
        assert response == responses.GenericResponse(
            message_id=message_id, command=command, payload=payload
        )
    # parse() of the same bytes gives the same answer.
    assert responses.parse(frame.to_bytes(), version) == response


@settings(deadline=None, max_examples=300)
@given(
    command=st.sampled_from(ALL_COMMANDS),
    payload=st.binary(max_size=60),
    version=st.sampled_from([V1, V2]),
)
def test_property_parse_never_returns_anything_for_outgoing_frames(
    command: int, payload: bytes, version: ProtocolVersion
) -> None:
    assert responses.parse(Frame(OUT, command, 1, payload).to_bytes(), version) is None


@settings(deadline=None, max_examples=300)
@given(data=st.binary(max_size=80), version=st.sampled_from([V1, V2]))
def test_property_parse_random_bytes(data: bytes, version: ProtocolVersion) -> None:
    for candidate in (data, b"VTU<" + data):
        try:
            result = responses.parse(candidate, version)
        except ProtocolError:
            continue
        assert result is None or isinstance(result, responses.Response)
