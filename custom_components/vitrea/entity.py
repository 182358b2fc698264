"""Base entities: one device per vBox node, under the vBox hub device."""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import VitreaCoordinator
from .models import KeyInfo, KeyState, NodeInfo


def device_link(identifier: str) -> DeviceInfo:
    """The device an entity belongs to, registered beforehand (see ``devices.py``)."""
    return DeviceInfo(identifiers={(DOMAIN, identifier)})


class VitreaNodeEntity(CoordinatorEntity[VitreaCoordinator]):
    """An entity of one node; unavailable while the vBox is, or once the node is gone."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: VitreaCoordinator, node: NodeInfo) -> None:
        """Attach the entity to the node's device."""
        super().__init__(coordinator)
        self.node = node
        self._attr_device_info = device_link(node.identifier)

    @property
    def available(self) -> bool:
        """The vBox is connected and still has this node."""
        return super().available and self.node.node_id in self.coordinator.data.topology.nodes


class VitreaKeyEntity(VitreaNodeEntity):
    """An entity of one key, named as the vBox names the key."""

    def __init__(self, coordinator: VitreaCoordinator, key: KeyInfo) -> None:
        """Name the entity after the key and derive its unique ID from the node's EUI-64."""
        super().__init__(coordinator, coordinator.data.topology.nodes[key.node_id])
        self.key = key
        self._attr_unique_id = f"{self.node.identifier}_{key.key_id}"
        if key.name:
            self._attr_name = key.name
        else:  # "Key 3", translated; kinds with a translation key of their own name it there
            self._attr_translation_key = (
                getattr(self, "_attr_translation_key", None) or "unnamed_key"
            )
            self._attr_translation_placeholders = {"key": str(key.key_id + 1)}

    @property
    def key_state(self) -> KeyState:
        """The key's last known state."""
        return self.coordinator.data.keys.get((self.key.node_id, self.key.key_id), KeyState())

    async def async_added_to_hass(self) -> None:
        """Follow the key's pushed states."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_key_listener(self.key, self._handle_key_update)
        )

    @callback
    def _handle_key_update(self) -> None:
        self.async_write_ha_state()
