"""The vBox's host interface (TCP, HA default port 11502): its codec, no connection.

One socket carries two protocols (host-interface spec ``vbox-host-interface.md``): ASCII lines
ending in CR LF (§3) and binary ``VTH`` database frames (§4). This module builds every command
line and VTH request a client sends, parses every line and VTH reply the box sends, and splits
the box's byte stream into those messages (:class:`HostReader`). It never raises on bad input:
what it cannot read comes out as a :class:`Malformed` value with a reason.

A VTH frame is ``56 54 48 | direction | command | len (u16, big-endian) | data | checksum``,
direction ``3E`` (``>``) for a request and ``3C`` (``<``) for a reply; ``len`` counts the data
and the checksum, and the checksum is the sum of every byte before it modulo 256 (§4.1).

Decisions on what the spec leaves open (§7.3) or where the vendor code is wrong (§7.1):

* **Echoes.** Lines starting ``H:``, ``G:`` or ``P:``, an LED command ``L:Nnnn:k:O|F`` (four
  fields, unlike "node left" ``L:Nnnn``) and ``VTH>`` frames come out as :class:`Echo`, not
  dropped and not malformed: the client decides what to do with them (drop them, §8).
* **Numbering.** Host key numbers are 1-based. Builders take keys 1-9 (one digit, §3) and nodes,
  ACs, inputs and outputs 0-999 (three digits); the parsers accept any key digit 0-9. The
  relation to the VTU interface's 0-based keys (§6) is not this module's business.
* **Forms.** Where the vendor libraries disagree (§7.2), the builders send VH's form, the one
  Home Assistant's vendor integration uses: plain on ``O:000``, off ``F``, dimmer
  ``D:duration:level``, scenario 4 digits. The key-status query defaults to VH's ``H:Nnnn:G:k``;
  :class:`KeyQueryForm` selects VC's ``H:Nnnn:k:G``.
* **Key status parameter.** ``p`` is read as a decimal number of any width; fields after it are
  ignored (as VH does). An unknown status letter is kept as the letter itself.
* **Encoding.** Lines are decoded as ASCII; every other byte becomes U+FFFD. In an AC status line
  a field holding U+FFFD is an unknown value (``None``), as the box marks them that way (§3.6);
  an AC type that is not ``1``-``4`` makes the line malformed, like any other field that is not
  what §3.6 allows. Anywhere else a non-ASCII byte makes the line malformed.
* **Empty lines** (a bare CR LF) are skipped silently.
* **Version** ``V:<digits>``: VH's rule, first digit = major, the rest = minor (``V:866`` is
  8.66), since the firmware gates (§2) are written against it; the digits are kept as sent.
* **Errors** ``E:<code>[:text]``: the code is a decimal number (``1`` or ``001``) named with VH's
  numbering (§3.7); the text may contain colons. A bare ``ERROR`` line is an error with no code.
* **Scenario results** accept 1-5 digits (VH sends 4, VC 5 characters).
* **VTH lengths** are real u16 values (the vendor's length encoder is wrong above 9, §7.1).
  The reader accepts ``len`` 1 to 0x0FFF: the vendor reader drops the top nibble, so a box
  that works with it never sends more; a larger value is treated as garbage.
* **Names** are decoded as real UTF-16LE (surrogate pairs work, unlike VH); a byte count that
  is odd or differs from what follows is malformed, an unpaired surrogate becomes U+FFFD. Then
  they are cleaned (:func:`.names.clean_name`: no control characters, whitespace collapsed).
* **Key types** above 24 are kept as the number; counts that differ from the entries, and AC
  type digits outside ``1``-``4``, make the frame malformed (VH's fatal values, §4.5).
* **Keypad 0** is asked for as keypad 256 (``01 00``), as VH does (§4.5).
* **AC set-points** are checked against §5.3: 15-30 in °C, 60-90 in °F, 15-90 without a unit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from .names import clean_name

if TYPE_CHECKING:
    from collections.abc import Callable

LINE_END = b"\r\n"
VTH_REQUEST_PREFIX = b"VTH>"
VTH_REPLY_PREFIX = b"VTH<"
VTH_HEADER_SIZE = 7
"""``VTH``, direction, command and the two length bytes."""
MAX_VTH_LENGTH = 0x0FFF
"""The largest ``len`` the reader accepts (data plus checksum)."""
MAX_FRAME_SIZE = VTH_HEADER_SIZE + MAX_VTH_LENGTH
MAX_LINE = 512
"""The longest ASCII line the reader accepts, CR LF excluded; real ones are below 40 bytes."""
MAX_NODE = 999
MAX_MINUTES = 120
MAX_LEVEL = 100
UNKNOWN = "\ufffd"
"""What a non-ASCII byte of a line becomes."""


def checksum(data: bytes) -> int:
    """The VTH checksum: the sum of ``data`` modulo 256."""
    return sum(data) & 0xFF


# -- enumerations ---------------------------------------------------------------------------


class KeyState(StrEnum):
    """The status letter ``X`` of ``S:Nnnn:k:X[:p]`` (§3.4)."""

    ON = "O"
    OFF = "F"
    BOILER_ON = "o"  # p: the remaining timer minutes
    BOILER_OFF = "f"
    DIMMER = "D"  # p: level 0-100
    BLIND = "B"  # p: position 0-100
    SHORT = "S"  # satellite presses
    LONG = "L"
    RELEASE = "R"
    FAN = "M"
    DND = "d"
    RING = "r"
    JOINED = "J"


class ACMode(IntEnum):
    """AC mode digit M (§3.3)."""

    COOL = 0
    HEAT = 1
    FAN = 2
    DRY = 3
    AUTO = 4


class ACFan(IntEnum):
    """AC fan digit F (§3.3)."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    TOP = 3
    AUTO = 4


