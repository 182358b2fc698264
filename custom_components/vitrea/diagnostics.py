"""Diagnostics: what the integration knows, with credentials and address redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import VitreaConfigEntry, VitreaCoordinator

TO_REDACT = {CONF_HOST, CONF_PASSWORD, CONF_USERNAME}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
) -> dict[str, Any]:
    """The entry's settings, the house's topology and every known state."""
    coordinator = entry.runtime_data
    client = coordinator.client
    house = coordinator.house
    return {
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": dict(entry.options),
        },
        "connection": None
        if client is None  # the host interface alone
        else {
            "state": client.state,
            "connected": client.connected,
            "last_update_success": coordinator.last_update_success,
            "last_error": None if client.last_error is None else str(client.last_error),
            # As configured (None: detect), and as in use.
            "protocol_version": client.connection_config.version,
            "protocol_version_in_use": client.protocol_version,
            "socket": asdict(client.socket_config),
            "malformed_frames": client.malformed,
        },
        "host_interface": _host_interface(coordinator),
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


def _host_interface(coordinator: VitreaCoordinator) -> dict[str, Any] | None:
    """The host interface's connection, where the entry uses it."""
    link = coordinator.host_link
    if link is None:
        return None
    client = link.client
    return {
        "port": client.port,
        "state": client.state,
        "connected": client.connected,
        "last_error": None if client.last_error is None else str(client.last_error),
        "firmware": coordinator.firmware,
        "supports_leds": link.supports_leds,
        "malformed_messages": client.malformed,
    }
