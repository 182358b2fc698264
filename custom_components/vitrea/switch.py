"""Switches: toggle, dual-pole and boiler keys, and each node's keypad lock."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchDeviceClass, SwitchEntity
from homeassistant.const import EntityCategory
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_platform

from .compat import vol
from .entity import VitreaKeyEntity, VitreaNodeEntity
from .models import KeyKind
from .platform import async_setup_key_platform, async_setup_node_platform

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .models import NodeInfo

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight

SERVICE_TURN_ON_FOR = "turn_on_for"
ATTR_DURATION = "duration"
MAX_DURATION = timedelta(seconds=0xFFFF)
"""ToggleKeyStatus carries the timer in 16 bits (seconds)."""
FEATURE_TIMER = 1
"""Supported-feature flag of the switches that take ``turn_on_for`` (boilers)."""


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch per switchable key and a keypad-lock switch per node."""
    async_setup_key_platform(
        entry,
        async_add_entities,
        {KeyKind.SWITCH: VitreaSwitch, KeyKind.BOILER: VitreaBoilerSwitch},
    )
    async_setup_node_platform(
        entry, async_add_entities, lambda coordinator, node: [VitreaKeypadLock(coordinator, node)]
    )
    entity_platform.async_get_current_platform().async_register_entity_service(
        SERVICE_TURN_ON_FOR,
        {
            vol.Required(ATTR_DURATION): vol.All(
                cv.time_period, vol.Range(min=timedelta(seconds=1), max=MAX_DURATION)
            )
        },
        "async_turn_on_for",
        [FEATURE_TIMER],
    )


class VitreaSwitch(VitreaKeyEntity, SwitchEntity):
    """A key that switches a load on and off."""

    _attr_device_class = SwitchDeviceClass.SWITCH

    @property
    def is_on(self) -> bool | None:
        """Whether the key is on; unknown until the vBox reports it."""
        return self.key_state.is_on

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch on."""
        await self.coordinator.async_set_key(self.key, on=True)

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch off."""
        await self.coordinator.async_set_key(self.key, on=False)


class VitreaBoilerSwitch(VitreaSwitch):
    """A boiler key; it can also be switched on for a given time (``vitrea.turn_on_for``)."""

    _attr_translation_key = "boiler"
    _attr_supported_features = FEATURE_TIMER

    async def async_turn_on_for(self, duration: timedelta) -> None:
        """Switch on; the vBox switches the boiler off again after ``duration``."""
        seconds = round(duration.total_seconds())
        await self.coordinator.async_set_key(self.key, on=True, timer=seconds)


class VitreaKeypadLock(VitreaNodeEntity, SwitchEntity):
    """Locks a node's keypad so presses at the wall do nothing."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_translation_key = "keypad_lock"

    def __init__(self, coordinator: VitreaCoordinator, node: NodeInfo) -> None:
        """One per node."""
        super().__init__(coordinator, node)
        self._attr_unique_id = f"{node.identifier}_keypad_lock"

    @property
    def is_on(self) -> bool | None:
        """Whether the keypad is locked."""
        state = self.coordinator.data.nodes.get(self.node.node_id)
        return None if state is None else state.is_locked

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Lock the keypad."""
        await self.coordinator.async_set_node(self.node.node_id, locked=True)

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Unlock the keypad."""
        await self.coordinator.async_set_node(self.node.node_id, locked=False)
