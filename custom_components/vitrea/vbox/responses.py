"""Typed responses of the vBox and the factory that parses them (docs/vtu-protocol.md §6).

Offsets in the comments are frame offsets (docs/vtu-protocol.md §3.1): the payload starts
at offset 8, so ``payload[i]`` is frame byte ``8 + i``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .enums import (
    AckType,
    CommandID,
    DataGramDirection,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    ProtocolVersion,
    node_model,
)
from .errors import ProtocolError
from .frames import Frame, decode_frame
from .names import clean_name


def _enum_or_int[E: (AckType, KeyPowerStatus, KeyType, KeyCategory, LEDBackgroundBrightness)](
    enum: type[E], value: int
) -> E | int:
    """The enum member for a byte, or the byte itself when the enum does not know it."""
    try:
        return enum(value)
    except ValueError:
        return value


def decode_name(data: bytes) -> str:
    """Decode a UTF-16LE name, cleaned as :func:`.names.clean_name` says.

    That also removes the NULs and spaces that pad it; an odd last byte is ignored
    (docs/vtu-protocol.md §6.8).
    """
    if len(data) % 2:
        data = data[:-1]
    return clean_name(data.decode("utf-16-le", errors="replace"))


def format_mac(data: bytes) -> str:
    """Format an EUI-64 as ``00:15:8D:00:00:69:C4:FF``."""
    return ":".join(f"{b:02X}" for b in data)


@dataclass(frozen=True, kw_only=True, slots=True)
class Response:
    """What every response carries."""

    message_id: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Acknowledgement(Response):
    """The answer to commands that only succeed or fail (0x00; also framed as 0x01, 0x1E)."""

    command: int = CommandID.ACKNOWLEDGEMENT
    type: AckType | int = AckType.ACK

    @property
    def is_ok(self) -> bool:
        """Whether the command was accepted."""
        return self.type == AckType.ACK


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyStatus(Response):
    """The state of one key (0x29), as a reply or pushed unsolicited."""

    node_id: int
    key_id: int
    power: KeyPowerStatus | int
    extra: bytes = b""
    """The bytes after the power byte (docs/vtu-protocol.md §6.2)."""

    @property
    def is_on(self) -> bool:
        """The key is on."""
        return self.power == KeyPowerStatus.ON

    @property
    def is_off(self) -> bool:
        """The key is off."""
        return self.power == KeyPowerStatus.OFF

    @property
    def is_released(self) -> bool:
        """The key was released after a long press."""
        return self.power == KeyPowerStatus.RELEASED

    @property
    def is_press(self) -> bool:
        """This is a press event (short, long or release), not a state."""
        return self.power in (KeyPowerStatus.SHORT, KeyPowerStatus.LONG, KeyPowerStatus.RELEASED)

    @property
    def level(self) -> int | None:
        """Dimmer level or blind position (0-100) from the first extra byte, if it has one.

        No source decodes these bytes (docs/vtu-protocol.md §14.8); this project reads the
        first as the level that ToggleKeyStatus sets, as its simulator sends it; values above
        100 mean the frame carries no level.
        """
        if self.extra and self.extra[0] <= 100:
            return self.extra[0]
        return None


@dataclass(frozen=True, kw_only=True, slots=True)
class NodeCount(Response):
    """The IDs of the nodes the vBox knows (0x24)."""

    node_ids: tuple[int, ...]

    @property
    def total(self) -> int:
        """How many nodes there are."""
        return len(self.node_ids)


@dataclass(frozen=True, kw_only=True, slots=True)
class RoomCount(Response):
    """The IDs of the rooms the vBox knows (0x1D)."""

    room_ids: tuple[int, ...]

    @property
    def total(self) -> int:
        """How many rooms there are."""
        return len(self.room_ids)


@dataclass(frozen=True, kw_only=True, slots=True)
class RoomMetaData(Response):
    """A room's name (0x1A)."""

    room_id: int
    floor: int
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyParameters(Response):
    """A key's name and category (0x2B)."""

    node_id: int
    key_id: int
    category: KeyCategory | int
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyInfo:
    """One key of a node: its 0-based index and its type."""

    id: int
    type: KeyType | int