class TemperatureUnit(IntEnum):
    """AC unit digit u (§3.3)."""

    CELSIUS = 0
    FAHRENHEIT = 1


class ACType(IntEnum):
    """AC unit type: field 7 of ``S:A`` and the digit of VTH reply 08 (§5.3)."""

    TYPE_1 = 1
    TYPE_2 = 2
    TYPE_3 = 3
    TMSF = 4


class HotelState(IntEnum):
    """The value of the hotel command ``H:Nnnn:1:d:s``."""

    OFF = 0
    DND = 1
    MUR = 2  # make up room


class FanSpeed(IntEnum):
    """The value of the fan command ``H:Nnnn:S:s``."""

    OFF = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    MAX = 4


class HostErrorCode(IntEnum):
    """Error codes of ``E:<code>:<text>``, VH's numbering (§3.7)."""

    WRONG_COMMAND = 1
    WRONG_NODE = 2
    WRONG_KEY = 3
    WRONG_INPUT = 4
    WRONG_SCENARIO = 5
    NODE_NOT_FOUND = 6


class KeyQueryForm(StrEnum):
    """The two forms of the one-key status query (§3.2): VH's and VC's."""

    VH = "G:k"  # H:Nnnn:G:k
    VC = "k:G"  # H:Nnnn:k:G


class VersionSupport(StrEnum):
    """What the vendor integration makes of a firmware version (§2, HV HEAD gates)."""

    SUPPORTED = "supported"
    UPGRADE_OPTIONAL = "unsupported_version_upgrade_optional"
    UNSUPPORTED = "unsupported_version"


class VTHCommand(IntEnum):
    """The command byte of a VTH frame (§4.2)."""

    FLOOR_NUMBERS = 0x01
    FLOOR_PARAMS = 0x02
    ROOM_NUMBERS = 0x03
    ROOM_PARAMS = 0x04
    KEYPAD_NUMBERS = 0x05
    KEY_PARAMS = 0x06
    AC_NUMBERS = 0x07
    AC_PARAMS = 0x08
    SCENARIO_NUMBERS = 0x09
    SCENARIO_PARAMS = 0x0A


class HostKeyType(IntEnum):
    """The key-type byte of VTH reply 06 (§5.1)."""

    NOT_USED = 0
    TOGGLE = 1
    PUSH_BUTTON = 2
    DIMMER = 3
    BLIND_UP = 4
    BLIND_DOWN = 5
    BLIND_UP_DOWN = 6
    TILT_UP = 7
    TILT_DOWN = 8
    TILT_UP_DOWN = 9
    BOILER = 10
    HEATER = 11
    SATELLITE = 12
    ROOM_ON = 13
    SCENE = 14
    DND = 15
    THERMOSTAT = 16
    UNDERFLOOR_HEATING = 17
    FAN = 18
    TOGGLE_MW = 19
    BLIND_MW = 20
    AC_TYPE_1 = 21
    AC_TYPE_2 = 22
    AC_TYPE_3 = 23
    AC_TMSF = 24


GLOBAL_ROOM = 0xFFFF
"""The room of a scenario that belongs to no room (§4.5)."""

# -- what the box sends ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Malformed:
    """Bytes that are not a valid message, and why."""

    reason: str
    data: bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class Echo:
    """A command line or a VTH request the box sent back (§1.6)."""

    data: bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class PasswordAck:
    """``S:PSW:OK``: the answer to ``P:VITREA`` (§1.2)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Ack:
    """``OK``: "action executed" (§3.5)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyStatus:
    """``S:Nnnn:k:X[:p]``: the state of one key, or a press (§3.4)."""

    node: int
    key: int
    state: KeyState | str
    param: int | None = None

    @property
    def is_on(self) -> bool | None:
        """On or off for ``O``/``o``/``F``/``f``; ``None`` for other letters."""
        if self.state in (KeyState.ON, KeyState.BOILER_ON):
            return True
        if self.state in (KeyState.OFF, KeyState.BOILER_OFF):
            return False
        return None

    @property
    def level(self) -> int | None:
        """The dimmer level or blind position (0-100) of a ``D`` or ``B`` line."""
        if self.state in (KeyState.DIMMER, KeyState.BLIND) and self.param is not None:
            return self.param if self.param <= MAX_LEVEL else None
        return None

    @property
    def is_press(self) -> bool:
        """A satellite press (short, long, release), not a state."""
        return self.state in (KeyState.SHORT, KeyState.LONG, KeyState.RELEASE)


