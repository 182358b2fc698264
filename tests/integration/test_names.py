"""Device and entity names as an owner reads them, and entity IDs that survive upgrades."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from homeassistant.components.scene import DOMAIN as SCENE_DOMAIN
from homeassistant.const import ATTR_FRIENDLY_NAME, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import CONF_HOST_PORT, DOMAIN
from custom_components.vitrea.devices import node_names
from custom_components.vitrea.vbox import KeyInfo, KeyType, NodeInfo, Topology
from custom_components.vitrea.vbox.names import KEPT_FORMAT_CHARACTERS
from tests.integration.helpers import (
    BELL,
    BLIND,
    LIGHT,
    LOCK,
    MAIN_LIGHT,
    SMALL_HOUSE,
    TOGGLE_LIGHT,
    entity_id,
    setup_entry,
)
from vbox_simulator import House
from vbox_simulator.pytest_plugin import SimFactory

MODEL = "VT-MW3-SR1-10A"  # node type 1


def node(node_id: int, room_id: int, *types: KeyType) -> NodeInfo:
    """A node of ``room_id`` with keys of ``types``."""
    keys = tuple(KeyInfo(node_id, i, int(kind), 0, f"k{i}") for i, kind in enumerate(types))
    return NodeInfo(node_id, f"00:00:00:00:00:00:00:{node_id:02X}", 1, "7.93", room_id, keys)


def test_nodes_are_named_after_their_room() -> None:
    """A wall unit is its room's name, numbered where the room has several: no word of a
    language in it."""
    topology = Topology(
        {0: "Kitchen", 1: "Hall", 2: "מטבח"},
        {
            1: node(1, 0, KeyType.DIMMER, KeyType.PUSH_BUTTON),
            2: node(2, 0, KeyType.BLIND, KeyType.DIMMER),
            3: node(3, 0, KeyType.DIMMER),
            4: node(4, 1, KeyType.SATELLITE),
            5: node(5, 7, KeyType.BOILER),  # a room the vBox does not list
            6: node(6, 2, KeyType.DUAL_POLE),
            9: node(9, 2, KeyType.BOILER),
        },
    )
    assert node_names(topology) == {
        1: "Kitchen 1",
        2: "Kitchen 2",
        3: "Kitchen 3",
        4: "Hall",
        5: None,
        6: "מטבח 1",
        9: "מטבח 2",
    }
    # A room whose name is empty (nothing but control characters, cleaned away) is unlisted.
    assert node_names(Topology({0: ""}, {1: node(1, 0, KeyType.DIMMER)})) == {1: None}


@pytest.mark.parametrize(
    ("language", "unlisted"), [("en", "Node 4"), ("he", "יחידה 4")], ids=["en", "he"]
)
async def test_device_names_are_the_vbox_names_in_any_language(
    hass: HomeAssistant,
    make_sim: SimFactory,
    mock_config_entry: MockConfigEntry,
    language: str,
    unlisted: str,
) -> None:
    """The server's language changes no name but the one the vBox does not give; each key
    with a device of its own is named exactly as the vBox names it."""
    hass.config.language = language
    house = House.load(SMALL_HOUSE)
    house.nodes[3].room_id = 9  # a room the vBox does not list
    sim = await make_sim(house)
    entry = MockConfigEntry(
        domain=DOMAIN,
        minor_version=mock_config_entry.minor_version,
        unique_id=mock_config_entry.unique_id,
        data={**mock_config_entry.data, CONF_PORT: sim.port},
        options=mock_config_entry.options,
    )
    assert await setup_entry(hass, entry)
    registry = dr.async_get(hass)
    device_ids = entry.runtime_data.device_ids
    assert {
        node_id: registry.async_get(device_id).name  # type: ignore[union-attr]
        for node_id, device_id in device_ids.items()
    } == {1: "סלון 1", 2: "Kitchen", 3: "סלון 2", 4: unlisted}
    for entity in (LIGHT, MAIN_LIGHT, BLIND):
        state = hass.states.get(entity_id(hass, entity))
        assert state is not None
        key = house.node(int(entity.unique_id.split("_node")[1].split("_")[0])).keys
        assert state.name in {k.name for k in key}
    [hub] = [
        device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if (DOMAIN, entry.runtime_data.hub_id) in device.identifiers
    ]
    assert hub.name == f"vBox {entry.data['host']}"


async def test_entity_ids_of_a_new_install(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The same on every release: a key's room and its name; a wall unit's setting, the wall
    unit's name and the setting's."""
    assert await setup_entry(hass, mock_config_entry)
    assert entity_id(hass, LIGHT) == "light.kitchen_spots"
    assert entity_id(hass, LOCK) == "switch.kitchen_keypad_lock"
    assert entity_id(hass, BLIND) == "cover.slvn_side_blind"


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


# -- names with control characters --------------------------------------------------------

HOSTILE_NAMES: dict[str, Any] = {
    "rooms": {0: "סלון\x00\u202e", 1: "\x00Kit\x00chen\x07\r\n ", 2: "\x00\x01\u200b"},
    "keys": {
        (2, 0): "Sp\x00ots\x1b\t\tover\x00\x00",
        (3, 3): "\x00\x7f\x9f",
        (1, 2): "\x00\x01",  # the doorbell push button
    },
    "floors": [{"id": 0, "name": "\x00Ground\x00\r\n"}, {"id": 1, "name": "\x00\x00"}],
    "acs": [
        {"id": 1, "type": 2, "room": 1, "name": "\x00Kitchen\x07 AC\x00"},
        {"id": 2, "type": 1, "room": 0, "name": "\x00\x1b"},
    ],
    "scenarios": [
        {"id": 7, "room": None, "name": "All\x00 off\r\n", "actions": []},
        {"id": 8, "room": None, "name": "\x00", "actions": []},
    ],
}
"""The small house's names with NULs and other control characters (over the wire as they
are): some clean to a name, some to nothing."""
NODE_DEVICE_NAMES = {
    1: "סלון 1",
    2: "Kitchen",
    3: "סלון 2",
    4: "Node 4",  # its room's name is nothing but control characters
}


