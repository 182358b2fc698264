"""Base entities: on the vBox hub's device, a wall unit's, or a key's (see ``devices.py``).

Entities follow the library's objects: a key entity its :class:`Key`, a node setting its
:class:`Node`; a hub entity (connectivity, scenarios) is of the vBox itself. Actions go to
those objects; a failure becomes a translated Home Assistant error in one place,
:func:`vitrea_action`.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, cast

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import VitreaCoordinator
from .devices import has_key_device, key_unique_id, node_identifier
from .vbox import (
    AckType,
    CommandRejectedError,
    HostCommandError,
    Interface,
    Key,
    Node,
    NotSupportedError,
    VitreaError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Coroutine

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.helpers.entity import EntityDescription


def device_link(identifier: str) -> DeviceInfo:
    """The device an entity belongs to, registered beforehand (see ``devices.py``)."""
    return DeviceInfo(identifiers={(DOMAIN, identifier)})


def vitrea_action[A: Callable[..., Coroutine[Any, Any, None]]](action: A) -> A:
    """Turn the library's errors of an entity action into translated Home Assistant errors."""

    @wraps(action)
    async def act(*args: Any, **kwargs: Any) -> None:
        try:
            await action(*args, **kwargs)
        except CommandRejectedError as err:
            reason = err.ack_type
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_rejected",
                translation_placeholders={
                    "reason": reason.name.lower() if isinstance(reason, AckType) else str(reason)
                },
            ) from err
        except HostCommandError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_rejected",
                translation_placeholders={"reason": err.text or f"error {err.code}"},
            ) from err
        except NotSupportedError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="not_supported",
                translation_placeholders={"error": str(err)},
            ) from err
        except VitreaError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err

    return cast("A", act)


@callback
def async_remove_stale_entities(
    hass: HomeAssistant,
    entry: ConfigEntry,
    domain: str,
    kept: Collection[str | None],
    *,
    owned: Callable[[str], bool] = lambda _: True,
) -> None:
    """Forget the entry's entities of ``domain`` that it no longer makes, but ``kept``.

    Those ``owned`` says (by unique ID): a scenario gone from the vBox, the LEDs of an entry
    that left the host interface out.
    """
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.domain == domain and owned(entity.unique_id) and entity.unique_id not in kept:
            registry.async_remove(entity.entity_id)


EITHER_INTERFACE = frozenset(Interface)
"""What serves keys: either interface."""
HOST_INTERFACE = frozenset({Interface.HOST})
"""What serves air conditioners, scenarios and LEDs."""
VTU_INTERFACE = frozenset({Interface.VTU})
"""What serves a node's keypad lock and backlight."""


class VitreaHubEntity(CoordinatorEntity[VitreaCoordinator]):
    """An entity of the vBox itself, on the hub device; its unique ID is the hub's and ``key``."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: VitreaCoordinator, key: str) -> None:
        """Attach the entity to the hub device."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.hub_id}_{key}"
        self._attr_device_info = device_link(coordinator.hub_id)


class VitreaNodeEntity(CoordinatorEntity[VitreaCoordinator]):
    """An entity of one node; unavailable while the vBox is, or once the node is gone."""

    _attr_has_entity_name = True
    interfaces: ClassVar[frozenset[Interface]] = EITHER_INTERFACE
    """The interfaces that serve the entity: it is available while one of them is up."""

    def __init__(self, coordinator: VitreaCoordinator, node: Node) -> None:
        """Attach the entity to the node's device."""
        super().__init__(coordinator)
        self.node = node
        self._attr_device_info = device_link(node_identifier(coordinator.box_id, node.node_id))

    @property
    def available(self) -> bool:
        """An interface that serves it is up, and the vBox still has this node."""
        return (
            super().available
            and self.coordinator.serves(self.interfaces)
            and self.coordinator.house.nodes.get(self.node.node_id) is self.node
        )


class VitreaNodeSettingEntity(VitreaNodeEntity):
    """A setting of a node (keypad lock, backlight), as its entity description says."""

    interfaces = VTU_INTERFACE

    def __init__(
        self, coordinator: VitreaCoordinator, node: Node, description: EntityDescription
    ) -> None:
        """One per node and setting."""
        super().__init__(coordinator, node)
        self.entity_description = description
        identifier = node_identifier(coordinator.box_id, node.node_id)
        self._attr_unique_id = f"{identifier}_{description.key}"

    async def async_added_to_hass(self) -> None:
        """Follow the node's settings."""
        await super().async_added_to_hass()
        self.async_on_remove(self.node.on_change(self.async_write_ha_state))


class VitreaKeyEntity(VitreaNodeEntity):
    """An entity of one key, named as the vBox names the key.

    A key with a device of its own (``devices.has_key_device``) is that device's main
    entity: it takes the device's name, the key's. A button's stays on its wall unit, named
    after the key. An entity with :attr:`describes_key` false (a key's timer, say) is on
    the key's device too, named by its translation key.
    """

    describes_key: ClassVar[bool] = True
    """The entity is the key itself, named as the key; else a subclass sets its unique ID."""

    def __init__(self, coordinator: VitreaCoordinator, key: Key) -> None:
        """Link the entity to its device; its unique ID is the key's (see ``devices.py``)."""
        super().__init__(coordinator, coordinator.house.nodes[key.node_id])
        self.key = key
        self._attr_unique_id = key_unique_id(coordinator.box_id, key.node_id, key.key_id)
        if has_key_device(key.kind):
            self._attr_device_info = device_link(self._attr_unique_id)
        if not self.describes_key:
            return  # named by its translation key; its unique ID its own
        if has_key_device(key.kind):
            self._attr_name = None
        elif key.name:
            self._attr_name = key.name
        else:  # "Key 3", in the words of the entity's translation key
            self._attr_translation_placeholders = {"key": str(key.key_id + 1)}

    async def async_added_to_hass(self) -> None:
        """Follow the key's state."""
        await super().async_added_to_hass()
        self.async_on_remove(self.key.on_change(self.async_write_ha_state))
