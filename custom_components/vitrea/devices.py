"""The device registry, kept in step with the house; and the floors of its areas.

The devices: the vBox hub, one per node, and one per air conditioner or floor-heating unit
(host interface).

Devices are registered here before any entity exists, so that each node's device can name
the hub as its parent by registry ID (``via_device_id``), the one form every supported
release takes (in an entity's device info, Home Assistant 2025.4 knows only ``via_device``,
which 2026.8 and later report as deprecated). Entities then link to their device by its
identifier alone.

A node's device is named after its room, as the owner knows it: "Kitchen". Where a room has
several nodes, a word for what each one mostly drives tells them apart ("Kitchen lights",
"Kitchen blinds"), and a number where that is not enough. The part number is the model.
Names are translated into the server's language when the device is registered.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr

from .const import DOMAIN, LOGGER, MANUFACTURER
from .vbox import KeyKind

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.config_entries import ConfigEntry

    from .vbox import Climate, NodeInfo, Topology

ROLES: tuple[tuple[str, frozenset[KeyKind]], ...] = (
    ("blinds", frozenset({KeyKind.COVER})),
    ("lights", frozenset({KeyKind.DIMMER, KeyKind.LIGHT})),
    ("boiler", frozenset({KeyKind.BOILER})),
    ("switches", frozenset({KeyKind.SWITCH})),
    ("buttons", frozenset({KeyKind.BUTTON, KeyKind.SCENE})),
)
"""What a node mostly drives, by the first of these kinds it has a key of."""
CLIMATE_MODELS = {"air_conditioner": "Air conditioner", "floor_heating": "Floor heating"}
"""The model of a unit's device, by its kind (a device's model is not translated)."""


def key_unique_id(node_identifier: str, key_id: int) -> str:
    """A key entity's unique ID: the node's EUI-64 and the key's index, ``<eui64>_<key>``."""
    return f"{node_identifier}_{key_id}"


def key_id_of(unique_id: str) -> int:
    """The key index in a key entity's unique ID (see :func:`key_unique_id`)."""
    return int(unique_id.rpartition("_")[2])


def node_role(node: NodeInfo) -> str:
    """``blinds``, ``lights``, ``boiler``, ``switches``, ``buttons`` or ``keys``."""
    kinds = {key.kind for key in node.keys}
    return next((role for role, of_role in ROLES if kinds & of_role), "keys")


def node_names(topology: Topology) -> dict[int, tuple[str, dict[str, str]]]:
    """Each node's device name, as a translation key (``device.<key>``) and placeholders."""
    roles = {node_id: node_role(node) for node_id, node in topology.nodes.items()}
    per_room = Counter(node.room_id for node in topology.nodes.values())
    per_role = Counter((node.room_id, roles[node.node_id]) for node in topology.nodes.values())
    numbered: Counter[tuple[int, str]] = Counter()
    names: dict[int, tuple[str, dict[str, str]]] = {}
    for node_id in sorted(topology.nodes):
        node = topology.nodes[node_id]
        room = topology.rooms.get(node.room_id)
        if not room:  # a room the vBox does not list, or one without a name
            names[node_id] = ("node", {"model": node.model, "node": str(node_id)})
        elif per_room[node.room_id] == 1:
            names[node_id] = ("room", {"room": room})
        else:
            role = (node.room_id, roles[node_id])
            number = ""
            if per_role[role] > 1:
                numbered[role] += 1
                number = f" {numbered[role]}"
            names[node_id] = (f"room_{roles[node_id]}", {"room": room, "number": number})
    return names


@callback
def async_register_devices(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hub_id: str,
    topology: Topology,
    firmware: str | None = None,
) -> dict[int, str]:
    """Create or update the hub device and the device of every node of ``topology``.

    ``firmware``: the vBox's own version, where the host interface told it. Returns each
    node's device registry ID.
    """
    registry = dr.async_get(hass)
    hub = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, hub_id)},
        manufacturer=MANUFACTURER,
        model="vBox",
        sw_version=firmware,
        translation_key="hub",
        translation_placeholders={"host": entry.data["host"]},
    )
    names = node_names(topology)
    device_ids: dict[int, str] = {}
    for node in topology.nodes.values():
        translation_key, placeholders = names[node.node_id]
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, node.identifier)},
            manufacturer=MANUFACTURER,
            # The host interface alone tells no model, EUI-64 or firmware of a node.
            model=node.model if node.mac else None,
            model_id=str(node.node_type) if node.mac else None,
            translation_key=translation_key,
            translation_placeholders=placeholders,
            serial_number=node.mac or None,
            sw_version=node.version or None,
            suggested_area=topology.rooms.get(node.room_id) or None,
        )
        if device.via_device_id != hub.id:
            registry.async_update_device(device.id, via_device_id=hub.id)
        device_ids[node.node_id] = device.id
    return device_ids