@dataclass(frozen=True, kw_only=True, slots=True)
class ACStatus:
    """``S:Aaaa:k:X:MF:sss:mmm:t:r:u`` (§3.6); ``None`` marks a value the box sent as unknown."""

    ac: int
    key: int
    is_on: bool
    mode: ACMode | None
    fan: ACFan | None
    setpoint: int | None
    temperature: int | None
    ac_type: ACType
    relay_on: bool | None
    unit: TemperatureUnit | None


@dataclass(frozen=True, kw_only=True, slots=True)
class ScenarioResult:
    """``S:Rssss:OK`` / ``S:Rssss:ERROR``."""

    scenario: int
    ok: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class InputStatus:
    """``S:Iiii:C`` (closed) / ``S:Iiii:O`` (open)."""

    input: int
    closed: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class OutputStatus:
    """``S:Oooo:X[:p]`` (layout from VH's docstring only)."""

    output: int
    state: str
    param: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Occupancy:
    """``S:C:0`` / ``S:C:1``: room not occupied / occupied."""

    occupied: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class Clock:
    """``T:mm:hh:dd:MM:yyyy:w``; the weekday numbering is unknown (§3.5)."""

    minute: int
    hour: int
    day: int
    month: int
    year: int
    weekday: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Version:
    """``V:<digits>``: the firmware version, read with VH's rule (first digit = major)."""

    digits: str
    major: int
    minor: int

    @property
    def supports_led_commands(self) -> bool:
        """Whether ``L:`` commands are enabled (§2): major 9 or more, or 0."""
        return self.major >= 9 or self.major == 0

    @property
    def support(self) -> VersionSupport:
        """The vendor integration's verdict (HV HEAD gates, §2)."""
        if self.major == 7:
            if self.minor >= 99:
                return VersionSupport.SUPPORTED
            return (
                VersionSupport.UPGRADE_OPTIONAL if self.minor >= 91 else VersionSupport.UNSUPPORTED
            )
        if self.major == 8:
            return VersionSupport.SUPPORTED if self.minor >= 63 else VersionSupport.UPGRADE_OPTIONAL
        if self.major in (9, 0):
            return VersionSupport.SUPPORTED
        return VersionSupport.UNSUPPORTED


@dataclass(frozen=True, kw_only=True, slots=True)
class HostError:
    """``E:<code>[:text]``, or a bare ``ERROR`` (``code`` ``None``)."""

    code: int | None
    text: str = ""

    @property
    def meaning(self) -> HostErrorCode | None:
        """The code's meaning in VH's numbering, if it has one."""
        codes = {int(code): code for code in HostErrorCode}
        return None if self.code is None else codes.get(self.code)


@dataclass(frozen=True, kw_only=True, slots=True)
class NodeJoined:
    """``J:Nnnn``: a node joined the network."""

    node: int


@dataclass(frozen=True, kw_only=True, slots=True)
class NodeLeft:
    """``L:Nnnn``: a node left the network."""

    node: int


