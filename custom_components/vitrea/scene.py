"""Scenes: the scenarios set up on the vBox (over its host interface).

A scenario the vBox puts in a room is a device of its own there, named as the scenario; one
of the whole house is on the hub (see ``docs/identity.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.scene import DOMAIN as SCENE_DOMAIN
from homeassistant.components.scene import Scene

from .devices import async_register_scenario_devices, scenario_identifier
from .entity import (
    HOST_INTERFACE,
    VitreaHubEntity,
    async_remove_stale_entities,
    device_link,
    vitrea_action,
)
from .vbox import Interface

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
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
    async_register_scenario_devices(hass, entry, coordinator.hub_id, scenarios)
    scenes = [VitreaScene(coordinator, scenario) for scenario in scenarios]
    async_remove_stale_entities(hass, entry, SCENE_DOMAIN, {scene.unique_id for scene in scenes})
    async_add_entities(scenes)


class VitreaScene(VitreaHubEntity, Scene):
    """A scenario of the vBox, named as the vBox names it: its room's device's, or the hub's."""

    def __init__(self, coordinator: VitreaCoordinator, scenario: Scenario) -> None:
        """Attach to the scenario's device where it is in a room, else the hub's."""
        super().__init__(coordinator, f"scenario{scenario.scenario_id}")
        self.scenario = scenario
        if scenario.room:
            identifier = scenario_identifier(coordinator.hub_id, scenario.scenario_id)
            self._attr_device_info = device_link(identifier)
            self._attr_name = None  # the device's: the scenario's
        elif scenario.name:
            self._attr_name = scenario.name
        else:  # "Scenario 3", translated
            self._attr_translation_key = "scenario"
            self._attr_translation_placeholders = {"scenario": str(scenario.scenario_id)}

    @property
    def available(self) -> bool:
        """The host interface, which runs scenarios, is up."""
        return super().available and self.coordinator.serves(HOST_INTERFACE)

    @vitrea_action
    async def async_activate(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Run the scenario."""
        await self.scenario.activate()
