"""The vBox host interface (TCP 11502) as the box speaks it: the simulator's own codec.

Written from the host interface (docs/host-interface.md §1.6, §3, §4), independently
of the client library, so that a mistake on one side shows up in the client-simulator tests
instead of being shared by both. It reads what a client sends (ASCII command lines and ``VTH>``
requests, :class:`CommandReader`) and encodes what the box sends (status lines and ``VTH<``
replies).

Where the vendor libraries disagree (docs/host-interface.md §7.2) the box accepts both
forms: the key query ``H:Nnnn:G:k`` and ``H:Nnnn:k:G``; plain on ``O:000``, ``O:`` and ``O``;
off ``F`` and ``F:000``; scenarios of 4 or 5 digits. Lines it cannot read come out as
:class:`BadCommand`; nothing here raises on what a client sends.

A VTH frame: ``56 54 48 | 3E (request) or 3C (reply) | command | len (u16 big-endian) | data |
checksum``; len counts the data and the checksum; the checksum is the sum of all bytes before
it, modulo 256. Names are UTF-16LE, their length byte counts bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

CRLF = b"\r\n"
REQUEST = b"VTH>"
REPLY = b"VTH<"
HEADER = 7
MAX_LEN = 0x0FFF
"""The largest VTH len the box reads or writes (the vendor reader drops the top nibble)."""
MAX_LINE = 256
"""The longest command line the box reads; real ones are below 30 bytes."""


class Db(IntEnum):
    """VTH command bytes (docs/host-interface.md §4.2)."""

    FLOORS = 0x01
    FLOOR = 0x02
    ROOMS = 0x03
    ROOM = 0x04
    KEYPADS = 0x05
    KEY = 0x06
    ACS = 0x07
    AC = 0x08
    SCENARIOS = 0x09
    SCENARIO = 0x0A


def vth_sum(data: bytes) -> int:
    """The VTH checksum of ``data``."""
    return sum(data) % 256


# -- what a client sends ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    """One command line: its kind, its target, its values (all as the client wrote them).

    ``kind`` is one of the names in :data:`KINDS`; ``target`` is ``(letter, number)``, such as
    ``("N", 18)``, or ``None``; ``key`` is the 1-based key, or ``None``; ``values`` are the
    numbers or letters that follow, in order.
    """

    kind: str
    target: tuple[str, int] | None = None
    key: int | None = None
    values: tuple[int | str, ...] = ()


@dataclass(frozen=True, slots=True)
class DbRequest:
    """A ``VTH>`` request: the command and its u16 argument and key byte, when it has them."""

    command: Db
    arg: int | None = None
    key: int | None = None


@dataclass(frozen=True, slots=True)
class BadCommand:
    """What a client sent that the box cannot read, and why."""

    reason: str
    data: bytes


type Received = Command | DbRequest | BadCommand

_N = r"N(\d{3})"
_K = r"(\d)"
_A = r"A(\d{3})"

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("keep_alive", r"P:(.*)"),
    ("version", r"G:V:S"),
    ("status_all", r"H:NALL:G"),
    ("status_occupancy", r"H:C:G"),
    ("status_node", rf"H:{_N}:G"),
    ("status_key", rf"H:{_N}:G:{_K}"),
    ("status_key", rf"H:{_N}:{_K}:G"),
    ("on", rf"H:{_N}:{_K}:O(?::(\d{{0,3}}))?"),
    ("off", rf"H:{_N}:{_K}:F(?::(000))?"),
    ("toggle", rf"H:{_N}:{_K}:T"),
    ("dim", rf"H:{_N}:{_K}:D:(\d{{3}}):(\d{{3}})"),
    ("dim_step", rf"H:{_N}:{_K}:D:(100|000)"),
    ("blind", rf"H:{_N}:{_K}:B:(\d{{3}})"),
    ("hotel", rf"H:{_N}:(1):d:([0-2])"),
    ("fan", rf"H:{_N}:S:([0-4])"),
    ("led", rf"L:{_N}:{_K}:([OF])"),
    ("status_ac", rf"H:{_A}:G"),
    ("status_input", r"H:I(\d{3}):G"),
    ("status_output", r"H:O(\d{3}):G"),
    ("output", r"H:O(\d{3}):([OC])"),
    ("scenario", r"H:R(\d{4,5})"),
    ("ac_set", rf"H:{_A}:1:([A-Z]):([0-4])([0-4]):(\d{{3}}):([01])"),
    ("ac_power", rf"H:{_A}:2:([OF])"),
    ("ac_mode", rf"H:{_A}:3:([0-4])"),
    ("ac_fan", rf"H:{_A}:4:([0-4])"),
    ("ac_setpoint", rf"H:{_A}:5:(\d{{3}})"),
    ("ac_unit", rf"H:{_A}:8:([01])"),
    ("ac_up", rf"H:{_A}:6"),
    ("ac_down", rf"H:{_A}:7"),
)
_COMPILED = tuple((kind, re.compile(pattern, re.ASCII)) for kind, pattern in _PATTERNS)
KINDS = frozenset(kind for kind, _ in _PATTERNS)
"""Every kind of :class:`Command`."""

_TARGET_LETTER = {"status_input": "I", "status_output": "O", "output": "O", "scenario": "R"}
_LIMITS = {"dim": (120, 100), "blind": (100,), "on": (120,)}
"""Upper bounds of the numeric values; dimmer levels 254 (recall) and 255 (stop) and blind
position 255 (stop) are allowed besides."""


def _value(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _build(kind: str, groups: tuple[str | None, ...]) -> Command:
    parts = [g for g in groups if g is not None]
    if kind in ("keep_alive", "version", "status_all", "status_occupancy"):
        return Command(kind, values=tuple(parts))
    letter = _TARGET_LETTER.get(kind, "A" if kind.startswith(("ac", "status_ac")) else "N")
    target = (letter, int(parts[0]))
    rest = parts[1:]
    key = None
    if letter == "N" and kind not in ("status_node", "fan"):
        key, rest = int(rest[0]), rest[1:]
    if (kind == "on" and rest == [""]) or kind == "off":
        rest = []  # VC's plain on "O:" and off "F:000" are the same commands
    return Command(kind, target, key, tuple(_value(v) for v in rest))


def _in_range(command: Command) -> str | None:
    """Why a matched command's numbers are out of range, or ``None``."""
    if command.key == 0:
        return "key numbers start at 1"
    limits = _LIMITS.get(command.kind, ())
    for value, limit in zip(command.values, limits, strict=False):
        special = command.kind in ("dim", "blind") and value in (254, 255)
        if isinstance(value, int) and value > limit and not special:
            return f"{command.kind} value {value} exceeds {limit}"
    return None


