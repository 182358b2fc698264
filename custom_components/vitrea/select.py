"""Selects: each node's keypad backlight level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.select import SelectEntity
from homeassistant.const import EntityCategory

from .entity import VitreaNodeEntity
from .platform import async_setup_node_platform
from .vbox import LEDBackgroundBrightness

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .models import NodeInfo

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a backlight select per node."""
    async_setup_node_platform(
        entry, async_add_entities, lambda coordinator, node: [VitreaBacklight(coordinator, node)]
    )


class VitreaBacklight(VitreaNodeEntity, SelectEntity):
    """The keypad's backlight level: off, low, normal, high or max."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "backlight"
    _attr_options = [level.name.lower() for level in LEDBackgroundBrightness]  # noqa: RUF012

    def __init__(self, coordinator: VitreaCoordinator, node: NodeInfo) -> None:
        """One per node."""
        super().__init__(coordinator, node)
        self._attr_unique_id = f"{node.identifier}_backlight"

    @property
    def current_option(self) -> str | None:
        """The level the vBox last reported or was set to."""
        state = self.coordinator.data.nodes.get(self.node.node_id)
        if state is None or state.led_level not in LEDBackgroundBrightness:
            return None
        return LEDBackgroundBrightness(state.led_level).name.lower()

    async def async_select_option(self, option: str) -> None:
        """Set the backlight level."""
        await self.coordinator.async_set_node(
            self.node.node_id, led_level=LEDBackgroundBrightness[option.upper()]
        )
