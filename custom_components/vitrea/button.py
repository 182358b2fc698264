"""Buttons: toggle-scene keys, which run the scene set up on the vBox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.button import ButtonEntity

from .entity import VitreaKeyEntity, vitrea_action
from .platform import async_setup_key_platform
from .vbox import KeyKind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a button for every toggle-scene key."""
    async_setup_key_platform(entry, async_add_entities, {KeyKind.SCENE: VitreaSceneButton})


class VitreaSceneButton(VitreaKeyEntity, ButtonEntity):
    """Runs a scene key, as a press at the wall does."""

    _attr_translation_key = "scene"

    @vitrea_action
    async def async_press(self) -> None:
        """Activate the scene."""
        await self.key.turn_on()
