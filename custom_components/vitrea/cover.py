"""Covers: blind keys, with position."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.cover import (
    ATTR_POSITION,
    CoverDeviceClass,
    CoverEntity,
    CoverEntityFeature,
)

from .entity import VitreaKeyEntity
from .models import KeyKind
from .platform import async_setup_key_platform
from .vbox import requests

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry

PARALLEL_UPDATES = 1  # one TCP connection, one request in flight
FULLY_OPEN = 100


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a cover for every blind key."""
    async_setup_key_platform(entry, async_add_entities, {KeyKind.COVER: VitreaCover})


class VitreaCover(VitreaKeyEntity, CoverEntity):
    """A blind: the vBox level is its position, 0 closed to 100 open."""

    _attr_device_class = CoverDeviceClass.SHUTTER
    _attr_supported_features = (
        CoverEntityFeature.OPEN
        | CoverEntityFeature.CLOSE
        | CoverEntityFeature.STOP
        | CoverEntityFeature.SET_POSITION
    )

    @property
    def current_cover_position(self) -> int | None:
        """The position the vBox last reported."""
        state = self.key_state
        if state.is_on is False:
            return 0
        return state.level

    @property
    def is_closed(self) -> bool | None:
        """Closed when off or at position 0."""
        position = self.current_cover_position
        return None if position is None else position == 0

    async def async_open_cover(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Open fully."""
        await self.coordinator.async_set_key(self.key, on=True, level=FULLY_OPEN)

    async def async_close_cover(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Close fully."""
        await self.coordinator.async_set_key(self.key, on=False)

    async def async_set_cover_position(self, **kwargs: Any) -> None:
        """Move to a position; 0 closes."""
        position: int = kwargs[ATTR_POSITION]
        await self.coordinator.async_set_key(self.key, on=position > 0, level=position)

    async def async_stop_cover(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Stop where the blind is now: read its position, then ask the vBox to hold it.

        The VTU protocol has no stop command (the vBox's ASCII interface has one); asking
        for the position the blind has reached is how a stop is expressed with
        ToggleKeyStatus.
        """
        status = await self.coordinator.async_send(
            requests.KeyStatus(node_id=self.key.node_id, key_id=self.key.key_id)
        )
        position = 0 if status.is_off else status.level
        if position is None:
            return
        await self.coordinator.async_set_key(self.key, on=position > 0, level=position)
