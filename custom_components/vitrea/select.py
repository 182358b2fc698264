"""Selects: each node's keypad backlight level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory

from .entity import VitreaNodeSettingEntity, vitrea_action
from .platform import async_setup_node_settings
from .vbox import LEDBackgroundBrightness

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry
    from .vbox import Node

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight


@dataclass(frozen=True, kw_only=True)
class VitreaNodeSelectDescription(SelectEntityDescription):
    """A node setting with one of a few values."""

    value_fn: Callable[[Node], str | None]
    select_fn: Callable[[Node, str], Awaitable[None]]


def _backlight(node: Node) -> str | None:
    level = node.led_level
    if level is None or level not in LEDBackgroundBrightness:
        return None
    return LEDBackgroundBrightness(level).name.lower()


NODE_SELECTS = (
    VitreaNodeSelectDescription(
        key="backlight",
        translation_key="backlight",
        entity_category=EntityCategory.CONFIG,
        options=[level.name.lower() for level in LEDBackgroundBrightness],
        value_fn=_backlight,
        select_fn=lambda node, option: node.set_backlight(LEDBackgroundBrightness[option.upper()]),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects of every node."""
    async_setup_node_settings(
        entry,
        async_add_entities,
        lambda coordinator, node: [
            VitreaNodeSelect(coordinator, node, description) for description in NODE_SELECTS
        ],
        NODE_SELECTS,
    )


class VitreaNodeSelect(VitreaNodeSettingEntity, SelectEntity):
    """A node setting with one of a few values, e.g. the keypad's backlight level."""

    entity_description: VitreaNodeSelectDescription

    @property
    def current_option(self) -> str | None:
        """The value the vBox last reported or was set to."""
        return self.entity_description.value_fn(self.node)

    @vitrea_action
    async def async_select_option(self, option: str) -> None:
        """Set the value."""
        await self.entity_description.select_fn(self.node, option)
