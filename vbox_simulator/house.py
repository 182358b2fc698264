"""The house a simulated vBox controls: rooms, nodes (wall units) and their keys.

A house is loaded from JSON (see ``demo_house.json``) or generated for benchmarks. Keys carry
their live state; :meth:`Key.command` is what the vBox does when a key is switched.

Levels: ``level`` is what the key reports in the first byte after the power byte of a
KeyStatus frame. A dimmer reports its brightness when on and 0 when off, and comes back on
at its last brightness; a blind reports its position (0 = closed, on means open at all);
every other key reports 100 when on and 0 when off.

A blind's motor takes time: :meth:`Key.command` puts a blind where it is sent at once (a
house file, a test), while the server (:class:`~vbox_simulator.server.VBoxSimulator`) makes
it travel there, step by step, with ``target`` telling where it is heading meanwhile.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .wire import NODE_MODELS, KeyCategory, KeyType, LEDBackgroundBrightness

DIMMER_TYPES = frozenset({KeyType.DIMMER, KeyType.DIMMER_MW})
BLIND_TYPES = frozenset({KeyType.BLIND, KeyType.BLIND_MW})
MAX_NAME_CHARACTERS = 127
"""Names travel with their UTF-16LE byte length in one byte."""
FULL = 100

_MODEL_TYPES = {model: node_type for node_type, model in NODE_MODELS.items()}
"""The node type byte of each model name."""
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){7}$")
_FIRMWARE = re.compile(r"^(\d{1,3})\.(\d)(\d{1,3})$")
_MODEL_PART = re.compile(r"^(SR|DM|UD|ST|NO|DP|T|VEN)(\d+)$")


class HouseError(ValueError):
    """A house description is invalid."""


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
    last_level: int = field(default=FULL, repr=False)
    """The brightness a dimmer comes back on at."""
    target: int | None = field(default=None, repr=False)
    """Where a travelling blind is heading; ``None`` while it stands (and for other keys)."""

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
        """Put a blind at ``position`` (on while open at all); ``target`` stays as it is."""
        _level("position", position)
        self.level = position
        self.on = position > 0

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


@dataclass
class House:
    """Every room and node a vBox knows."""

    rooms: list[Room]
    nodes: list[Node]

    def __post_init__(self) -> None:
        """Check that IDs are unique and that every node is in a known room."""
        room_ids = [room.id for room in self.rooms]
        node_ids = [node.id for node in self.nodes]
        for what, ids in (("room", room_ids), ("node", node_ids)):
            if len(set(ids)) != len(ids):
                msg = f"duplicate {what} ids"
                raise HouseError(msg)
        for node in self.nodes:
            if node.room_id not in room_ids:
                msg = f"node {node.id} is in unknown room {node.room_id}"
                raise HouseError(msg)

    @property
    def key_count(self) -> int:
        """How many keys the house has."""
        return sum(len(node.keys) for node in self.nodes)

    def room(self, room_id: int) -> Room:
        """The room with this ID.

        Raises:
            KeyError: no such room.

        """
        for room in self.rooms:
            if room.id == room_id:
                return room
        msg = f"no room {room_id}"
        raise KeyError(msg)

    def node(self, node_id: int) -> Node:
        """The node with this ID.

        Raises:
            KeyError: no such node.

        """
        for node in self.nodes:
            if node.id == node_id:
                return node
        msg = f"no node {node_id}"
        raise KeyError(msg)

    def key(self, node_id: int, key_id: int) -> Key:
        """A key of a node.

        Raises:
            KeyError: no such node or key.

        """
        return self.node(node_id).key(key_id)

    def describe(self) -> str:
        """``N rooms, M nodes, K keys``."""
        return f"{len(self.rooms)} rooms, {len(self.nodes)} nodes, {self.key_count} keys"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> House:
        """A house from its JSON object ``{"rooms": [...], "nodes": [...]}``."""
        rooms, nodes = data.get("rooms"), data.get("nodes")
        if not isinstance(rooms, list) or not isinstance(nodes, list):
            msg = "a house needs a list of rooms and a list of nodes"
            raise HouseError(msg)
        if len(rooms) > 0xFF or len(nodes) > 0xFF:
            msg = "a vBox knows at most 255 rooms and 255 nodes"
            raise HouseError(msg)
        return cls(
            rooms=[Room.from_dict(room) for room in rooms],
            nodes=[Node.from_dict(node) for node in nodes],
        )

    def to_dict(self) -> dict[str, Any]:
        """The house as JSON."""
        return {
            "rooms": [room.to_dict() for room in self.rooms],
            "nodes": [node.to_dict() for node in self.nodes],
        }

    @classmethod
    def load(cls, path: str | Path) -> House:
        """Read a house from a JSON file."""
        with Path(path).open(encoding="utf-8") as file:
            return cls.from_dict(json.load(file))


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
