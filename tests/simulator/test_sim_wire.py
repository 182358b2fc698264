"""The simulator's own codec against the byte-exact vectors of the protocol reference.

Every valid frame of §1.3, §1.4, §2.5 and §2.6 of ``/work/shared/docs/vbox-protocol.md``: the
ones a client sends go through the simulator's reader (and are answered by its box), the ones
a vBox sends are what the simulator's encoders write, byte for byte, except where the
reference leaves bytes unexplained and the simulator fills them (said at each test). Then
the reader's handling of split, merged and bad input, and cross-checks with the client's
independent codec.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vitrea_client import enums as core_enums
from vitrea_client import frames as core_frames

from vbox_simulator import Key, Node, Room, encode, generate_house
from vbox_simulator.box import Box, ClientState, decode_credentials
from vbox_simulator.wire import (
    MAX_FRAME,
    MAX_PAYLOAD,
    NODE_MODELS,
    AckType,
    CommandID,
    DataGramDirection,
    Frame,
    FrameReader,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    LockStatus,
    ProtocolVersion,
    checksum,
    decode,
    decode_name,
    encode_name,
)

OUT, IN = DataGramDirection.OUTGOING, DataGramDirection.INCOMING


def _hex(text: str) -> bytes:
    return bytes.fromhex(text)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


# -- what a client sends: through the simulator's reader -------------------------------------

LOGIN_USER_SUPER = _hex(
    "56 54 55 3E 01 00 16 01 08 75 00 73 00 65 00 72 00 0A 73 00 75 00 70 00 65 00 72 00 55"
)
LOGIN_ADMIN_1234 = _hex(
    "56 54 55 3E 01 00 16 02 0A 61 00 64 00 6D 00 69 00 6E 00 08 31 00 32 00 33 00 34 00 3B"
)

CLIENT_FRAMES: list[tuple[str, bytes, int, int, str]] = [
    # (what, bytes, command, message ID, payload) — every valid client frame of the reference
    ("Login user/super", LOGIN_USER_SUPER, 0x01, 0x01, LOGIN_USER_SUPER[8:-1].hex()),
    ("Login admin/1234", LOGIN_ADMIN_1234, 0x01, 0x02, LOGIN_ADMIN_1234[8:-1].hex()),
    ("Heartbeat #01", _hex("56 54 55 3E 07 00 02 01 47"), 0x07, 0x01, ""),
    ("Heartbeat #05", _hex("56 54 55 3E 07 00 02 05 4B"), 0x07, 0x05, ""),
    ("ToggleHeartbeat on", _hex("56 54 55 3E 08 00 04 01 01 01 4C"), 0x08, 0x01, "0101"),
    ("ToggleHeartbeat off", _hex("56 54 55 3E 08 00 04 01 00 00 4A"), 0x08, 0x01, "0000"),
    ("NodeCount", _hex("56 54 55 3E 24 00 02 33 96"), 0x24, 0x33, ""),
    ("KeyStatus", _hex("56 54 55 3E 29 00 04 79 01 02 E6"), 0x29, 0x79, "0102"),
    (
        "ToggleKeyStatus off",
        _hex("56 54 55 3E 28 00 08 79 01 02 46 00 00 00 2F"),
        0x28,
        0x79,
        "010246000000",
    ),
    (
        "ToggleKeyStatus off, dimmer 99",
        _hex("56 54 55 3E 28 00 08 79 01 02 46 63 00 00 92"),
        0x28,
        0x79,
        "010246630000",
    ),
    (
        "ToggleKeyStatus node 7 key 1 on at 50 % (computed)",
        _hex("56 54 55 3E 28 00 08 10 07 01 4F 32 00 00 06"),
        0x28,
        0x10,
        "07014f320000",
    ),
    (
        "ToggleKeyStatus with a timer, checksum corrected (§8.1)",
        _hex("56 54 55 3E 28 00 08 79 01 02 46 00 1A EA 33"),
        0x28,
        0x79,
        "010246001aea",
    ),
    ("ToggleNodeStatus 0B", _hex("56 54 55 3E 1E 00 05 79 0B 00 02 E6"), 0x1E, 0x79, "0b0002"),
    ("ToggleNodeStatus 05", _hex("56 54 55 3E 1E 00 05 79 05 01 04 E3"), 0x1E, 0x79, "050104"),
    ("ToggleNodeStatus 01", _hex("56 54 55 3E 1E 00 05 79 01 00 00 DA"), 0x1E, 0x79, "010000"),
    ("InternalUnitStatuses", _hex("56 54 55 3E 60 00 02 33 D2"), 0x60, 0x33, ""),
    ("KeyParameters", _hex("56 54 55 3E 2B 00 04 7C 01 02 EB"), 0x2B, 0x7C, "0102"),
    ("NodeMetaData", _hex("56 54 55 3E 1F 00 03 34 01 94"), 0x1F, 0x34, "01"),
    ("NodeStatus", _hex("56 54 55 3E 23 00 04 79 01 00 DE"), 0x23, 0x79, "0100"),
    ("RoomCount", _hex("56 54 55 3E 1D 00 02 1D 79"), 0x1D, 0x1D, ""),
    ("RoomMetaData", _hex("56 54 55 3E 1A 00 03 1E 00 78"), 0x1A, 0x1E, "00"),
]
CLIENT_IDS = [case[0] for case in CLIENT_FRAMES]
ALL_CLIENT_BYTES = b"".join(case[1] for case in CLIENT_FRAMES)


def _expected(case: tuple[str, bytes, int, int, str]) -> Frame:
    return Frame(OUT, case[2], case[3], bytes.fromhex(case[4]))


@pytest.mark.parametrize("case", CLIENT_FRAMES, ids=CLIENT_IDS)
def test_client_frames_are_read(case: tuple[str, bytes, int, int, str]) -> None:
    data, expected = case[1], _expected(case)
    reader = FrameReader()
    assert reader.feed(data) == [expected]
    assert (reader.pending, reader.dropped) == (0, 0)
    assert decode(data) == expected
    # The length counts message ID, payload and checksum; the checksum is the byte sum.
    assert int.from_bytes(data[5:7], "big") == len(data) - 7
    assert checksum(data[:-1]) == data[-1]
    assert expected.to_bytes() == data


def test_the_checksum_worked_by_hand() -> None:
    # §2.3: 56+54+55+3E+24+00+02+33 = 0x196.
    assert checksum(_hex("56 54 55 3E 24 00 02 33")) == 0x96


def test_login_credentials_decode() -> None:
    assert decode_credentials(LOGIN_USER_SUPER[8:-1]) == ("user", "super")
    assert decode_credentials(LOGIN_ADMIN_1234[8:-1]) == ("admin", "1234")
    # §1.3: each length byte is the UTF-16LE byte length.
    assert LOGIN_USER_SUPER[8:-1] == encode_name("user") + encode_name("super")


def test_the_upstream_timer_checksum_is_refused() -> None:
    # §2.6: the upstream test asserts checksum 04, which is wrong; the box drops the frame.
    bad = _hex("56 54 55 3E 28 00 08 79 01 02 46 00 1A EA 04")
    assert decode(bad) is None
    reader = FrameReader()
    assert reader.feed(bad) == []
    assert (reader.bad_checksums, reader.dropped, reader.pending) == (1, len(bad), 0)


# The box of a house with every node and key the vectors name, with the reference's user.
_REPLIES = {
    "Login admin/1234": (CommandID.ACKNOWLEDGEMENT, bytes((AckType.NACK,))),
    "NodeCount": (CommandID.NODE_COUNT, None),
    "KeyStatus": (CommandID.KEY_STATUS, None),
    "InternalUnitStatuses": (CommandID.INTERNAL_UNIT_STATUSES, b""),
    "KeyParameters": (CommandID.KEY_PARAMETERS, None),
    "NodeMetaData": (CommandID.NODE_META_DATA, None),
    "NodeStatus": (CommandID.NODE_STATUS, None),
    "RoomCount": (CommandID.ROOM_COUNT, None),
    "RoomMetaData": (CommandID.ROOM_META_DATA, None),
}


@pytest.mark.parametrize("case", CLIENT_FRAMES, ids=CLIENT_IDS)
def test_the_box_answers_every_client_frame(case: tuple[str, bytes, int, int, str]) -> None:
    box = Box(generate_house(11, 3), username="user", password="super", version="v2")
    client = ClientState(logged_in=True)
    (frame,) = FrameReader().feed(case[1])
    reply = box.answer(client, frame).reply
    command, payload = _REPLIES.get(case[0], (CommandID.ACKNOWLEDGEMENT, bytes((AckType.ACK,))))
    assert (reply.direction, reply.command, reply.message_id) == (IN, command, frame.message_id)
    if payload is not None:
        assert reply.payload == payload


# -- what a vBox sends: written by the simulator's encoders ----------------------------------


def test_acknowledgements() -> None:
    assert encode.acknowledgement(0x00).to_bytes() == _hex("56 54 55 3C 00 00 03 00 00 3E")
    assert encode.acknowledgement(0x10).to_bytes() == _hex("56 54 55 3C 00 00 03 10 00 4E")
    assert decode(_hex("56 54 55 3C 00 00 03 00 00 3E")) == Frame(IN, 0x00, 0x00, b"\x00")
    # §2.6 BaseResponse: the same frame ending 3D is invalid.
    assert decode(_hex("56 54 55 3C 00 00 03 00 00 3D")) is None


def test_node_count() -> None:
    ids = [*range(1, 0x0C), *range(0x0D, 0x11)]
    assert encode.node_count(0x3B, ids).to_bytes() == _hex(
        "56 54 55 3C 24 00 12 3B 0F 01 02 03 04 05 06 07 08 09 0A 0B 0D 0E 0F 10 37"
    )


def test_room_count() -> None:
    assert encode.room_count(0x1E, range(8)).to_bytes() == _hex(
        "56 54 55 3C 1D 00 0B 1E 08 00 01 02 03 04 05 06 07 A5"
    )


def test_room_meta_data() -> None:
    assert encode.room_meta_data(0x1F, Room(0, 0, "Entrance")).to_bytes() == _hex(
        "56 54 55 3C 1A 00 15 1F 00 00 10 45 00 6E 00 74 00 72 00 61 00 6E 00 63 00 65 00 C9"
    )
    # §2.6: the Hebrew fixture lacks its checksum 07; whole, it carries "מטבח " (a trailing
    # space), which the box writes as is and a reader strips.
    hebrew = _hex("56 54 55 3C 1A 00 0F 06 01 00 0A DE 05 D8 05 D1 05 D7 05 20 00")
    assert encode.room_meta_data(0x06, Room(1, 0, "מטבח ")).to_bytes() == hebrew + b"\x07"
    assert decode(hebrew) is None
    assert decode_name(hebrew[11:]) == "מטבח"


def test_key_status() -> None:
    """The fixture's five bytes after the power byte are not explained.

    The simulator writes the key's level there, then four zero bytes; the fixture has
    ``00 00 00 41 00``. Everything else is compared.
    """
    fixture = _hex("56 54 55 3C 29 00 0A 48 01 00 46 00 00 00 41 00 3E")
    frame = decode(fixture)
    assert frame == Frame(IN, CommandID.KEY_STATUS, 0x48, fixture[8:-1])
    assert frame.payload[:3] == bytes((1, 0, KeyPowerStatus.OFF))
    written = encode.key_status(0x48, 1, Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "")).to_bytes()
    assert len(written) == len(fixture)
    assert written[:12] == fixture[:12]  # header, ID, node, key, power, level 0
    assert written[12:-1] == bytes(4)


NODE_V1 = _hex(
    "56 54 55 3C 1F 00 18 3C 01 00 15 8D 00 00 69 C4 FF 02 02 01 02 00 02 83 01 07 04 FF 07 00 1B"
)
NODE_V2_1 = _hex(
    "56 54 55 3C 1F 00 1B 34 01 00 0D 6F 00 0E FB 96 21 02 03 03 02 02 02"
    " 00 02 83 07 09 03 00 00 00 00 8C"
)
NODE_V2_2 = _hex(  # §2.6: the checksum byte (88) is missing from the upstream fixture
    "56 54 55 3C 1F 00 20 05 02 00 0D 6F 00 16 17 DE B6 02 15 08 02 01 02 02 04 02 04 02"
    " 00 02 83 07 09 03 00 00 00 00"
)


def _node(node_id: int, node_type: int, mac: str, firmware: str, room: int, *types: int) -> Node:
    keys = [Key(i, KeyType(t), KeyCategory.LIGHT, "") for i, t in enumerate(types)]
    return Node(node_id, node_type, mac, firmware, room, keys=keys)


def test_node_meta_data_v1() -> None:
    """The simulator fills the unexplained bytes as in this fixture: 83, FF and a final 00."""
    node = _node(1, 2, "00:15:8D:00:00:69:C4:FF", "1.74", 7, KeyType.NOT_ACTIVE, KeyType.TOGGLE)
    assert encode.node_meta_data(0x3C, node, ProtocolVersion.V1).to_bytes() == NODE_V1


@pytest.mark.parametrize(
    ("fixture", "node"),
    [
        (NODE_V2_1, _node(1, 3, "00:0D:6F:00:0E:FB:96:21", "7.93", 0, 2, 2, 2)),
        (NODE_V2_2, _node(2, 0x15, "00:0D:6F:00:16:17:DE:B6", "7.93", 0, 2, 1, 2, 2, 4, 2, 4, 2)),
    ],
    ids=["V2 #1", "V2 #2"],
)
def test_node_meta_data_v2(fixture: bytes, node: Node) -> None:
    """Compared up to the room byte; the simulator fills the unexplained bytes its own way.

    Filled: the V2 byte before the node type (02, as in the fixtures) and the byte after
    the LED level (83, as in the fixtures) are compared. After the version bytes the
    simulator writes ``FF [room] 00`` as in the V1 fixture, where the V2 fixtures have
    ``00 [room] 00 00`` — so the length field and those bytes differ.
    """
    written = encode.node_meta_data(fixture[7], node, ProtocolVersion.V2).to_bytes()
    block = 8 + 12 + len(node.keys)  # ID, MAC, 02, type, key count, key types
    assert written[:5] == fixture[:5]
    assert written[7 : block + 6] == fixture[7 : block + 6]  # up to the version bytes
    assert (written[block + 6], fixture[block + 6]) == (0xFF, 0x00)
    assert written[block + 7] == fixture[block + 7] == node.room_id
    assert written[block + 8 : -1] == b"\x00"
    assert fixture[block + 8 : block + 10] == b"\x00\x00"
    assert decode(written) is not None
    if fixture is NODE_V2_2:
        assert decode(fixture) is None
        assert decode(fixture + b"\x88") == Frame(IN, 0x1F, 0x05, fixture[8:])


def test_key_parameters_v1() -> None:
    """Filled as in the fixture: FF after the key ID, then ``00 00 00 00 00 73 3A``."""
    key = Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "Kitchen Island & Table (MW)")
    written = encode.key_parameters(0x60, 2, key, ProtocolVersion.V1).to_bytes()
    assert written == (
        _hex("56 54 55 3C 2B 00 44 60 02 00 FF 01 00 00 00 00 00 73 3A 36")
        + _utf16("Kitchen Island & Table (MW)")
        + _hex("93")
    )


def test_key_parameters_v2() -> None:
    """Filled as in the fixture: FF after the key ID, then ``00 78 78 01 64 01 00 00``."""
    key = Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "Dining Room Toilet")
    written = encode.key_parameters(0x78, 1, key, "v2").to_bytes()
    assert written == (
        _hex("56 54 55 3C 2B 00 33 78 01 00 FF 01 00 78 78 01 64 01 00 00 24")
        + _utf16("Dining Room Toilet")
        + _hex("33")
    )


def test_frames_the_box_never_writes_still_decode() -> None:
    curtain = _hex("56 54 55 3C 65 00 13 31 0A 0A 0E 43 00 75 00 72 00 74 00 61 00 69 00 6E 00 DC")
    frame = decode(curtain)
    assert frame == Frame(IN, 0x65, 0x31, _hex("0A 0A 0E") + _utf16("Curtain"))
    assert decode_name(frame.payload[3:]) == "Curtain"
    assert frame.to_bytes() == curtain


@pytest.mark.parametrize(
    "data",
    [
        _hex("56 54 55 3C C8 00 0E 64 03 FF 00 0D 6F 00 16 17 09 54 7D"),  # length 14, 12 follow
        _hex("56 54 55 3C 00 00 01 48 00 00 00 00 00 00 00 00 3E"),  # length 1: impossible
        _hex("56 54 55 3C 00"),  # too short
        _hex("56 54 55 3E 1D 00 0B 1E"),  # cut off
        _hex("56 54 55 00 07 00 02 01 0E"),  # no direction
        b"",
    ],
    ids=["C8 bad length", "synthetic ack", "too short", "cut off", "no direction", "empty"],
)
def test_invalid_frames_do_not_decode(data: bytes) -> None:
    assert decode(data) is None


# -- the reader: split, merged and bad input --------------------------------------------------

FRAMES = [_expected(case) for case in CLIENT_FRAMES]


def test_split_input_is_reassembled() -> None:
    reader = FrameReader()
    out = [frame for byte in ALL_CLIENT_BYTES for frame in reader.feed(bytes((byte,)))]
    assert out == FRAMES
    data = CLIENT_FRAMES[0][1]
    for cut in range(len(data)):
        reader = FrameReader()
        assert reader.feed(data[:cut]) == []
        assert reader.pending == cut
        assert reader.feed(data[cut:]) == [FRAMES[0]]
        assert (reader.pending, reader.dropped) == (0, 0)


def test_merged_frames_are_all_read() -> None:
    reader = FrameReader()
    assert reader.feed(ALL_CLIENT_BYTES) == FRAMES
    # A frame and the start of the next: the first now, the second once it is whole.
    first, second = CLIENT_FRAMES[2][1], CLIENT_FRAMES[3][1]
    assert reader.feed(first + second[:4]) == [FRAMES[2]]
    assert reader.feed(second[4:]) == [FRAMES[3]]


def test_garbage_before_a_frame_is_dropped() -> None:
    garbage = b"\x00\xffV" + b"VT" + b"VTX" + b"VTU\x00\x07" + bytes(range(0x57, 0xFF))
    frame = CLIENT_FRAMES[6][1]
    reader = FrameReader()
    assert reader.feed(garbage + frame) == [FRAMES[6]]
    assert (reader.dropped, reader.pending) == (len(garbage), 0)
    # Garbage alone keeps at most a cut prefix; the rest of it completes a frame later.
    reader = FrameReader()
    assert reader.feed(b"noise" + frame[:2]) == []
    assert reader.pending == 2
    assert reader.feed(frame[2:]) == [FRAMES[6]]
    assert reader.feed(b"noise V") == []
    assert reader.pending == 1
    assert reader.feed(b"x") == []
    assert reader.pending == 0


def test_a_bad_checksum_drops_only_that_frame() -> None:
    good, other = CLIENT_FRAMES[6][1], CLIENT_FRAMES[7][1]
    bad = good[:-1] + bytes(((good[-1] + 1) % 256,))
    reader = FrameReader()
    assert reader.feed(bad + other) == [FRAMES[7]]
    assert (reader.bad_checksums, reader.dropped, reader.pending) == (1, len(bad), 0)
    # A bad header whose length swallows the start of a good frame: the good frame is found.
    bogus = _hex("56 54 55 3E 07 00 06 01")
    reader = FrameReader()
    assert reader.feed(bogus + good) == [FRAMES[6]]
    assert reader.bad_checksums == 1
    assert reader.dropped == len(bogus)


def test_a_frame_after_a_bad_length_is_found() -> None:
    # The C8 fixture's length claims two bytes more than it has: they are taken from the
    # next frame, the checksum fails, and the next frame is read after all.
    c8 = _hex("56 54 55 3C C8 00 0E 64 03 FF 00 0D 6F 00 16 17 09 54 7D")
    reader = FrameReader()
    assert reader.feed(c8) == []
    assert reader.pending == len(c8)
    assert reader.feed(CLIENT_FRAMES[6][1]) == [FRAMES[6]]
    assert (reader.bad_checksums, reader.pending) == (1, 0)


def test_the_buffer_stays_bounded() -> None:
    reader = FrameReader()
    # A length no frame has is garbage at once: the reader does not wait for 64 KiB.
    assert reader.feed(_hex("56 54 55 3E 24 FF FF 01")) == []
    assert reader.pending == 0
    too_long = (MAX_PAYLOAD + 3).to_bytes(2, "big")
    assert reader.feed(b"VTU>\x24" + too_long + b"\x01") == []
    assert reader.pending == 0
    # Garbage without a prefix is never kept, however much comes.
    for _ in range(64):
        assert reader.feed(bytes(range(0x57, 0xFF)) * 64) == []
        assert reader.pending == 0
    # The longest frame is waited for, but never more than that.
    longest = Frame(OUT, CommandID.LOGIN, 9, bytes(MAX_PAYLOAD)).to_bytes()
    assert len(longest) == MAX_FRAME
    for size in range(1, MAX_FRAME):
        assert reader.feed(longest[size - 1 : size]) == []
        assert reader.pending == size
    assert reader.feed(longest[-1:]) == [Frame(OUT, CommandID.LOGIN, 9, bytes(MAX_PAYLOAD))]
    assert reader.pending == 0
    with pytest.raises(ValueError, match="longer than 1024"):
        Frame(IN, CommandID.NODE_COUNT, 1, bytes(MAX_PAYLOAD + 1)).to_bytes()


def test_frames_the_box_sends_are_read_too() -> None:
    # The server reads both directions and ignores its own (an echo) by the direction byte.
    ack = encode.acknowledgement(5)
    assert FrameReader().feed(ack.to_bytes()) == [ack]


# -- names -----------------------------------------------------------------------------------


def test_names() -> None:
    assert encode_name("Entrance") == b"\x10" + _utf16("Entrance")
    assert encode_name("") == b"\x00"
    assert decode_name(_utf16("Room\x00\x00 \t\r\n")) == "Room"
    assert decode_name(_utf16("מטבח") + b"\x20") == "מטבח"  # an odd last byte is ignored
    assert decode_name(b"\x00\xd8") == "\ufffd"  # a lone surrogate
    with pytest.raises(ValueError, match="longer than 127"):
        encode_name("a" * 128)


# -- enumerations: the reference's values, and the same as the client's ------------------------


def test_enumerations_have_the_reference_values() -> None:
    assert (OUT, IN) == (0x3E, 0x3C)
    assert [int(ack) for ack in AckType] == [0, 1, 2, 3, 4]
    assert bytes(KeyPowerStatus) == b"OFLSR"
    assert [int(lock) for lock in LockStatus] == [0, 1]
    assert [int(led) for led in LEDBackgroundBrightness] == [0, 1, 2, 3, 4]
    assert [int(t) for t in KeyType] == [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16, 17, 101]
    assert [int(c) for c in KeyCategory] == [0, 1, 6, 7, 8, 11]
    assert [v.value for v in ProtocolVersion] == ["v1", "v2"]
    assert {c.name: c.value for c in CommandID} == {
        "ACKNOWLEDGEMENT": 0x00,
        "LOGIN": 0x01,
        "HEARTBEAT": 0x07,
        "TOGGLE_HEARTBEAT": 0x08,
        "ROOM_META_DATA": 0x1A,
        "ROOM_COUNT": 0x1D,
        "TOGGLE_NODE_STATUS": 0x1E,
        "NODE_META_DATA": 0x1F,
        "NODE_STATUS": 0x23,
        "NODE_COUNT": 0x24,
        "TOGGLE_KEY_STATUS": 0x28,
        "KEY_STATUS": 0x29,
        "KEY_PARAMETERS": 0x2B,
        "INTERNAL_UNIT_STATUSES": 0x60,
        "NODE_EXISTENCE_STATUS": 0xC8,
    }
    assert len(NODE_MODELS) == 162
    assert (NODE_MODELS[2], NODE_MODELS[21], NODE_MODELS[228]) == (
        "VT-MW3-SR2-10A",
        "VT-MW4-SR4-ST4-10A",
        "VT-BW1-02206-D2B0S2-02",
    )


SIM_ENUMS: list[type[IntEnum | StrEnum]] = [
    DataGramDirection,
    CommandID,
    AckType,
    KeyPowerStatus,
    LockStatus,
    LEDBackgroundBrightness,
    KeyType,
    KeyCategory,
    ProtocolVersion,
]


@pytest.mark.parametrize("enum", SIM_ENUMS, ids=lambda enum: enum.__name__)
def test_enumerations_match_the_client(enum: type[IntEnum | StrEnum]) -> None:
    core = getattr(core_enums, enum.__name__)
    assert enum is not core
    assert {m.name: m.value for m in enum} == {m.name: m.value for m in core}


def test_node_models_match_the_client() -> None:
    assert {int(t): t.model for t in core_enums.NodeType} == NODE_MODELS


def test_the_simulator_accepts_the_clients_protocol_version() -> None:
    node = generate_house(1, 3).nodes[0]
    for core in core_enums.ProtocolVersion:
        ours = ProtocolVersion(core)
        assert ours is ProtocolVersion(core.value)
        assert encode.node_meta_data(1, node, core) == encode.node_meta_data(1, node, ours)


# -- the two codecs, cross-checked -------------------------------------------------------------

frames = st.builds(
    Frame,
    st.sampled_from(DataGramDirection),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=80),
)


@given(frame=frames)
def test_both_codecs_write_the_same_bytes(frame: Frame) -> None:
    data = frame.to_bytes()
    core = core_frames.Frame(
        core_enums.DataGramDirection(frame.direction),
        frame.command,
        frame.message_id,
        frame.payload,
    )
    assert core.to_bytes() == data
    assert decode(data) == frame


@given(
    batch=st.lists(frames, max_size=6),
    cuts=st.lists(st.integers(0, 600), max_size=8),
    garbage=st.binary(max_size=20).map(lambda b: b.replace(b"V", b"")),
)
def test_both_readers_agree(batch: list[Frame], cuts: list[int], garbage: bytes) -> None:
    data = garbage + b"".join(frame.to_bytes() for frame in batch)
    ours, theirs = FrameReader(), core_frames.FrameReader()
    read: list[Frame] = []
    core_read: list[core_frames.Frame] = []
    start = 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        read += ours.feed(data[start:cut])
        core_read += theirs.feed(data[start:cut])
        start = cut
    assert read == batch
    assert [(int(f.direction), f.command, f.message_id, f.payload) for f in core_read] == [
        (int(f.direction), f.command, f.message_id, f.payload) for f in batch
    ]
    assert (ours.pending, ours.dropped) == (0, len(garbage))
