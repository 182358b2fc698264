"""Binary sensors: whether the vBox can be reached."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.const import EntityCategory

from .entity import EITHER_INTERFACE, VitreaHubEntity
from .vbox import Interface

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator

PARALLEL_UPDATES = 0  # read-only

ATTRIBUTES = {Interface.VTU: "app_interface", Interface.HOST: "host_interface"}
"""The attribute that tells an interface's state."""


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the hub's connectivity sensor."""
    async_add_entities([VitreaConnectivity(entry.runtime_data)])


class VitreaConnectivity(VitreaHubEntity, BinarySensorEntity):
    """On while the vBox can be reached over one of its interfaces.

    Stays available to show it is down; each interface's state is an attribute.
    """

    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_translation_key = "connectivity"

    def __init__(self, coordinator: VitreaCoordinator) -> None:
        """Attach to the hub device."""
        super().__init__(coordinator, "connectivity")

    @property
    def available(self) -> bool:
        """Always: this entity reports the connection, so it must outlive it."""
        return True

    @property
    def is_on(self) -> bool:
        """An interface of the vBox is up."""
        return self.coordinator.serves(EITHER_INTERFACE)

    @property
    def extra_state_attributes(self) -> dict[str, str]:
        """Each interface the entry uses, and its state."""
        return {
            ATTRIBUTES[interface]: state.value
            for interface, state in self.coordinator.house.interfaces.items()
        }