@dataclass(frozen=True, kw_only=True, slots=True)
class NodeMetaData(Response):
    """Everything the vBox says about one node (0x1F)."""

    node_id: int
    mac: str
    node_type: int
    keys: tuple[KeyInfo, ...]
    is_locked: bool
    led_level: LEDBackgroundBrightness | int
    version: str
    room_id: int

    @property
    def model(self) -> str:
        """The node's model name, e.g. ``VT-MW3-SR2-10A``."""
        return node_model(self.node_type)

    @property
    def total_keys(self) -> int:
        """How many keys the node has."""
        return len(self.keys)


@dataclass(frozen=True, kw_only=True, slots=True)
class InternalUnitStatuses(Response):
    """The answer to InternalUnitStatuses (0x60); no source decodes a field of it."""

    payload: bytes = b""


@dataclass(frozen=True, kw_only=True, slots=True)
class NodeExistenceStatus(Response):
    """An unsolicited note that a node is present (0xC8)."""

    node_id: int
    payload: bytes = b""


@dataclass(frozen=True, kw_only=True, slots=True)
class GenericResponse(Response):
    """A frame of a command this library does not decode (e.g. 0x23, 0x65)."""

    command: int
    payload: bytes = b""


def _need(payload: bytes, size: int, what: str) -> None:
    if len(payload) < size:
        msg = f"{what} needs at least {size} payload bytes, got {len(payload)}"
        raise ProtocolError(msg)


def _acknowledgement(frame: Frame) -> Acknowledgement:
    _need(frame.payload, 1, "Acknowledgement")
    return Acknowledgement(
        message_id=frame.message_id,
        command=frame.command,
        type=_enum_or_int(AckType, frame.payload[0]),
    )


def _key_status(frame: Frame) -> KeyStatus:
    p = frame.payload
    _need(p, 3, "KeyStatus")
    return KeyStatus(
        message_id=frame.message_id,
        node_id=p[0],
        key_id=p[1],
        power=_enum_or_int(KeyPowerStatus, p[2]),
        extra=p[3:],
    )


def _node_count(frame: Frame) -> NodeCount:
    _need(frame.payload, 1, "NodeCount")
    return NodeCount(message_id=frame.message_id, node_ids=tuple(frame.payload[1:]))


def _room_count(frame: Frame) -> RoomCount:
    _need(frame.payload, 1, "RoomCount")
    return RoomCount(message_id=frame.message_id, room_ids=tuple(frame.payload[1:]))


def _room_meta_data(frame: Frame) -> RoomMetaData:
    p = frame.payload
    _need(p, 3, "RoomMetaData")  # [8] room, [9] floor, [10] name length, [11..] name
    return RoomMetaData(
        message_id=frame.message_id, room_id=p[0], floor=p[1], name=decode_name(p[3 : 3 + p[2]])
    )


NAME_LENGTH_AT: dict[ProtocolVersion, int] = {ProtocolVersion.V1: 11, ProtocolVersion.V2: 12}
"""Where KeyParameters carries its name length (payload index; frame offset 19 or 20)."""


def _key_parameters(version: ProtocolVersion) -> Callable[[Frame], KeyParameters]:
    """V1: name length at [19], name from [20]; V2: length at [20], name from [21]."""
    name_length_at = NAME_LENGTH_AT[version]

    def parse(frame: Frame) -> KeyParameters:
        p = frame.payload
        _need(p, name_length_at + 1, "KeyParameters")
        start = name_length_at + 1
        return KeyParameters(
            message_id=frame.message_id,
            node_id=p[0],
            key_id=p[1],
            category=_enum_or_int(KeyCategory, p[3]),
            name=decode_name(p[start : start + p[name_length_at]]),
        )

    return parse


def key_parameters_layouts(payload: bytes) -> list[ProtocolVersion]:
    """The layouts a KeyParameters payload fits.

    A layout fits when its name length byte counts exactly the bytes after it (the name is
    the last field).

    This is how a client tells V1 from V2 (docs/vtu-protocol.md §7): the upstream
    captures fit one layout each (V1 "Kitchen Island & Table (MW)": 54 name bytes announced at
    [19]; V2 "Dining Room Toilet": 36 at [20]). A payload may fit both by chance (a name whose
    first byte equals its length minus one); then another key must decide.
    """
    return [
        version
        for version, at in NAME_LENGTH_AT.items()
        if len(payload) > at and len(payload) == at + 1 + payload[at]
    ]