def parse_command(line: bytes) -> Command | BadCommand:
    """Read one command line (with or without its CR LF)."""
    body = line.removesuffix(CRLF)
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return BadCommand("not ASCII", body)
    for kind, pattern in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            command = _build(kind, match.groups())
            problem = _in_range(command)
            return command if problem is None else BadCommand(problem, body)
    return BadCommand("unknown command", body)


_ARGS: dict[Db, str] = {
    Db.FLOORS: "",
    Db.FLOOR: "H",
    Db.ROOMS: "B",
    Db.ROOM: "H",
    Db.KEYPADS: "",
    Db.KEY: "HB",
    Db.ACS: "",
    Db.AC: "H",
    Db.SCENARIOS: "",
    Db.SCENARIO: "H",
}
"""Each request's data: ``H`` a u16, ``B`` a byte."""


def parse_request(frame: bytes) -> DbRequest | BadCommand:
    """Read one whole ``VTH>`` frame."""
    if len(frame) < HEADER + 1 or not frame.startswith(REQUEST):
        return BadCommand("not a VTH request", frame)
    if (frame[5] << 8 | frame[6]) != len(frame) - HEADER or vth_sum(frame[:-1]) != frame[-1]:
        return BadCommand("bad VTH length or checksum", frame)
    try:
        command = Db(frame[4])
    except ValueError:
        return BadCommand(f"unknown VTH command {frame[4]:#04x}", frame)
    layout, data = _ARGS[command], frame[HEADER:-1]
    if len(data) != layout.count("H") * 2 + layout.count("B"):
        return BadCommand(f"VTH {command.name} request with {len(data)} data bytes", frame)
    if layout == "B":
        return DbRequest(command, key=data[0])  # the room group byte
    arg = (data[0] << 8 | data[1]) if layout else None
    return DbRequest(command, arg, data[2] if layout == "HB" else None)


