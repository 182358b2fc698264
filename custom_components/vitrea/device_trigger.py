"""Device triggers: a short press, a long press or a release of a node's button key.

The automation editor offers them on the node's device, three per push-button or satellite
key, each naming the key by its event entity. They listen to the bus event of
``presses.py``, so each press at the wall runs an automation once, and nothing else does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.device_automation import (
    DEVICE_TRIGGER_BASE_SCHEMA,
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_ENTITY_ID,
    CONF_EVENT,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er

from .compat import vol
from .const import DOMAIN
from .devices import key_id_of
from .presses import EVENT_KEY_PRESS
from .vbox import Press

if TYPE_CHECKING:
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant
    from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
    from homeassistant.helpers.typing import ConfigType

TRIGGER_TYPES = [press.value for press in Press]

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
        vol.Required(CONF_ENTITY_ID): cv.entity_id_or_uuid,
    }
)


async def async_validate_trigger_config(hass: HomeAssistant, config: ConfigType) -> ConfigType:  # noqa: ARG001 - the signature Home Assistant calls
    """Check the trigger's form; the key is looked up when the trigger is attached."""
    validated: ConfigType = TRIGGER_SCHEMA(config)
    return validated


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """Three triggers for each button key of the device: one per kind of press."""
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_ENTITY_ID: entry.id,
            CONF_TYPE: press_type,
        }
        for entry in er.async_entries_for_device(er.async_get(hass), device_id)
        if entry.platform == DOMAIN and entry.domain == "event"
        for press_type in TRIGGER_TYPES
    ]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Run ``action`` on each press of that kind of the trigger's key.

    Raises:
        InvalidDeviceAutomationConfig: the key's event entity is gone.

    """
    entry = er.async_get(hass).async_get(config[CONF_ENTITY_ID])
    if entry is None or entry.platform != DOMAIN:
        raise InvalidDeviceAutomationConfig(
            translation_domain=DOMAIN,
            translation_key="unknown_key_entity",
            translation_placeholders={"entity_id": config[CONF_ENTITY_ID]},
        )
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            event_trigger.CONF_PLATFORM: CONF_EVENT,
            event_trigger.CONF_EVENT_TYPE: EVENT_KEY_PRESS,
            event_trigger.CONF_EVENT_DATA: {
                CONF_DEVICE_ID: config[CONF_DEVICE_ID],
                "key_id": key_id_of(entry.unique_id),
                "type": config[CONF_TYPE],
            },
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
