"""The Vitrea integration: every wall key of a Vitrea vBox in Home Assistant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.helpers import config_validation as cv

from .const import CONF_PROTOCOL_VERSION, DOMAIN, LOGGER
from .coordinator import VitreaConfigEntry, VitreaCoordinator, topology_store
from .devices import (
    async_adopt_identifiers,
    climate_identifier,
    has_key_device,
    key_unique_id,
    node_identifier,
    scenario_identifier,
)
from .services import async_setup_services
from .vbox import ProtocolVersion, Topology

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .compat import AnyDeviceEntry

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CLIMATE,
    Platform.COVER,
    Platform.EVENT,
    Platform.LIGHT,
    Platform.SCENE,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Register the integration's action (see ``services.py``)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: VitreaConfigEntry) -> bool:
    """Connect to the vBox, learn the house, and create its entities."""
    coordinator = VitreaCoordinator(hass, entry)
    try:
        await coordinator.async_config_entry_first_refresh()
    except BaseException:
        await coordinator.house.disconnect()
        raise
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_start_background_sync()
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: VitreaConfigEntry) -> bool:
    """Bring an entry of an earlier release up to date.

    1.1 -> 1.2: the protocol version left the entry's data. A 1.1 entry always stored one:
    V2, unless the owner chose V1 in advanced mode. V2 is now what detection finds; a V1
    choice is kept, as the override in the options.

    1.2 -> 1.3: nodes are identified by their number, no longer by their EUI-64, which only
    VTU tells (``docs/identity.md``): the devices and entities of an entry that logs in to
    VTU take their new identifiers, from the topology stored at its last run.
    """
    if entry.version > 1:
        return False  # written by a newer release of the integration
    if entry.minor_version < 2:
        data = dict(entry.data)
        options = dict(entry.options)
        if data.pop(CONF_PROTOCOL_VERSION, None) == ProtocolVersion.V1:
            options[CONF_PROTOCOL_VERSION] = ProtocolVersion.V1.value
        hass.config_entries.async_update_entry(entry, data=data, options=options, minor_version=2)
        LOGGER.debug("Entry %s migrated to 1.2", entry.entry_id)
    if entry.minor_version < 3:
        await _async_identify_nodes_by_number(hass, entry)
        hass.config_entries.async_update_entry(entry, minor_version=3)
        LOGGER.debug("Entry %s migrated to 1.3", entry.entry_id)
    return True


async def _async_identify_nodes_by_number(hass: HomeAssistant, entry: VitreaConfigEntry) -> None:
    """Rename ``<EUI-64>`` identifiers and unique IDs to ``<box>_node<N>`` (1.2 -> 1.3)."""
    if entry.unique_id is None:
        return  # the host interface alone: its nodes were already known by number
    stored = await topology_store(hass, entry).async_load()
    if stored is None:
        return  # never set up: it has no devices yet
    topology = Topology.from_dict(stored)
    async_adopt_identifiers(
        hass,
        entry,
        {
            eui64: node_identifier(entry.unique_id, node.node_id)
            for node in topology.nodes.values()
            if (eui64 := node.eui64) is not None
        },
    )


async def async_unload_entry(hass: HomeAssistant, entry: VitreaConfigEntry) -> bool:
    """Remove the entities; the coordinator's shutdown closes the connection."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: VitreaConfigEntry) -> None:
    """Forget the stored topology of a removed entry."""
    await topology_store(hass, entry).async_remove()


async def _async_options_updated(hass: HomeAssistant, entry: VitreaConfigEntry) -> None:
    """Apply new tuning options by reloading."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant,  # noqa: ARG001 - the signature Home Assistant calls
    entry: VitreaConfigEntry,
    device: AnyDeviceEntry,
) -> bool:
    """Let the user delete a device once the vBox no longer has what it stands for."""
    coordinator = entry.runtime_data
    topology = coordinator.data.topology
    box_id = coordinator.box_id
    current = {(DOMAIN, node_identifier(box_id, node.node_id)) for node in topology.nodes.values()}
    current |= {
        (DOMAIN, key_unique_id(box_id, key.node_id, key.key_id))
        for key in topology.all_keys()
        if has_key_device(key.kind)
    }
    current.add((DOMAIN, coordinator.hub_id))
    current |= {
        (DOMAIN, climate_identifier(coordinator.hub_id, unit)) for unit in topology.climates
    }
    current |= {
        (DOMAIN, scenario_identifier(coordinator.hub_id, scenario))
        for scenario in topology.scenarios
    }
    return not device.identifiers & current
