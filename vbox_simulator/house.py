"""The house a simulated vBox controls: floors, rooms, nodes, keys, ACs and scenarios.

A house is loaded from JSON (see ``demo_house.json``) or generated for benchmarks. Its parts
live in :mod:`~vbox_simulator.nodes` (rooms, nodes, keys with their live state) and
:mod:`~vbox_simulator.climate` (ACs), and are all importable from here too.

ACs (and floor-heating units, type 4, TMSF) and scenarios exist on the host interface only;
VTU knows neither. Without a ``floors`` list, the floors are the distinct floors of the rooms,
named "Floor N".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .checks import (
    FULL,
    MAX_NAME_CHARACTERS,
    HouseError,
    KeypadLockedError,
    check_byte,
    check_flag,
    check_level,
    check_name,
    check_whole,
)
from .climate import (
    AC_FANS,
    AC_MODES,
    AC_TYPES,
    AC_UNITS,
    FANLESS_AC_TYPES,
    SETPOINTS,
    TMSF,
    Ac,
    convert_temperature,
)
from .nodes import (
    BLIND_TYPES,
    DIMMER_TYPES,
    MODEL_TYPES,
    Key,
    Node,
    Room,
    firmware_bytes,
    mac_bytes,
    model_key_count,
)
from .wire import KeyCategory, KeyType

__all__ = [
    "AC_FANS",
    "AC_MODES",
    "AC_TYPES",
    "AC_UNITS",
    "BLIND_TYPES",
    "DIMMER_TYPES",
    "FANLESS_AC_TYPES",
    "FULL",
    "GLOBAL_ROOM",
    "MAX_NAME_CHARACTERS",
    "MAX_SCENARIO_ID",
    "SETPOINTS",
    "TMSF",
    "Ac",
    "Floor",
    "House",
    "HouseError",
    "Key",
    "KeypadLockedError",
    "Node",
    "Room",
    "Scenario",
    "ScenarioAction",
    "convert_temperature",
    "firmware_bytes",
    "generate_house",
    "load_demo_house",
    "mac_bytes",
    "model_key_count",
]

MAX_SCENARIO_ID = 9999
GLOBAL_ROOM = 65535
"""The room of a global scenario in the host interface's database."""


@dataclass
class Floor:
    """A floor of the house; rooms name theirs."""

    id: int
    name: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Floor:
        """A floor from its JSON object ``{"id", "name"}``."""
        floor_id = check_byte("floor id", data.get("id"))
        return cls(id=floor_id, name=check_name(f"floor {floor_id} name", data.get("name")))

    def to_dict(self) -> dict[str, Any]:
        """The floor as JSON."""
        return {"id": self.id, "name": self.name}


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
            node=check_byte(f"{what} node", data.get("node")),
            key=check_byte(f"{what} key", data.get("key")),
            on=check_flag(f"{what} on", data.get("on")),
            level=None if level is None else check_level(f"{what} level", level),
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
        scenario_id = check_whole("scenario id", data.get("id"), range(MAX_SCENARIO_ID + 1))
        what = f"scenario {scenario_id}"
        room = data.get("room")
        actions = data.get("actions", [])
        if not isinstance(actions, list):
            msg = f"{what}: actions must be a list"
            raise HouseError(msg)
        return cls(
            id=scenario_id,
            room_id=None if room is None else check_byte(f"{what} room", room),
            name=check_name(f"{what} name", data.get("name")),
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
            for key in node.keys:
                if key.room_id is not None and key.room_id not in groups["room"]:
                    msg = f"node {node.id} key {key.id} is in unknown room {key.room_id}"
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
    keys: MODEL_TYPES[model]
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
