"""Logbook lines for presses at the wall: "<key> Short press", in the server's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN
from .presses import EVENT_KEY_PRESS

if TYPE_CHECKING:
    from collections.abc import Callable

PRESS_NAMES = f"component.{DOMAIN}.entity.event.key_press.state_attributes.event_type.state"
"""Where the names of the presses are translated: the event entity's event types."""


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe :data:`~.presses.EVENT_KEY_PRESS`."""

    @callback
    def describe(event: Event) -> dict[str, str]:
        data = event.data
        entity_id = data.get("entity_id")
        state = hass.states.get(entity_id) if entity_id else None
        names = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)
        description = {
            LOGBOOK_ENTRY_NAME: state.name if state else data["name"],
            LOGBOOK_ENTRY_MESSAGE: names.get(f"{PRESS_NAMES}.{data['type']}", data["type"]),
        }
        if entity_id:
            description[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
        return description

    async_describe_event(DOMAIN, EVENT_KEY_PRESS, describe)