@dataclass(frozen=True, kw_only=True, slots=True)
class FloorNumbers:
    """VTH reply 01."""

    floors: tuple[int, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class FloorParams:
    """VTH reply 02."""

    floor: int
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class RoomNumbers:
    """VTH reply 03."""

    rooms: tuple[int, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class RoomParams:
    """VTH reply 04."""

    room: int
    floor: int
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class KeypadNumbers:
    """VTH reply 05: ``(keypad, key count)`` pairs."""

    keypads: tuple[tuple[int, int], ...]

    @property
    def total_keys(self) -> int:
        """The sum of the key counts: how many 06 replies the DB read expects."""
        return sum(count for _, count in self.keypads)


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyParams:
    """VTH reply 06: one key of a keypad (the key 1-based)."""

    keypad: int
    key: int
    key_type: HostKeyType | int
    room: int
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ACNumbers:
    """VTH reply 07."""

    acs: tuple[int, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class ACParams:
    """VTH reply 08."""

    ac: int
    ac_type: ACType
    room: int
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ScenarioNumbers:
    """VTH reply 09."""

    scenarios: tuple[int, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class ScenarioParams:
    """VTH reply 0A."""

    scenario: int
    room: int
    name: str

    @property
    def is_global(self) -> bool:
        """The scenario belongs to no room (room 65535)."""
        return self.room == GLOBAL_ROOM


@dataclass(frozen=True, kw_only=True, slots=True)
class UnknownFrame:
    """A valid VTH reply with a command byte this module does not know."""

    command: int
    data: bytes


type LineMessage = (
    PasswordAck
    | Ack
    | KeyStatus
    | ACStatus
    | ScenarioResult
    | InputStatus
    | OutputStatus
    | Occupancy
    | Clock
    | Version
    | HostError
    | NodeJoined
    | NodeLeft
)
type DatabaseReply = (
    FloorNumbers
    | FloorParams
    | RoomNumbers
    | RoomParams
    | KeypadNumbers
    | KeyParams
    | ACNumbers
    | ACParams
    | ScenarioNumbers
    | ScenarioParams
    | UnknownFrame
)
type HostMessage = LineMessage | DatabaseReply | Echo | Malformed
"""Everything :class:`HostReader` yields."""


# -- parsing lines --------------------------------------------------------------------------


class _BadInputError(Exception):
    """Internal: why a line or frame cannot be read; becomes :class:`Malformed`."""


def _digits(text: str, what: str, width: int | None = None) -> int:
    """A decimal number of ASCII digits (exactly ``width`` of them, if given)."""
    if not text or not text.isascii() or not text.isdigit():
        msg = f"{what} is not a number: {text!r}"
        raise _BadInputError(msg)
    if width is not None and len(text) != width:
        msg = f"{what} must have {width} digits: {text!r}"
        raise _BadInputError(msg)
    return int(text)


def _id(field: str, letter: str, what: str, width: int = 3) -> int:
    """``Nnnn``-style field: a letter, then ``width`` digits."""
    if not field.startswith(letter):
        msg = f"{what} must start with {letter!r}: {field!r}"
        raise _BadInputError(msg)
    return _digits(field[1:], what, width)


def _count(fields: list[str], count: int, what: str) -> None:
    if len(fields) != count:
        msg = f"{what} needs {count} fields, got {len(fields)}"
        raise _BadInputError(msg)


def _ascii(text: str) -> None:
    if UNKNOWN in text:
        msg = "the line holds non-ASCII bytes"
        raise _BadInputError(msg)


def _key_state(letter: str) -> KeyState | str:
    if len(letter) != 1 or not letter.isalpha():
        msg = f"status letter must be one letter: {letter!r}"
        raise _BadInputError(msg)
    try:
        return KeyState(letter)
    except ValueError:
        return letter


def _key_status(fields: list[str]) -> KeyStatus:
    if len(fields) < 4:
        msg = f"key status needs at least 4 fields, got {len(fields)}"
        raise _BadInputError(msg)
    param = fields[4] if len(fields) > 4 else ""
    return KeyStatus(
        node=_id(fields[1], "N", "node"),
        key=_digits(fields[2], "key", 1),
        state=_key_state(fields[3]),
        param=_digits(param, "parameter") if param else None,
    )


def _unknown_or[T](field: str, read: Callable[[str], T]) -> T | None:
    return None if UNKNOWN in field else read(field)


def _temperature(text: str) -> int:
    if text.startswith("-"):
        return -_digits(text[1:], "temperature")
    return _digits(text, "temperature")


def _choice[T](text: str, table: dict[str, T], what: str) -> T:
    try:
        return table[text]
    except KeyError:
        msg = f"{what} must be one of {sorted(table)}: {text!r}"
        raise _BadInputError(msg) from None


_MODES = {str(int(mode)): mode for mode in ACMode}
_FANS = {str(int(fan)): fan for fan in ACFan}
_UNITS = {str(int(unit)): unit for unit in TemperatureUnit}
_AC_TYPES = {str(int(kind)): kind for kind in ACType}
_RELAY = {"O": True, "F": False}


def _mode_fan(text: str) -> tuple[ACMode | None, ACFan | None]:
    if UNKNOWN in text:
        return None, None
    if len(text) != 2:
        msg = f"mode and fan must be two digits: {text!r}"
        raise _BadInputError(msg)
    return _choice(text[0], _MODES, "mode"), _choice(text[1], _FANS, "fan")


def _ac_status(fields: list[str]) -> ACStatus:
    _count(fields, 10, "AC status")
    _ascii(":".join(fields[:4] + fields[7:8]))
    mode, fan = _mode_fan(fields[4])
    return ACStatus(
        ac=_id(fields[1], "A", "AC"),
        key=_digits(fields[2], "key"),
        is_on=fields[3] == "O",
        mode=mode,
        fan=fan,
        setpoint=_unknown_or(fields[5], _temperature),
        temperature=_unknown_or(fields[6], _temperature),
        ac_type=_choice(fields[7], _AC_TYPES, "AC type"),
        relay_on=_unknown_or(fields[8], lambda f: _choice(f, _RELAY, "relay")),
        unit=_unknown_or(fields[9], lambda f: _choice(f, _UNITS, "unit")),
    )


def _scenario_result(fields: list[str]) -> ScenarioResult:
    _count(fields, 3, "scenario result")
    number = fields[1][1:]
    if not 1 <= len(number) <= 5:
        msg = f"scenario must have 1 to 5 digits: {fields[1]!r}"
        raise _BadInputError(msg)
    return ScenarioResult(
        scenario=_id(fields[1], "R", "scenario", len(number)),
        ok=_choice(fields[2], {"OK": True, "ERROR": False}, "scenario result"),
    )


def _input_status(fields: list[str]) -> InputStatus:
    _count(fields, 3, "input status")
    return InputStatus(
        input=_id(fields[1], "I", "input"),
        closed=_choice(fields[2], {"C": True, "O": False}, "input state"),
    )


def _output_status(fields: list[str]) -> OutputStatus:
    if len(fields) not in (3, 4):
        msg = f"output status needs 3 or 4 fields, got {len(fields)}"
        raise _BadInputError(msg)
    param = fields[3] if len(fields) == 4 else ""
    state = fields[2]
    if len(state) != 1 or not state.isalpha():
        msg = f"output state must be one letter: {state!r}"
        raise _BadInputError(msg)
    return OutputStatus(
        output=_id(fields[1], "O", "output"),
        state=state,
        param=_digits(param, "parameter") if param else None,
    )


def _status(fields: list[str]) -> LineMessage:
    """``S:`` lines."""
    if len(fields) < 2 or not fields[1]:
        msg = "status line without a subject"
        raise _BadInputError(msg)
    subject = fields[1]
    if subject == "PSW":
        _count(fields, 3, "password ack")
        if fields[2] != "OK":
            msg = f"password ack must end in OK: {fields[2]!r}"
            raise _BadInputError(msg)
        return PasswordAck()
    if subject == "C":
        _count(fields, 3, "occupancy")
        return Occupancy(occupied=_choice(fields[2], {"0": False, "1": True}, "occupancy"))
    if subject[0] == "A":
        return _ac_status(fields)
    _ascii(":".join(fields))
    parser = _STATUS_PARSERS.get(subject[0])
    if parser is None:
        msg = f"unknown status subject: {subject!r}"
        raise _BadInputError(msg)
    return parser(fields)


_STATUS_PARSERS: dict[str, Callable[[list[str]], LineMessage]] = {
    "N": _key_status,
    "R": _scenario_result,
    "I": _input_status,
    "O": _output_status,
}


def _clock(fields: list[str]) -> Clock:
    _count(fields, 7, "clock")
    minute, hour, day, month, year, weekday = (
        _digits(field, "clock field") for field in fields[1:]
    )
    if not (minute <= 59 and hour <= 23 and 1 <= day <= 31 and 1 <= month <= 12):
        msg = f"clock out of range: {':'.join(fields[1:])}"
        raise _BadInputError(msg)
    return Clock(minute=minute, hour=hour, day=day, month=month, year=year, weekday=weekday)


def _version(fields: list[str]) -> Version:
    _count(fields, 2, "version")
    digits = fields[1]
    _digits(digits, "version")
    if len(digits) < 2:
        msg = f"version needs at least 2 digits: {digits!r}"
        raise _BadInputError(msg)
    return Version(digits=digits, major=int(digits[0]), minor=int(digits[1:]))


def _error(fields: list[str]) -> HostError:
    if len(fields) < 2:
        msg = "error line without a code"
        raise _BadInputError(msg)
    return HostError(code=_digits(fields[1], "error code"), text=":".join(fields[2:]))


def _joined(fields: list[str]) -> NodeJoined:
    _count(fields, 2, "node joined")
    return NodeJoined(node=_id(fields[1], "N", "node"))


def _left(fields: list[str]) -> NodeLeft:
    _count(fields, 2, "node left")
    return NodeLeft(node=_id(fields[1], "N", "node"))


_LINE_PARSERS: dict[str, Callable[[list[str]], LineMessage]] = {
    "S": _status,
    "T": _clock,
    "V": _version,
    "E": _error,
    "J": _joined,
    "L": _left,
}
_ECHO_HEADS = frozenset({"H", "G", "P"})


def parse_line(line: bytes) -> LineMessage | Echo | Malformed:
    """Parse one line the box sent (with or without its CR LF); never raises."""
    raw = bytes(line)
    body = raw.removesuffix(LINE_END)
    text = body.decode("ascii", errors="replace")
    if text == "OK":
        return Ack()
    if text == "ERROR":
        return HostError(code=None, text="ERROR")
    fields = text.split(":")
    head = fields[0]
    if head in _ECHO_HEADS or (head == "L" and len(fields) == 4 and fields[3] in ("O", "F")):
        return Echo(data=body)
    parser = _LINE_PARSERS.get(head)
    if parser is None:
        return Malformed(reason=f"unknown line: {text[:40]!r}", data=raw)
    try:
        if head != "S":
            _ascii(text)
        return parser(fields)
    except _BadInputError as err:
        return Malformed(reason=str(err), data=raw)


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


# -- the stream reader ----------------------------------------------------------------------

_PREFIXES = (VTH_REPLY_PREFIX, VTH_REQUEST_PREFIX)


def _frame_start(buffer: bytearray) -> int:
    """Where the first VTH prefix starts in ``buffer``, or -1."""
    found = [at for at in (buffer.find(prefix) for prefix in _PREFIXES) if at >= 0]
    return min(found, default=-1)


def _partial_tail(buffer: bytearray) -> int:
    """How many bytes at the end of ``buffer`` may begin a CR LF or a VTH prefix."""
    for size in (3, 2, 1):
        tail = bytes(buffer[-size:])
        if len(buffer) >= size and (VTH_REPLY_PREFIX.startswith(tail) or tail == b"\r"[:size]):
            return size
    return 0


class HostReader:
    """Splits the box's byte stream into lines and VTH frames, and parses them.

    Reassembles messages split across reads and splits merged ones. Bytes before a VTH prefix
    that end no line are reported as garbage; a frame with an impossible length or a bad
    checksum is reported and the reader resynchronises just after its 7-byte header, so
    messages its supposed data swallowed are still found. A line longer than ``max_line`` is
    reported and skipped up to its CR LF. Between calls the buffer holds at most one maximal
    frame or one maximal line. A message that stays incomplete (:attr:`held_since`) is
    dropped by :meth:`expire`, and the reader resynchronises on what followed it: a stray
    VTH header no longer holds the lines behind it. :meth:`feed` and :meth:`expire` never
    raise.
    """

    def __init__(
        self, max_line: int = MAX_LINE, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Start with an empty buffer; ``clock`` times :attr:`held_since`."""
        self.max_line = max_line
        self._buffer = bytearray()
        self._skipping = False
        self._clock = clock
        self._consumed = 0
        self.discarded_bytes = 0
        """Bytes dropped as garbage, bad frames or overlong lines, for diagnostics."""
        self.held_since: float | None = None
        """When the first byte of the incomplete message now held arrived (by ``clock``);
        ``None`` while nothing is held."""

    @property
    def buffered(self) -> int:
        """How many bytes wait for the rest of their message."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[HostMessage]:
        """Add bytes from the stream; return the messages they complete, in order."""
        consumed = self._consumed
        self._buffer += data
        messages: list[HostMessage] = []
        while self._buffer:
            if self._skipping and not self._skip():
                break
            if self._buffer[:4] in _PREFIXES:
                item, done = self._frame()
            else:
                item, done = self._line()
            if item is not None:
                messages.append(item)
            if done:
                break
        if not self._buffer and not self._skipping:
            self.held_since = None
        elif self.held_since is None or self._consumed != consumed:
            self.held_since = self._clock()
        return messages

    def expire(self) -> list[HostMessage]:
        """Drop the message held (it will not complete); the messages held behind it.

        Of a VTH frame, its 7-byte header is dropped and the rest read again; of a line,
        all of it. The drop is reported as one :class:`Malformed` (none for the rest of an
        overlong line, already reported).
        """
        dropped: list[HostMessage] = []
        if self._skipping:
            self._skipping = False
            self.discarded_bytes += len(self._drop(len(self._buffer)))
        elif self._buffer[:4] in _PREFIXES:
            header = self._drop(VTH_HEADER_SIZE)
            self.discarded_bytes += len(header)
            dropped.append(Malformed(reason="incomplete VTH frame", data=header))
        elif self._buffer:
            line = self._drop(len(self._buffer))
            self.discarded_bytes += len(line)
            dropped.append(Malformed(reason="incomplete line", data=line))
        return [*dropped, *self.feed(b"")]

    def _drop(self, count: int) -> bytes:
        dropped = bytes(self._buffer[:count])
        del self._buffer[:count]
        self._consumed += len(dropped)
        return dropped

    def _skip(self) -> bool:
        """Skip the rest of an overlong line; whether the reader is back in sync."""
        end = self._buffer.find(LINE_END)
        start = _frame_start(self._buffer)
        cuts = [at for at in (end + 2 if end >= 0 else -1, start) if at >= 0]
        if not cuts:
            keep = _partial_tail(self._buffer)
            self.discarded_bytes += len(self._drop(len(self._buffer) - keep))
            return False
        self.discarded_bytes += len(self._drop(min(cuts)))
        self._skipping = False
        return True

    def _frame(self) -> tuple[HostMessage | None, bool]:
        """At a VTH prefix: the frame, or what is wrong with it; whether to wait for bytes."""
        if len(self._buffer) < VTH_HEADER_SIZE:
            return None, True
        length = int.from_bytes(self._buffer[5:7], "big")
        if not 1 <= length <= MAX_VTH_LENGTH:
            header = self._drop(VTH_HEADER_SIZE)
            self.discarded_bytes += len(header)
            return Malformed(reason=f"impossible VTH length {length}", data=header), False
        size = VTH_HEADER_SIZE + length
        if len(self._buffer) < size:
            return None, True
        frame = bytes(self._buffer[:size])
        if checksum(frame[:-1]) != frame[-1]:
            self.discarded_bytes += len(self._drop(VTH_HEADER_SIZE))
            return Malformed(reason="bad VTH checksum", data=frame), False
        self._drop(size)
        return parse_frame(frame), False

    def _line(self) -> tuple[HostMessage | None, bool]:
        """Not at a VTH prefix: a line, garbage before a frame, or nothing yet."""
        buffer = self._buffer
        end = buffer.find(LINE_END)
        start = _frame_start(buffer)
        if start >= 0 and (end < 0 or start < end):
            garbage = self._drop(start)
            self.discarded_bytes += len(garbage)
            return Malformed(reason="garbage before a VTH frame", data=garbage), False
        if end < 0:
            if VTH_REPLY_PREFIX.startswith(bytes(buffer)) or VTH_REQUEST_PREFIX.startswith(
                bytes(buffer)
            ):
                return None, True  # the beginning of a frame's prefix
            if len(buffer) <= self.max_line:
                return None, True
            sample = bytes(buffer[: self.max_line])
            keep = _partial_tail(buffer)
            self.discarded_bytes += len(self._drop(len(buffer) - keep))
            self._skipping = True
            return Malformed(reason=f"line longer than {self.max_line} bytes", data=sample), False
        line = self._drop(end + 2)
        if end == 0:
            return None, False  # an empty line
        return parse_line(line), False


# -- building command lines -----------------------------------------------------------------


def _check(name: str, value: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        msg = f"{name} must be an integer between {low} and {high}, got {value!r}"
        raise ValueError(msg)
    return value


def _line(text: str) -> bytes:
    return text.encode("ascii") + LINE_END


def _node(node: int) -> str:
    return f"N{_check('node', node, 0, MAX_NODE):03d}"


def _key(node: int, key: int) -> str:
    return f"{_node(node)}:{_check('key', key, 1, 9)}"


def keep_alive() -> bytes:
    """``P:VITREA``: the session start and the keep-alive (§1.2-1.3)."""
    return _line("P:VITREA")


def version_query() -> bytes:
    """``G:V:S``: ask for the firmware version (§2)."""
    return _line("G:V:S")


def key_on(node: int, key: int, minutes: int = 0) -> bytes:
    """``H:Nnnn:k:O:ddd``: on, for ``minutes`` (1-120) or with no timer (0)."""
    return _line(f"H:{_key(node, key)}:O:{_check('minutes', minutes, 0, MAX_MINUTES):03d}")


def key_off(node: int, key: int) -> bytes:
    """``H:Nnnn:k:F``."""
    return _line(f"H:{_key(node, key)}:F")


def key_toggle(node: int, key: int) -> bytes:
    """``H:Nnnn:k:T``."""
    return _line(f"H:{_key(node, key)}:T")


def boiler_timer(node: int, key: int, minutes: int) -> bytes:
    """A boiler countdown: off for 0, else on for ``minutes`` (1-120)."""
    _check("minutes", minutes, 0, MAX_MINUTES)
    return key_off(node, key) if minutes == 0 else key_on(node, key, minutes)


def dim(node: int, key: int, level: int, duration: int = 0) -> bytes:
    """``H:Nnnn:k:D:ddd:lll``: dimmer to ``level`` (0-100) over ``duration`` (0-120)."""
    level = _check("level", level, 0, MAX_LEVEL)
    return _line(f"H:{_key(node, key)}:D:{_check('duration', duration, 0, 120):03d}:{level:03d}")


def dim_recall(node: int, key: int, duration: int = 0) -> bytes:
    """``H:Nnnn:k:D:ddd:254``: the dimmer's last level."""
    return _line(f"H:{_key(node, key)}:D:{_check('duration', duration, 0, 120):03d}:254")


def dim_stop(node: int, key: int) -> bytes:
    """``H:Nnnn:k:D:000:255``: stop a dimmer that is moving."""
    return _line(f"H:{_key(node, key)}:D:000:255")


def dim_step(node: int, key: int, *, up: bool) -> bytes:
    """``H:Nnnn:k:D:100`` (up) / ``H:Nnnn:k:D:000`` (down): one field, meaning inferred."""
    return _line(f"H:{_key(node, key)}:D:{'100' if up else '000'}")


def blind(node: int, key: int, position: int) -> bytes:
    """``H:Nnnn:k:B:ppp``: 0 down/closed ... 100 up/open."""
    return _line(f"H:{_key(node, key)}:B:{_check('position', position, 0, MAX_LEVEL):03d}")


def blind_stop(node: int, key: int) -> bytes:
    """``H:Nnnn:k:B:255``."""
    return _line(f"H:{_key(node, key)}:B:255")


def hotel(node: int, state: HotelState) -> bytes:
    """``H:Nnnn:1:d:s``: do not disturb, make up room, or neither."""
    return _line(f"H:{_node(node)}:1:d:{HotelState(state):d}")


def fan_speed(node: int, speed: FanSpeed) -> bytes:
    """``H:Nnnn:S:s`` (no key field; "not implemented in VBox")."""
    return _line(f"H:{_node(node)}:S:{FanSpeed(speed):d}")


def output(output_id: int, *, close: bool) -> bytes:
    """``H:Oooo:C`` / ``H:Oooo:O`` (marked not implemented)."""
    return _line(f"H:O{_check('output', output_id, 0, 999):03d}:{'C' if close else 'O'}")


def led(node: int, key: int, *, on: bool) -> bytes:
    """``L:Nnnn:k:O`` / ``L:Nnnn:k:F``: a key's LED (firmware-gated, §2)."""
    return _line(f"L:{_key(node, key)}:{'O' if on else 'F'}")


def status_all() -> bytes:
    """``H:NALL:G``: every node's state."""
    return _line("H:NALL:G")


def status_node(node: int) -> bytes:
    """``H:Nnnn:G``."""
    return _line(f"H:{_node(node)}:G")


def status_key(node: int, key: int, form: KeyQueryForm = KeyQueryForm.VH) -> bytes:
    """One key's state: ``H:Nnnn:G:k`` (VH, default) or ``H:Nnnn:k:G`` (VC)."""
    node_field, key_field = _key(node, key).split(":")
    if KeyQueryForm(form) is KeyQueryForm.VH:
        return _line(f"H:{node_field}:G:{key_field}")
    return _line(f"H:{node_field}:{key_field}:G")


def status_ac(ac: int) -> bytes:
    """``H:Aaaa:G``."""
    return _line(f"H:A{_check('AC', ac, 0, 999):03d}:G")


def status_input(input_id: int) -> bytes:
    """``H:Iiii:G``."""
    return _line(f"H:I{_check('input', input_id, 0, 999):03d}:G")


def status_output(output_id: int) -> bytes:
    """``H:Oooo:G``."""
    return _line(f"H:O{_check('output', output_id, 0, 999):03d}:G")


def status_occupancy() -> bytes:
    """``H:C:G``: room occupancy."""
    return _line("H:C:G")


def run_scenario(scenario: int) -> bytes:
    """``H:Rssss`` (0-9999)."""
    return _line(f"H:R{_check('scenario', scenario, 0, 9999):04d}")


def _ac(ac: int, sub: str) -> bytes:
    return _line(f"H:A{_check('AC', ac, 0, 999):03d}:{sub}")


_SETPOINT_RANGE = {TemperatureUnit.CELSIUS: (15, 30), TemperatureUnit.FAHRENHEIT: (60, 90)}


def _setpoint(setpoint: int, unit: TemperatureUnit | None) -> int:
    low, high = (15, 90) if unit is None else _SETPOINT_RANGE[unit]
    return _check("setpoint", setpoint, low, high)


def ac_set(ac: int, mode: ACMode, fan: ACFan, setpoint: int, unit: TemperatureUnit) -> bytes:
    """``H:Aaaa:1:O:MF:ttt:u``: the full set, always with state ``O`` as the vendor sends."""
    mode, fan, unit = ACMode(mode), ACFan(fan), TemperatureUnit(unit)
    return _ac(ac, f"1:O:{mode:d}{fan:d}:{_setpoint(setpoint, unit):03d}:{unit:d}")


def ac_power(ac: int, *, on: bool) -> bytes:
    """``H:Aaaa:2:O`` / ``H:Aaaa:2:F``."""
    return _ac(ac, f"2:{'O' if on else 'F'}")


def ac_mode(ac: int, mode: ACMode) -> bytes:
    """``H:Aaaa:3:M``."""
    return _ac(ac, f"3:{ACMode(mode):d}")


def ac_fan(ac: int, fan: ACFan) -> bytes:
    """``H:Aaaa:4:F``."""
    return _ac(ac, f"4:{ACFan(fan):d}")


def ac_setpoint(ac: int, setpoint: int, unit: TemperatureUnit | None = None) -> bytes:
    """``H:Aaaa:5:ttt``, checked against ``unit``'s range when it is known."""
    return _ac(ac, f"5:{_setpoint(setpoint, unit):03d}")


def ac_unit(ac: int, unit: TemperatureUnit) -> bytes:
    """``H:Aaaa:8:u``."""
    return _ac(ac, f"8:{TemperatureUnit(unit):d}")


def ac_step(ac: int, *, up: bool) -> bytes:
    """``H:Aaaa:6`` (raise) / ``H:Aaaa:7`` (lower) the set-point."""
    return _ac(ac, "6" if up else "7")


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
