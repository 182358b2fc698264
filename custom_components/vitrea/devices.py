"""The device registry, kept in step with the house; and the floors of its areas.

The devices (see ``docs/identity.md``): the vBox hub; one per node, the wall unit, which
holds its keypad lock, backlight, LEDs and wall presses; one per key that drives something
(a light, a switch, a blind, a scene), named as the vBox names the key, under its wall unit,
so that every dashboard shows the key's own name; and one per air conditioner or
floor-heating unit (host interface).

Devices are registered here before any entity exists, so that each device can name its
parent by registry ID (``via_device_id``), the one form every supported release takes (in an
entity's device info, Home Assistant 2025.4 knows only ``via_device``, which 2026.8 and later
report as deprecated). Entities then link to their device by its identifier alone.

A wall unit is named after its room, as the owner knows it ("Kitchen"), numbered where the
room has several ("Kitchen 2"): no generated word, so no name mixes two languages.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

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

    from .vbox import Climate, KeyInfo, NodeInfo, Scenario, Topology

KEY_DEVICE_KINDS = frozenset(
    {KeyKind.DIMMER, KeyKind.LIGHT, KeyKind.SWITCH, KeyKind.BOILER, KeyKind.COVER, KeyKind.SCENE}
)
"""The kinds of key with a device of their own; a button's presses stay on its wall unit."""
CLIMATE_MODELS = {"air_conditioner": "Air conditioner", "floor_heating": "Floor heating"}
"""The model of a unit's device, by its kind (a device's model is not translated)."""


def node_identifier(box_id: str, node_id: int) -> str:
    """A node's device identifier, and the start of its entities' unique IDs: ``<box>_node<N>``.

    ``box_id`` is the entry's unique ID (the vBox's hardware ID) or, without one, the entry's
    ID; see ``docs/identity.md``.
    """
    return f"{box_id}_node{node_id}"


def key_unique_id(box_id: str, node_id: int, key_id: int) -> str:
    """A key entity's unique ID, and its device's identifier: ``<box>_node<N>_<key>``."""
    return f"{node_identifier(box_id, node_id)}_{key_id}"


def key_id_of(unique_id: str) -> int:
    """The key index in a key entity's unique ID (see :func:`key_unique_id`)."""
    return int(unique_id.rpartition("_")[2])


def has_key_device(kind: KeyKind | None) -> bool:
    """Whether a key of ``kind`` has a device of its own (see ``docs/identity.md``)."""
    return kind in KEY_DEVICE_KINDS


def node_names(topology: Topology) -> dict[int, str | None]:
    """Each node's device name: its room's, numbered where the room has several nodes.

    ``None`` for a node whose room the vBox does not name (its device is named by the
    translation ``device.node``).
    """
    per_room = Counter(node.room_id for node in topology.nodes.values())
    numbered: Counter[int] = Counter()
    names: dict[int, str | None] = {}
    for node_id in sorted(topology.nodes):
        room_id = topology.nodes[node_id].room_id
        room = topology.rooms.get(room_id)
        if room and per_room[room_id] > 1:
            numbered[room_id] += 1
            room = f"{room} {numbered[room_id]}"
        names[node_id] = room or None
    return names


@callback
def async_register_devices(
    hass: HomeAssistant,
    entry: ConfigEntry,
    box_id: str,
    topology: Topology,
    firmware: str | None = None,
) -> dict[int, str]:
    """Create or update the hub device, every node's device and every key's of ``topology``.

    ``firmware``: the vBox's own version, where the host interface told it. Returns each
    node's device registry ID. Key devices of keys the vBox no longer has are removed.
    """
    registry = dr.async_get(hass)
    own = {
        name: device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for domain, name in device.identifiers
        if domain == DOMAIN
    }
    hub = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, hub_identifier(box_id))},
        manufacturer=MANUFACTURER,
        model="vBox",
        sw_version=firmware,
        translation_key="hub",
        translation_placeholders={"host": entry.data["host"]},
    )
    names = node_names(topology)
    device_ids: dict[int, str] = {}
    keys: set[str] = set()
    for node in topology.nodes.values():
        name = names[node.node_id]
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, node_identifier(box_id, node.node_id))},
            manufacturer=MANUFACTURER,
            # The host interface alone tells no model, EUI-64 or firmware of a node.
            model=node.model if node.mac else None,
            model_id=str(node.node_type) if node.mac else None,
            name=name,
            translation_key=None if name else "node",
            translation_placeholders={"node": str(node.node_id)},
            serial_number=node.mac or None,
            sw_version=node.version or None,
            suggested_area=topology.rooms.get(node.room_id) or None,
        )
        if device.via_device_id != hub.id:
            device = registry.async_update_device(device.id, via_device_id=hub.id) or device
        device_ids[node.node_id] = device.id
        for key in node.keys:
            if has_key_device(key.kind):
                keys.add(identifier := key_unique_id(box_id, node.node_id, key.key_id))
                room = None if key.room_id is None else topology.rooms.get(key.room_id)
                _register_key_device(
                    registry, entry, identifier, key, device, room=room, new=identifier not in own
                )
    pattern = re.compile(rf"{re.escape(box_id)}_node\d+_\d+")
    for identifier, device in own.items():
        if pattern.fullmatch(identifier) and identifier not in keys:
            registry.async_remove_device(device.id)
    return device_ids


