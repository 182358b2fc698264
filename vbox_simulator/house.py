"""The house a simulated vBox controls: floors, rooms, nodes, keys, ACs and scenarios.

A house is loaded from JSON (see ``demo_house.json``) or generated for benchmarks. Keys carry
their live state; :meth:`Key.command` is what the vBox does when a key is switched.

Levels: ``level`` is what the key reports in the first byte after the power byte of a
KeyStatus frame. A dimmer reports its brightness when on and 0 when off, and comes back on
at its last brightness; a blind reports its position (0 = closed, on means open at all);
every other key reports 100 when on and 0 when off.

A blind's motor takes time: :meth:`Key.command` puts a blind where it is sent at once (a
house file, a test), while the server (:class:`~vbox_simulator.server.VBoxSimulator`) makes
it travel there, step by step, with ``target`` telling where it is heading meanwhile; a
dimmer sent up or down moves the same way.

ACs (and floor-heating units, type 4, TMSF) and scenarios exist on the host interface only;
VTU knows neither. Without a ``floors`` list, the floors are the distinct floors of the rooms,
named "Floor N".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .wire import NODE_MODELS, KeyCategory, KeyType, LEDBackgroundBrightness

DIMMER_TYPES = frozenset({KeyType.DIMMER, KeyType.DIMMER_MW})
BLIND_TYPES = frozenset({KeyType.BLIND, KeyType.BLIND_MW})
MAX_NAME_CHARACTERS = 127
"""Names travel with their UTF-16LE byte length in one byte."""
FULL = 100
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
MAX_SCENARIO_ID = 9999
GLOBAL_ROOM = 65535
"""The room of a global scenario in the host interface's database."""

_MODEL_TYPES = {model: node_type for node_type, model in NODE_MODELS.items()}
"""The node type byte of each model name."""
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){7}$")
_FIRMWARE = re.compile(r"^(\d{1,3})\.(\d)(\d{1,3})$")
_MODEL_PART = re.compile(r"^(SR|DM|UD|ST|NO|DP|T|VEN)(\d+)$")


class HouseError(ValueError):
    """A house description is invalid, or the house refuses a change."""


class KeypadLockedError(HouseError):
    """A change at the wall of a node whose keypad is locked: the node ignores it."""


