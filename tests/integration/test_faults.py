"""A misbehaving vBox, inside a real Home Assistant, with the simulator.

Every case checks what a user sees: entities unavailable while the box is, back with the
right states afterwards, a translated error for actions attempted meanwhile, entities that
never claim a command worked when the box did not confirm it, no entity lost or duplicated,
and nothing leaked after many reloads.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.cover import ATTR_CURRENT_POSITION, SERVICE_OPEN_COVER
from homeassistant.components.cover import DOMAIN as COVER_DOMAIN
from homeassistant.components.light import ATTR_BRIGHTNESS
from homeassistant.components.light import DOMAIN as LIGHT_DOMAIN
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.components.select import DOMAIN as SELECT_DOMAIN
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    EVENT_STATE_CHANGED,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import (
    CONF_HEARTBEAT_INTERVAL,
    CONF_REQUEST_TIMEOUT,
    DOMAIN,
)
from custom_components.vitrea.vbox import (
    AckType,
    CommandID,
    ConnectionConfig,
    Frame,
    SocketConfig,
    VitreaClient,
    VitreaConnectionError,
)
from tests.integration.conftest import PASSWORD, USERNAME
from tests.integration.helpers import (
    BACKLIGHT,
    BLIND,
    BOILER,
    CONNECTIVITY,
    LIGHT,
    LOCK,
    SCENE,
    TOGGLE_LIGHT,
    Entity,
    entity_id,
    setup_entry,
    vtu_client,
)
from vbox_simulator import VBoxSimulator, encode
from vbox_simulator.box import Answer, ClientState
from vbox_simulator.pytest_plugin import until

HEARTBEAT_INTERVAL = 0.3
REQUEST_TIMEOUT = 0.5
MARGIN = 1.5
"""Slack for a loaded two-core machine, on top of what the protocol timings allow."""


def entry_with(entry: MockConfigEntry, **options: float) -> MockConfigEntry:
    """A copy of ``entry`` with other options (the shared one: no gap, 0.5 s, 5 s)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        data=dict(entry.data),
        options={**entry.options, **options},
    )


HEARTBEAT = {CONF_HEARTBEAT_INTERVAL: HEARTBEAT_INTERVAL, CONF_REQUEST_TIMEOUT: REQUEST_TIMEOUT}
"""Entry options with a heartbeat short enough to watch."""
DETECTION = 2 * HEARTBEAT_INTERVAL + REQUEST_TIMEOUT + MARGIN
"""A box that stopped answering is noticed within two heartbeat intervals and a timeout."""


def open_fds() -> int:
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@pytest.fixture(autouse=True)
async def no_leaked_sockets(hass: HomeAssistant, sim: VBoxSimulator) -> AsyncIterator[None]:
    """Every socket a test opens is closed once its entry is unloaded.

    Set up before the entry and torn down after it is unloaded (Home Assistant's own
    fixtures already fail a test that leaves tasks or timers behind).
    """
    before = open_fds()
    yield
    await until(lambda: not sim.client_connected)
    assert open_fds() <= before


class StateLog:
    """Every state an entity takes, in order."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.changes: list[tuple[str, str]] = []
        self._unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, self._record)

    @callback
    def _record(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None:
            self.changes.append((event.data["entity_id"], new.state))

    def of(self, entity_id: str) -> list[str]:
        return [state for changed, state in self.changes if changed == entity_id]

    def went_unavailable(self) -> set[str]:
        return {entity_id for entity_id, state in self.changes if state == STATE_UNAVAILABLE}

    def close(self) -> None:
        self._unsubscribe()


@pytest.fixture
def state_log(hass: HomeAssistant) -> Iterator[StateLog]:
    log = StateLog(hass)
    yield log
    log.close()


def key_entities(entity_registry: er.EntityRegistry, entry: MockConfigEntry) -> list[str]:
    """Every enabled entity of the entry but the hub's connectivity sensor."""
    return sorted(
        entity.entity_id
        for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if entity.unique_id != CONNECTIVITY.unique_id and entity.disabled_by is None
    )


def states(hass: HomeAssistant, entity_ids: list[str]) -> dict[str, tuple[str, Any]]:
    """State and attributes of each entity (events and buttons keep their last time)."""
    result: dict[str, tuple[str, Any]] = {}
    for entity in entity_ids:
        state = hass.states.get(entity)
        assert state is not None, entity
        result[entity] = (state.state, dict(state.attributes))
    return result


def all_in(hass: HomeAssistant, entity_ids: list[str], expected: str) -> bool:
    return all((s := hass.states.get(e)) is not None and s.state == expected for e in entity_ids)


