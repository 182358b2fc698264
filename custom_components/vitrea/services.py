"""The integration's action, ``vitrea.turn_on_for``: a switch on for a while, then off.

An entity service of the switch platform. Registered once in ``async_setup`` where the
release has ``service.async_register_platform_entity_service`` (Home Assistant's rule
action-setup), else by the switch platform as each entry sets it up (2025.4).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.core import callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import service

from .compat import vol
from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import EntityPlatform

SERVICE_TURN_ON_FOR = "turn_on_for"
ATTR_DURATION = "duration"
MAX_DURATION = timedelta(seconds=0xFFFF)
"""ToggleKeyStatus carries the timer in 16 bits (seconds)."""
FEATURE_TIMER = 1
"""Supported-feature flag of the switches that take ``turn_on_for`` (boilers)."""
TURN_ON_FOR_SCHEMA: dict[Any, Any] = {
    vol.Required(ATTR_DURATION): vol.All(
        cv.time_period, vol.Range(min=timedelta(seconds=1), max=MAX_DURATION)
    )
}
_REGISTER_IN_SETUP = getattr(service, "async_register_platform_entity_service", None)
"""How the release registers a platform entity service in ``async_setup`` (2026), if it can."""


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the action for every entry to come, where the release can."""
    if _REGISTER_IN_SETUP is not None:
        _REGISTER_IN_SETUP(
            hass,
            DOMAIN,
            SERVICE_TURN_ON_FOR,
            entity_domain=SWITCH_DOMAIN,
            schema=TURN_ON_FOR_SCHEMA,
            func="async_turn_on_for",
            required_features=[FEATURE_TIMER],
        )


@callback
def async_register_on_platform(platform: EntityPlatform) -> None:
    """Register the action with an entry's switch platform, where ``async_setup`` cannot."""
    if _REGISTER_IN_SETUP is None:
        platform.async_register_entity_service(
            SERVICE_TURN_ON_FOR, TURN_ON_FOR_SCHEMA, "async_turn_on_for", [FEATURE_TIMER]
        )