def _byte(what: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 0xFF:
        msg = f"{what} must be an integer between 0 and 255, got {value!r}"
        raise HouseError(msg)
    return value


def _level(what: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= FULL:
        msg = f"{what} must be an integer between 0 and 100, got {value!r}"
        raise HouseError(msg)
    return value


def _name(what: str, value: object) -> str:
    if not isinstance(value, str) or len(value.encode("utf-16-le")) > 2 * MAX_NAME_CHARACTERS:
        msg = f"{what} must be a string of at most {MAX_NAME_CHARACTERS} characters"
        raise HouseError(msg)
    return value


def _enum[E: (KeyType, KeyCategory, LEDBackgroundBrightness)](
    enum: type[E], what: str, value: object
) -> E:
    """An enum member from its lowercase name or its number."""
    try:
        if isinstance(value, str):
            return enum[value.upper()]
        if isinstance(value, int) and not isinstance(value, bool):
            return enum(value)
    except (KeyError, ValueError):
        pass
    msg = f"{what}: unknown {enum.__name__} {value!r}"
    raise HouseError(msg)


def _node_type(what: str, value: object) -> int:
    """A node type from its model name (``VT-MW3-SR3-10A``) or its number."""
    if isinstance(value, str):
        if value in _MODEL_TYPES:
            return _MODEL_TYPES[value]
        msg = f"{what}: unknown node model {value!r}"
        raise HouseError(msg)
    return _byte(what, value)


def firmware_bytes(firmware: str) -> tuple[int, int, int]:
    """The three version bytes of a firmware string "a.bc" (e.g. "7.93" -> 7, 9, 3)."""
    match = _FIRMWARE.match(firmware)
    if match is None:
        msg = f"firmware must look like 7.93, got {firmware!r}"
        raise HouseError(msg)
    major, minor, patch = (int(part) for part in match.groups())
    if major > 0xFF or patch > 0xFF or f"{major}.{minor}{patch}" != firmware:
        msg = f"firmware {firmware!r} cannot be carried in three version bytes"
        raise HouseError(msg)
    return major, minor, patch


def mac_bytes(mac: str) -> bytes:
    """The eight bytes of an EUI-64 written ``00:0D:6F:00:0E:FB:96:21``."""
    if not _MAC.match(mac):
        msg = f"mac must be eight hexadecimal bytes separated by colons, got {mac!r}"
        raise HouseError(msg)
    return bytes.fromhex(mac.replace(":", ""))


def model_key_count(node_type: int) -> int | None:
    """How many keys a wall-unit model has, from its name (``VT-MW4-SR4-ST4-10A`` -> 8).

    ``None`` for models whose name does not tell (sensors, modules, newer series).
    """
    model = NODE_MODELS.get(node_type)
    if model is None or not model.startswith("VT-MW"):
        return None
    if "-DPS-" in model:
        return 1
    counts = [int(m.group(2)) for part in model.split("-") if (m := _MODEL_PART.match(part))]
    return sum(counts) or None


@dataclass
class Room:
    """A room; the vBox groups nodes by room."""

    id: int
    floor: int
    name: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Room:
        """A room from its JSON object ``{"id", "floor", "name"}``."""
        room_id = _byte("room id", data.get("id"))
        return cls(
            id=room_id,
            floor=_byte(f"room {room_id} floor", data.get("floor", 0)),
            name=_name(f"room {room_id} name", data.get("name")),
        )

    def to_dict(self) -> dict[str, Any]:
        """The room as JSON."""
        return {"id": self.id, "floor": self.floor, "name": self.name}


@dataclass
class Key:
    """One key of a node, with its live state.

    In JSON, the level of a dimmer that is off is the brightness it comes back on at.
    """

    id: int
    type: KeyType
    category: KeyCategory
    name: str
    on: bool = False
    level: int = 0
    led: bool = field(default=False, repr=False, compare=False)
    """The key's LED, set over the host interface (``L:``); the box never reports it."""
    last_level: int = field(default=FULL, repr=False)
    """The brightness a dimmer comes back on at."""
    target: int | None = field(default=None, repr=False)
    """Where a travelling blind or a dimmer going up or down is heading; ``None`` while it
    stands (and for other keys)."""

    def __post_init__(self) -> None:
        """Bring ``on`` and ``level`` in line with the key's type."""
        if self.type in DIMMER_TYPES:
            if self.level:
                self.last_level = self.level
            self.level = self.last_level if self.on else 0
        elif self.type in BLIND_TYPES:
            if self.on and self.level == 0:
                self.level = FULL
            self.on = self.level > 0
        else:
            self.level = FULL if self.on else 0

    @property
    def is_dimmer(self) -> bool:
        """A dimmer: ON carries a brightness."""
        return self.type in DIMMER_TYPES

    @property
    def is_blind(self) -> bool:
        """A blind: ON carries a position."""
        return self.type in BLIND_TYPES

    def command(self, *, on: bool, level: int = 0) -> None:
        """Switch the key as ToggleKeyStatus does.

        A dimmer turned on at level 0 comes back at its last brightness (100 at first); a
        blind turned on at level 0 opens fully, turned off it closes, at once (it stands
        there afterwards); other keys ignore the level.
        """
        _level("level", level)
        if self.is_dimmer:
            if on:
                self.level = level or self.last_level
                self.last_level = self.level
            else:
                self.level = 0
            self.on = on
        elif self.is_blind:
            self.put(self.position_for(on=on, level=level))
            self.target = None
        else:
            self.on = on
            self.level = FULL if on else 0

    @staticmethod
    def position_for(*, on: bool, level: int = 0) -> int:
        """The position a blind is sent to: ``level`` when on (0: fully open), 0 when off."""
        _level("level", level)
        return (level or FULL) if on else 0

    def put(self, position: int) -> None:
        """Put a blind (or dimmer) at ``position`` (on while above 0); ``target`` stays."""
        _level("position", position)
        self.level = position
        self.on = position > 0
        if self.is_dimmer and self.on:
            self.last_level = position

    @classmethod
    def from_dict(cls, data: dict[str, Any], index: int, node_id: int) -> Key:
        """A key from its JSON object; its ID is its position in the node's list."""
        what = f"node {node_id} key {index}"
        if data.get("id", index) != index:
            msg = f"{what}: id must be its position {index}, got {data.get('id')!r}"
            raise HouseError(msg)
        on = data.get("on", False)
        if not isinstance(on, bool):
            msg = f"{what}: on must be true or false, got {on!r}"
            raise HouseError(msg)
        return cls(
            id=index,
            type=_enum(KeyType, f"{what} type", data.get("type")),
            category=_enum(KeyCategory, f"{what} category", data.get("category", "undefined")),
            name=_name(f"{what} name", data.get("name")),
            on=on,
            level=_level(f"{what} level", data.get("level", 0)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The key as JSON."""
        return {
            "id": self.id,
            "type": self.type.name.lower(),
            "category": self.category.name.lower(),
            "name": self.name,
            "on": self.on,
            "level": self.last_level if self.is_dimmer and not self.on else self.level,
        }


@dataclass
class Node:
    """A wall unit: its identity, keypad settings and keys."""

    id: int
    node_type: int
    mac: str
    firmware: str
    room_id: int
    locked: bool = False
    led: LEDBackgroundBrightness = LEDBackgroundBrightness.NORMAL
    keys: list[Key] = field(default_factory=list)

    @property
    def model(self) -> str:
        """The model name, e.g. ``VT-MW3-SR3-10A``."""
        return NODE_MODELS.get(self.node_type, f"Unknown-{self.node_type}")

    def key(self, key_id: int) -> Key:
        """The key with this ID.

        Raises:
            KeyError: the node has no such key.

        """
        if 0 <= key_id < len(self.keys):
            return self.keys[key_id]
        msg = f"node {self.id} has no key {key_id}"
        raise KeyError(msg)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        """A node from its JSON object."""
        node_id = _byte("node id", data.get("id"))
        what = f"node {node_id}"
        mac = str(data.get("mac", ""))
        mac_bytes(mac)
        firmware = str(data.get("firmware", ""))
        firmware_bytes(firmware)
        locked = data.get("locked", False)
        if not isinstance(locked, bool):
            msg = f"{what}: locked must be true or false, got {locked!r}"
            raise HouseError(msg)
        keys = data.get("keys", [])
        if not isinstance(keys, list) or not 1 <= len(keys) <= 0xFF:
            msg = f"{what}: keys must be a list of 1 to 255 keys"
            raise HouseError(msg)
        return cls(
            id=node_id,
            node_type=_node_type(f"{what} type", data.get("type")),
            mac=mac.upper(),
            firmware=firmware,
            room_id=_byte(f"{what} room", data.get("room")),
            locked=locked,
            led=_enum(LEDBackgroundBrightness, f"{what} led", data.get("led", "normal")),
            keys=[Key.from_dict(key, index, node_id) for index, key in enumerate(keys)],
        )

    def to_dict(self) -> dict[str, Any]:
        """The node as JSON, its type as the model name when the type is known."""
        return {
            "id": self.id,
            "type": self.model if self.node_type in NODE_MODELS else self.node_type,
            "mac": self.mac,
            "firmware": self.firmware,
            "room": self.room_id,
            "locked": self.locked,
            "led": self.led.name.lower(),
            "keys": [key.to_dict() for key in self.keys],
        }


def _choice(what: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        msg = f"{what} must be one of {', '.join(choices)}, got {value!r}"
        raise HouseError(msg)
    return str(value)


def _whole(what: str, value: object, allowed: range) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
        msg = f"{what} must be an integer between {allowed.start} and {allowed.stop - 1}"
        msg += f", got {value!r}"
        raise HouseError(msg)
    return value


def _flag(what: str, value: object) -> bool:
    if not isinstance(value, bool):
        msg = f"{what} must be true or false, got {value!r}"
        raise HouseError(msg)
    return value


def convert_temperature(degrees: int, unit: str) -> int:
    """``degrees`` of the other unit in ``unit`` (``c`` or ``f``), rounded."""
    return round((degrees - 32) * 5 / 9) if unit == "c" else round(degrees * 9 / 5 + 32)


@dataclass
class Floor:
    """A floor of the house; rooms name theirs."""

    id: int
    name: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Floor:
        """A floor from its JSON object ``{"id", "name"}``."""
        floor_id = _byte("floor id", data.get("id"))
        return cls(id=floor_id, name=_name(f"floor {floor_id} name", data.get("name")))

    def to_dict(self) -> dict[str, Any]:
        """The floor as JSON."""
        return {"id": self.id, "name": self.name}


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
        _whole(f"{what} type", self.type, AC_TYPES)
        _choice(f"{what} mode", self.mode, AC_MODES)
        _choice(f"{what} fan", self.fan, AC_FANS)
        _choice(f"{what} unit", self.unit, AC_UNITS)
        _whole(f"{what} setpoint", self.setpoint, SETPOINTS[self.unit])
        _whole(f"{what} measured", self.measured, range(1000))
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
        new_unit = self.unit if unit is None else _choice("unit", unit, AC_UNITS)
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
        ac_id = _whole("ac id", data.get("id"), range(1, 1000))
        what = f"ac {ac_id}"
        return cls(
            id=ac_id,
            type=_whole(f"{what} type", data.get("type"), AC_TYPES),
            room_id=_byte(f"{what} room", data.get("room")),
            name=_name(f"{what} name", data.get("name")),
            on=_flag(f"{what} on", data.get("on", False)),
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


@dataclass(frozen=True)
class ScenarioAction:
    """One key a scenario switches: VTU node and key IDs (keys from 0), on or off, a level."""

    node: int
    key: int
    on: bool
    level: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], what: str) -> ScenarioAction:
        """An action from its JSON object ``{"node", "key", "on", "level"}``."""
        level = data.get("level")
        return cls(
            node=_byte(f"{what} node", data.get("node")),
            key=_byte(f"{what} key", data.get("key")),
            on=_flag(f"{what} on", data.get("on")),
            level=None if level is None else _level(f"{what} level", level),
        )

    def to_dict(self) -> dict[str, Any]:
        """The action as JSON."""
        data: dict[str, Any] = {"node": self.node, "key": self.key, "on": self.on}
        if self.level is not None:
            data["level"] = self.level
        return data


@dataclass
class Scenario:
    """A scenario: keys switched together, in a room or global (``room_id`` ``None``)."""

    id: int
    room_id: int | None
    name: str
    actions: list[ScenarioAction] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """A scenario from its JSON object ``{"id", "room", "name", "actions"}``."""
        scenario_id = _whole("scenario id", data.get("id"), range(MAX_SCENARIO_ID + 1))
        what = f"scenario {scenario_id}"
        room = data.get("room")
        actions = data.get("actions", [])
        if not isinstance(actions, list):
            msg = f"{what}: actions must be a list"
            raise HouseError(msg)
        return cls(
            id=scenario_id,
            room_id=None if room is None else _byte(f"{what} room", room),
            name=_name(f"{what} name", data.get("name")),
            actions=[
                ScenarioAction.from_dict(action, f"{what} action {index}")
                for index, action in enumerate(actions)
            ],
        )

    def to_dict(self) -> dict[str, Any]:
        """The scenario as JSON."""
        return {
            "id": self.id,
            "room": self.room_id,
            "name": self.name,
            "actions": [action.to_dict() for action in self.actions],
        }


@dataclass
class House:
    """Every floor, room, node, AC and scenario a vBox knows."""

    rooms: list[Room]
    nodes: list[Node]
    floors: list[Floor] = field(default_factory=list)
    """Without floors given, the distinct floors of the rooms, named "Floor N"."""
    acs: list[Ac] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Check that IDs are unique and that everything is where the house has room for it."""
        if not self.floors:
            numbers = sorted({room.floor for room in self.rooms})
            self.floors = [Floor(number, f"Floor {number}") for number in numbers]
        groups: dict[str, list[int]] = {
            "floor": [floor.id for floor in self.floors],
            "room": [room.id for room in self.rooms],
            "node": [node.id for node in self.nodes],
            "ac": [ac.id for ac in self.acs],
            "scenario": [scenario.id for scenario in self.scenarios],
        }
        for what, ids in groups.items():
            if len(set(ids)) != len(ids):
                msg = f"duplicate {what} ids"
                raise HouseError(msg)
        for room in self.rooms:
            if room.floor not in groups["floor"]:
                msg = f"room {room.id} is on unknown floor {room.floor}"
                raise HouseError(msg)
        for node in self.nodes:
            if node.room_id not in groups["room"]:
                msg = f"node {node.id} is in unknown room {node.room_id}"
                raise HouseError(msg)
        for ac in self.acs:
            if ac.room_id not in groups["room"]:
                msg = f"ac {ac.id} is in unknown room {ac.room_id}"
                raise HouseError(msg)
        for scenario in self.scenarios:
            self._check_scenario(scenario, groups["room"])

    def _check_scenario(self, scenario: Scenario, room_ids: list[int]) -> None:
        if scenario.room_id is not None and scenario.room_id not in room_ids:
            msg = f"scenario {scenario.id} is in unknown room {scenario.room_id}"
            raise HouseError(msg)
        for action in scenario.actions:
            try:
                self.key(action.node, action.key)
            except KeyError as err:
                msg = f"scenario {scenario.id} switches a key that does not exist: {err.args[0]}"
                raise HouseError(msg) from None

    @property
    def key_count(self) -> int:
        """How many keys the house has."""
        return sum(len(node.keys) for node in self.nodes)

    def floor(self, floor_id: int) -> Floor:
        """The floor with this ID.

        Raises:
            KeyError: no such floor.

        """
        return _find(self.floors, floor_id, "floor")

    def room(self, room_id: int) -> Room:
        """The room with this ID.

        Raises:
            KeyError: no such room.

        """
        return _find(self.rooms, room_id, "room")

    def node(self, node_id: int) -> Node:
        """The node with this ID.

        Raises:
            KeyError: no such node.

        """
        return _find(self.nodes, node_id, "node")

    def key(self, node_id: int, key_id: int) -> Key:
        """A key of a node.

        Raises:
            KeyError: no such node or key.

        """
        return self.node(node_id).key(key_id)

    def ac(self, ac_id: int) -> Ac:
        """The AC with this ID.

        Raises:
            KeyError: no such AC.

        """
        return _find(self.acs, ac_id, "ac")

    def scenario(self, scenario_id: int) -> Scenario:
        """The scenario with this ID.

        Raises:
            KeyError: no such scenario.

        """
        return _find(self.scenarios, scenario_id, "scenario")

    def describe(self) -> str:
        """``N rooms, M nodes, K keys``."""
        return f"{len(self.rooms)} rooms, {len(self.nodes)} nodes, {self.key_count} keys"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> House:
        """A house from its JSON object ``{"rooms": [...], "nodes": [...]}``.

        Optional lists: ``floors``, ``acs``, ``scenarios``.
        """
        rooms, nodes = data.get("rooms"), data.get("nodes")
        if not isinstance(rooms, list) or not isinstance(nodes, list):
            msg = "a house needs a list of rooms and a list of nodes"
            raise HouseError(msg)
        optional = {name: data.get(name, []) for name in ("floors", "acs", "scenarios")}
        for name, items in optional.items():
            if not isinstance(items, list):
                msg = f"{name} must be a list"
                raise HouseError(msg)
        if len(rooms) > 0xFF or len(nodes) > 0xFF:
            msg = "a vBox knows at most 255 rooms and 255 nodes"
            raise HouseError(msg)
        return cls(
            rooms=[Room.from_dict(room) for room in rooms],
            nodes=[Node.from_dict(node) for node in nodes],
            floors=[Floor.from_dict(floor) for floor in optional["floors"]],
            acs=[Ac.from_dict(ac) for ac in optional["acs"]],
            scenarios=[Scenario.from_dict(scenario) for scenario in optional["scenarios"]],
        )

    def to_dict(self) -> dict[str, Any]:
        """The house as JSON."""
        return {
            "floors": [floor.to_dict() for floor in self.floors],
            "rooms": [room.to_dict() for room in self.rooms],
            "nodes": [node.to_dict() for node in self.nodes],
            "acs": [ac.to_dict() for ac in self.acs],
            "scenarios": [scenario.to_dict() for scenario in self.scenarios],
        }

    @classmethod
    def load(cls, path: str | Path) -> House:
        """Read a house from a JSON file."""
        with Path(path).open(encoding="utf-8") as file:
            return cls.from_dict(json.load(file))


def _find[T: (Floor, Room, Node, Ac, Scenario)](items: list[T], item_id: int, what: str) -> T:
    """The item of ``items`` with this ID.

    Raises:
        KeyError: none has it.

    """
    for item in items:
        if item.id == item_id:
            return item
    msg = f"no {what} {item_id}"
    raise KeyError(msg)


def load_demo_house() -> House:
    """A fresh copy of the packaged demo house."""
    text = resources.files(__package__).joinpath("demo_house.json").read_text(encoding="utf-8")
    return House.from_dict(json.loads(text))


_GENERATED_TYPES = {
    keys: _MODEL_TYPES[model]
    for keys, model in (
        (1, "VT-MW3-SR1-10A"),
        (2, "VT-MW3-SR2-10A"),
        (3, "VT-MW3-SR3-10A"),
        (4, "VT-MW4-SR4-10A"),
        (6, "VT-MW3-SR3-ST3-10A"),
        (8, "VT-MW4-SR4-ST4-10A"),
    )
}
"""The model a generated node of so many keys is."""
_GENERATED_KEYS = (KeyType.TOGGLE, KeyType.DIMMER, KeyType.BLIND, KeyType.TOGGLE, KeyType.BOILER)


def generate_house(node_count: int, keys_per_node: int) -> House:
    """A deterministic house of ``node_count`` nodes with ``keys_per_node`` keys each.

    Nodes 1..n share rooms four by four; keys cycle through toggle, dimmer, blind, toggle
    and boiler, every third one on.
    """
    if not 1 <= node_count <= 0xFF or not 1 <= keys_per_node <= 0xFF:
        msg = "node_count and keys_per_node must be between 1 and 255"
        raise HouseError(msg)
    room_count = (node_count + 3) // 4
    rooms = [Room(id=r, floor=r // 8, name=f"Room {r}") for r in range(room_count)]
    node_type = _GENERATED_TYPES.get(keys_per_node, _GENERATED_TYPES[8])
    nodes = []
    for n in range(1, node_count + 1):
        keys = []
        for k in range(keys_per_node):
            key_type = _GENERATED_KEYS[(n + k) % len(_GENERATED_KEYS)]
            category = KeyCategory.BOILER if key_type is KeyType.BOILER else KeyCategory.LIGHT
            on = (n + k) % 3 == 0
            level = (10 * (n + k)) % 100 + 1 if key_type is not KeyType.TOGGLE else 0
            keys.append(Key(k, key_type, category, f"Key {n}.{k}", on=on, level=level))
        nodes.append(
            Node(
                id=n,
                node_type=node_type,
                mac=f"00:0D:6F:00:00:00:00:{n:02X}",
                firmware="7.93",
                room_id=(n - 1) // 4,
                keys=keys,
            )
        )
    return House(rooms=rooms, nodes=nodes)
