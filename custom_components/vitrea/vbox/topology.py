"""What a house is made of: its rooms, nodes and keys, as discovered; nothing that changes.

A :class:`Topology` is plain data, the same whichever interface of the vBox it was read
from. It is what a client keeps between runs (:meth:`Topology.as_dict`), so that a restart
shows the house before the vBox is asked anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from .enums import KeyCategory, KeyType, node_model
from .names import clean_name

FLOOR_HEATING_TYPE = 4


class KeyKind(StrEnum):
    """What a key does, whatever its wiring: the type and category bytes, read together."""

    DIMMER = "dimmer"  # a light with a level
    LIGHT = "light"  # an on/off light
    SWITCH = "switch"
    BOILER = "boiler"  # a switch that can be switched on for a while
    COVER = "cover"  # a blind: its level is its position
    BUTTON = "button"  # a push button or satellite: presses, no state
    SCENE = "scene"  # a toggle-scene key: activated, no state


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

UNREAD_CATEGORY = -1
"""The category of a toggle read from the host database while VTU, which tells it, is still
to be asked: the key has no kind until then (see ``docs/identity.md`` §3)."""

STATEFUL_KINDS = frozenset(
    {KeyKind.DIMMER, KeyKind.LIGHT, KeyKind.SWITCH, KeyKind.BOILER, KeyKind.COVER}
)
"""Kinds whose on/off state (and level) the vBox reports."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One key of a node: its 0-based index, type, category and name."""

    node_id: int
    key_id: int
    type: int
    category: int
    name: str
    room_id: int | None = None
    """The key's own room, where the host database tells one; ``None``: its node's."""

    @property
    def kind(self) -> KeyKind | None:
        """What the key does; ``None`` for keys that do nothing a client can use."""
        if self.type == KeyType.TOGGLE:
            if self.category == UNREAD_CATEGORY:
                return None
            if self.category == KeyCategory.LIGHT:
                return KeyKind.LIGHT
            if self.category == KeyCategory.BOILER:
                return KeyKind.BOILER
            return KeyKind.SWITCH
        return _KIND_BY_TYPE.get(self.type)

    @property
    def address(self) -> tuple[int, int]:
        """``(node ID, key ID)``."""
        return self.node_id, self.key_id


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """One node (a wall unit or module): its identity, model, firmware, room and keys."""

    node_id: int
    mac: str
    node_type: int
    version: str
    room_id: int
    keys: tuple[KeyInfo, ...]

    @property
    def model(self) -> str:
        """The model name from the node type table, e.g. ``VT-MW3-SR2-10A``."""
        return node_model(self.node_type)

    @property
    def eui64(self) -> str | None:
        """The node's EUI-64, lowercase hex without separators; ``None`` where unknown.

        Only VTU tells it; the host interface's database does not.
        """
        return hardware_id(self.mac) if self.mac else None

    def reshaped_by(self, fresh: NodeInfo) -> bool:
        """Whether ``fresh``, a new reading of this node, changes what a client made of it.

        Its room does, a key's name, and the type or category of a key with a kind. Details
        (EUI-64, model, firmware) do not, nor a kind found for a key that had none (a toggle
        of :data:`UNREAD_CATEGORY`: VTU may even tell a dual-pole key the database calls a
        toggle).
        """
        if (fresh.node_id, fresh.room_id) != (self.node_id, self.room_id):
            return True
        if [key.key_id for key in fresh.keys] != [key.key_id for key in self.keys]:
            return True
        return any(
            new.name != old.name
            or (old.kind is not None and (new.type, new.category) != (old.type, old.category))
            for old, new in zip(self.keys, fresh.keys, strict=True)
        )


@dataclass(frozen=True, slots=True)
class ClimateInfo:
    """An air conditioner or floor-heating unit (host interface only)."""

    climate_id: int
    type: int
    """The unit type 1-4 (``host.ACType``); 4 (TMSF) is floor heating: heat only."""
    room_id: int
    name: str

    @property
    def is_floor_heating(self) -> bool:
        """A TMSF unit: it heats, or is off."""
        return self.type == FLOOR_HEATING_TYPE


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """A scenario of the vBox (host interface only): run by its ID."""

    scenario_id: int
    room_id: int | None
    """Its room; ``None`` for one of the whole house."""
    name: str


def hardware_id(mac: str) -> str:
    """``00:0D:6F:00:CA:12:F3:1B`` -> ``000d6f00ca12f31b``."""
    return mac.replace(":", "").lower()


