"""Covers: blind keys, with position."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.cover import (
    ATTR_POSITION,
    CoverDeviceClass,
    CoverEntity,
    CoverEntityFeature,
)

from .entity import VitreaKeyEntity, vitrea_action
from .platform import async_setup_key_platform
from .vbox import KeyKind

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
    """A blind: the vBox level is its position, 0 closed to 100 open.

    The position is always the one the vBox reported: a command sends the blind on its
    way (opening or closing), and its position follows the reports.
    """

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
        return self.key.position

    @property
    def is_opening(self) -> bool:
        """On its way up."""
        return self.key.is_opening

    @property
    def is_closing(self) -> bool:
        """On its way down."""
        return self.key.is_closing

    @property
    def is_closed(self) -> bool | None:
        """Closed when off or at position 0."""
        position = self.current_cover_position
        return None if position is None else position == 0

    @vitrea_action
    async def async_open_cover(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Open fully."""
        await self.key.set_position(FULLY_OPEN)

    @vitrea_action
    async def async_close_cover(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Close fully."""
        await self.key.set_position(0)

    @vitrea_action
    async def async_set_cover_position(self, **kwargs: Any) -> None:
        """Move to a position; 0 closes."""
        await self.key.set_position(kwargs[ATTR_POSITION])

    @vitrea_action
    async def async_stop_cover(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Stop where the blind is now."""
        await self.key.stop()