def none_in(hass: HomeAssistant, entity_ids: list[str], unexpected: str) -> bool:
    return all((s := hass.states.get(e)) is not None and s.state != unexpected for e in entity_ids)


def assert_same_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    entry: MockConfigEntry,
    before: list[str],
) -> None:
    """No entity lost, none duplicated, no state without a registry entry."""
    connectivity = entity_id(hass, CONNECTIVITY)
    assert key_entities(entity_registry, entry) == before
    assert sorted(hass.states.async_entity_ids()) == sorted([*before, connectivity])


async def turn_on(hass: HomeAssistant, entity_id: str, **data: Any) -> None:
    await hass.services.async_call(
        entity_id.split(".", maxsplit=1)[0],
        SERVICE_TURN_ON,
        {ATTR_ENTITY_ID: entity_id, **data},
        blocking=True,
    )


async def ride_out_outage(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    state_log: StateLog,
    away: Callable[[], Awaitable[object]],
    back: Callable[[], Awaitable[object]] | None = None,
    *,
    while_away: Callable[[], Awaitable[object]] | None = None,
    within: float = 10.0,
) -> list[str]:
    """The vBox goes away (``away()``) and comes back (``back()``, or by itself if ``None``).

    Checks what a user sees: every key entity unavailable and the vBox's connectivity sensor
    off within ``within`` seconds (all at once while the box stays away, when
    ``while_away()`` runs), then every entity available and the sensor on again, none lost
    or duplicated. Returns the key entities.
    """
    entity_registry = er.async_get(hass)
    entities = key_entities(entity_registry, entry)
    connectivity = entity_id(hass, CONNECTIVITY)
    state_log.changes.clear()
    await away()
    await until(
        lambda: (
            set(entities) <= state_log.went_unavailable() and "off" in state_log.of(connectivity)
        ),
        timeout=within,
    )
    if back is not None:
        assert all_in(hass, entities, STATE_UNAVAILABLE)
        assert hass.states.get(connectivity).state == "off"
        if while_away is not None:
            await while_away()
        await back()
    await until(lambda: none_in(hass, entities, STATE_UNAVAILABLE))
    await until(lambda: hass.states.get(connectivity).state == "on")
    assert_same_entities(hass, entity_registry, entry, entities)
    return entities


@dataclass(frozen=True)
class Outage:
    """A fault that takes the vBox away, and the one that ends it (``None``: it ends itself)."""

    away: str
    back: str | None = None
    options: Mapping[str, float] = field(default_factory=dict)
    """Entry options on top of the shared ones."""
    within: float = 10.0
    """Seconds until the entities show the box gone."""
    counters: Mapping[str, int] = field(default_factory=dict)
    """The simulator's counters afterwards (connections, logins...)."""


OUTAGES = [
    pytest.param(
        Outage("close", counters={"connections": 2, "logins": 2, "refused_connections": 0}),
        id="box closes the idle connection",
    ),
    # The TCP connection stays open: only the heartbeat can tell.
    pytest.param(Outage("silent", "reset", HEARTBEAT, DETECTION), id="box goes silent"),
    pytest.param(Outage("corrupt", "reset", HEARTBEAT, DETECTION), id="box sends broken frames"),
]


@pytest.mark.parametrize("outage", OUTAGES)
async def test_entities_come_back_as_they_were_after_an_outage(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
    state_log: StateLog,
    outage: Outage,
) -> None:
    entry = entry_with(mock_config_entry, **outage.options)
    assert await setup_entry(hass, entry)
    before = states(hass, key_entities(entity_registry, entry))
    back = outage.back

    entities = await ride_out_outage(
        hass,
        entry,
        state_log,
        lambda: sim.inject(outage.away),
        None if back is None else lambda: sim.inject(back),
        within=outage.within,
    )

    assert states(hass, entities) == before
    assert {name: getattr(sim, name) for name in outage.counters} == outage.counters
    assert await hass.config_entries.async_unload(entry.entry_id)


def client_of(sim: VBoxSimulator, password: str, **socket: float) -> VitreaClient:
    """A client of ``sim`` other than Home Assistant's, that never reconnects."""
    return VitreaClient(
        ConnectionConfig(
            host="127.0.0.1",
            port=sim.port,
            username=USERNAME,
            password=password,
            version=sim.version,
            environ={},
        ),
        SocketConfig(**socket, reconnect=False, environ={}),
    )


# -- the box closes the connection ------------------------------------------------------


