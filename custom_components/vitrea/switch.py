"""Switches: toggle, dual-pole and boiler keys, and each node's keypad lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import (
    SwitchDeviceClass,
    SwitchEntity,
    SwitchEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_platform

from .compat import vol
from .entity import VitreaKeyEntity, VitreaNodeSettingEntity, vitrea_action
from .platform import async_setup_key_platform, async_setup_node_platform
from .vbox import KeyKind

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry
    from .vbox import Node

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight

SERVICE_TURN_ON_FOR = "turn_on_for"
ATTR_DURATION = "duration"
MAX_DURATION = timedelta(seconds=0xFFFF)
"""ToggleKeyStatus carries the timer in 16 bits (seconds)."""
FEATURE_TIMER = 1
"""Supported-feature flag of the switches that take ``turn_on_for`` (boilers)."""


@dataclass(frozen=True, kw_only=True)
class VitreaNodeSwitchDescription(SwitchEntityDescription):
    """A node setting that is on or off."""

    value_fn: Callable[[Node], bool | None]
    set_fn: Callable[[Node, bool], Awaitable[None]]


NODE_SWITCHES = (
    VitreaNodeSwitchDescription(
        key="keypad_lock",
        translation_key="keypad_lock",
        entity_category=EntityCategory.CONFIG,
        value_fn=lambda node: node.is_locked,
        set_fn=lambda node, on: node.set_locked(on),
    ),
)


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
        entry,
        async_add_entities,
        lambda coordinator, node: [
            VitreaNodeSwitch(coordinator, node, description) for description in NODE_SWITCHES
        ],
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
        return self.key.is_on

    @vitrea_action
    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch on."""
        await self.key.turn_on()

    @vitrea_action
    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch off."""
        await self.key.turn_off()


class VitreaBoilerSwitch(VitreaSwitch):
    """A boiler key; it can also be switched on for a given time (``vitrea.turn_on_for``)."""

    _attr_translation_key = "boiler"
    _attr_supported_features = FEATURE_TIMER

    @vitrea_action
    async def async_turn_on_for(self, duration: timedelta) -> None:
        """Switch on; the vBox switches the boiler off again after ``duration``."""
        await self.key.turn_on(timer=round(duration.total_seconds()))


class VitreaNodeSwitch(VitreaNodeSettingEntity, SwitchEntity):
    """A node setting that is on or off, e.g. the keypad lock (presses at the wall do nothing)."""

    entity_description: VitreaNodeSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The setting's value; unknown until the vBox reports it."""
        return self.entity_description.value_fn(self.node)

    @vitrea_action
    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch the setting on."""
        await self.entity_description.set_fn(self.node, True)  # noqa: FBT003

    @vitrea_action
    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Switch the setting off."""
        await self.entity_description.set_fn(self.node, False)  # noqa: FBT003
