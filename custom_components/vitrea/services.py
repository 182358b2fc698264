"""The integration's action, ``vitrea.turn_on_for``: a key on for a while, then off.

It reaches the switches and lights of keys the vBox can switch off by a timer (on/off keys:
switches, boilers, on/off lights; ``Key.takes_timer``), registered in ``async_setup`` for
both entity domains at once. A Vitrea entity named explicitly that the vBox cannot time (a
dimmer, an LED, a keypad lock) and a duration longer than the interface in use takes are
refused with translated errors (the limits: README, "Switching on for a while").
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import service
from homeassistant.util.hass_dict import HassKey

from .compat import vol
from .const import DOMAIN
from .entity import VitreaKeyEntity, vitrea_action
from .vbox import TimerTooLongError

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant, ServiceCall
    from homeassistant.helpers.entity import Entity

SERVICE_TURN_ON_FOR = "turn_on_for"
ATTR_DURATION = "duration"
MAX_DURATION = timedelta(seconds=0xFFFF)
"""The longest timer of any interface: VTU's 16 bits of seconds (the host interface's is
two hours)."""
TURN_ON_FOR_SCHEMA = cv.make_entity_service_schema(
    {
        vol.Required(ATTR_DURATION): vol.All(
            cv.time_period, vol.Range(min=timedelta(seconds=1), max=MAX_DURATION)
        )
    }
)
TARGETS: HassKey[dict[str, VitreaTimedKeyEntity]] = HassKey(f"{DOMAIN}_{SERVICE_TURN_ON_FOR}")
"""The switches and lights of keys, by entity ID, as they are added."""


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the action for every entry to come."""
    hass.data.setdefault(TARGETS, {})
    hass.services.async_register(
        DOMAIN, SERVICE_TURN_ON_FOR, partial(_async_turn_on_for, hass), TURN_ON_FOR_SCHEMA
    )


async def _async_turn_on_for(hass: HomeAssistant, call: ServiceCall) -> None:
    """Each timable key targeted; an error for a Vitrea entity named that is not one."""
    targets = hass.data.setdefault(TARGETS, {})
    timable: dict[str, Entity] = {
        entity_id: entity for entity_id, entity in targets.items() if entity.key.takes_timer
    }
    named = call.data.get(ATTR_ENTITY_ID)
    registry = er.async_get(hass)
    for entity_id in named if isinstance(named, list) else []:
        entry = registry.async_get(entity_id)
        if entity_id not in timable and entry is not None and entry.platform == DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="timer_not_supported",
                translation_placeholders={"entity_id": entity_id},
            )
    await service.entity_service_call(hass, timable, "async_turn_on_for", call)


class VitreaTimedKeyEntity(VitreaKeyEntity):
    """A key's switch or light, which the action reaches (if the vBox can time its key)."""

    async def async_added_to_hass(self) -> None:
        """Be found by the action."""
        await super().async_added_to_hass()
        targets = self.hass.data.setdefault(TARGETS, {})
        entity_id = self.entity_id
        targets[entity_id] = self

        @callback
        def forget() -> None:
            if targets.get(entity_id) is self:
                del targets[entity_id]

        self.async_on_remove(forget)

    @vitrea_action
    async def async_turn_on_for(self, duration: timedelta) -> None:
        """Switch on; the vBox switches the key off again after ``duration``.

        Over the host interface the duration is rounded up to whole minutes.
        """
        try:
            await self.key.turn_on(timer=math.ceil(duration.total_seconds()))
        except TimerTooLongError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="timer_too_long",
                translation_placeholders={
                    "entity_id": self.entity_id,
                    "maximum": str(timedelta(seconds=err.maximum)),
                },
            ) from err
