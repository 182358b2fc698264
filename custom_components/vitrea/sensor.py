"""Sensors: when a key switched on for a while turns off ("Turns off at").

One timestamp sensor per key the vBox can switch off by a timer (``Key.takes_timer``: on/off
lights, switches, boilers), on the key's device: the end the vBox reports (the host
interface's minutes left) or, where it reports none (VTU), the end of the timer set from
here; ``None`` (unknown) while no timer runs. Enabled by default for boilers and switches;
an on/off light's is there to enable.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity

from .entity import VitreaKeyEntity
from .platform import async_setup_key_platform
from .vbox import KeyKind

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .vbox import Key

PARALLEL_UPDATES = 0  # pushed; nothing to poll


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a "Turns off at" sensor for every key the vBox can time."""
    async_setup_key_platform(
        entry,
        async_add_entities,
        dict.fromkeys((KeyKind.LIGHT, KeyKind.SWITCH, KeyKind.BOILER), VitreaTimerEndSensor),
    )


class VitreaTimerEndSensor(VitreaKeyEntity, SensorEntity):
    """When the vBox will switch the key off by a timer; unknown while none runs."""

    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_translation_key = "timer_end"
    describes_key = False

    def __init__(self, coordinator: VitreaCoordinator, key: Key) -> None:
        """On the key's device, named by its translation key."""
        super().__init__(coordinator, key)
        with contextlib.suppress(AttributeError):  # not the key's name: the translation key's
            del self._attr_name
        self._attr_unique_id = f"{self._attr_unique_id}_timer_end"
        self._attr_entity_registry_enabled_default = key.kind is not KeyKind.LIGHT

    @property
    def native_value(self) -> datetime | None:
        """The key's timer end, as last reported or set."""
        return self.key.timer_ends
