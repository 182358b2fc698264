"""The coordinator on the demo house and when the vBox misbehaves."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.coordinator import topology_store
from custom_components.vitrea.vbox import (
    CommandID,
    Interface,
    KeyCategory,
    KeyInfo,
    KeyKind,
    KeyType,
    host,
)
from custom_components.vitrea.vbox import Node as HouseNode
from custom_components.vitrea.vbox.topology import STATEFUL_KINDS
from tests.integration.helpers import LIGHT, Entity, entity_id, setup_entry
from vbox_simulator import Key, Node, VBoxSimulator, load_demo_house
from vbox_simulator.pytest_plugin import SimFactory, until

if TYPE_CHECKING:
    from tests.integration.conftest import EntryFactory

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
            unique_id = f"{entry.unique_id}_node{node.id}_{key.id}"
            state = hass.states.get(entity_id(hass, Entity(PLATFORM_OF_KIND[info.kind], unique_id)))
            assert state is not None, (node.id, key.id, key.name)
            if info.kind is KeyKind.BUTTON:  # on its wall unit: "<wall unit> <key>"
                assert state.attributes["friendly_name"].endswith(key.name)
            else:  # on a device of its own: the key's name, whole
                assert state.attributes["friendly_name"] == key.name
            if info.kind in (KeyKind.LIGHT, KeyKind.DIMMER, KeyKind.SWITCH, KeyKind.BOILER):
                assert state.state == ("on" if key.on else "off"), state.entity_id
    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    actual = Counter(
        entity.domain
        for entity in entities
        if not entity.unique_id.endswith(
            ("_keypad_lock", "_backlight", "_connectivity", "_timer_end")
        )
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


def friendly_name(hass: HomeAssistant, entity: str) -> str:
    state = hass.states.get(entity)
    assert state is not None, entity
    return str(state.attributes["friendly_name"])


async def test_a_reshaped_house_is_saved_and_the_entry_reloaded(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A key renamed while Home Assistant was down: the restart shows the stored name; the
    background rediscovery finds the new one, saves it and reloads the entry, which comes
    back with it (from storage), and whose own rediscovery finds nothing more to change."""
    caplog.set_level(logging.INFO, logger="custom_components.vitrea")
    store_key = topology_store(hass, loaded_entry).key
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    sim.house.key(2, 0).name = "Reading lamp"
    connections = sim.connections
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    restarted = loaded_entry.runtime_data
    light = entity_id(hass, LIGHT)
    assert friendly_name(hass, light).endswith("Spots")  # as stored

    await until(lambda: "The vBox's configuration changed; reloading" in caplog.text)
    await until(
        lambda: (
            loaded_entry.state is ConfigEntryState.LOADED
            and loaded_entry.runtime_data is not restarted
        ),
        timeout=30,
    )
    assert "Reading lamp" in str(hass_storage[store_key]["data"])
    assert friendly_name(hass, light).endswith("Reading lamp")
    async with asyncio.timeout(30):
        await loaded_entry.runtime_data.states_read.wait()
        await hass.async_block_till_done(wait_background_tasks=True)  # its rediscovery
    assert sim.connections == connections + 2  # the restart and the one reload
    assert caplog.text.count("The vBox's configuration changed; reloading") == 1
    assert hass.states.get(light).state == "on"


def new_node(node_id: int) -> Node:
    """A node with three lights, the first on."""
    return Node(
        id=node_id,
        node_type=31,
        mac=f"00:0D:6F:00:00:00:00:{node_id:02X}",
        firmware="7.93",
        room_id=0,
        keys=[
            Key(key_id, KeyType.TOGGLE, KeyCategory.LIGHT, f"new {key_id}", on=key_id == 0)
            for key_id in range(3)
        ],
    )


async def test_new_nodes_whose_states_cannot_be_read_still_appear(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A node added while Home Assistant was down; the connection drops as its states are
    read: its devices and entities are made all the same, the nodes listeners hear of it
    (one that was removed, twice, does not), and its states arrive once the link is back."""
    caplog.set_level(logging.DEBUG, logger="custom_components.vitrea")
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    sim.house.nodes.append(new_node(9))
    already = len(sim.requests)

    def reads_node_9() -> bool:
        return any(
            request.command == CommandID.KEY_STATUS and request.payload[:1] == b"\x09"
            for request in sim.requests[already:]
        )

    async def drop_at_the_first_read_of_node_9() -> None:
        await sim.wait_until(reads_node_9)  # its first key is answered, then the link drops
        await sim.close_client()

    dropper = asyncio.create_task(drop_at_the_first_read_of_node_9())
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    coordinator = loaded_entry.runtime_data
    heard: list[HouseNode] = []
    not_heard: list[HouseNode] = []
    coordinator.async_add_new_keys_listener(lambda nodes, _: heard.extend(nodes))
    remove = coordinator.async_add_new_keys_listener(lambda nodes, _: not_heard.extend(nodes))
    remove()
    remove()  # again: nothing happens
    assert not coordinator.states_read.is_set()  # the rediscovery is still to come

    async with asyncio.timeout(30):
        await dropper
    await until(lambda: "Reading the new keys' states failed" in caplog.text)
    assert [node.node_id for node in heard] == [9]
    assert not_heard == []
    new = entity_id(hass, Entity.of_node("light", 9, 0))
    await until(lambda: (state := hass.states.get(new)) is not None and state.state == "on")
    assert loaded_entry.state is ConfigEntryState.LOADED


async def test_a_return_during_a_reading_of_the_states_reads_them_again_after_it(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    """The host interface drops, and VTU reads every state (key by key, slowly here); the
    host interface returns while it does: once that reading is over, the states are read
    once more, all at once over the host interface."""
    entry, sim = await dual_entry()
    coordinator = entry.runtime_data
    async with asyncio.timeout(30):
        await coordinator.states_read.wait()
    stateful = sum(1 for key in coordinator.house.all_keys() if key.kind in STATEFUL_KINDS)
    key_statuses = len(sim.requests_of(CommandID.KEY_STATUS))
    status_all = sim.host_server.received.count(host.status_all())
    sim.service_time = 0.2  # each VTU answer: the reading takes far longer than the return

    await sim.inject_host("close")
    await until(lambda: Interface.HOST not in coordinator.house.interfaces_up)
    await until(lambda: Interface.HOST in coordinator.house.interfaces_up, timeout=30)
    read_by_vtu = len(sim.requests_of(CommandID.KEY_STATUS)) - key_statuses
    assert 0 < read_by_vtu < stateful  # the return came during the reading
    sim.service_time = 0.0

    await until(lambda: sim.host_server.received.count(host.status_all()) > status_all, timeout=30)
    assert len(sim.requests_of(CommandID.KEY_STATUS)) - key_statuses == stateful
    await hass.async_block_till_done(wait_background_tasks=True)
    assert sim.host_server.received.count(host.status_all()) == status_all + 1
