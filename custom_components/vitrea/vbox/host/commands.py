"""What the library sends on the host interface, each request knowing its answer.

A command line is answered by the first line its :meth:`Command.answer` accepts; a database
request by the first reply its :meth:`Read.answer` accepts. The bytes come from the builders
of ``lines.py`` and ``vth.py``. § numbers are sections of ``docs/host-interface.md`` (here:
§3.7 and §4.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import lines, vth
from .messages import (
    Ack,
    ACNumbers,
    ACParams,
    ACStatus,
    DatabaseReply,
    FloorNumbers,
    FloorParams,
    KeypadNumbers,
    KeyParams,
    KeyStatus,
    LineMessage,
    PasswordAck,
    RoomNumbers,
    RoomParams,
    ScenarioNumbers,
    ScenarioParams,
    ScenarioResult,
    Version,
)

if TYPE_CHECKING:
    from .enums import ACFan, ACMode


@dataclass(frozen=True, slots=True)
class Command[A]:
    """A command line and the answer it waits for."""

    line: bytes

    def answer(self, message: LineMessage) -> A | None:
        """What ``message`` answers, if it is this command's answer."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Query[M](Command[M]):
    """A command answered by the first line of type ``answers``."""

    answers: type[M]

    def answer(self, message: LineMessage) -> M | None:
        """``message`` if it is of the type asked for."""
        return message if isinstance(message, self.answers) else None


@dataclass(frozen=True, slots=True)
class KeyCommand(Command[Ack | KeyStatus]):
    """A key command: ``OK``, or the key's own status line (not a press)."""

    node: int
    key: int

    def answer(self, message: LineMessage) -> Ack | KeyStatus | None:
        """``OK``, or the status of this key."""
        if isinstance(message, Ack) or (
            isinstance(message, KeyStatus)
            and (message.node, message.key) == (self.node, self.key)
            and not message.is_press
        ):
            return message
        return None


@dataclass(frozen=True, slots=True)
class ACCommand(Command[Ack | ACStatus]):
    """An AC command: ``OK``, or the unit's own status line."""

    ac: int

    def answer(self, message: LineMessage) -> Ack | ACStatus | None:
        """``OK``, or the status of this unit."""
        if isinstance(message, Ack) or (isinstance(message, ACStatus) and message.ac == self.ac):
            return message
        return None


@dataclass(frozen=True, slots=True)
class ScenarioRun(Command[ScenarioResult]):
    """``H:Rssss``: answered by the result for this scenario."""

    scenario: int

    def answer(self, message: LineMessage) -> ScenarioResult | None:
        """The result of running this scenario."""
        if isinstance(message, ScenarioResult) and message.scenario == self.scenario:
            return message
        return None


def keep_alive() -> Query[PasswordAck]:
    """``P:VITREA``, answered by ``P:OK``."""
    return Query(lines.keep_alive(), PasswordAck)


def version_query() -> Query[Version]:
    """``G:V:S``, answered by the version."""
    return Query(lines.version_query(), Version)


def key_on(node: int, key: int, minutes: int = 0) -> KeyCommand:
    """Switch a key on (for ``minutes``, 0: without a timer)."""
    return KeyCommand(lines.key_on(node, key, minutes), node, key)


def key_off(node: int, key: int) -> KeyCommand:
    """Switch a key off."""
    return KeyCommand(lines.key_off(node, key), node, key)


def dim(node: int, key: int, level: int) -> KeyCommand:
    """Set a dimmer's level (0: off)."""
    return KeyCommand(lines.dim(node, key, level), node, key)


def dim_recall(node: int, key: int) -> KeyCommand:
    """Switch a dimmer on at its last level."""
    return KeyCommand(lines.dim_recall(node, key), node, key)


def blind(node: int, key: int, position: int) -> KeyCommand:
    """Send a blind to ``position``."""
    return KeyCommand(lines.blind(node, key, position), node, key)


def blind_stop(node: int, key: int) -> KeyCommand:
    """Stop a blind where it is."""
    return KeyCommand(lines.blind_stop(node, key), node, key)


def led(node: int, key: int, *, on: bool) -> Query[Ack]:
    """Switch a key's LED indicator; answered by ``OK``."""
    return Query(lines.led(node, key, on=on), Ack)


def ac_power(ac: int, *, on: bool) -> ACCommand:
    """Switch an AC unit on or off."""
    return ACCommand(lines.ac_power(ac, on=on), ac)


def ac_mode(ac: int, mode: ACMode) -> ACCommand:
    """Set an AC unit's mode."""
    return ACCommand(lines.ac_mode(ac, mode), ac)


def ac_fan(ac: int, fan: ACFan) -> ACCommand:
    """Set an AC unit's fan speed."""
    return ACCommand(lines.ac_fan(ac, fan), ac)


def ac_setpoint(ac: int, setpoint: int) -> ACCommand:
    """Set an AC unit's set-point (in the unit's own unit)."""
    return ACCommand(lines.ac_setpoint(ac, setpoint), ac)


def run_scenario(scenario: int) -> ScenarioRun:
    """Run a scenario; answered by its result."""
    return ScenarioRun(lines.run_scenario(scenario), scenario)


# -- database requests (VTH) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Read[R: DatabaseReply]:
    """A database request, answered by the first reply of type ``answers``.

    A params reply must be about ``subject`` (a floor, room, key, AC or scenario number).
    """

    request: bytes
    answers: type[R]
    subject: int | None = None

    def answer(self, reply: DatabaseReply) -> R | None:
        """``reply`` if it answers this request."""
        if not isinstance(reply, self.answers):
            return None
        if self.subject is not None and _subject(reply) != self.subject:
            return None
        return reply


def _subject(reply: DatabaseReply) -> int | None:
    """The number a params reply is about."""
    match reply:
        case FloorParams(floor=number) | RoomParams(room=number) | KeyParams(key=number):
            return number
        case ACParams(ac=number) | ScenarioParams(scenario=number):
            return number
    return None


def floor_numbers() -> Read[FloorNumbers]:
    """The floors' numbers."""
    return Read(vth.floor_numbers(), FloorNumbers)


def floor_params(floor: int) -> Read[FloorParams]:
    """One floor's name."""
    return Read(vth.floor_params(floor), FloorParams, floor)


def room_numbers() -> Read[RoomNumbers]:
    """The rooms' numbers."""
    return Read(vth.room_numbers(), RoomNumbers)


def room_params(room: int) -> Read[RoomParams]:
    """One room's name and floor."""
    return Read(vth.room_params(room), RoomParams, room)


def keypad_numbers() -> Read[KeypadNumbers]:
    """The keypads' numbers and key counts."""
    return Read(vth.keypad_numbers(), KeypadNumbers)


def key_params(keypad: int, key: int) -> Read[KeyParams]:
    """One key of a keypad (``key`` 1-based)."""
    return Read(vth.key_params(keypad, key), KeyParams, key)


def ac_numbers() -> Read[ACNumbers]:
    """The AC units' numbers."""
    return Read(vth.ac_numbers(), ACNumbers)


def ac_params(ac: int) -> Read[ACParams]:
    """One AC unit's type, room and name."""
    return Read(vth.ac_params(ac), ACParams, ac)


def scenario_numbers() -> Read[ScenarioNumbers]:
    """The scenarios' numbers."""
    return Read(vth.scenario_numbers(), ScenarioNumbers)


def scenario_params(scenario: int) -> Read[ScenarioParams]:
    """One scenario's name and room."""
    return Read(vth.scenario_params(scenario), ScenarioParams, scenario)
