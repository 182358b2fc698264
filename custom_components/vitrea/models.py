"""What the integration knows about a house: its topology and the state of its keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .vbox import KeyCategory, KeyType, node_model


class KeyKind(StrEnum):
    """How a key appears in Home Assistant; decides its platform."""

    DIMMER = "dimmer"  # light with brightness
    LIGHT = "light"  # on/off light
    SWITCH = "switch"
    BOILER = "boiler"  # switch that can be switched on for a while
    COVER = "cover"
    BUTTON = "button"  # push button or satellite: press events
    SCENE = "scene"  # toggle-scene key: activated, has no state


_KIND_BY_TYPE: dict[int, KeyKind] = {
    KeyType.DIMMER: KeyKind.DIMMER,
    KeyType.DIMMER_MW: KeyKind.DIMMER,
    KeyType.DUAL_POLE: KeyKind.SWITCH,
    KeyType.BOILER: KeyKind.BOILER,
    KeyType.BLIND: KeyKind.COVER,
    KeyType.BLIND_MW: KeyKind.COVER,
    KeyType.PUSH_BUTTON: KeyKind.BUTTON,
    KeyType.SATELLITE: KeyKind.BUTTON,
    KeyType.TOGGLE_SCENE: KeyKind.SCENE,
}

STATEFUL_KINDS = frozenset(
    {KeyKind.DIMMER, KeyKind.LIGHT, KeyKind.SWITCH, KeyKind.BOILER, KeyKind.COVER}
)
"""Kinds whose on/off state (and level) the vBox reports."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One key of a node, as discovered."""

    node_id: int
    key_id: int
    type: int
    category: int
    name: str

    @property
    def kind(self) -> KeyKind | None:
        """How the key appears in Home Assistant; ``None`` for keys that get no entity."""
        if self.type == KeyType.TOGGLE:
            if self.category == KeyCategory.LIGHT:
                return KeyKind.LIGHT
            if self.category == KeyCategory.BOILER:
                return KeyKind.BOILER
            return KeyKind.SWITCH
        return _KIND_BY_TYPE.get(self.type)


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """One node (a wall unit or module), as discovered."""

    node_id: int
    mac: str
    node_type: int
    version: str
    room_id: int
    keys: tuple[KeyInfo, ...]

    @property
    def model(self) -> str:
        """The model name from the node type table."""
        return node_model(self.node_type)

    @property
    def identifier(self) -> str:
        """A stable hardware identity: the EUI-64, lowercase hex without separators."""
        return self.mac.replace(":", "").lower()


@dataclass(frozen=True, slots=True)
class Topology:
    """Rooms and nodes of the house; stored so a restart needs no discovery."""

    rooms: dict[int, str]
    nodes: dict[int, NodeInfo]

    def all_keys(self) -> list[KeyInfo]:
        """Every key of every node."""
        return [key for node in self.nodes.values() for key in node.keys]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form for Home Assistant's storage."""
        return {
            "rooms": [{"id": room_id, "name": name} for room_id, name in self.rooms.items()],
            "nodes": [
                {
                    "id": node.node_id,
                    "mac": node.mac,
                    "type": node.node_type,
                    "version": node.version,
                    "room": node.room_id,
                    "keys": [
                        {"id": k.key_id, "type": k.type, "category": k.category, "name": k.name}
                        for k in node.keys
                    ],
                }
                for node in self.nodes.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Topology:
        """Read the form :meth:`as_dict` writes."""
        return cls(
            rooms={room["id"]: room["name"] for room in data["rooms"]},
            nodes={
                node["id"]: NodeInfo(
                    node_id=node["id"],
                    mac=node["mac"],
                    node_type=node["type"],
                    version=node["version"],
                    room_id=node["room"],
                    keys=tuple(
                        KeyInfo(
                            node_id=node["id"],
                            key_id=key["id"],
                            type=key["type"],
                            category=key["category"],
                            name=key["name"],
                        )
                        for key in node["keys"]
                    ),
                )
                for node in data["nodes"]
            },
        )


@dataclass(slots=True)
class KeyState:
    """The last known state of a key; ``None`` while unknown."""

    is_on: bool | None = None
    level: int | None = None


@dataclass(slots=True)
class NodeState:
    """The last known keypad lock and backlight level of a node."""

    is_locked: bool
    led_level: int


@dataclass(slots=True)
class VitreaData:
    """The coordinator's data: topology plus live state."""

    topology: Topology
    keys: dict[tuple[int, int], KeyState] = field(default_factory=dict)
    nodes: dict[int, NodeState] = field(default_factory=dict)
