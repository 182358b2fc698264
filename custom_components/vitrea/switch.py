"""Switches: toggle, dual-pole and boiler keys, each node's keypad lock, and LED indicators.

The LED of a push button or satellite key is a switch where the vBox takes LED commands
(its host interface, firmware 9 or later). The vBox never reports an LED, so the switch
shows the state it was last switched to, from here, kept across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.components.switch import (
    SwitchDeviceClass,
    SwitchEntity,
    SwitchEntityDescription,
)
from homeassistant.const import STATE_OFF, STATE_ON, EntityCategory
from homeassistant.helpers.restore_state import RestoreEntity

from .devices import key_unique_id
from .entity import (
    HOST_INTERFACE,
    VitreaNodeEntity,
    VitreaNodeSettingEntity,
    async_remove_stale_entities,
    vitrea_action,
)
from .platform import async_setup_key_platform, async_setup_node_settings
from .services import VitreaTimedKeyEntity
from .vbox import KeyKind

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .platform import KeyEntityFactory
    from .vbox import Key, Node

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight


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


def led_unique_id(box_id: str, node_id: int, key_id: int) -> str:
    """An LED switch's unique ID: its key's, ``_led`` added."""
    return f"{key_unique_id(box_id, node_id, key_id)}_led"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch per switchable key and LED, and a keypad-lock switch per node."""
    factories: dict[KeyKind, KeyEntityFactory] = {
        KeyKind.SWITCH: VitreaSwitch,
        KeyKind.BOILER: VitreaBoilerSwitch,
    }
    house = entry.runtime_data.house
    leds: set[str] = set()
    if house.link.supports_leds:
        factories[KeyKind.BUTTON] = VitreaLedSwitch
        leds = {
            led_unique_id(entry.runtime_data.box_id, node.node_id, key.key_id)
            for node in house.nodes.values()
            for key in node.keys.values()
            if key.kind is KeyKind.BUTTON
        }
    async_remove_stale_entities(
        hass, entry, SWITCH_DOMAIN, leds, owned=lambda unique_id: unique_id.endswith("_led")
    )
    async_setup_key_platform(entry, async_add_entities, factories)
    async_setup_node_settings(
        entry,
        async_add_entities,
        lambda coordinator, node: [
            VitreaNodeSwitch(coordinator, node, description) for description in NODE_SWITCHES
        ],
        NODE_SWITCHES,
    )


class VitreaSwitch(VitreaTimedKeyEntity, SwitchEntity):
    """A key that switches a load on and off, also for a while (``vitrea.turn_on_for``)."""

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
    """A boiler key."""

    _attr_translation_key = "boiler"


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


class VitreaLedSwitch(VitreaNodeEntity, SwitchEntity, RestoreEntity):
    """The LED indicator of a push button or satellite key: "<key> LED".

    Its state is assumed: the one it was last switched to, restored after a restart.
    """

    _attr_assumed_state = True
    _attr_entity_category = EntityCategory.CONFIG
    interfaces = HOST_INTERFACE

    def __init__(self, coordinator: VitreaCoordinator, key: Key) -> None:
        """On the key's node device, named after the key."""
        super().__init__(coordinator, coordinator.house.nodes[key.node_id])
        self.key = key
        self._attr_unique_id = led_unique_id(coordinator.box_id, key.node_id, key.key_id)
        self._attr_translation_key = "led" if key.name else "unnamed_key_led"
        self._attr_translation_placeholders = {"key": key.name or str(key.key_id + 1)}

    async def async_added_to_hass(self) -> None:
        """Take the last state back (the vBox never tells it), and follow the key's."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if self.key.led_on is None and last is not None and last.state in (STATE_ON, STATE_OFF):
            self.key.led_on = last.state == STATE_ON
        self.async_on_remove(self.key.on_change(self.async_write_ha_state))

    @property
    def is_on(self) -> bool | None:
        """As last switched; unknown until then."""
        return self.key.led_on

    @vitrea_action
    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Light the LED."""
        await self.key.set_led(True)

    @vitrea_action
    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Put the LED out."""
        await self.key.set_led(False)
