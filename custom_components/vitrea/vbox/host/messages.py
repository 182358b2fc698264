"""What the vBox sends over the host interface: the messages :class:`.HostReader` yields.

§ numbers are sections of ``docs/host-interface.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .enums import (
    GLOBAL_ROOM,
    MAX_LEVEL,
    ACFan,
    ACMode,
    ACType,
    HostErrorCode,
    HostKeyType,
    KeyState,
    TemperatureUnit,
    VersionSupport,
)


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
    def timer_minutes(self) -> int | None:
        """The minutes left on the timer of a key an ``O``/``o`` line reports on (0: none).

        A line without the field says no timer runs (docs/host-interface.md §7.3, decision
        12); ``None`` for other letters, which tell nothing about a timer.
        """
        if self.state in (KeyState.ON, KeyState.BOILER_ON):
            return self.param or 0
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
