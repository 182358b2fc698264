"""The host interface's ASCII lines (§3): parsing what the box sends, building commands.

Every line ends in CR LF. :func:`parse_line` never raises: what it cannot read comes out as a
:class:`.Malformed` value with a reason; the builders raise :class:`ValueError` on a value the
protocol cannot carry. § numbers are sections of ``docs/host-interface.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .enums import (
    MAX_LEVEL,
    MAX_MINUTES,
    MAX_NODE,
    ACFan,
    ACMode,
    ACType,
    FanSpeed,
    HotelState,
    KeyQueryForm,
    KeyState,
    TemperatureUnit,
)
from .messages import (
    Ack,
    ACStatus,
    Clock,
    Echo,
    HostError,
    InputStatus,
    KeyStatus,
    Malformed,
    NodeJoined,
    NodeLeft,
    Occupancy,
    OutputStatus,
    PasswordAck,
    ScenarioResult,
    Version,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .messages import LineMessage

LINE_END = b"\r\n"
MAX_LINE = 512
"""The longest ASCII line the reader accepts, CR LF excluded; real ones are below 40 bytes."""
UNKNOWN = "\ufffd"
"""What a non-ASCII byte of a line becomes."""

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