def _register_key_device(  # noqa: PLR0913
    registry: dr.DeviceRegistry,
    entry: ConfigEntry,
    identifier: str,
    key: KeyInfo,
    node_device: dr.DeviceEntry,
    *,
    room: str | None,
    new: bool,
) -> None:
    """A key's device: named as the vBox names the key, under its wall unit.

    A new one starts in the key's own ``room`` where the vBox gives one, else in its wall
    unit's area (the room the vBox gives, or the one the owner moved the wall unit to: an
    entry of an earlier release keeps its keys where they were).
    """
    device = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, identifier)},
        manufacturer=MANUFACTURER,
        name=key.name or None,
        translation_key=None if key.name else "key",
        translation_placeholders={"key": str(key.key_id + 1)},
        suggested_area=room,
    )
    changes: dict[str, Any] = {}
    if device.via_device_id != node_device.id:
        changes["via_device_id"] = node_device.id
    if new and device.area_id is None and node_device.area_id is not None:
        changes["area_id"] = node_device.area_id
    if changes:
        registry.async_update_device(device.id, **changes)


def hub_identifier(box_id: str) -> str:
    """The vBox hub device's identifier, and the start of its entities' unique IDs."""
    return f"vbox_{box_id}"


@callback
def async_adopt_identifiers(
    hass: HomeAssistant, entry: ConfigEntry, renames: Mapping[str, str]
) -> None:
    """Give the entry's devices and entities the identifiers of ``renames``' values.

    An identifier or unique ID that is a key of ``renames``, or starts with it and ``_``,
    starts with its value instead; one the entry already has is left. (Another entry has no
    device of this vBox: the config flow refuses a vBox twice.) The devices and entities stay
    the same, with their names, areas and the automations that use them. See
    ``docs/identity.md`` for when: an entry of an earlier release, and one of the host
    interface alone that gets VTU's login, and with it the vBox's hardware ID.
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
    hass: HomeAssistant, entry: ConfigEntry, box_id: str, nodes: Iterable[NodeInfo]
) -> None:
    """Remove the devices of nodes the vBox no longer has.

    Their keys' devices go as the devices are registered again (:func:`async_register_devices`).
    """
    registry = dr.async_get(hass)
    gone = {(DOMAIN, node_identifier(box_id, node.node_id)): node.node_id for node in nodes}
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
    devices: dict[str, dict[str, Any]] = {}
    for climate in climates:
        info = climate.info
        kind = "floor_heating" if info.is_floor_heating else "air_conditioner"
        devices[climate_identifier(hub_id, info.climate_id)] = {
            "model": CLIMATE_MODELS[kind],
            "model_id": str(info.type),
            "name": info.name,
            "translation_key": None if info.name else kind,
            "translation_placeholders": {"number": str(info.climate_id)},
            "suggested_area": climate.room or None,
        }
    _async_register_hub_children(hass, entry, hub_id, f"{hub_id}_ac", devices)


def scenario_identifier(hub_id: str, scenario_id: int) -> str:
    """A scenario's entity's unique ID, and its device's where it has one."""
    return f"{hub_id}_scenario{scenario_id}"


@callback
def async_register_scenario_devices(
    hass: HomeAssistant, entry: ConfigEntry, hub_id: str, scenarios: Iterable[Scenario]
) -> None:
    """A device for each scenario the vBox puts in a room, in that room, under the hub.

    Named as the vBox names the scenario, "Scenario 3" without; a scenario of the whole
    house has none (its scene is on the hub). Devices of other scenarios are removed.
    """
    devices = {
        scenario_identifier(hub_id, scenario.scenario_id): {
            "name": scenario.name or None,
            "translation_key": None if scenario.name else "scenario",
            "translation_placeholders": {"scenario": str(scenario.scenario_id)},
            "suggested_area": scenario.room,
        }
        for scenario in scenarios
        if scenario.room
    }
    _async_register_hub_children(hass, entry, hub_id, f"{hub_id}_scenario", devices)


def _async_register_hub_children(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hub_id: str,
    prefix: str,
    children: Mapping[str, Mapping[str, Any]],
) -> None:
    """Register ``children`` (identifier -> device fields) under the hub.

    The entry's devices whose identifier starts with ``prefix`` but are not among them are
    removed.
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
    for identifier, fields in children.items():
        device = registry.async_get_or_create(
            config_entry_id=entry_id,
            identifiers={(DOMAIN, identifier)},
            manufacturer=MANUFACTURER,
            **fields,
        )
        if hub is not None and device.via_device_id != hub.id:
            registry.async_update_device(device.id, via_device_id=hub.id)
    for identifier, device in devices.items():
        if identifier.startswith(prefix) and identifier not in children:
            LOGGER.info("%s is gone from the vBox; removing its device", device.name)
            registry.async_remove_device(device.id)
