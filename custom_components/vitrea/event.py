"""Events: presses of push-button and satellite keys, for automations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.event import EventDeviceClass, EventEntity
from homeassistant.core import callback

from .entity import VitreaKeyEntity
from .platform import async_setup_key_platform
from .vbox import KeyKind, Press

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry

PARALLEL_UPDATES = 0  # read-only


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an event entity for every push-button and satellite key."""
    async_setup_key_platform(entry, async_add_entities, {KeyKind.BUTTON: VitreaKeyPressEvent})


class VitreaKeyPressEvent(VitreaKeyEntity, EventEntity):
    """Fires ``short_press``, ``long_press`` and ``release`` when the key is pressed."""

    _attr_device_class = EventDeviceClass.BUTTON
    _attr_event_types = [press.value for press in Press]  # noqa: RUF012 - read-only
    _attr_translation_key = "key_press"

    async def async_added_to_hass(self) -> None:
        """Follow the key's presses."""
        await super().async_added_to_hass()
        self.async_on_remove(self.key.on_press(self._handle_press))

    @callback
    def _handle_press(self, press: Press) -> None:
        self._trigger_event(press.value)
        self.async_write_ha_state()
