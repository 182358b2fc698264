"""Lights: dimmer keys with brightness, and toggle keys wired to a light."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.light import ATTR_BRIGHTNESS, ColorMode, LightEntity
from homeassistant.util.percentage import (
    percentage_to_ranged_value,
    ranged_value_to_percentage,
)

from .entity import vitrea_action
from .platform import async_setup_key_platform
from .services import VitreaTimedKeyEntity
from .vbox import KeyKind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .vbox import Key

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight
BRIGHTNESS_SCALE = (1, 255)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a light for every dimmer key and every toggle key of category light."""
    async_setup_key_platform(
        entry, async_add_entities, {KeyKind.DIMMER: VitreaLight, KeyKind.LIGHT: VitreaLight}
    )


class VitreaLight(VitreaTimedKeyEntity, LightEntity):
    """A light on a Vitrea key; an on/off one also for a while (``vitrea.turn_on_for``)."""

    def __init__(self, coordinator: VitreaCoordinator, key: Key) -> None:
        """Dimmers get brightness; toggles are on/off."""
        super().__init__(coordinator, key)
        mode = ColorMode.BRIGHTNESS if key.kind is KeyKind.DIMMER else ColorMode.ONOFF
        self._attr_color_mode = mode
        self._attr_supported_color_modes = {mode}

    @property
    def is_on(self) -> bool | None:
        """Whether the light is on; unknown until the vBox reports it."""
        return self.key.is_on

    @property
    def brightness(self) -> int | None:
        """Brightness from the dimmer level (0-100 on the vBox)."""
        level = self.key.level
        if self._attr_color_mode is not ColorMode.BRIGHTNESS or not level:
            return None
        return round(percentage_to_ranged_value(BRIGHTNESS_SCALE, level))

    @vitrea_action
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on, at the requested brightness if one is given."""
        level = None
        if ATTR_BRIGHTNESS in kwargs and self._attr_color_mode is ColorMode.BRIGHTNESS:
            level = max(1, ranged_value_to_percentage(BRIGHTNESS_SCALE, kwargs[ATTR_BRIGHTNESS]))
        await self.key.turn_on(level)

    @vitrea_action
    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch off."""
        await self.key.turn_off()