def _node_meta_data(type_at: int) -> Callable[[Frame], NodeMetaData]:
    """V1: type at [17]; V2 has one more unknown byte, so type at [18].

    Then the key count, one type byte per key, and block B: lock, LED level, one unknown
    byte, three version bytes, one unknown byte, the room.
    """

    def parse(frame: Frame) -> NodeMetaData:
        p = frame.payload
        _need(p, type_at + 2, "NodeMetaData")
        key_count = p[type_at + 1]
        block = type_at + 2 + key_count
        _need(p, block + 8, f"NodeMetaData with {key_count} keys")
        major, minor, patch = p[block + 3 : block + 6]
        return NodeMetaData(
            message_id=frame.message_id,
            node_id=p[0],
            mac=format_mac(p[1:9]),
            node_type=p[type_at],
            keys=tuple(
                KeyInfo(id=i, type=_enum_or_int(KeyType, t))
                for i, t in enumerate(p[type_at + 2 : block])
            ),
            is_locked=p[block] == 1,
            led_level=_enum_or_int(LEDBackgroundBrightness, p[block + 1]),
            version=f"{major}.{minor}{patch}",
            room_id=p[block + 7],
        )

    return parse


def _internal_unit_statuses(frame: Frame) -> InternalUnitStatuses:
    return InternalUnitStatuses(message_id=frame.message_id, payload=frame.payload)


def _node_existence_status(frame: Frame) -> NodeExistenceStatus:
    _need(frame.payload, 1, "NodeExistenceStatus")
    return NodeExistenceStatus(
        message_id=frame.message_id, node_id=frame.payload[0], payload=frame.payload
    )


type Parser = Callable[[Frame], Response]

_COMMON: dict[int, Parser] = {
    CommandID.ACKNOWLEDGEMENT: _acknowledgement,
    CommandID.LOGIN: _acknowledgement,
    CommandID.TOGGLE_NODE_STATUS: _acknowledgement,
    CommandID.ROOM_META_DATA: _room_meta_data,
    CommandID.ROOM_COUNT: _room_count,
    CommandID.NODE_COUNT: _node_count,
    CommandID.KEY_STATUS: _key_status,
    CommandID.INTERNAL_UNIT_STATUSES: _internal_unit_statuses,
    CommandID.NODE_EXISTENCE_STATUS: _node_existence_status,
}

PARSERS: dict[ProtocolVersion, dict[int, Parser]] = {
    ProtocolVersion.V1: _COMMON
    | {
        CommandID.NODE_META_DATA: _node_meta_data(type_at=9),
        CommandID.KEY_PARAMETERS: _key_parameters(ProtocolVersion.V1),
    },
    ProtocolVersion.V2: _COMMON
    | {
        CommandID.NODE_META_DATA: _node_meta_data(type_at=10),
        CommandID.KEY_PARAMETERS: _key_parameters(ProtocolVersion.V2),
    },
}
"""The response factory: parser by protocol version and command."""


def from_frame(frame: Frame, version: ProtocolVersion | None) -> Response:
    """The typed response of an incoming frame.

    With ``version`` ``None`` (not known yet), the frames whose layout depends on it
    (NodeMetaData, KeyParameters) stay undecoded: a :class:`GenericResponse`.

    Raises:
        ProtocolError: the frame's payload does not fit its command's layout.

    """
    parser = (_COMMON if version is None else PARSERS[version]).get(frame.command)
    if parser is None:
        return GenericResponse(
            message_id=frame.message_id, command=frame.command, payload=frame.payload
        )
    return parser(frame)


def parse(data: bytes, version: ProtocolVersion = ProtocolVersion.V2) -> Response | None:
    """Parse one whole frame sent by a vBox.

    Returns ``None`` when the bytes are not one valid incoming vBox frame (wrong prefix,
    direction, length or checksum).

    Raises:
        ProtocolError: the frame is valid but its payload does not fit its command's layout.

    """
    frame = decode_frame(data)
    if frame is None or frame.direction != DataGramDirection.INCOMING:
        return None
    return from_frame(frame, version)
