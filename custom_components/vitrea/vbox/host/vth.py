"""The host interface's binary ``VTH`` database frames (§4): checksum, parsing, requests.

A VTH frame is ``56 54 48 | direction | command | len (u16, big-endian) | data | checksum``,
direction ``3E`` (``>``) for a request and ``3C`` (``<``) for a reply; ``len`` counts the data
and the checksum, and the checksum is the sum of every byte before it modulo 256 (§4.1).
:func:`parse_frame` never raises: what it cannot read comes out as a :class:`.Malformed` value
with a reason. § numbers are sections of ``docs/host-interface.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..names import clean_name  # noqa: TID252 - vendored and packaged under two names
from .enums import ACType, HostKeyType, VTHCommand
from .lines import _AC_TYPES, _BadInputError, _check, _choice
from .messages import (
    ACNumbers,
    ACParams,
    Echo,
    FloorNumbers,
    FloorParams,
    KeypadNumbers,
    KeyParams,
    Malformed,
    RoomNumbers,
    RoomParams,
    ScenarioNumbers,
    ScenarioParams,
    UnknownFrame,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .messages import DatabaseReply

VTH_REQUEST_PREFIX = b"VTH>"
VTH_REPLY_PREFIX = b"VTH<"
VTH_HEADER_SIZE = 7
"""``VTH``, direction, command and the two length bytes."""
MAX_VTH_LENGTH = 0x0FFF
"""The largest ``len`` the reader accepts (data plus checksum)."""
MAX_FRAME_SIZE = VTH_HEADER_SIZE + MAX_VTH_LENGTH
_PREFIXES = (VTH_REPLY_PREFIX, VTH_REQUEST_PREFIX)


def checksum(data: bytes) -> int:
    """The VTH checksum: the sum of ``data`` modulo 256."""
    return sum(data) & 0xFF


# -- parsing VTH replies --------------------------------------------------------------------


class _Cursor:
    """Reads big-endian integers and names from a frame's data, front to back."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            msg = f"the data ends at byte {len(self.data)}, {self.at + size} needed"
            raise _BadInputError(msg)
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self.take(2), "big")

    def name(self) -> str:
        """Read nameLen (u8), then that many bytes of UTF-16LE, which must end the data (§4.3)."""
        size = self.u8()
        rest = len(self.data) - self.at
        if size != rest or size % 2:
            msg = f"name length {size} does not fit the {rest} bytes that follow"
            raise _BadInputError(msg)
        return clean_name(self.take(size).decode("utf-16-le", errors="replace"))

    def end(self) -> None:
        if self.at != len(self.data):
            msg = f"{len(self.data) - self.at} bytes after the last field"
            raise _BadInputError(msg)


def _id_list(cursor: _Cursor) -> tuple[int, ...]:
    count = cursor.u8()
    ids = tuple(cursor.u16() for _ in range(count))
    cursor.end()
    return ids


def _ac_type_digit(cursor: _Cursor) -> ACType:
    return _choice(chr(cursor.u8()), _AC_TYPES, "AC type")


def _keypads(cursor: _Cursor) -> KeypadNumbers:
    count = cursor.u16()
    keypads = tuple((cursor.u16(), cursor.u8()) for _ in range(count))
    cursor.end()
    return KeypadNumbers(keypads=keypads)


def _key_type(value: int) -> HostKeyType | int:
    try:
        return HostKeyType(value)
    except ValueError:
        return value


_REPLY_PARSERS: dict[int, Callable[[_Cursor], DatabaseReply]] = {
    VTHCommand.FLOOR_NUMBERS: lambda c: FloorNumbers(floors=_id_list(c)),
    VTHCommand.FLOOR_PARAMS: lambda c: FloorParams(floor=c.u16(), name=c.name()),
    VTHCommand.ROOM_NUMBERS: lambda c: RoomNumbers(rooms=_id_list(c)),
    VTHCommand.ROOM_PARAMS: lambda c: RoomParams(room=c.u16(), floor=c.u16(), name=c.name()),
    VTHCommand.KEYPAD_NUMBERS: _keypads,
    VTHCommand.KEY_PARAMS: lambda c: KeyParams(
        keypad=c.u16(), key=c.u8(), key_type=_key_type(c.u8()), room=c.u16(), name=c.name()
    ),
    VTHCommand.AC_NUMBERS: lambda c: ACNumbers(acs=_id_list(c)),
    VTHCommand.AC_PARAMS: lambda c: ACParams(
        ac=c.u16(), ac_type=_ac_type_digit(c), room=c.u16(), name=c.name()
    ),
    VTHCommand.SCENARIO_NUMBERS: lambda c: ScenarioNumbers(scenarios=_id_list(c)),
    VTHCommand.SCENARIO_PARAMS: lambda c: ScenarioParams(
        scenario=c.u16(), room=c.u16(), name=c.name()
    ),
}


