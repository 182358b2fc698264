"""The house over the host interface, and over both interfaces, against the simulator.

Real loopback TCP to the simulator's host port (and its VTU port for the dual link):
discovery from the database, every state at once, key actions, climates, scenarios, LEDs,
presses, and how the two interfaces share the work.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from vitrea_client import (
    ACFan,
    ACMode,
    CommandID,
    CommandRejectedError,
    ConnectionConfig,
    ConnectionState,
    HostCommandError,
    HostLink,
    House,
    KeyKind,
    KeyType,
    NoConnectionError,
    NotSupportedError,
    Press,
    SocketConfig,
    TemperatureUnit,
    Topology,
    VitreaConnectionError,
    host,
)

from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, until

pytestmark = pytest.mark.usefixtures("socket_enabled")

SOCKET = {"request_gap": 0, "request_timeout": 0.5, "max_retries": 1, "stability_period": 0.0}
"""Every session counts as stable: outages here come right after connecting."""


def host_house(sim: VBoxSimulator, **socket: Any) -> House:
    assert sim.host_port is not None
    return House.host("127.0.0.1", sim.host_port, SocketConfig(**(SOCKET | socket)))


def dual_house(sim: VBoxSimulator, **socket: Any) -> House:
    assert sim.host_port is not None
    return House.dual(
        ConnectionConfig("127.0.0.1", sim.port, USERNAME, PASSWORD),
        sim.host_port,
        SocketConfig(**(SOCKET | socket)),
    )


@pytest.fixture
async def house(sim: VBoxSimulator) -> AsyncIterator[House]:
    """Over the host interface: connected, discovered, states read."""
    house = host_house(sim)
    await house.connect()
    await house.discover()
    await house.read_states()
    await until(lambda: all(k.is_on is not None for k in house.all_keys() if k.kind in _STATEFUL))
    yield house
    await house.disconnect()


_STATEFUL = {KeyKind.DIMMER, KeyKind.SWITCH, KeyKind.BOILER, KeyKind.COVER}


def received(sim: VBoxSimulator, line: bytes) -> int:
    return sim.host_server.received.count(line)


# -- discovery -------------------------------------------------------------------------------


async def test_discovery_reads_the_whole_database(house: House, sim: VBoxSimulator) -> None:
    simulated = sim.house
    assert house.rooms == {room.id: room.name for room in simulated.rooms}
    assert house.topology.room_floors == {room.id: room.floor for room in simulated.rooms}
    assert house.topology.floors == {floor.id: floor.name for floor in simulated.floors}
    assert {(k.node_id, k.key_id): k.name for k in house.all_keys()} == {
        (node.id, key.id): key.name for node in simulated.nodes for key in node.keys
    }
    assert {c.climate_id: (c.name, c.info.room_id) for c in house.climates.values()} == {
        ac.id: (ac.name, ac.room_id) for ac in simulated.acs
    }
    assert {s.scenario_id: (s.name, s.info.room_id) for s in house.scenarios.values()} == {
        scenario.id: (scenario.name, scenario.room_id) for scenario in simulated.scenarios
    }
    # The database tells no category: toggles are switches; the rest is by type.
    assert house.nodes[1].keys[0].kind is KeyKind.SWITCH
    assert house.nodes[3].keys[0].kind is KeyKind.DIMMER
    assert house.nodes[4].keys[0].kind is KeyKind.COVER
    assert house.nodes[1].keys[4].kind is KeyKind.BUTTON
    assert house.nodes[1].info.eui64 is None
    assert house.identity is None
    assert any(climate.info.is_floor_heating for climate in house.climates.values())


async def test_the_topology_survives_the_cache_form(house: House, sim: VBoxSimulator) -> None:
    restored = host_house(sim)
    restored.restore(house.as_dict())
    assert restored.topology == house.topology
    assert set(restored.climates) == set(house.climates)


# -- states ----------------------------------------------------------------------------------


async def test_every_state_comes_in_one_request(house: House, sim: VBoxSimulator) -> None:
    assert received(sim, host.status_all()) == 1
    assert not any(line.startswith(b"H:N0") and b":G" in line for line in sim.host_server.received)
    for entry in sim.state():
        key = house.key(entry["node"], entry["key"])
        assert key is not None
        if key.kind in _STATEFUL:
            assert key.is_on is entry["on"], key
            if key.kind in (KeyKind.DIMMER, KeyKind.COVER):
                assert key.level == entry["level"], key
    for ac in sim.house.acs:
        state = house.climates[ac.id].state
        assert state is not None
        assert (state.is_on, state.setpoint, state.temperature) == (ac.on, ac.setpoint, ac.measured)


async def test_changes_at_the_wall_and_presses_arrive(house: House, sim: VBoxSimulator) -> None:
    spot = house.key(3, 1)
    assert spot is not None
    await sim.set_key(3, 1, level=70)
    await until(lambda: spot.level == 70)
    presses: list[Press] = []
    bell = house.key(1, 4)
    assert bell is not None
    bell.on_press(presses.append)
    await sim.press(1, 4, "long")  # a push button: O (down) ... F (up)
    await sim.press(1, 4, "release")
    await until(lambda: len(presses) == 2)
    assert presses == [Press.SHORT, Press.RELEASE]  # a long press looks like a short one
    party = house.key(31, 2)  # a satellite: S, L, R
    assert party is not None
    party.on_press(presses.append)
    for press in ("short", "long", "release"):
        await sim.press(31, 2, press)
    await until(lambda: len(presses) == 5)
    assert presses[2:] == [Press.SHORT, Press.LONG, Press.RELEASE]


async def test_a_push_button_press_is_reported_once(house: House, sim: VBoxSimulator) -> None:
    """A short press pushes O then F: one press and one release; a release of a button that
    is up again, and a polled F at rest, are no presses."""
    presses: list[Press] = []
    bell = house.key(1, 4)
    assert bell is not None
    bell.on_press(presses.append)
    await sim.press(1, 4, "short")
    await until(lambda: len(presses) == 2)
    await sim.press(1, 4, "release")  # already up
    await house.read_states()  # the button reports F at rest; its answer comes last
    assert presses == [Press.SHORT, Press.RELEASE]
    await sim.press(1, 4, "short")
    await until(lambda: len(presses) == 4)
    assert presses == [Press.SHORT, Press.RELEASE] * 2


class _Lines:
    """A stand-in for the host client: feeds the link the lines a test gives it."""

    def __init__(self) -> None:
        self.listeners: list[Any] = []

    def on_message(self, listener: Any) -> Any:
        self.listeners.append(listener)
        return lambda: None

    def feed(self, *lines: bytes) -> None:
        for line in lines:
            for listener in self.listeners:
                listener(host.parse_line(line))


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([b"S:N001:5:O", b"S:N001:5:F"], [Press.SHORT, Press.RELEASE]),  # the vendor's reading
        (
            [b"S:N001:5:O", b"S:N001:5:O", b"S:N001:5:F", b"S:N001:5:F"],
            [Press.SHORT, Press.RELEASE],
        ),
        ([b"S:N001:5:F"], []),  # at rest
        ([b"S:N001:5:S", b"S:N001:5:L", b"S:N001:5:R"], [Press.SHORT, Press.LONG, Press.RELEASE]),
        ([b"S:N001:6:S", b"S:N001:6:L", b"S:N001:6:R"], [Press.SHORT, Press.LONG, Press.RELEASE]),
        ([b"S:N001:6:O", b"S:N001:6:F"], [Press.SHORT, Press.RELEASE]),  # a satellite as O/F
        ([b"S:N001:1:S"], [Press.SHORT]),  # a toggle's press, as a box may report it
        ([b"S:N001:1:M"], []),  # a letter that says nothing of a toggle
    ],
)
async def test_presses_in_either_form(
    house: House, lines: list[bytes], expected: list[Press]
) -> None:
    """Push buttons as O/F (the vendor's library) or S/L/R (as satellites): the same presses."""
    feed = _Lines()
    link = HostLink(feed)  # type: ignore[arg-type]
    link.learn(house.topology)
    updates: list[Any] = []
    link.on_update(updates.append)
    feed.feed(*lines)
    assert [update.press for update in updates] == expected
    assert {(update.node_id, update.key_id) for update in updates} <= {(1, 4), (1, 5), (1, 0)}


async def test_polled_presses_are_no_presses(house: House) -> None:
    """While every state is read, a push button's O or F and a satellite's S report none."""
    feed = _Lines()
    link = HostLink(feed)  # type: ignore[arg-type]
    link.learn(house.topology)
    updates: list[Any] = []
    link.on_update(updates.append)
    link._polling = True  # as during read_states
    feed.feed(b"S:N001:5:O", b"S:N001:6:S", b"S:N001:1:O")
    link._polling = False
    assert len(updates) == 1  # the toggle's state
    feed.feed(b"S:N001:5:O", b"S:N001:5:F")  # held while polled: no second press, a release
    assert [getattr(update, "press", None) for update in updates[1:]] == [Press.RELEASE]


# -- key actions -----------------------------------------------------------------------------


async def test_a_dimmer_turned_on_without_a_level_comes_back_at_its_last(
    house: House, sim: VBoxSimulator
) -> None:
    dimmer = house.key(3, 2)
    assert dimmer is not None
    await dimmer.turn_on(35)
    await until(lambda: sim.house.key(3, 2).level == 35)
    await dimmer.turn_off()
    await until(lambda: not sim.house.key(3, 2).on)
    await dimmer.turn_on()
    await until(lambda: sim.house.key(3, 2).on)
    assert received(sim, host.dim_recall(3, 3)) == 1
    await until(lambda: dimmer.level == 35)


async def test_switches_and_boiler_timers(house: House, sim: VBoxSimulator) -> None:
    lamp = house.key(4, 2)
    assert lamp is not None
    await lamp.turn_on()
    assert sim.house.key(4, 2).on
    await lamp.turn_off()
    assert not sim.house.key(4, 2).on
    boiler = next(k for k in house.all_keys() if k.kind is KeyKind.BOILER)
    await boiler.turn_on(timer=90)  # seconds: two minutes, rounded up
    assert received(sim, host.key_on(boiler.node_id, boiler.key_id + 1, 2)) == 1
    assert sim.house.key(boiler.node_id, boiler.key_id).on


async def test_blinds_go_where_they_are_sent_and_stop(
    make_sim: Any,
) -> None:
    sim = await make_sim(blind_travel=2.0)
    house = host_house(sim)
    await house.connect()
    await house.discover()
    await house.read_states()
    try:
        blind = house.key(4, 0)
        assert blind is not None
        await until(lambda: blind.position == 100)
        await blind.set_position(0)
        await until(lambda: blind.position is not None and blind.position < 90)
        await blind.stop()
        assert received(sim, host.blind_stop(4, 1)) == 1
        await until(lambda: sim.house.key(4, 0).target is None)
        stopped = sim.house.key(4, 0).level
        assert 0 < stopped < 100
        await until(lambda: blind.position == stopped)
        assert not blind.is_moving
    finally:
        await house.disconnect()


async def test_a_key_the_box_rejects_fails_clearly(house: House) -> None:
    button = house.key(1, 4)
    assert button is not None
    with pytest.raises(HostCommandError, match="wrong command"):
        await button.turn_on()


# -- climates, scenarios, LEDs -----------------------------------------------------------------


async def test_climates_follow_commands_and_the_unit(house: House, sim: VBoxSimulator) -> None:
    ac = next(c for c in house.climates.values() if c.info.type == 2)
    simulated = sim.house.ac(ac.climate_id)
    await ac.set_mode(ACMode.HEAT)
    assert (simulated.on, simulated.mode) == (True, "heat")
    await ac.set_setpoint(22)
    await ac.set_fan(ACFan.HIGH)
    assert (simulated.setpoint, simulated.fan) == (22, "high")
    await until(lambda: ac.state is not None and ac.state.setpoint == 22)
    assert ac.state is not None
    assert (ac.state.is_on, ac.state.mode, ac.state.fan) == (True, ACMode.HEAT, ACFan.HIGH)
    assert ac.unit is TemperatureUnit.CELSIUS
    await sim.set_ac(ac.climate_id, measured=19)
    await until(lambda: ac.state is not None and ac.state.temperature == 19)
    await ac.turn_off()
    assert not simulated.on
    await ac.turn_on()
    assert simulated.on


async def test_floor_heating_only_heats(house: House) -> None:
    heating = next(c for c in house.climates.values() if c.info.is_floor_heating)
    with pytest.raises(HostCommandError):
        await heating.set_mode(ACMode.COOL)


async def test_scenarios_run(house: House, sim: VBoxSimulator) -> None:
    scenario = next(iter(house.scenarios.values()))
    simulated = sim.house.scenario(scenario.scenario_id)
    await scenario.activate()
    for action in simulated.actions:
        await until(lambda action=action: house.key(action.node, action.key).is_on is action.on)


async def test_a_scenario_the_box_does_not_know_fails(house: House) -> None:
    scenario = next(iter(house.scenarios.values()))
    gone = type(scenario)(house, type(scenario.info)(9999, None, "Gone"))
    with pytest.raises(HostCommandError, match="did not run"):
        await gone.activate()


async def test_leds_switch_where_the_firmware_allows(house: House, sim: VBoxSimulator) -> None:
    key = house.key(1, 4)
    assert key is not None
    assert house.link.supports_leds
    await key.set_led(True)
    assert key.led_on is True
    assert received(sim, host.led(1, 5, on=True)) == 1


async def test_leds_need_firmware_9(make_sim: Any) -> None:
    sim = await make_sim(host_version="866")
    house = host_house(sim)
    await house.connect()
    await house.discover()
    try:
        key = house.key(1, 4)
        assert key is not None
        assert not house.link.supports_leds
        with pytest.raises(NotSupportedError, match=r"firmware 9 .*866"):
            await key.set_led(True)
    finally:
        await house.disconnect()


async def test_keypad_settings_need_the_app_interface(house: House) -> None:
    with pytest.raises(NotSupportedError, match="app interface"):
        await house.nodes[1].set_locked(True)
    with pytest.raises(NotSupportedError, match="hardware identity"):
        await house.read_identity()


# -- outages ---------------------------------------------------------------------------------


async def test_commands_during_an_outage_fail_clearly_and_the_house_comes_back(
    house: House, sim: VBoxSimulator
) -> None:
    states: list[ConnectionState] = []
    house.on_connection_state(states.append)
    await sim.unplug()
    await until(lambda: not house.connected)
    lamp = house.key(4, 2)
    assert lamp is not None
    with pytest.raises(NoConnectionError):
        await lamp.turn_on()
    await sim.start()
    await until(lambda: house.connected)
    await lamp.turn_on()
    assert sim.house.key(4, 2).on
    assert states[0] is ConnectionState.DISCONNECTED
    assert states[-1] is ConnectionState.CONNECTED


# -- both interfaces -------------------------------------------------------------------------


@pytest.fixture
async def dual(sim: VBoxSimulator) -> AsyncIterator[House]:
    house = dual_house(sim)
    await house.connect()
    await house.discover()
    await house.read_states()
    yield house
    await house.disconnect()


async def test_both_interfaces_make_one_house(dual: House, sim: VBoxSimulator) -> None:
    simulated = sim.house
    assert dual.identity == simulated.node(1).mac.replace(":", "").lower()
    assert dual.nodes[1].keys[0].kind is KeyKind.LIGHT  # VTU's category
    assert dual.nodes[1].info.model == simulated.node(1).model
    assert set(dual.climates) == {ac.id for ac in simulated.acs}
    assert set(dual.scenarios) == {scenario.id for scenario in simulated.scenarios}
    assert dual.topology.room_floors == {room.id: room.floor for room in simulated.rooms}
    assert dual.nodes[1].is_locked is not None  # keypad settings from VTU


async def test_vtu_reads_only_what_the_database_lacks(dual: House, sim: VBoxSimulator) -> None:
    """Rooms and names come from the database; VTU asks each node, and the parameters of
    its toggle keys only (their category tells a light from a switch)."""
    toggles = [key for node in sim.house.nodes for key in node.keys if key.type.name == "TOGGLE"]
    assert len(sim.requests_of(CommandID.KEY_PARAMETERS)) == len(toggles) + 1  # + the probe
    assert not sim.requests_of(CommandID.ROOM_META_DATA)
    assert len(sim.requests_of(CommandID.NODE_META_DATA)) == len(sim.house.nodes)
    assert {(k.node_id, k.key_id): k.name for k in dual.all_keys()} == {
        (node.id, key.id): key.name for node in sim.house.nodes for key in node.keys
    }
    assert dual.rooms == {room.id: room.name for room in sim.house.rooms}


@pytest.fixture
async def connected(sim: VBoxSimulator) -> AsyncIterator[House]:
    """Both interfaces connected, nothing discovered; a host request waits up to 30 s."""
    house = dual_house(sim, request_timeout=30)
    await house.connect()
    yield house
    await house.disconnect()


async def test_vtu_reads_the_nodes_while_the_database_is_read(
    connected: House, sim: VBoxSimulator
) -> None:
    """With the host interface silent, VTU still reads every node: the two run at once.
    When the database read then fails, so does the discovery, with its error."""
    await sim.inject_host("silent")
    discovery = asyncio.ensure_future(connected.discover())
    await until(lambda: len(sim.requests_of(CommandID.NODE_META_DATA)) == len(sim.house.nodes))
    assert not discovery.done()
    assert not sim.requests_of(CommandID.KEY_PARAMETERS)[1:]  # toggles wait for the database
    await sim.inject_host("close")
    with pytest.raises(VitreaConnectionError):
        await discovery


async def test_a_vtu_failure_stops_the_database_read(connected: House, sim: VBoxSimulator) -> None:
    """VTU's error ends the discovery at once, not after the silent host's 30 s timeout."""
    await sim.inject_host("silent")
    await sim.inject("error", 1)
    async with asyncio.timeout(10):
        with pytest.raises(CommandRejectedError):
            await connected.discover()
    await sim.inject_host("recover")
    await until(lambda: connected.link.host.connected)  # type: ignore[attr-defined]
    await connected.discover()
    assert set(connected.climates) == {ac.id for ac in sim.house.acs}


async def bell_presses(house: House, sim: VBoxSimulator, *kinds: str) -> list[Press]:
    """What the house reports of the entrance's push button pressed ``kinds`` at the wall."""
    presses: list[Press] = []
    bell = house.key(1, 4)
    assert bell is not None
    unsubscribe = bell.on_press(presses.append)
    for kind in kinds:
        await sim.press(1, 4, kind)
    await until(lambda: Press.RELEASE in presses)
    unsubscribe()
    return presses


async def test_each_press_is_reported_once(dual: House, sim: VBoxSimulator) -> None:
    assert await bell_presses(dual, sim, "short", "release") == [Press.SHORT, Press.RELEASE]


async def test_a_push_buttons_long_press_is_told_by_vtu_and_by_the_host_without_it(
    dual: House, sim: VBoxSimulator
) -> None:
    """The host interface tells a push button's down and up only: VTU tells it long."""
    assert await bell_presses(dual, sim, "long", "release") == [Press.LONG, Press.RELEASE]
    await sim.inject("silent")  # VTU's heartbeat goes unanswered: the host interface tells it
    await until(lambda: not dual.link.vtu.connected)  # type: ignore[attr-defined]
    assert await bell_presses(dual, sim, "long", "release") == [Press.SHORT, Press.RELEASE]
    await sim.inject("recover")


async def test_keys_go_over_the_host_interface_and_vtu_takes_over_without_it(
    dual: House, sim: VBoxSimulator
) -> None:
    lamp = dual.key(4, 2)
    assert lamp is not None
    await lamp.turn_on()
    assert received(sim, host.key_on(4, 3)) == 1
    await sim.inject_host("close")
    await until(lambda: not dual.link.host.connected)  # type: ignore[attr-defined]
    assert dual.connected
    await lamp.turn_off()
    assert not sim.house.key(4, 2).on
    assert received(sim, host.key_off(4, 3)) == 0
    await until(lambda: dual.link.host.connected)  # type: ignore[attr-defined]


async def test_keypad_settings_go_over_vtu(dual: House, sim: VBoxSimulator) -> None:
    await dual.nodes[1].set_locked(True)
    assert sim.house.node(1).locked


async def test_timers_longer_than_the_host_interface_takes_go_over_vtu(
    dual: House, sim: VBoxSimulator, house: House
) -> None:
    """Two hours is the host interface's longest timer: a longer one is refused there, not
    cut short, and the dual link sends it over VTU."""
    boiler = next(k for k in house.all_keys() if k.kind is KeyKind.BOILER)
    with pytest.raises(NotSupportedError, match="120 minutes"):
        await boiler.turn_on(timer=3 * 3600)
    dual_boiler = dual.key(boiler.node_id, boiler.key_id)
    assert dual_boiler is not None
    await dual_boiler.turn_on(timer=3 * 3600)
    assert sim.house.key(boiler.node_id, boiler.key_id).on
    assert not any(
        line.startswith(b"H:N") and b":O:" in line and b"180" in line
        for line in sim.host_server.received
    )
    assert sim.requests_of(CommandID.TOGGLE_KEY_STATUS)


# -- the fault matrix over the host connection ---------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [("split",), ("merge",), ("garbage", "64"), ("delay", "0.02")],
    ids=["split", "merge", "garbage", "delay"],
)
async def test_the_house_works_through_a_faulty_host_connection(
    house: House, sim: VBoxSimulator, fault: tuple[str, ...]
) -> None:
    """Split and merged writes, garbage between lines, a slow box: commands, states and
    the database all still work, and nothing malformed is taken for a message."""
    await sim.inject_host(*fault)
    lamp = house.key(4, 2)
    assert lamp is not None
    await lamp.turn_on()
    assert sim.house.key(4, 2).on
    await sim.set_key(3, 1, level=33)
    await until(lambda: house.key(3, 1) is not None and house.key(3, 1).level == 33)  # type: ignore[union-attr]
    await house.read_states()
    await house.rediscover()
    assert house.connected