async def test_box_closes_the_connection_while_an_action_waits(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: VBoxSimulator,
    state_log: StateLog,
) -> None:
    entry = entry_with(mock_config_entry, **{CONF_REQUEST_TIMEOUT: 3.0})
    assert await setup_entry(hass, entry)
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    action: asyncio.Task[None] | None = None

    async def close_while_an_action_waits() -> None:
        nonlocal action
        await sim.inject("delay", 1.0)  # the answer is on its way...
        action = hass.async_create_task(turn_on(hass, toggle_light))
        await sim.wait_for_request(CommandID.TOGGLE_KEY_STATUS)
        await sim.inject("reset")
        await sim.inject("close")  # ...when the box closes the connection

    await ride_out_outage(hass, entry, state_log, close_while_an_action_waits)

    assert action is not None
    with pytest.raises(HomeAssistantError) as caught:
        async with asyncio.timeout(10):
            await action
    assert caught.value.translation_key == "communication_error"
    assert "closed the connection" in caught.value.translation_placeholders["error"]
    # The box did switch the lamp, but never confirmed it: the entity did not claim "on"
    # before the connection was lost, and shows the truth once the box is back.
    await until(lambda: hass.states.get(toggle_light).state == "on")
    assert state_log.of(toggle_light)[0] == STATE_UNAVAILABLE
    assert sim.house.key(3, 3).on
    assert await hass.config_entries.async_unload(entry.entry_id)


# -- the box restarts -----------------------------------------------------------------------


async def test_box_restarts_and_entities_come_back_with_the_changes(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    state_log: StateLog,
) -> None:
    light = entity_id(hass, LIGHT)
    blind = entity_id(hass, BLIND)
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    assert hass.states.get(light).state == "on"
    port = sim.port

    async def while_away() -> None:
        # Actions while the box is away: Home Assistant skips an unavailable entity, and the
        # entity itself, if reached (e.g. by an automation racing the outage), raises a
        # clear, translated error. Nothing claims success.
        await turn_on(hass, toggle_light)
        lamp = hass.data[LIGHT_DOMAIN].get_entity(toggle_light)
        with pytest.raises(HomeAssistantError) as caught:
            await lamp.async_turn_on()
        assert caught.value.translation_domain == DOMAIN
        assert caught.value.translation_key == "communication_error"
        assert hass.states.get(toggle_light).state == STATE_UNAVAILABLE
        # Changes at the wall while Home Assistant cannot see them.
        sim.house.key(2, 0).command(on=False)
        sim.house.key(3, 3).command(on=True)
        sim.house.key(3, 1).command(on=True, level=70)

    await ride_out_outage(hass, loaded_entry, state_log, sim.stop, sim.start, while_away=while_away)

    assert sim.port == port
    # The states are read again once the box is back.
    await until(lambda: hass.states.get(light).state == "off")
    await until(lambda: hass.states.get(toggle_light).state == "on")
    await until(lambda: hass.states.get(blind).attributes[ATTR_CURRENT_POSITION] == 70)
    assert sim.connections == 2


# -- garbage, split and merged frames, bad checksums, stray replies -----------------------


@pytest.mark.parametrize(
    ("fault", "argument"),
    [
        ("garbage", 500),
        ("split", None),
        ("merge", None),
        ("stray", None),
        ("corrupt", 1),  # the answer to the action: the client retries
    ],
)
async def test_broken_streams_do_not_disturb_the_entities(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
    state_log: StateLog,
    fault: str,
    argument: int | None,
) -> None:
    light = entity_id(hass, LIGHT)
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    entities = key_entities(entity_registry, loaded_entry)
    await sim.inject(fault, argument)
    await turn_on(hass, toggle_light)
    assert sim.house.key(3, 3).on
    assert hass.states.get(toggle_light).state == "on"
    if fault != "corrupt":  # a corrupted push is lost for good: nothing re-sends it
        await sim.inject(fault, argument)
    sim.house.node(2).locked = False  # a locked keypad ignores the wall
    await sim.set_key(2, 0, level=30)  # at the wall
    await until(lambda: hass.states.get(light).attributes.get(ATTR_BRIGHTNESS) == 76)
    lamp = entity_id(hass, Entity.of_node(LIGHT_DOMAIN, 3, 2))  # "מנורה", off
    await sim.press(3, 2, "short")  # a toggle: the press also switches it on
    await until(lambda: hass.states.get(lamp).state == "on")
    assert not state_log.went_unavailable()
    assert sim.connections == 1
    assert_same_entities(hass, entity_registry, loaded_entry, entities)
    if fault == "corrupt":
        first, retry = sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[:2]
        assert first.message_id == retry.message_id


# -- the box rejects commands ------------------------------------------------------------