class CommandReader:
    """Splits what a client sends into command lines and ``VTH>`` requests.

    Bounded: a line longer than :data:`MAX_LINE` without a CR LF is reported and dropped; a
    request whose len is 0 or above :data:`MAX_LEN`, or whose checksum is wrong, is reported
    and the reader goes on just after its 7-byte header.
    """

    def __init__(self) -> None:
        """Empty."""
        self.pending = bytearray()

    def feed(self, data: bytes) -> list[Received]:
        """The commands and requests that ``data`` completes."""
        self.pending.extend(data)
        out: list[Received] = []
        while True:
            while self.pending.startswith(CRLF):  # empty lines
                del self.pending[:2]
            item = self._request() if self.pending.startswith(REQUEST) else self._line_item()
            if item is None:
                return out
            out.append(item)

    def _cut(self, size: int) -> bytes:
        chunk = bytes(self.pending[:size])
        del self.pending[:size]
        return chunk

    def _request(self) -> Received | None:
        """At ``VTH>``: the request, or why it is bad; ``None`` to wait for more bytes."""
        buf = self.pending
        if len(buf) < HEADER:
            return None
        size = HEADER + (buf[5] << 8 | buf[6])
        if size == HEADER or size > HEADER + MAX_LEN:
            return BadCommand("impossible VTH len", self._cut(HEADER))
        if len(buf) < size:
            return None
        frame = bytes(buf[:size])
        if vth_sum(frame[:-1]) != frame[-1]:
            self._cut(HEADER)
            return BadCommand("bad VTH checksum", frame)
        return parse_request(self._cut(size))

    def _line_item(self) -> Received | None:
        """A command line, or bytes before a ``VTH>``; ``None`` to wait for more bytes."""
        buf = self.pending
        at_frame = buf.find(REQUEST)
        at_end = buf.find(CRLF)
        if at_frame > 0 and (at_end < 0 or at_frame < at_end):
            return BadCommand("bytes before a VTH request", self._cut(at_frame))
        if at_end < 0:
            if len(buf) > MAX_LINE:
                return BadCommand("line too long", self._cut(len(buf) - 3))
            return None
        return parse_command(self._cut(at_end + 2))


# -- what the box sends -----------------------------------------------------------------


def _line(text: str) -> bytes:
    return text.encode("ascii") + CRLF


def psw_ok() -> bytes:
    """``S:PSW:OK``, the answer to ``P:VITREA``."""
    return _line("S:PSW:OK")


def ok() -> bytes:
    """``OK``."""
    return _line("OK")


def key_status(node: int, key: int, letter: str, param: int | None = None) -> bytes:
    """``S:Nnnn:k:X`` or ``S:Nnnn:k:X:ppp`` (p three digits)."""
    tail = "" if param is None else f":{param:03d}"
    return _line(f"S:N{node:03d}:{key}:{letter}{tail}")


def ac_status(  # noqa: PLR0913 - the ten fields of the line
    ac: int,
    *,
    on: bool,
    mode: int | None,
    fan: int | None,
    setpoint: int | None,
    measured: int | None,
    ac_type: int,
    relay: bool | None,
    unit: int | None,
) -> bytes:
    """``S:Aaaa:1:X:MF:sss:mmm:t:r:u``; ``None`` fields are sent as ``FF`` bytes (unknown)."""
    unknown = b"\xff"
    mode_fan = unknown * 2 if mode is None or fan is None else f"{mode}{fan}".encode()
    fields = [
        f"S:A{ac:03d}:1:{'O' if on else 'F'}".encode(),
        mode_fan,
        unknown if setpoint is None else f"{setpoint:03d}".encode(),
        unknown if measured is None else f"{measured:03d}".encode(),
        str(ac_type).encode(),
        unknown if relay is None else (b"O" if relay else b"F"),
        unknown if unit is None else str(unit).encode(),
    ]
    return b":".join(fields) + CRLF


def scenario_result(scenario: int, *, success: bool) -> bytes:
    """``S:Rssss:OK`` / ``S:Rssss:ERROR``."""
    return _line(f"S:R{scenario:04d}:{'OK' if success else 'ERROR'}")


def input_status(number: int, *, closed: bool) -> bytes:
    """``S:Iiii:C`` / ``S:Iiii:O``."""
    return _line(f"S:I{number:03d}:{'C' if closed else 'O'}")


def output_status(number: int, letter: str, param: int | None = None) -> bytes:
    """``S:Oooo:X[:ppp]``."""
    return _line(f"S:O{number:03d}:{letter}" + ("" if param is None else f":{param:03d}"))


