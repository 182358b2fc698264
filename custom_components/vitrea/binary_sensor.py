"""Binary sensors: whether the vBox is connected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.const import EntityCategory
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .entity import device_link

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator

PARALLEL_UPDATES = 0  # read-only


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the hub's connectivity sensor."""
    async_add_entities([VitreaConnectivity(entry.runtime_data)])


class VitreaConnectivity(CoordinatorEntity["VitreaCoordinator"], BinarySensorEntity):
    """On while the vBox connection is up; stays available to show it is down."""

    _attr_has_entity_name = True
    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: VitreaCoordinator) -> None:
        """Attach to the hub device."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.hub_id}_connectivity"
        self._attr_device_info = device_link(coordinator.hub_id)

    @property
    def available(self) -> bool:
        """Always: this entity reports the connection, so it must outlive it."""
        return True

    @property
    def is_on(self) -> bool:
        """Connected and up to date."""
        return self.coordinator.last_update_success and self.coordinator.house.connected
