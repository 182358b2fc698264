"""The house model over real loopback TCP against the simulator: discovery, the cache form,
states, presses, actions, node settings, rediscovery, identity.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

import pytest
from vitrea_client import (
    UNREAD_CATEGORY,
    CommandID,
    ConnectionConfig,
    ConnectionState,
    House,
    KeyCategory,
    KeyInfo,
    KeyKind,
    KeyType,
    LEDBackgroundBrightness,
    NodeInfo,
    NoNodesError,
    Press,
    SocketConfig,
    Topology,
    VitreaConnectionError,
)
from vitrea_client.link import KeyUpdate, NodeUpdate

from tests.vbox.conftest import Ready
from vbox_simulator import House as SimHouse
from vbox_simulator import Key as SimKey
from vbox_simulator import Node as SimNode
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, until

pytestmark = pytest.mark.usefixtures("socket_enabled")


def house_of(sim: VBoxSimulator, **socket: Any) -> House:
    return House.vtu(
        ConnectionConfig("127.0.0.1", sim.port, USERNAME, PASSWORD),
        SocketConfig(request_gap=0, request_timeout=0.5, max_retries=1, **socket),
    )


@pytest.fixture
async def house(sim: VBoxSimulator, ready: Ready) -> House:
    """Connected and discovered, states read."""
    return await ready(house_of(sim))


def sim_names(sim: VBoxSimulator) -> dict[tuple[int, int], str]:
    return {(node.id, key.id): key.name for node in sim.house.nodes for key in node.keys}


# -- discovery and the cache -------------------------------------------------------------


async def test_discovery_reads_every_room_node_and_key(house: House, sim: VBoxSimulator) -> None:
    assert house.rooms == {room.id: room.name for room in sim.house.rooms}
    assert {(k.node_id, k.key_id): k.name for k in house.all_keys()} == sim_names(sim)
    node = house.nodes[1]
    sim_node = sim.house.node(1)
    assert (node.info.mac, node.info.version, node.room) == (
        sim_node.mac,
        sim_node.firmware,
        sim.house.room(sim_node.room_id).name,
    )
    assert node.keys[0].kind is KeyKind.LIGHT
    assert node.keys[4].kind is KeyKind.BUTTON
    assert house.identity == sim_node.mac.replace(":", "").lower()


async def test_node_settings_come_with_discovery(house: House, sim: VBoxSimulator) -> None:
    for node in house.nodes.values():
        sim_node = sim.house.node(node.node_id)
        assert (node.is_locked, node.led_level) == (sim_node.locked, sim_node.led)


async def test_the_cache_form_restores_the_same_house_before_any_request(
    house: House, sim: VBoxSimulator
) -> None:
    cached = json.loads(json.dumps(house.as_dict()))
    restored = house_of(sim)
    restored.restore(cached)
    assert restored.topology == house.topology
    assert restored.identity == house.identity
    assert all(key.is_on is None for key in restored.all_keys())  # states are not cached
    # The nodes' settings are, as last known.
    assert {n.node_id: (n.is_locked, n.led_level) for n in restored.nodes.values()} == {
        n.node_id: (n.is_locked, n.led_level) for n in house.nodes.values()
    }
    assert all(node.is_locked is not None for node in restored.nodes.values())
    # A cache of the topology alone (an earlier release's) leaves them unknown.
    older = house_of(sim)
    older.restore(house.topology.as_dict())
    assert all(node.is_locked is None for node in older.nodes.values())
    assert older.as_dict()["settings"] == {}
    assert Topology.from_dict(cached) == house.topology


async def test_read_identity_asks_two_questions_after_the_layout(sim: VBoxSimulator) -> None:
    house = house_of(sim)
    await house.connect()
    sim.requests.clear()
    try:
        identity = await house.read_identity()
    finally:
        await house.disconnect()
    assert identity == sim.house.node(1).mac.replace(":", "").lower()
    assert [r.command for r in sim.requests] == [
        CommandID.NODE_COUNT,
        CommandID.NODE_COUNT,  # the layout, before NodeMetaData: the node list and a key
        CommandID.KEY_PARAMETERS,
        CommandID.NODE_META_DATA,
    ]
    assert house.topology == Topology()  # nothing was discovered


async def test_read_identity_of_a_box_without_nodes(sim: VBoxSimulator) -> None:
    sim.box.house = SimHouse(rooms=[], nodes=[])
    house = house_of(sim)
    await house.connect()
    with pytest.raises(NoNodesError):
        await house.read_identity()
    assert Topology().identity is None
    await house.disconnect()


# -- states and presses ------------------------------------------------------------------


async def test_states_are_read_for_every_key_that_has_one(house: House, sim: VBoxSimulator) -> None:
    for key in house.all_keys():
        sim_key = sim.house.key(key.node_id, key.key_id)
        if key.kind in (KeyKind.BUTTON, KeyKind.SCENE, None):
            assert key.is_on is None
        else:
            assert key.is_on is sim_key.on, key


async def test_a_change_at_the_wall_reaches_its_key_only(house: House, sim: VBoxSimulator) -> None:
    spot, other = house.key(3, 0), house.key(3, 1)
    assert spot is not None
    assert other is not None
    changes: list[tuple[bool | None, int | None]] = []
    spot.on_change(lambda: changes.append((spot.is_on, spot.level)))
    other.on_change(lambda: changes.append((None, None)))
    await sim.set_key(3, 0, level=25)
    await until(lambda: changes)
    assert changes == [(True, 25)]


async def test_presses_reach_the_press_listeners(house: House, sim: VBoxSimulator) -> None:
    bell = house.key(1, 4)
    assert bell is not None
    presses: list[Press] = []
    bell.on_press(presses.append)
    for kind in ("short", "long", "release"):
        await sim.press(1, 4, kind)
    await until(lambda: len(presses) == 3)
    assert presses == [Press.SHORT, Press.LONG, Press.RELEASE]
    assert bell.is_on is None  # a press is no state


async def test_an_unsubscribed_listener_hears_nothing(house: House, sim: VBoxSimulator) -> None:
    key = house.key(1, 0)
    assert key is not None
    heard: list[bool | None] = []
    unsubscribe = key.on_change(lambda: heard.append(key.is_on))
    unsubscribe()
    unsubscribe()  # twice is harmless
    await sim.set_key(1, 0, on=False)
    await until(lambda: key.is_on is False)
    assert heard == []


async def test_a_failing_listener_is_logged_and_the_others_still_hear(
    house: House, sim: VBoxSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    key = house.key(1, 0)
    bell = house.key(1, 4)
    assert key is not None
    assert bell is not None

    def fail(*_: object) -> None:
        raise RuntimeError("listener bug")

    heard: list[object] = []
    key.on_change(fail)
    key.on_change(lambda: heard.append("state"))
    bell.on_press(fail)
    bell.on_press(heard.append)
    await sim.set_key(1, 0, on=False)
    await sim.press(1, 4, "short")
    await until(lambda: len(heard) == 2)
    assert heard == ["state", Press.SHORT]
    assert caplog.text.count("listener bug") == 2
    assert house.connected


async def test_an_update_for_an_unknown_key_or_node_is_ignored(
    house: House, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    house._handle(KeyUpdate(99, 0, is_on=True, level=None))
    house._handle(NodeUpdate(99, is_locked=True, led_level=1))
    assert "Update for unknown key 99/0 ignored" in caplog.text


# -- actions -----------------------------------------------------------------------------


async def test_switching_a_key_records_its_state_once_the_box_took_it(
    house: House, sim: VBoxSimulator
) -> None:
    dimmer = house.key(3, 2)
    assert dimmer is not None
    heard: list[tuple[bool | None, int | None]] = []
    dimmer.on_change(lambda: heard.append((dimmer.is_on, dimmer.level)))
    await dimmer.turn_on(70)
    assert (dimmer.is_on, dimmer.level) == (True, 70)
    assert (sim.house.key(3, 2).on, sim.house.key(3, 2).level) == (True, 70)
    await dimmer.turn_off()
    assert dimmer.is_on is False
    assert not sim.house.key(3, 2).on
    assert heard[0] == (True, 70)


async def test_a_boiler_is_switched_on_for_a_while(house: House, sim: VBoxSimulator) -> None:
    boiler = next(key for key in house.all_keys() if key.kind is KeyKind.BOILER)
    await boiler.turn_on(timer=600)
    request = sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1]
    assert request.payload[-2:] == (600).to_bytes(2, "big")
    assert boiler.is_on


async def test_a_blind_moves_and_stops(house: House, sim: VBoxSimulator) -> None:
    blind = house.key(4, 1)
    assert blind is not None
    assert blind.kind is KeyKind.COVER
    await blind.set_position(70)
    assert sim.house.key(4, 1).level == 70
    await blind.set_position(0)
    assert not sim.house.key(4, 1).on
    await blind.set_position(40)
    sim.requests.clear()
    await blind.stop()
    # Where is it? Then: stay there.
    assert [r.command for r in sim.requests] == [
        CommandID.KEY_STATUS,
        CommandID.TOGGLE_KEY_STATUS,
    ]
    assert (blind.is_on, blind.level) == (True, 40)


async def test_a_closed_blind_stops_closed(house: House, sim: VBoxSimulator) -> None:
    blind = house.key(4, 1)
    assert blind is not None
    await blind.set_position(0)
    await blind.stop()
    assert blind.is_on is False
    assert not sim.house.key(4, 1).on


async def test_lock_and_backlight_are_sent_together(house: House, sim: VBoxSimulator) -> None:
    node = house.nodes[2]
    heard: list[tuple[bool | None, int | None]] = []
    node.on_change(lambda: heard.append((node.is_locked, node.led_level)))
    await node.set_backlight(LEDBackgroundBrightness.MAX)
    await node.set_locked(True)
    sim_node = sim.house.node(2)
    assert (sim_node.locked, sim_node.led) == (True, LEDBackgroundBrightness.MAX)
    assert heard == [(False, LEDBackgroundBrightness.MAX), (True, LEDBackgroundBrightness.MAX)]


async def test_a_node_setting_with_the_other_one_unknown(sim: VBoxSimulator) -> None:
    house = house_of(sim)
    await house.connect()
    await house.discover()
    node = house.nodes[2]
    node.is_locked = node.led_level = None
    await node.set_locked(True)
    assert (node.is_locked, node.led_level) == (True, LEDBackgroundBrightness.NORMAL)
    node.led_level = 9  # a level the protocol does not define
    await node.set_locked(False)
    assert sim.house.node(2).led == LEDBackgroundBrightness.NORMAL
    await house.disconnect()


async def test_an_action_while_disconnected_raises(house: House, sim: VBoxSimulator) -> None:
    key = house.key(1, 0)
    assert key is not None
    states: list[ConnectionState] = []
    house.on_connection_state(states.append)
    await sim.stop()
    await until(lambda: ConnectionState.DISCONNECTED in states)
    assert not house.connected
    assert house.last_error is not None
    with pytest.raises(VitreaConnectionError):
        await key.turn_on()


# -- rediscovery -------------------------------------------------------------------------


def new_node(node_id: int) -> SimNode:
    return SimNode(
        id=node_id,
        node_type=2,
        mac=f"00:0D:6F:00:00:00:01:{node_id:02X}",
        firmware="7.93",
        room_id=0,
        keys=[SimKey(0, 2, 1, "מנורה חדשה", on=True, level=100)],
    )


async def test_rediscovery_adds_and_removes_nodes(house: House, sim: VBoxSimulator) -> None:
    kept = house.nodes[1]
    gone = house.nodes[2].info
    sim.house.nodes = [node for node in sim.house.nodes if node.id != 2] + [new_node(60)]
    change = await house.rediscover()
    assert not change.reshaped
    assert [node.node_id for node in change.added] == [60]
    assert change.removed == [gone]
    assert 2 not in house.nodes
    assert house.nodes[1] is kept  # its listeners stay
    assert house.nodes[60].keys[0].name == "מנורה חדשה"
    assert house.topology == change.topology


async def test_rediscovery_reports_a_renamed_key_and_keeps_the_house(
    house: House, sim: VBoxSimulator
) -> None:
    before = house.topology
    sim.house.key(1, 0).name = "שם חדש"
    change = await house.rediscover()
    assert change.reshaped
    assert (change.added, change.removed) == ([], [])
    assert change.topology.nodes[1].keys[0].name == "שם חדש"
    assert house.topology is before


async def test_describe_lists_rooms_nodes_and_keys(house: House) -> None:
    text = house.describe()
    assert text.splitlines()[0].startswith(f"{house.nodes[1].room}: node 1 ")
    assert "'פעמון' button unknown" in text
    assert len(text.splitlines()) == len(house.nodes) + len(house.all_keys())


def test_what_reshapes_a_node() -> None:
    """Its room, a key's name, or the type or category of a key with a kind; not VTU's
    details, nor a kind found for a key that had none (docs/identity.md §3)."""
    unread = KeyInfo(1, 0, KeyType.TOGGLE, UNREAD_CATEGORY, "Lamp")
    dimmer = KeyInfo(1, 1, KeyType.DIMMER, KeyCategory.LIGHT, "Spots")
    node = NodeInfo(1, "", 0, "", 0, (unread, dimmer))
    assert unread.kind is None
    read = replace(unread, type=KeyType.DUAL_POLE, category=KeyCategory.UNDEFINED)
    detailed = replace(
        node, mac="00:0D:6F:00:00:00:00:01", node_type=21, version="7.93", keys=(read, dimmer)
    )
    assert not node.reshaped_by(detailed)
    assert detailed.keys[0].kind is KeyKind.SWITCH
    assert node.reshaped_by(replace(node, room_id=2))
    assert node.reshaped_by(replace(node, keys=(unread,)))
    assert node.reshaped_by(replace(node, keys=(unread, replace(dimmer, name="Spots 2"))))
    assert node.reshaped_by(replace(node, keys=(unread, replace(dimmer, type=KeyType.BLIND))))
    boiler = replace(read, type=KeyType.TOGGLE, category=KeyCategory.BOILER)
    assert boiler.kind is KeyKind.BOILER
    assert detailed.reshaped_by(replace(detailed, keys=(boiler, dimmer)))  # a switch no more