@callback
def async_adopt_identifiers(
    hass: HomeAssistant, entry: ConfigEntry, renames: Mapping[str, str]
) -> None:
    """Give the entry's devices and entities the identifiers of ``renames``' values.

    An identifier or unique ID that is a key of ``renames``, or starts with it and ``_``,
    starts with its value instead; one the entry already has is left. (Another entry has no
    device of this vBox: the config flow refuses a vBox twice.) The devices and entities stay
    the same, with their names, areas and the automations that use them. Used when an entry
    of the host interface alone gets VTU's login: its nodes become known by their EUI-64
    and the hub by the vBox's hardware ID (see :meth:`NodeInfo.identifier`).
    """

    def renamed(identifier: str) -> str | None:
        for old, new in renames.items():
            if identifier == old or identifier.startswith(f"{old}_"):
                return new + identifier[len(old) :]
        return None

    devices = dr.async_get(hass)
    own = dr.async_entries_for_config_entry(devices, entry.entry_id)
    taken = {identifier for device in own for identifier in device.identifiers}
    for device in own:
        identifiers = {
            (domain, (renamed(name) or name) if domain == DOMAIN else name)
            for domain, name in device.identifiers
        }
        if identifiers != device.identifiers and not (identifiers - device.identifiers) & taken:
            devices.async_update_device(device.id, new_identifiers=identifiers)
            taken |= identifiers
    entities = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(entities, entry.entry_id):
        unique_id = renamed(entity.unique_id)
        if unique_id and not entities.async_get_entity_id(entity.domain, DOMAIN, unique_id):
            entities.async_update_entity(entity.entity_id, new_unique_id=unique_id)


@callback
def async_remove_devices(
    hass: HomeAssistant, entry: ConfigEntry, nodes: Iterable[NodeInfo]
) -> None:
    """Remove the devices of nodes the vBox no longer has."""
    registry = dr.async_get(hass)
    gone = {(DOMAIN, node.identifier): node.node_id for node in nodes}
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        for identifier in device.identifiers & gone.keys():
            LOGGER.info("Node %d is gone from the vBox; removing its device", gone[identifier])
            registry.async_remove_device(device.id)


@callback
def async_assign_floors(hass: HomeAssistant, topology: Topology) -> None:
    """Put the rooms' areas on the vBox's floors, creating the floors by name as needed.

    Only areas without a floor are assigned: a floor the owner chose stays. Rooms without an
    area yet (no device was placed there), and floors without a name, are left alone.
    """
    areas = ar.async_get(hass)
    floors = fr.async_get(hass)
    for room_id, floor_id in topology.room_floors.items():
        floor_name = topology.floors.get(floor_id)
        room_name = topology.rooms.get(room_id)
        area = areas.async_get_area_by_name(room_name) if room_name else None
        if not floor_name or area is None or area.floor_id is not None:
            continue
        floor = floors.async_get_floor_by_name(floor_name) or floors.async_create(
            floor_name, level=floor_id
        )
        areas.async_update(area.id, floor_id=floor.floor_id)


def climate_identifier(hub_id: str, climate_id: int) -> str:
    """A unit's device identifier, and its entity's unique ID: ``<hub>_ac<ID>``."""
    return f"{hub_id}_ac{climate_id}"


@callback
def async_register_climate_devices(
    hass: HomeAssistant, entry: ConfigEntry, hub_id: str, climates: Iterable[Climate]
) -> None:
    """Register each climate unit's device under the hub; remove gone units' devices.

    A unit is named as the vBox names it ("Living room AC"), "Air conditioner 2" without.
    """
    registry = dr.async_get(hass)
    entry_id = entry.entry_id
    devices = {
        identifier: device
        for device in dr.async_entries_for_config_entry(registry, entry_id)
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }
    hub = devices.get(hub_id)
    kept: set[str] = set()
    for climate in climates:
        info = climate.info
        kept.add(identifier := climate_identifier(hub_id, info.climate_id))
        kind = "floor_heating" if info.is_floor_heating else "air_conditioner"
        device = registry.async_get_or_create(
            config_entry_id=entry_id,
            identifiers={(DOMAIN, identifier)},
            manufacturer=MANUFACTURER,
            model=CLIMATE_MODELS[kind],
            model_id=str(info.type),
            name=info.name,
            translation_key=None if info.name else kind,
            translation_placeholders={"number": str(info.climate_id)},
            suggested_area=climate.room or None,
        )
        if hub is not None and device.via_device_id != hub.id:
            registry.async_update_device(device.id, via_device_id=hub.id)
    for identifier, device in devices.items():
        if identifier.startswith(f"{hub_id}_ac") and identifier not in kept:
            LOGGER.info("%s is gone from the vBox; removing its device", device.name)
            registry.async_remove_device(device.id)
