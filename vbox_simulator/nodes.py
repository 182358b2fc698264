"""The wall units of a house: rooms, nodes (keypads) and their keys, each key with its state.

Levels: ``level`` is what the key reports in the first byte after the power byte of a
KeyStatus frame. A dimmer reports its brightness when on and 0 when off, and comes back on
at its last brightness; a blind reports its position (0 = closed, on means open at all);
every other key reports 100 when on and 0 when off. :meth:`Key.command` is what the vBox does
when a key is switched; it puts a blind where it is sent at once, while the engine
(:mod:`vbox_simulator.engine`) makes it travel there, ``target`` telling where it is heading
meanwhile (a dimmer sent up or down moves the same way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .checks import FULL, HouseError, check_byte, check_level, check_member, check_name
from .wire import NODE_MODELS, KeyCategory, KeyType, LEDBackgroundBrightness

DIMMER_TYPES = frozenset({KeyType.DIMMER, KeyType.DIMMER_MW})
BLIND_TYPES = frozenset({KeyType.BLIND, KeyType.BLIND_MW})
MODEL_TYPES = {model: node_type for node_type, model in NODE_MODELS.items()}
"""The node type byte of each model name."""
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){7}$")
_FIRMWARE = re.compile(r"^(\d{1,3})\.(\d)(\d{1,3})$")
_MODEL_PART = re.compile(r"^(SR|DM|UD|ST|NO|DP|T|VEN)(\d+)$")


def _node_type(what: str, value: object) -> int:
    """A node type from its model name (``VT-MW3-SR3-10A``) or its number."""
    if isinstance(value, str):
        if value in MODEL_TYPES:
            return MODEL_TYPES[value]
        msg = f"{what}: unknown node model {value!r}"
        raise HouseError(msg)
    return check_byte(what, value)


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
        room_id = check_byte("room id", data.get("id"))
        return cls(
            id=room_id,
            floor=check_byte(f"room {room_id} floor", data.get("floor", 0)),
            name=check_name(f"room {room_id} name", data.get("name")),
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
    room_id: int | None = None
    """The key's own room in the host interface's database (a wall unit at the door that
    drives the garden lights); ``None``: its node's."""

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
        check_level("level", level)
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
        check_level("level", level)
        return (level or FULL) if on else 0

    def put(self, position: int) -> None:
        """Put a blind (or dimmer) at ``position`` (on while above 0); ``target`` stays."""
        check_level("position", position)
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
            type=check_member(KeyType, f"{what} type", data.get("type")),
            category=check_member(
                KeyCategory, f"{what} category", data.get("category", "undefined")
            ),
            name=check_name(f"{what} name", data.get("name")),
            on=on,
            level=check_level(f"{what} level", data.get("level", 0)),
            room_id=None if data.get("room") is None else check_byte(f"{what} room", data["room"]),
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
        } | ({} if self.room_id is None else {"room": self.room_id})


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
        node_id = check_byte("node id", data.get("id"))
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
            room_id=check_byte(f"{what} room", data.get("room")),
            locked=locked,
            led=check_member(LEDBackgroundBrightness, f"{what} led", data.get("led", "normal")),
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
