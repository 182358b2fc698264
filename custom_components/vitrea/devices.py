"""The device registry, kept in step with the house: the vBox hub, and a device per node.

Devices are registered here before any entity exists, so that each node's device can name
the hub as its parent by registry ID (``via_device_id``), the one form every supported
release takes (in an entity's device info, Home Assistant 2025.4 knows only ``via_device``,
which 2026.8 and later report as deprecated). Entities then link to their device by its
identifier alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, LOGGER, MANUFACTURER

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.config_entries import ConfigEntry

    from .vbox import NodeInfo, Topology


@callback
def async_register_devices(
    hass: HomeAssistant, entry: ConfigEntry, hub_id: str, topology: Topology
) -> None:
    """Create or update the hub device and the device of every node of ``topology``."""
    registry = dr.async_get(hass)
    hub = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, hub_id)},
        manufacturer=MANUFACTURER,
        model="vBox",
        name="vBox",
    )
    for node in topology.nodes.values():
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, node.identifier)},
            manufacturer=MANUFACTURER,
            model=node.model,
            model_id=str(node.node_type),
            name=f"{node.model} ({node.node_id})",
            serial_number=node.mac,
            sw_version=node.version,
            suggested_area=topology.rooms.get(node.room_id),
        )
        if device.via_device_id != hub.id:
            registry.async_update_device(device.id, via_device_id=hub.id)


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