async def test_a_connection_dropped_mid_command_fails_it_clearly(
    house: House, sim: VBoxSimulator
) -> None:
    """The box goes silent, then closes: the command in flight fails with a connection
    error, not a hang; the house reconnects and the next command works."""
    lamp = house.key(4, 2)
    assert lamp is not None
    await sim.inject_host("silent")
    command = asyncio.ensure_future(lamp.turn_on())
    await until(lambda: host.key_on(4, 3) in sim.host_server.received)
    await sim.inject_host("close")
    with pytest.raises(VitreaConnectionError, match="closed the connection"):
        await command
    await sim.inject_host("reset")
    await until(lambda: house.connected)
    await lamp.turn_on()
    assert sim.house.key(4, 2).on


async def test_an_error_code_from_the_box_fails_the_command_with_it(
    house: House, sim: VBoxSimulator
) -> None:
    await sim.inject_host("error", "3")
    lamp = house.key(4, 2)
    assert lamp is not None
    with pytest.raises(HostCommandError) as caught:
        await lamp.turn_on()
    assert caught.value.code == 3
    await lamp.turn_on()  # the fault was for one command
    assert sim.house.key(4, 2).on


async def test_a_quick_discovery_is_completed_by_vtu_without_a_new_shape(
    sim: VBoxSimulator,
) -> None:
    """The host database alone first: every key but the toggles has its kind, no node its
    details; the reading over both then adds those to the same Node and Key objects."""
    house = dual_house(sim)
    await house.connect()
    try:
        await house.discover(quickly=True)
        toggles = {key.address for key in house.topology.all_keys() if key.type == KeyType.TOGGLE}
        assert toggles
        assert {key.info.address for key in house.all_keys() if key.kind is None} >= toggles
        assert all(node.info.eui64 is None for node in house.nodes.values())
        assert house.nodes[1].is_locked is None
        node, key = house.nodes[1], house.nodes[1].keys[0]
        await house.read_states()
        change = await house.rediscover()
        assert not change.reshaped, [
            (node_id, old, change.topology.nodes[node_id])
            for node_id, old in house.topology.nodes.items()
            if node_id in change.topology.nodes and old.reshaped_by(change.topology.nodes[node_id])
        ]
        assert (change.added, change.removed) == ([], [])
        assert {key.address for key in change.kinds_read} == toggles
        assert house.nodes[1] is node
        assert node.keys[0] is key
        assert key.kind is KeyKind.LIGHT  # VTU's category
        assert node.info.eui64 == sim.house.node(1).mac.replace(":", "").lower()
        assert node.is_locked is not None
        assert {n.node_id for n in change.detailed} == set(house.nodes)
        # A key the database puts in another room than its node's keeps it (the demo
        # house's gate lantern, at the door, lights the garden).
        lantern = house.nodes[1].keys[2]
        assert (lantern.info.room_id, lantern.room) == (11, "Garden")
        assert house.nodes[1].keys[1].info.room_id is None
        assert house.nodes[1].keys[1].room == house.nodes[1].room
        assert Topology.from_dict(house.topology.as_dict()) == house.topology
    finally:
        await house.disconnect()
