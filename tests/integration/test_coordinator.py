"""The coordinator on the demo house and when the vBox misbehaves."""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.vbox import KeyCategory, KeyInfo, KeyKind, KeyType
from tests.integration.helpers import LIGHT, Entity, entity_id, setup_entry
from vbox_simulator import Key, Node, VBoxSimulator, load_demo_house
from vbox_simulator.pytest_plugin import SimFactory, until

PLATFORM_OF_KIND = {
    KeyKind.DIMMER: "light",
    KeyKind.LIGHT: "light",
    KeyKind.SWITCH: "switch",
    KeyKind.BOILER: "switch",
    KeyKind.COVER: "cover",
    KeyKind.BUTTON: "event",
    KeyKind.SCENE: "button",
}


async def test_demo_house_every_key_is_the_right_entity(
    hass: HomeAssistant,
    make_sim: SimFactory,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    house = load_demo_house()
    sim = await make_sim(house)
    first = min(house.nodes, key=lambda node: node.id)
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=first.mac.replace(":", "").lower(),
        data={**mock_config_entry.data, "port": sim.port},
        options=mock_config_entry.options,
    )
    assert await setup_entry(hass, entry)
    expected: Counter[str] = Counter()
    for node in house.nodes:
        for key in node.keys:
            info = KeyInfo(node.id, key.id, int(key.type), int(key.category), key.name)
            if info.kind is None:
                continue
            expected[PLATFORM_OF_KIND[info.kind]] += 1
            unique_id = f"{node.mac.replace(':', '').lower()}_{key.id}"
            state = hass.states.get(entity_id(hass, Entity(PLATFORM_OF_KIND[info.kind], unique_id)))
            assert state is not None, (node.id, key.id, key.name)
            assert state.attributes["friendly_name"].endswith(key.name)
            if info.kind in (KeyKind.LIGHT, KeyKind.DIMMER, KeyKind.SWITCH, KeyKind.BOILER):
                assert state.state == ("on" if key.on else "off"), state.entity_id
    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    actual = Counter(
        entity.domain
        for entity in entities
        if not entity.unique_id.endswith(("_keypad_lock", "_backlight", "_connectivity"))
    )
    assert actual == expected
    assert sum(expected.values()) >= 100
    assert await hass.config_entries.async_unload(entry.entry_id)
    await sim.wait_until_disconnected()


async def test_push_for_a_key_not_in_the_topology_is_ignored(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.vitrea")
    sim.house.nodes.append(
        Node(
            id=42,
            node_type=31,
            mac="00:0D:6F:00:00:00:00:2A",
            firmware="7.93",
            room_id=0,
            keys=[Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "new", on=False, level=0)],
        )
    )
    await sim.set_key(42, 0, on=True)
    await until(lambda: "Update for unknown key 42/0 ignored" in caplog.text)
    assert loaded_entry.state is ConfigEntryState.LOADED


async def test_box_silent_during_background_rediscovery(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.vitrea")
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await sim.inject("silent")  # before the background rediscovery sends anything
    await until(lambda: "Topology refresh failed, keeping the stored one" in caplog.text)
    await sim.inject("recover")
    light = entity_id(hass, LIGHT)
    await until(lambda: hass.states.get(light).state == "on")
    assert loaded_entry.runtime_data.data.topology.nodes.keys() == {1, 2, 3, 4}