ACTIONS: list[tuple[str, str, Entity, dict[str, Any]]] = [
    (LIGHT_DOMAIN, SERVICE_TURN_ON, TOGGLE_LIGHT, {}),
    (LIGHT_DOMAIN, SERVICE_TURN_OFF, LIGHT, {}),
    (COVER_DOMAIN, SERVICE_OPEN_COVER, BLIND, {}),
    (SWITCH_DOMAIN, SERVICE_TURN_OFF, LOCK, {}),
    (SELECT_DOMAIN, SERVICE_SELECT_OPTION, BACKLIGHT, {ATTR_OPTION: "max"}),
    (DOMAIN, "turn_on_for", BOILER, {"duration": {"minutes": 5}}),
    (BUTTON_DOMAIN, SERVICE_PRESS, SCENE, {}),
]


@pytest.mark.parametrize(
    ("fault", "reason"), [("nack", "nack"), ("in_use", "in_use"), ("error", "error")]
)
async def test_rejected_commands_raise_and_change_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
    state_log: StateLog,
    fault: str,
    reason: str,
) -> None:
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    connectivity = entity_id(hass, CONNECTIVITY)
    entities = key_entities(entity_registry, loaded_entry)
    before = states(hass, [e for e in entities if not e.startswith(BUTTON_DOMAIN)])
    box_before = sim.state()
    nodes_before = [(node.locked, node.led) for node in sim.house.nodes]
    await sim.inject(fault)
    for domain, service, target, data in ACTIONS:
        with pytest.raises(HomeAssistantError) as caught:
            await hass.services.async_call(
                domain, service, {ATTR_ENTITY_ID: entity_id(hass, target), **data}, blocking=True
            )
        assert caught.value.translation_domain == DOMAIN
        assert caught.value.translation_key == "command_rejected", (domain, service)
        assert caught.value.translation_placeholders == {"reason": reason}
    # No entity claims the command worked, and the box did nothing.
    assert states(hass, list(before)) == before
    assert sim.state() == box_before
    assert [(node.locked, node.led) for node in sim.house.nodes] == nodes_before
    # A rejection is an answer: the link is fine.
    assert not state_log.went_unavailable()
    assert hass.states.get(connectivity).state == "on"
    await sim.inject("reset")
    await turn_on(hass, toggle_light)
    assert hass.states.get(toggle_light).state == "on"


# -- replies slower than the timeout -------------------------------------------------------


async def test_replies_slower_than_the_timeout(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: VBoxSimulator,
    state_log: StateLog,
) -> None:
    timeout = 0.2
    entry = entry_with(mock_config_entry, **{CONF_REQUEST_TIMEOUT: timeout})
    assert await setup_entry(hass, entry)
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    client = vtu_client(entry)

    async def fail_an_action() -> None:
        # Longer than every attempt together: no late answer can stand in for a retry's.
        await sim.inject("delay", (client.socket_config.max_retries + 1) * timeout + 0.7)
        with pytest.raises(HomeAssistantError) as caught:
            await turn_on(hass, toggle_light)
        assert caught.value.translation_key == "communication_error"
        assert "not answered" in caught.value.translation_placeholders["error"]
        assert hass.states.get(toggle_light).state == "off"  # nothing confirmed it

    # The failure makes the client probe the link; a box this slow counts as gone.
    await ride_out_outage(hass, entry, state_log, fail_an_action, lambda: sim.inject("reset"))

    # The box had carried the command out when it finally got to it.
    await until(lambda: hass.states.get(toggle_light).state == "on")
    assert sim.house.key(3, 3).on
    assert await hass.config_entries.async_unload(entry.entry_id)


# -- the password changes on the box --------------------------------------------------------


