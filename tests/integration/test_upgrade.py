"""An entry of an earlier release upgrades with everything the owner made of it.

The registries are as release 3726915 left them, made by that release's own code
(``fixtures/make_upgrade_registries.py``): its nodes identified by their EUI-64, its keys'
entities on the wall units' devices, an entity the owner renamed, one whose entity ID the
owner changed, a wall unit the owner moved to an area of their own, and a device-trigger
automation the UI wrote for the doorbell push button.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant import bootstrap
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import category_registry as cr
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers import label_registry as lr
from homeassistant.helpers import restore_state as rs
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import CONF_HOST_PORT, DOMAIN
from tests.integration.helpers import SMALL_HOUSE
from vbox_simulator import House
from vbox_simulator.pytest_plugin import SimFactory, until

UPGRADE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "upgrade_3726915.json").read_text(encoding="utf-8")
)
OLD_ENTITIES: dict[str, dict[str, Any]] = {
    entity["id"]: entity
    for entity in UPGRADE["storage"]["core.entity_registry"]["data"]["entities"]
}
OLD_DEVICES: dict[str, dict[str, Any]] = {
    device["id"]: device for device in UPGRADE["storage"]["core.device_registry"]["data"]["devices"]
}


async def load_old_registries(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """The registries of 3726915, loaded as Home Assistant loads them when it starts."""
    hass_storage.update(copy.deepcopy(UPGRADE["storage"]))
    if hasattr(dr, "async_setup"):  # from 2026, the device registry is set up before loading
        dr.async_setup(hass)
    for registry in (ar, cr, dr, er, fr, ir, lr):
        await registry.async_load(hass)
    with (
        patch("homeassistant.helpers.restore_state.RestoreStateData.async_setup_dump"),
        patch("homeassistant.helpers.restore_state.start.async_at_start"),
    ):
        await rs.async_load(hass)
    hass.data[bootstrap.DATA_REGISTRIES_LOADED] = None


@pytest.mark.parametrize("load_registries", [False])
# Loading the registries here starts the device registry's cleanup, as Home Assistant's start
# does; its debounced run is still due when the test ends.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_an_entry_of_3726915_keeps_its_ids_names_areas_and_automations(
    hass: HomeAssistant, hass_storage: dict[str, Any], make_sim: SimFactory
) -> None:
    await load_old_registries(hass, hass_storage)
    house = House.load(SMALL_HOUSE)
    sim = await make_sim(house)
    old = UPGRADE["entry"]
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=old["entry_id"],
        version=old["version"],
        minor_version=old["minor_version"],
        title=old["title"],
        unique_id=old["unique_id"],
        data=old["data"] | {"port": sim.port},
        options=old["options"] | {CONF_HOST_PORT: sim.host_port},
    )
    presses: list[ServiceCall] = []

    @callback
    def record(call: ServiceCall) -> None:
        presses.append(call)

    hass.services.async_register("test", "bell", record)
    entry.add_to_hass(hass)  # Home Assistant knows its entries before any automation
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Doorbell",
                "triggers": [UPGRADE["trigger"]],
                "actions": [{"action": "test.bell"}],
            }
        },
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await asyncio.wait_for(entry.runtime_data.synced.wait(), timeout=30)
    assert (entry.version, entry.minor_version) == (1, 3)

    # Every entity is still there: the same registry entry, entity ID and owner's name;
    # its unique ID is the new form (docs/identity.md); and no entity is there twice.
    entities = er.async_get(hass)
    now = {
        entity.id: entity for entity in er.async_entries_for_config_entry(entities, entry.entry_id)
    }
    box = old["unique_id"]
    for entity_id, before in OLD_ENTITIES.items():
        after = now[entity_id]
        assert (after.entity_id, after.name) == (before["entity_id"], before["name"])
        assert after.unique_id.startswith((f"{box}_node", f"vbox_{box}")), after.unique_id
    assert len({(e.domain, e.unique_id) for e in now.values()}) == len(now)
    spots = entities.async_get(next(e for e in OLD_ENTITIES.values() if e["name"])["entity_id"])
    assert spots is not None
    assert hass.states.get(spots.entity_id).name == "Counter spots"  # type: ignore[union-attr]
    assert hass.states.get("cover.living_room_side_blind") is not None

    # The devices keep their registry IDs, now identified by node; the keys' devices
    # start where their wall unit is, the owner's Office for node 3.
    devices = dr.async_get(hass)
    for device_id, before in OLD_DEVICES.items():
        device = devices.async_get(device_id)
        assert device is not None, before["identifiers"]
        (_, identifier), *_ = device.identifiers
        assert identifier.startswith((f"{box}_node", f"vbox_{box}")), identifier
    office = ar.async_get(hass).async_get_area_by_name("Office")
    assert office is not None
    blind = entities.async_get("cover.living_room_side_blind")
    assert blind is not None
    assert blind.device_id is not None
    blind_device = devices.async_get(blind.device_id)
    assert blind_device is not None
    assert blind_device.name == "Side blind"
    assert blind_device.area_id == office.id
    assert blind_device.via_device_id in OLD_DEVICES  # the wall unit it always had

    # The UI's automation runs once per press.
    await sim.press(1, 2, "short")
    await until(lambda: len(presses) == 1)
    await sim.press(1, 2, "short")
    await until(lambda: len(presses) == 2)
    await sim.press(1, 2, "long")
    await hass.async_block_till_done()
    assert len(presses) == 2