def hostile_house() -> House:
    data = json.loads(SMALL_HOUSE.read_text(encoding="utf-8"))
    for room in data["rooms"]:
        room["name"] = HOSTILE_NAMES["rooms"][room["id"]]
    for node_data in data["nodes"]:
        for key in node_data["keys"]:
            key["name"] = HOSTILE_NAMES["keys"].get((node_data["id"], key["id"]), key["name"])
    extras = ("floors", "acs", "scenarios")
    return House.from_dict(data | {name: HOSTILE_NAMES[name] for name in extras})


def is_clean(name: str | None) -> bool:
    """No control or invisible format character (but the marks and joiners names keep)."""
    return name is None or (
        name == name.strip()
        and all(
            unicodedata.category(char) not in {"Cc", "Cf"} or char in KEPT_FORMAT_CHARACTERS
            for char in name
        )
    )


async def set_up_hostile_house(
    hass: HomeAssistant, make_sim: SimFactory, base: MockConfigEntry, *, host: bool
) -> MockConfigEntry:
    """An entry of the hostile house over VTU, and over the host interface too with ``host``."""
    sim = await make_sim(hostile_house())
    entry = MockConfigEntry(
        domain=DOMAIN,
        minor_version=base.minor_version,
        title=base.title,
        unique_id=base.unique_id,
        data={**base.data, CONF_PORT: sim.port},
        options={**base.options, CONF_HOST_PORT: sim.host_port if host else 0},
    )
    assert await setup_entry(hass, entry)
    return entry


def assert_registries_clean(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert all(is_clean(device.name) for device in devices)
    assert all(is_clean(entity.original_name) for entity in entities)
    assert all(is_clean(area.name) for area in ar.async_get(hass).async_list_areas())
    assert all(is_clean(floor.name) for floor in fr.async_get(hass).async_list_floors())
    for entity in entities:
        if entity.disabled_by is not None:
            continue
        state = hass.states.get(entity.entity_id)
        assert state is not None
        assert is_clean(state.attributes.get(ATTR_FRIENDLY_NAME))


@pytest.mark.parametrize("host", [False, True], ids=["vtu", "both-interfaces"])
async def test_names_from_the_vbox_are_cleaned(
    hass: HomeAssistant,
    make_sim: SimFactory,
    mock_config_entry: MockConfigEntry,
    host: bool,
) -> None:
    """Over VTU (room and key frames) and the host interface (its database): the same names."""
    entry = await set_up_hostile_house(hass, make_sim, mock_config_entry, host=host)

    assert_registries_clean(hass, entry)
    devices = dr.async_get(hass)
    assert {
        node_id: devices.async_get(device_id).name  # type: ignore[union-attr]
        for node_id, device_id in entry.runtime_data.device_ids.items()
    } == NODE_DEVICE_NAMES
    entities = er.async_get(hass)
    spots = entities.async_get(entity_id(hass, LIGHT))
    assert spots is not None
    assert spots.original_name is None  # the key's device's name
    assert hass.states.get(spots.entity_id).attributes[ATTR_FRIENDLY_NAME] == "Spots over"  # type: ignore[union-attr]
    lamp = entities.async_get(entity_id(hass, TOGGLE_LIGHT))
    assert lamp is not None
    bell = hass.states.get(entity_id(hass, BELL))  # on its wall unit: "<wall unit> Key 3"
    assert bell is not None
    assert bell.name == "סלון 1 Key 3"
    # Nothing left: named as an unnamed key.
    assert hass.states.get(lamp.entity_id).attributes[ATTR_FRIENDLY_NAME] == "Key 4"  # type: ignore[union-attr]
    assert sorted(area.name for area in ar.async_get(hass).async_list_areas()) == [
        "Kitchen",
        "סלון",
    ]
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_names_of_the_host_database_are_cleaned(
    hass: HomeAssistant, make_sim: SimFactory, mock_config_entry: MockConfigEntry
) -> None:
    """Floors, air conditioners and scenarios: a name, or the integration's own."""
    entry = await set_up_hostile_house(hass, make_sim, mock_config_entry, host=True)

    hub = entry.runtime_data.hub_id
    names = {
        identifier: device.name
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        for _, identifier in device.identifiers
    }
    assert (names[f"{hub}_ac1"], names[f"{hub}_ac2"]) == ("Kitchen AC", "Air conditioner 2")
    entities = er.async_get(hass)
    scenes = {
        scenario: entities.async_get_entity_id(SCENE_DOMAIN, DOMAIN, f"{hub}_scenario{scenario}")
        for scenario in (7, 8)
    }
    assert {
        scenario: entities.async_get(entity).original_name  # type: ignore[union-attr]
        for scenario, entity in scenes.items()
        if entity
    } == {7: "All off", 8: "Scenario 8"}
    # The floor with a name holds the rooms' areas; the one without is not created.
    floors = fr.async_get(hass)
    assert [floor.name for floor in floors.async_list_floors()] == ["Ground"]
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
    assert kitchen is not None
    assert kitchen.floor_id == floors.async_get_floor_by_name("Ground").floor_id  # type: ignore[union-attr]
    assert await hass.config_entries.async_unload(entry.entry_id)
