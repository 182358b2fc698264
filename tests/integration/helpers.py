"""Helpers of the integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

SMALL_HOUSE = Path(__file__).parent / "fixtures" / "small_house.json"
"""Four nodes with one key of every kind; Hebrew and English names."""


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> bool:
    """Add ``entry`` to Home Assistant and set it up; whether setup succeeded."""
    entry.add_to_hass(hass)
    result = await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    if result:
        # The states are read in the background once the entities exist.
        await asyncio.wait_for(entry.runtime_data.states_read.wait(), timeout=30)
    return result


async def until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll ``predicate`` until it is truthy; fail after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)