def occupancy(*, occupied: bool) -> bytes:
    """``S:C:1`` / ``S:C:0``."""
    return _line(f"S:C:{int(occupied)}")


def clock(  # noqa: PLR0913, PLR0917 - the six fields of the line
    minute: int, hour: int, day: int, month: int, year: int, weekday: int
) -> bytes:
    """``T:mm:hh:dd:MM:yyyy:w``."""
    return _line(f"T:{minute:02d}:{hour:02d}:{day:02d}:{month:02d}:{year:04d}:{weekday}")


def version(digits: str) -> bytes:
    """``V:<digits>``, e.g. ``V:866``."""
    return _line(f"V:{digits}")


def error(code: int, text: str, width: int = 1) -> bytes:
    """``E:<code>:<text>`` with VH's numbering; ``width`` pads the code (``3`` → ``001``)."""
    return _line(f"E:{code:0{width}d}:{text}")


def joined(node: int) -> bytes:
    """``J:Nnnn``."""
    return _line(f"J:N{node:03d}")


def left(node: int) -> bytes:
    """``L:Nnnn``."""
    return _line(f"L:N{node:03d}")


def vth(command: int, data: bytes, prefix: bytes = REPLY) -> bytes:
    """A whole VTH frame around ``data``."""
    size = len(data) + 1
    if size > MAX_LEN:
        msg = f"{len(data)} data bytes do not fit a VTH frame"
        raise ValueError(msg)
    head = prefix + bytes([command, size >> 8, size & 0xFF])
    return head + data + bytes([vth_sum(head + data)])


def _h(value: int) -> bytes:
    return bytes([value >> 8 & 0xFF, value & 0xFF])


def _name(name: str) -> bytes:
    raw = name.encode("utf-16-le")
    if len(raw) > 255:
        msg = f"name {name!r} is longer than 255 bytes"
        raise ValueError(msg)
    return bytes([len(raw)]) + raw


def _ids(command: Db, ids: Iterable[int]) -> bytes:
    values = list(ids)
    return vth(command, bytes([len(values)]) + b"".join(_h(v) for v in values))


def floors(ids: Iterable[int]) -> bytes:
    """Reply 01."""
    return _ids(Db.FLOORS, ids)


def floor(floor_id: int, name: str) -> bytes:
    """Reply 02."""
    return vth(Db.FLOOR, _h(floor_id) + _name(name))


def rooms(ids: Iterable[int]) -> bytes:
    """Reply 03."""
    return _ids(Db.ROOMS, ids)


def room(room_id: int, floor_id: int, name: str) -> bytes:
    """Reply 04."""
    return vth(Db.ROOM, _h(room_id) + _h(floor_id) + _name(name))


def keypads(pairs: Iterable[tuple[int, int]]) -> bytes:
    """Reply 05: a u16 count, then (keypad u16, key count u8) pairs."""
    items = list(pairs)
    return vth(Db.KEYPADS, _h(len(items)) + b"".join(_h(k) + bytes([n]) for k, n in items))


def key(keypad: int, key_number: int, key_type: int, room_id: int, name: str) -> bytes:
    """Reply 06."""
    return vth(Db.KEY, _h(keypad) + bytes([key_number, key_type]) + _h(room_id) + _name(name))


def acs(ids: Iterable[int]) -> bytes:
    """Reply 07."""
    return _ids(Db.ACS, ids)


def ac(ac_id: int, ac_type: int, room_id: int, name: str) -> bytes:
    """Reply 08: the type as an ASCII digit."""
    return vth(Db.AC, _h(ac_id) + str(ac_type).encode() + _h(room_id) + _name(name))


def scenarios(ids: Iterable[int]) -> bytes:
    """Reply 09."""
    return _ids(Db.SCENARIOS, ids)


def scenario(scenario_id: int, room_id: int, name: str) -> bytes:
    """Reply 0A; room 65535 is a global scenario."""
    return vth(Db.SCENARIO, _h(scenario_id) + _h(room_id) + _name(name))


REPLY_ENCODERS: dict[Db, Callable[..., bytes]] = {
    Db.FLOORS: floors,
    Db.FLOOR: floor,
    Db.ROOMS: rooms,
    Db.ROOM: room,
    Db.KEYPADS: keypads,
    Db.KEY: key,
    Db.ACS: acs,
    Db.AC: ac,
    Db.SCENARIOS: scenarios,
    Db.SCENARIO: scenario,
}
"""The encoder of each VTH reply, for the server of the next stage."""
