"""The ACs of a house, and its floor-heating units (type 4, TMSF).

The host interface knows them, VTU does not: their settings, what they accept, and when their
relay runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .checks import HouseError, check_byte, check_choice, check_flag, check_name, check_whole

AC_MODES = ("cool", "heat", "fan", "dry", "auto")
"""AC modes by their host-interface digit."""
AC_FANS = ("low", "medium", "high", "top", "auto")
"""AC fan speeds by their host-interface digit."""
AC_UNITS = ("c", "f")
"""Temperature units by their host-interface digit."""
AC_TYPES = range(1, 5)
"""AC types 1-3, and 4: TMSF (floor heating)."""
TMSF = 4
FANLESS_AC_TYPES = frozenset({3, TMSF})
"""AC types without fan speeds."""
SETPOINTS = {"c": range(15, 31), "f": range(60, 91)}
"""The set-points an AC accepts, by unit."""


def convert_temperature(degrees: int, unit: str) -> int:
    """``degrees`` of the other unit in ``unit`` (``c`` or ``f``), rounded."""
    return round((degrees - 32) * 5 / 9) if unit == "c" else round(degrees * 9 / 5 + 32)


@dataclass
class Ac:
    """An AC (or floor-heating) unit with its live state, reached over the host interface.

    Types 1-4; type 4 (TMSF, floor heating) heats only; types 3 and 4 have no fan speeds
    (``fan`` keeps whatever it was). The relay runs while the unit is on and has work to do.
    """

    id: int
    type: int
    room_id: int
    name: str
    on: bool = False
    mode: str = "cool"
    fan: str = "auto"
    setpoint: int = 24
    measured: int = 24
    unit: str = "c"

    def __post_init__(self) -> None:
        """Check the state against the unit's type.

        Raises:
            HouseError: a set-point out of range, or a TMSF not in mode heat.

        """
        what = f"ac {self.id}"
        check_whole(f"{what} type", self.type, AC_TYPES)
        check_choice(f"{what} mode", self.mode, AC_MODES)
        check_choice(f"{what} fan", self.fan, AC_FANS)
        check_choice(f"{what} unit", self.unit, AC_UNITS)
        check_whole(f"{what} setpoint", self.setpoint, SETPOINTS[self.unit])
        check_whole(f"{what} measured", self.measured, range(1000))
        if self.type == TMSF and self.mode != "heat":
            msg = f"{what}: a TMSF (type 4) heats only, got mode {self.mode!r}"
            raise HouseError(msg)

    @property
    def relay(self) -> bool:
        """Whether the unit's relay runs: on, and heating below or cooling above the set-point."""
        if not self.on:
            return False
        if self.mode == "heat":
            return self.measured < self.setpoint
        if self.mode == "cool":
            return self.measured > self.setpoint
        return True

    def change(  # noqa: PLR0913 - every setting of the unit
        self,
        *,
        on: bool | None = None,
        mode: str | None = None,
        fan: str | None = None,
        setpoint: int | None = None,
        measured: int | None = None,
        unit: str | None = None,
    ) -> None:
        """Change what is given, all or nothing; a new unit converts both temperatures.

        Raises:
            HouseError: a value the unit does not take (the unit is left as it was).

        """
        if fan is not None and self.type in FANLESS_AC_TYPES:
            msg = f"ac {self.id} (type {self.type}) has no fan speeds"
            raise HouseError(msg)
        new_unit = self.unit if unit is None else check_choice("unit", unit, AC_UNITS)
        current_setpoint, current_measured = self.setpoint, self.measured
        if new_unit != self.unit:
            allowed = SETPOINTS[new_unit]
            converted = convert_temperature(self.setpoint, new_unit)
            current_setpoint = min(max(converted, allowed.start), allowed.stop - 1)
            current_measured = convert_temperature(self.measured, new_unit)
        changed = replace(
            self,
            on=self.on if on is None else on,
            mode=self.mode if mode is None else mode,
            fan=self.fan if fan is None else fan,
            setpoint=current_setpoint if setpoint is None else setpoint,
            measured=current_measured if measured is None else measured,
            unit=new_unit,
        )
        self.__dict__.update(changed.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ac:
        """An AC from its JSON object (``id``, ``type``, ``room``, ``name`` and its state)."""
        ac_id = check_whole("ac id", data.get("id"), range(1, 1000))
        what = f"ac {ac_id}"
        return cls(
            id=ac_id,
            type=check_whole(f"{what} type", data.get("type"), AC_TYPES),
            room_id=check_byte(f"{what} room", data.get("room")),
            name=check_name(f"{what} name", data.get("name")),
            on=check_flag(f"{what} on", data.get("on", False)),
            mode=data.get("mode", "heat" if data.get("type") == TMSF else "cool"),
            fan=data.get("fan", "auto"),
            setpoint=data.get("setpoint", 24),
            measured=data.get("measured", data.get("setpoint", 24)),
            unit=data.get("unit", "c"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The AC as JSON (also its state in ``state``, with ``relay``)."""
        return {
            "id": self.id,
            "type": self.type,
            "room": self.room_id,
            "name": self.name,
            "on": self.on,
            "mode": self.mode,
            "fan": self.fan,
            "setpoint": self.setpoint,
            "measured": self.measured,
            "unit": self.unit,
        }