async def test_password_changed_while_running_starts_one_reauth_and_no_loop(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    entities = key_entities(entity_registry, loaded_entry)
    new_password = "changed-on-the-box"
    sim.set_credentials(USERNAME, new_password)
    await sim.inject("close")
    await until(lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    assert all_in(hass, entities, STATE_UNAVAILABLE)
    # Let time pass, measured by another client's heartbeats (the box is free: Home
    # Assistant does not hold it): two seconds at least, beyond the first two reconnection
    # delays (0.5 s and 1 s, +-20 %). A reconnection loop would show as a second failed
    # Login or as a refused connection.
    probe = client_of(sim, new_password, heartbeat_interval=0.1, request_gap=0)
    await probe.connect()
    heartbeats = len(sim.requests_of(CommandID.HEARTBEAT))
    async with asyncio.timeout(10):
        await sim.wait_for_request(CommandID.HEARTBEAT, heartbeats + 20)
    await probe.disconnect()
    await sim.wait_until_disconnected()
    assert sim.failed_logins == 1
    assert sim.refused_connections == 0
    assert len(sim.requests_of(CommandID.LOGIN)) == 3  # setup, the failed one, the probe
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    # The user gives the new password: the entry reloads and everything is back.
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: new_password}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    await until(lambda: none_in(hass, entities, STATE_UNAVAILABLE))
    assert_same_entities(hass, entity_registry, loaded_entry, entities)
    assert sim.failed_logins == 1


async def test_busy_answer_to_login_is_not_a_password_problem(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    state_log: StateLog,
) -> None:
    handlers = sim.box._handlers
    login = handlers[CommandID.LOGIN]
    busy = [AckType.IN_USE]

    def answer(client: ClientState, frame: Frame) -> Answer:
        if busy:
            return Answer(encode.acknowledgement(frame.message_id, busy.pop()))
        return login(client, frame)

    handlers[CommandID.LOGIN] = answer
    await ride_out_outage(hass, loaded_entry, state_log, lambda: sim.inject("close"))
    assert not busy  # the reconnection's Login was answered IN_USE, and tried again
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)  # no reauth
    assert (sim.logins, sim.failed_logins) == (2, 0)


# -- a second client --------------------------------------------------------------------------


async def test_second_client_is_refused_and_home_assistant_keeps_the_box(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
    state_log: StateLog,
) -> None:
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    entities = key_entities(entity_registry, loaded_entry)
    intruder = client_of(sim, PASSWORD, request_timeout=2.0)
    with pytest.raises(VitreaConnectionError):
        await intruder.connect()
    assert sim.refused_connections == 1
    # The config flow for the same address does not even try.
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: sim.port,
            CONF_USERNAME: USERNAME,
            CONF_PASSWORD: PASSWORD,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert (sim.connections, sim.refused_connections) == (1, 1)
    # Home Assistant's connection never noticed.
    await turn_on(hass, toggle_light)
    assert sim.house.key(3, 3).on
    assert not state_log.went_unavailable()
    assert none_in(hass, entities, STATE_UNAVAILABLE)
    assert vtu_client(loaded_entry).connected


# -- many reloads ------------------------------------------------------------------------------


def client_tasks() -> int:
    return sum(1 for task in asyncio.all_tasks() if task.get_name().startswith("vitrea "))


def key_listener_count(entry: MockConfigEntry) -> int:
    coordinator = entry.runtime_data
    house = coordinator.house
    return (
        sum(len(key._listeners) + len(key._press_listeners) for key in house.all_keys())
        + sum(len(node._listeners) for node in house.nodes.values())
        + len(coordinator._new_keys_listeners)
    )


async def settled(hass: HomeAssistant, sim: VBoxSimulator) -> None:
    """Setup and the background rediscovery are over."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await sim.wait_until(lambda: sim.client_logged_in)


async def test_fifty_reloads_leak_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    entities = key_entities(entity_registry, loaded_entry)
    await settled(hass, sim)
    gc.collect()
    tasks, fds, ours = len(asyncio.all_tasks()), open_fds(), client_tasks()
    listeners = len(loaded_entry.update_listeners)
    key_listeners = key_listener_count(loaded_entry)
    first = vtu_client(loaded_entry)
    first_lists = (first._key_status_listeners, first._state_listeners)
    first_client = weakref.ref(first)
    del first
    for _ in range(50):
        assert await hass.config_entries.async_reload(loaded_entry.entry_id)
        assert loaded_entry.state is ConfigEntryState.LOADED
    await settled(hass, sim)
    gc.collect()
    print(  # noqa: T201
        f"tasks {tasks} -> {len(asyncio.all_tasks())}, fds {fds} -> {open_fds()}, "
        f"client tasks {ours} -> {client_tasks()}"
    )
    assert (sim.connections, sim.refused_connections) == (51, 0)
    assert len(asyncio.all_tasks()) == tasks
    assert client_tasks() == ours == 2  # the reader and the heartbeat of one connection
    assert abs(open_fds() - fds) <= 2
    assert first_lists == ([], [])  # the first client's house and coordinator unsubscribed...
    assert first_client() is None  # ...and nothing holds on to it
    assert len(vtu_client(loaded_entry)._key_status_listeners) == 1
    assert len(vtu_client(loaded_entry)._state_listeners) == 1
    assert len(loaded_entry.update_listeners) == listeners
    assert key_listener_count(loaded_entry) == key_listeners
    assert_same_entities(hass, entity_registry, loaded_entry, entities)
    assert none_in(hass, entities, STATE_UNAVAILABLE)