def _frame_problem(raw: bytes) -> str | None:
    """What makes ``raw`` not one whole valid VTH frame, if anything."""
    if len(raw) < VTH_HEADER_SIZE + 1 or raw[:4] not in _PREFIXES:
        return "not a VTH frame"
    if int.from_bytes(raw[5:7], "big") != len(raw) - VTH_HEADER_SIZE:
        return "VTH length does not match the frame"
    if checksum(raw[:-1]) != raw[-1]:
        return "bad VTH checksum"
    return None


def parse_frame(frame: bytes) -> DatabaseReply | Echo | Malformed:
    """Parse one whole VTH frame the box sent (header to checksum); never raises."""
    raw = bytes(frame)
    problem = _frame_problem(raw)
    if problem is not None:
        return Malformed(reason=problem, data=raw)
    if raw[:4] == VTH_REQUEST_PREFIX:
        return Echo(data=raw)
    parser = _REPLY_PARSERS.get(raw[4])
    data = raw[VTH_HEADER_SIZE:-1]
    if parser is None:
        return UnknownFrame(command=raw[4], data=data)
    try:
        return parser(_Cursor(data))
    except _BadInputError as err:
        return Malformed(reason=f"VTH {raw[4]:02X}: {err}", data=raw)


# -- building VTH requests ------------------------------------------------------------------


def vth_frame(prefix: bytes, command: int, data: bytes = b"") -> bytes:
    """A VTH frame: prefix, command, len (u16), data, checksum."""
    _check("command", command, 0, 0xFF)
    length = len(data) + 1
    if prefix not in _PREFIXES or length > MAX_VTH_LENGTH:
        msg = f"cannot frame {len(data)} data bytes with prefix {prefix!r}"
        raise ValueError(msg)
    body = prefix + bytes((command,)) + length.to_bytes(2, "big") + data
    return body + bytes((checksum(body),))


def _request(command: VTHCommand, data: bytes = b"") -> bytes:
    return vth_frame(VTH_REQUEST_PREFIX, command, data)


def _u16(name: str, value: int) -> bytes:
    return _check(name, value, 0, 0xFFFF).to_bytes(2, "big")


def floor_numbers() -> bytes:
    """VTH 01: the floor IDs."""
    return _request(VTHCommand.FLOOR_NUMBERS)


def floor_params(floor: int) -> bytes:
    """VTH 02: a floor's name."""
    return _request(VTHCommand.FLOOR_PARAMS, _u16("floor", floor))


def room_numbers(group: int = 0) -> bytes:
    """VTH 03: the room IDs (the group byte is always 0 in VH)."""
    return _request(VTHCommand.ROOM_NUMBERS, bytes((_check("group", group, 0, 0xFF),)))


def room_params(room: int) -> bytes:
    """VTH 04: a room's floor and name."""
    return _request(VTHCommand.ROOM_PARAMS, _u16("room", room))


def keypad_numbers() -> bytes:
    """VTH 05: the keypads and their key counts."""
    return _request(VTHCommand.KEYPAD_NUMBERS)


def key_params(keypad: int, key: int) -> bytes:
    """VTH 06: one key (1-based); keypad 0 is asked for as 256, as VH does."""
    field = _u16("keypad", keypad) if keypad else _u16("keypad", 256)
    return _request(VTHCommand.KEY_PARAMS, field + bytes((_check("key", key, 1, 0xFF),)))


def ac_numbers() -> bytes:
    """VTH 07: the AC IDs."""
    return _request(VTHCommand.AC_NUMBERS)


def ac_params(ac: int) -> bytes:
    """VTH 08: an AC's type, room and name."""
    return _request(VTHCommand.AC_PARAMS, _u16("AC", ac))


def scenario_numbers() -> bytes:
    """VTH 09: the scenario IDs."""
    return _request(VTHCommand.SCENARIO_NUMBERS)


def scenario_params(scenario: int) -> bytes:
    """VTH 0A: a scenario's room and name."""
    return _request(VTHCommand.SCENARIO_PARAMS, _u16("scenario", scenario))
