"""The host interface's enumerations and value limits.

§ numbers are sections of ``docs/host-interface.md``.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

MAX_NODE = 999
MAX_MINUTES = 120
MAX_LEVEL = 100


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
