"""Box-side encoders: the frames a vBox sends (docs/vtu-protocol.md §6).

Every function returns an incoming :class:`~vbox_simulator.wire.Frame` whose bytes the
client parses back to exactly the data it was built from. The bytes no source explains
unexplained are filled as in the captured fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .house import Key, Node, Room, firmware_bytes, mac_bytes
from .wire import (
    AckType,
    CommandID,
    DataGramDirection,
    Frame,
    KeyPowerStatus,
    ProtocolVersion,
    encode_name,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

NODE_META_DATA_V2_MARKER = 0x02
"""The unexplained byte V2 inserts before the node type (02 in every fixture)."""
NODE_BLOCK_MARKER = 0x83
"""The unexplained byte after the LED level (83 in every fixture)."""
KEY_PARAMETERS_FILLER = {
    ProtocolVersion.V1: bytes.fromhex("00 00 00 00 00 73 3a"),
    ProtocolVersion.V2: bytes.fromhex("00 78 78 01 64 01 00 00"),
}
"""The unexplained bytes between the category and the name length, from the fixtures."""


def _frame(command: int, message_id: int, payload: bytes = b"") -> Frame:
    return Frame(DataGramDirection.INCOMING, command, message_id, payload)


def acknowledgement(message_id: int, ack: AckType = AckType.ACK) -> Frame:
    """An acknowledgement (0x00): ``[ack type]``."""
    return _frame(CommandID.ACKNOWLEDGEMENT, message_id, bytes((ack,)))


def node_count(message_id: int, node_ids: Iterable[int]) -> Frame:
    """NodeCount (0x24): ``[count] [id]...``."""
    ids = bytes(node_ids)
    return _frame(CommandID.NODE_COUNT, message_id, bytes((len(ids),)) + ids)


def room_count(message_id: int, room_ids: Iterable[int]) -> Frame:
    """RoomCount (0x1D): ``[count] [id]...``."""
    ids = bytes(room_ids)
    return _frame(CommandID.ROOM_COUNT, message_id, bytes((len(ids),)) + ids)


def room_meta_data(message_id: int, room: Room) -> Frame:
    """RoomMetaData (0x1A): ``[room] [floor] [name length] name``."""
    return _frame(
        CommandID.ROOM_META_DATA, message_id, bytes((room.id, room.floor)) + encode_name(room.name)
    )


def node_meta_data(message_id: int, node: Node, version: ProtocolVersion | str) -> Frame:
    """NodeMetaData (0x1F) in the V1 or V2 layout (``version``: a ProtocolVersion or its value).

    ``[node] [MAC x8] ([02] in V2) [type] [key count] [key type]...`` then the block
    ``[lock] [LED] [83] [major] [minor] [patch] [FF] [room] [00]``.
    """
    head = bytes((node.id,)) + mac_bytes(node.mac)
    if ProtocolVersion(version) is ProtocolVersion.V2:
        head += bytes((NODE_META_DATA_V2_MARKER,))
    keys = bytes((node.node_type, len(node.keys))) + bytes(key.type for key in node.keys)
    block = (
        bytes((int(node.locked), node.led, NODE_BLOCK_MARKER))
        + bytes(firmware_bytes(node.firmware))
        + bytes((0xFF, node.room_id, 0x00))
    )
    return _frame(CommandID.NODE_META_DATA, message_id, head + keys + block)


def key_parameters(
    message_id: int, node_id: int, key: Key, version: ProtocolVersion | str
) -> Frame:
    """KeyParameters (0x2B): ``[node] [key] [FF] [category]``, filler, name length, name.

    The filler is 7 bytes in V1 and 8 in V2, so the name length sits at frame offset 19 or 20.
    """
    payload = (
        bytes((node_id, key.id, 0xFF, key.category))
        + KEY_PARAMETERS_FILLER[ProtocolVersion(version)]
        + encode_name(key.name)
    )
    return _frame(CommandID.KEY_PARAMETERS, message_id, payload)


def key_status(message_id: int, node_id: int, key: Key) -> Frame:
    """KeyStatus (0x29) of a key's state: ``[node] [key] [4F|46] [level] 00 00 00 00``."""
    power = KeyPowerStatus.ON if key.on else KeyPowerStatus.OFF
    return _frame(
        CommandID.KEY_STATUS,
        message_id,
        bytes((node_id, key.id, power, key.level)) + bytes(4),
    )


def key_event(message_id: int, node_id: int, key_id: int, power: KeyPowerStatus) -> Frame:
    """KeyStatus (0x29) of a press: power SHORT, LONG or RELEASED, no level."""
    return _frame(CommandID.KEY_STATUS, message_id, bytes((node_id, key_id, power)) + bytes(5))


def node_status(message_id: int, node: Node) -> Frame:
    """The answer to NodeStatus (0x23): ``[node] [lock] [LED]``."""
    return _frame(CommandID.NODE_STATUS, message_id, bytes((node.id, int(node.locked), node.led)))


def internal_unit_statuses(message_id: int) -> Frame:
    """The answer to InternalUnitStatuses (0x60), without payload."""
    return _frame(CommandID.INTERNAL_UNIT_STATUSES, message_id)
