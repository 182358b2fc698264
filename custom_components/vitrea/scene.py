"""Scenes: the scenarios set up on the vBox (over its host interface)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.scene import DOMAIN as SCENE_DOMAIN
from homeassistant.components.scene import Scene
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import VitreaCoordinator
from .entity import HOST_INTERFACE, async_remove_stale_entities, device_link, vitrea_action
from .vbox import Interface

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry
    from .vbox import Scenario

PARALLEL_UPDATES = 1  # one host connection, one command in flight


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a scene for every scenario of the vBox."""
    coordinator = entry.runtime_data
    # A topology kept from the entry's host-interface days may still list scenarios.
    house = coordinator.house
    scenarios = house.scenarios.values() if Interface.HOST in house.interfaces else ()
    scenes = [VitreaScene(coordinator, scenario) for scenario in scenarios]
    async_remove_stale_entities(hass, entry, SCENE_DOMAIN, {scene.unique_id for scene in scenes})
    async_add_entities(scenes)


class VitreaScene(CoordinatorEntity[VitreaCoordinator], Scene):
    """A scenario of the vBox, on the hub device, named as the vBox names it."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: VitreaCoordinator, scenario: Scenario) -> None:
        """Attach to the hub device."""
        super().__init__(coordinator)
        self.scenario = scenario
        self._attr_unique_id = f"{coordinator.hub_id}_scenario{scenario.scenario_id}"
        self._attr_device_info = device_link(coordinator.hub_id)
        if scenario.name:
            self._attr_name = scenario.name
        else:  # "Scenario 3", translated
            self._attr_translation_key = "scenario"
            self._attr_translation_placeholders = {"scenario": str(scenario.scenario_id)}

    @property
    def available(self) -> bool:
        """The host interface, which runs scenarios, is up."""
        return self.coordinator.serves(HOST_INTERFACE)

    @vitrea_action
    async def async_activate(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Run the scenario."""
        await self.scenario.activate()
