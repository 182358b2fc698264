"""Device and entity names as an owner reads them, and entity IDs that survive upgrades."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.devices import node_names
from custom_components.vitrea.vbox import KeyInfo, KeyType, NodeInfo, Topology
from tests.integration.helpers import BLIND, LIGHT, LOCK, MAIN_LIGHT, entity_id, setup_entry

MODEL = "VT-MW3-SR1-10A"  # node type 1


def node(node_id: int, room_id: int, *types: KeyType) -> NodeInfo:
    """A node of ``room_id`` with keys of ``types``."""
    keys = tuple(KeyInfo(node_id, i, int(kind), 0, f"k{i}") for i, kind in enumerate(types))
    return NodeInfo(node_id, f"00:00:00:00:00:00:00:{node_id:02X}", 1, "7.93", room_id, keys)


def test_nodes_are_named_after_their_room() -> None:
    topology = Topology(
        {0: "Kitchen", 1: "Hall"},
        {
            1: node(1, 0, KeyType.DIMMER, KeyType.PUSH_BUTTON),
            2: node(2, 0, KeyType.BLIND, KeyType.DIMMER),
            3: node(3, 0, KeyType.DIMMER),
            4: node(4, 1, KeyType.SATELLITE),
            5: node(5, 7, KeyType.BOILER),  # a room the vBox does not list
            6: node(6, 1, KeyType.DUAL_POLE),
            7: node(7, 1, KeyType.BOILER),
            8: node(8, 1, KeyType.NOT_ACTIVE),
        },
    )
    assert node_names(topology) == {
        1: ("room_lights", {"room": "Kitchen", "number": " 1"}),
        2: ("room_blinds", {"room": "Kitchen", "number": ""}),
        3: ("room_lights", {"room": "Kitchen", "number": " 2"}),
        4: ("room_buttons", {"room": "Hall", "number": ""}),
        5: ("node", {"model": MODEL, "node": "5"}),
        6: ("room_switches", {"room": "Hall", "number": ""}),
        7: ("room_boiler", {"room": "Hall", "number": ""}),
        8: ("room_keys", {"room": "Hall", "number": ""}),
    }
    assert node_names(Topology({0: "Kitchen"}, {1: node(1, 0, KeyType.DIMMER)})) == {
        1: ("room", {"room": "Kitchen"})
    }


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", {1: "סלון lights", 2: "Kitchen", 3: "סלון blinds", 4: "חדר רחצה"}),
        ("he", {1: "סלון תאורה", 2: "Kitchen", 3: "סלון תריסים", 4: "חדר רחצה"}),
    ],
)
async def test_device_names_follow_the_server_language(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    language: str,
    names: dict[int, str],
) -> None:
    hass.config.language = language
    assert await setup_entry(hass, mock_config_entry)
    registry = dr.async_get(hass)
    device_ids = mock_config_entry.runtime_data.device_ids
    assert {
        node_id: registry.async_get(device_id).name  # type: ignore[union-attr]
        for node_id, device_id in device_ids.items()
    } == names
    [hub] = [
        device
        for device in dr.async_entries_for_config_entry(registry, mock_config_entry.entry_id)
        if (DOMAIN, mock_config_entry.runtime_data.hub_id) in device.identifiers
    ]
    assert hub.name == f"vBox {mock_config_entry.data['host']}"


async def test_entity_ids_of_a_new_install(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The same on every release: the device's name, then the entity's."""
    assert await setup_entry(hass, mock_config_entry)
    assert entity_id(hass, LIGHT) == "light.kitchen_spots"
    assert entity_id(hass, LOCK) == "switch.kitchen_keypad_lock"
    assert entity_id(hass, BLIND) == "cover.slvn_blinds_side_blind"


async def test_an_upgrade_keeps_the_entity_ids(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Entities registered by an earlier release keep their IDs, and the owner's names."""
    mock_config_entry.add_to_hass(hass)
    registry = er.async_get(hass)
    earlier = {
        LIGHT: "light.vt_mw3_dm1_400w_2_spots",
        MAIN_LIGHT: "light.vt_mw4_sr4_st4_10a_1_tvrh_rshyt",
        LOCK: "switch.vt_mw3_dm1_400w_2_keypad_lock",
    }
    for entity, old_id in earlier.items():
        registry.async_get_or_create(
            entity.domain,
            DOMAIN,
            entity.unique_id,
            config_entry=mock_config_entry,
            suggested_object_id=old_id.partition(".")[2],
        )
    devices = dr.async_get(hass)
    renamed = devices.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, LIGHT.unique_id.rpartition("_")[0])},
    )
    devices.async_update_device(renamed.id, name_by_user="Spots over the counter")
    assert await setup_entry(hass, mock_config_entry)
    assert {entity: entity_id(hass, entity) for entity in earlier} == earlier
    assert devices.async_get(renamed.id).name_by_user == "Spots over the counter"  # type: ignore[union-attr]
