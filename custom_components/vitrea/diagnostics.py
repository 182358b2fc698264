"""Diagnostics: what the integration knows, with credentials and address redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import VitreaConfigEntry

TO_REDACT = {CONF_HOST, CONF_PASSWORD, CONF_USERNAME}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
) -> dict[str, Any]:
    """The entry's settings, each interface's connection, the topology and every state."""
    coordinator = entry.runtime_data
    house = coordinator.house
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": dict(entry.options),
        },
        "last_update_success": coordinator.last_update_success,
        "interfaces": house.diagnostics(),
        "topology": house.as_dict(),
        "key_states": {
            f"{key.node_id}/{key.key_id}": {"is_on": key.is_on, "level": key.level}
            for key in house.all_keys()
            if key.is_on is not None
        },
        "node_states": {
            str(node.node_id): {"is_locked": node.is_locked, "led_level": node.led_level}
            for node in house.nodes.values()
            if node.is_locked is not None
        },
        "climate_states": {
            str(climate.climate_id): asdict(climate.state)
            for climate in house.climates.values()
            if climate.state is not None
        },
    }
