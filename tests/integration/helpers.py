"""Helpers of the integration tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.vbox import DualLink, HostLink, VitreaClient, VTULink
from vbox_simulator import House

SMALL_HOUSE = Path(__file__).parent / "fixtures" / "small_house.json"
"""Four nodes with one key of every kind; Hebrew and English names."""

BOX_ID = House.load(SMALL_HOUSE).nodes[0].mac.replace(":", "").lower()
"""The small house's hardware ID: its first node's EUI-64, its entries' unique ID, which
its devices' identifiers and entities' unique IDs start with."""


@dataclass(frozen=True)
class Entity:
    """A Vitrea entity, named by its platform and unique ID.

    Tests never write an entity ID down: Home Assistant derives it from the names, and
    differently from one release to the next (2026.x puts the area first).
    """

    domain: str
    unique_id: str

    @classmethod
    def of_node(cls, domain: str, node_id: int, key: int | str) -> Entity:
        """Key ``key`` of node ``node_id`` of the small house, or the node's setting ``key``
        (``keypad_lock``, ``backlight``).
        """
        return cls(domain, f"{BOX_ID}_node{node_id}_{key}")


def entity_id(hass: HomeAssistant, entity: Entity) -> str:
    """The entity ID Home Assistant gave ``entity``; fails the test if it has none."""
    found = er.async_get(hass).async_get_entity_id(entity.domain, DOMAIN, entity.unique_id)
    assert found is not None, f"no {entity.domain} entity has the unique ID {entity.unique_id}"
    return found


# The small house's entities that the tests use.
MAIN_LIGHT = Entity.of_node("light", 1, 0)  # "תאורה ראשית", on
FAN = Entity.of_node("switch", 1, 1)  # a toggle of category fan, off
BELL = Entity.of_node("event", 1, 2)  # a push button
SCENE = Entity.of_node("button", 1, 4)  # a toggle scene
LIGHT = Entity.of_node("light", 2, 0)  # "Spots", a dimmer, on at 60 %
LOCK = Entity.of_node("switch", 2, "keypad_lock")  # node 2 is locked
BACKLIGHT = Entity.of_node("select", 2, "backlight")  # node 2's is low
BLIND = Entity.of_node("cover", 3, 1)  # "Side blind", closed
TOGGLE_LIGHT = Entity.of_node("light", 3, 3)  # "Lamp", off
BOILER = Entity.of_node("switch", 4, 0)  # off
CONNECTIVITY = Entity("binary_sensor", f"vbox_{BOX_ID}_connectivity")
"""The vBox's own entity (the hub is named after the entry's unique ID: node 1's EUI-64)."""


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> bool:
    """Add ``entry`` to Home Assistant and set it up; whether setup succeeded."""
    entry.add_to_hass(hass)
    result = await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    if result:
        # The states are read in the background once the entities exist; then, where the
        # house was restored or read from the host database alone, the house again.
        await asyncio.wait_for(entry.runtime_data.synced.wait(), timeout=30)
    return result


def vtu_client(entry: MockConfigEntry) -> VitreaClient:
    """The VTU connection of a loaded entry that uses VTU (tests may look inside the house)."""
    link = entry.runtime_data.house.link
    vtu = link.vtu if isinstance(link, DualLink) else link
    assert isinstance(vtu, VTULink), link
    return vtu.client


def host_link(entry: MockConfigEntry) -> HostLink:
    """The host-interface link of a loaded entry that uses the host interface."""
    link = entry.runtime_data.house.link
    host = link.host if isinstance(link, DualLink) else link
    assert isinstance(host, HostLink), link
    return host
