"""Events: presses of push-button and satellite keys, each one line in the logbook.

A short or a long press is an event; the release is not (the logbook would write it as a
line of its own, telling nothing new). Automations have all three, as device triggers and
the bus event of ``presses.py``. Why: ``docs/presses.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

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


PRESSES: Final = (Press.SHORT, Press.LONG)
"""The presses the event entities show: a release is left to automations."""


class VitreaKeyPressEvent(VitreaKeyEntity, EventEntity):
    """Fires ``short_press`` or ``long_press`` when the key is pressed."""

    _attr_device_class = EventDeviceClass.BUTTON
    _attr_event_types = [press.value for press in PRESSES]  # noqa: RUF012 - read-only
    _attr_translation_key = "key_press"

    async def async_added_to_hass(self) -> None:
        """Follow the key's presses."""
        await super().async_added_to_hass()
        self.async_on_remove(self.key.on_press(self._handle_press))

    @callback
    def _handle_press(self, press: Press) -> None:
        if press in PRESSES:
            self._trigger_event(press.value)
            self.async_write_ha_state()