@dataclass(frozen=True, slots=True)
class Topology:
    """Rooms (ID -> name) and nodes (ID -> node) of a house, and what the host interface adds.

    The host interface's database also gives floors (ID -> name) and each room's floor,
    air conditioners and floor heating, and scenarios; they are empty where only the app
    interface was read.
    """

    rooms: dict[int, str] = field(default_factory=dict)
    nodes: dict[int, NodeInfo] = field(default_factory=dict)
    floors: dict[int, str] = field(default_factory=dict)
    room_floors: dict[int, int] = field(default_factory=dict)
    """Room ID -> floor ID."""
    climates: dict[int, ClimateInfo] = field(default_factory=dict)
    scenarios: dict[int, ScenarioInfo] = field(default_factory=dict)

    @property
    def identity(self) -> str | None:
        """The house's hardware identity: the EUI-64 of its lowest-numbered node.

        The vBox tells no serial number or MAC address of its own; the EUI-64 of a node is
        burnt into that wall unit and does not change with the vBox's address or login
        (only if that node is removed). ``None`` for a house without nodes, and for one read
        over the host interface alone (it tells no EUI-64).
        """
        if not self.nodes or not (first := self.nodes[min(self.nodes)]).mac:
            return None  # no nodes, or read over the host interface alone: no EUI-64
        return first.eui64

    def all_keys(self) -> list[KeyInfo]:
        """Every key of every node."""
        return [key for node in self.nodes.values() for key in node.keys]

    def with_toggles_unread(self) -> Topology:
        """This topology, every toggle's category :data:`UNREAD_CATEGORY`."""
        return replace(
            self,
            nodes={
                node_id: replace(
                    node,
                    keys=tuple(
                        replace(key, category=UNREAD_CATEGORY)
                        if key.type == KeyType.TOGGLE
                        else key
                        for key in node.keys
                    ),
                )
                for node_id, node in self.nodes.items()
            },
        )

    def with_host_database(self, host: Topology) -> Topology:
        """This topology (nodes and rooms as read over VTU) with what only ``host`` knows.

        Floors, room floors, climates and scenarios come from ``host``; so do the rooms that
        only the host interface lists (a room without nodes, say).
        """
        return Topology(
            rooms=host.rooms | self.rooms,
            nodes=self.nodes,
            floors=host.floors,
            room_floors=host.room_floors,
            climates=host.climates,
            scenarios=host.scenarios,
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form, read back by :meth:`from_dict`."""
        return {
            "rooms": [
                {"id": room_id, "name": name}
                | ({"floor": self.room_floors[room_id]} if room_id in self.room_floors else {})
                for room_id, name in self.rooms.items()
            ],
            "floors": [{"id": floor_id, "name": name} for floor_id, name in self.floors.items()],
            "climates": [
                {"id": c.climate_id, "type": c.type, "room": c.room_id, "name": c.name}
                for c in self.climates.values()
            ],
            "scenarios": [
                {"id": s.scenario_id, "room": s.room_id, "name": s.name}
                for s in self.scenarios.values()
            ],
            "nodes": [
                {
                    "id": node.node_id,
                    "mac": node.mac,
                    "type": node.node_type,
                    "version": node.version,
                    "room": node.room_id,
                    "keys": [
                        {"id": k.key_id, "type": k.type, "category": k.category, "name": k.name}
                        | ({} if k.room_id is None else {"room": k.room_id})
                        for k in node.keys
                    ],
                }
                for node in self.nodes.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Topology:
        """Read the form :meth:`as_dict` writes (names cleaned: older versions kept them raw)."""
        return cls(
            rooms={room["id"]: clean_name(room["name"]) for room in data["rooms"]},
            floors={floor["id"]: clean_name(floor["name"]) for floor in data.get("floors", [])},
            room_floors={room["id"]: room["floor"] for room in data["rooms"] if "floor" in room},
            climates={
                c["id"]: ClimateInfo(c["id"], c["type"], c["room"], clean_name(c["name"]))
                for c in data.get("climates", [])
            },
            scenarios={
                s["id"]: ScenarioInfo(s["id"], s["room"], clean_name(s["name"]))
                for s in data.get("scenarios", [])
            },
            nodes={
                node["id"]: NodeInfo(
                    node_id=node["id"],
                    mac=node["mac"],
                    node_type=node["type"],
                    version=node["version"],
                    room_id=node["room"],
                    keys=tuple(
                        KeyInfo(
                            node["id"],
                            key["id"],
                            key["type"],
                            key["category"],
                            clean_name(key["name"]),
                            key.get("room"),
                        )
                        for key in node["keys"]
                    ),
                )
                for node in data["nodes"]
            },
        )
