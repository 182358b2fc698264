"""Presses at the wall: device triggers, the bus event and the logbook's lines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.logbook import _process_logbook_platform
from homeassistant.components.logbook import const as logbook_const
from homeassistant.components.logbook.const import (
    DOMAIN as LOGBOOK,
)
from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_NAME,
    LOGBOOK_ENTRY_STATE,
    LOGBOOK_ENTRY_WHEN,
)
from homeassistant.components.logbook.helpers import (
    async_determine_event_types,
    async_subscribe_events,
)
from homeassistant.components.logbook.models import LogbookConfig, async_event_to_row
from homeassistant.components.logbook.processor import EventProcessor
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.integration_platform import async_process_integration_platforms
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.vitrea import device_trigger
from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.presses import EVENT_KEY_PRESS
from tests.integration.conftest import EntryFactory
from tests.integration.helpers import BELL, MAIN_LIGHT, entity_id
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until

BELL_NODE, BELL_KEY = 1, 2  # "פעמון", a push button
SATELLITE_KEY = 3  # "כל האורות", a satellite key of the same node


def node_device(hass: HomeAssistant, node_id: int) -> dr.DeviceEntry:
    """The device of a node of the small house."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    device_id = entry.runtime_data.device_ids[node_id]
    device = dr.async_get(hass).async_get(device_id)
    assert device is not None
    return device


def collect(hass: HomeAssistant, event_type: str) -> list[Event]:
    """Every ``event_type`` event fired from now on."""
    events: list[Event] = []

    @callback
    def append(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(event_type, append)
    return events


async def automate(hass: HomeAssistant, triggers: list[dict[str, Any]]) -> list[Event]:
    """An automation that fires ``test_ran`` on ``triggers``; the runs, as they come."""
    runs = collect(hass, "test_ran")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Counts presses",
                "mode": "queued",
                "triggers": triggers,
                "actions": [
                    {"event": "test_ran", "event_data": {"type": "{{ trigger.event.data.type }}"}}
                ],
            }
        },
    )
    return runs


def bell_trigger(hass: HomeAssistant, press: str) -> dict[str, Any]:
    """The device trigger the automation editor offers for ``press`` of the bell."""
    bell = er.async_get(hass).async_get(entity_id(hass, BELL))
    assert bell is not None
    return {
        "trigger": "device",
        "domain": DOMAIN,
        "device_id": node_device(hass, BELL_NODE).id,
        "entity_id": bell.id,
        "type": press,
    }


async def test_each_button_key_offers_three_triggers(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, node_device(hass, BELL_NODE).id
    )
    ours = [trigger for trigger in triggers if trigger["domain"] == DOMAIN]
    registry = er.async_get(hass)
    keys = {
        (registry.async_get(trigger["entity_id"]).unique_id, trigger["type"])  # type: ignore[union-attr]
        for trigger in ours
    }
    unique_ids = [f"{BELL.unique_id[:-2]}_{key}" for key in (BELL_KEY, SATELLITE_KEY)]
    assert keys == {
        (unique_id, press)
        for unique_id in unique_ids
        for press in ("short_press", "long_press", "release")
    }
    # A node without push buttons or satellites offers none of its own.
    dimmer_node = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, node_device(hass, 2).id
    )
    assert [trigger for trigger in dimmer_node if trigger["domain"] == DOMAIN] == []


async def test_three_presses_run_the_automation_three_times(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    runs = await automate(hass, [bell_trigger(hass, "short_press")])
    for _ in range(3):
        await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(runs) >= 3)
    # A long press and a press of another key are other triggers.
    await sim.press(BELL_NODE, BELL_KEY, "long")
    await sim.press(BELL_NODE, SATELLITE_KEY, "short")
    await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(runs) >= 4)
    await hass.async_block_till_done()
    assert [run.data["type"] for run in runs] == ["short_press"] * 4


async def test_long_press_and_release_are_triggers_of_their_own(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    runs = await automate(hass, [bell_trigger(hass, "long_press"), bell_trigger(hass, "release")])
    await sim.press(BELL_NODE, BELL_KEY, "long")
    await sim.press(BELL_NODE, BELL_KEY, "release")
    await until(lambda: len(runs) >= 2)
    assert [run.data["type"] for run in runs] == ["long_press", "release"]


async def test_no_run_on_reload_or_reconnection(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    runs = await automate(hass, [bell_trigger(hass, "short_press")])
    await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(runs) == 1)
    presses = collect(hass, EVENT_KEY_PRESS)

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    await until(loaded_entry.runtime_data.states_read.is_set)
    await sim.close_client()  # the vBox drops the connection; the integration reconnects
    await sim.wait_for_login()
    await until(lambda: loaded_entry.runtime_data.house.connected)
    await hass.async_block_till_done()
    assert len(runs) == 1
    assert len(presses) == 0

    # The trigger still works after the reload.
    await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(runs) == 2)


async def test_the_bus_event_names_the_key(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    presses = collect(hass, EVENT_KEY_PRESS)
    await sim.press(BELL_NODE, BELL_KEY, "long")
    await until(lambda: len(presses) == 1)
    assert presses[0].data == {
        "device_id": node_device(hass, BELL_NODE).id,
        "entity_id": entity_id(hass, BELL),
        "node_id": BELL_NODE,
        "key_id": BELL_KEY,
        "name": "פעמון",
        "type": "long_press",
    }


async def test_a_yaml_event_trigger_on_the_bus_event(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    runs = await automate(
        hass,
        [
            {
                "trigger": "event",
                "event_type": EVENT_KEY_PRESS,
                "event_data": {"node_id": BELL_NODE, "key_id": BELL_KEY, "type": "short_press"},
            }
        ],
    )
    await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(runs) == 1)


async def test_a_trigger_of_a_removed_key_fails_clearly(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    config = bell_trigger(hass, "short_press")
    light = er.async_get(hass).async_get(entity_id(hass, MAIN_LIGHT))
    assert light is not None
    er.async_get(hass).async_remove(entity_id(hass, BELL))
    with pytest.raises(InvalidDeviceAutomationConfig, match="No Vitrea key"):
        await device_trigger.async_attach_trigger(
            hass,
            config,
            lambda *_: None,
            {"name": "test"},  # type: ignore[arg-type, typeddict-item]
        )
    with pytest.raises(InvalidDeviceAutomationConfig, match="No Vitrea key"):
        await device_trigger.async_attach_trigger(
            hass,
            config | {"entity_id": "light.elsewhere"},
            lambda *_: None,
            {"name": "test"},  # type: ignore[arg-type, typeddict-item]
        )


type LogbookLines = Callable[[], list[dict[str, Any]]]
"""The logbook's lines of what happened since it was started, as dictionaries."""


@pytest.fixture
async def logbook(hass: HomeAssistant) -> AsyncIterator[Callable[[], Awaitable[LogbookLines]]]:
    """Start the logbook's live view, made by Home Assistant's own logbook code: the
    integrations' descriptions of events (their ``logbook`` platforms), the events and state
    changes it listens to and filters, its rows and their processing into lines; without the
    frontend (the newest release's test venv has none) or the recorder. Started once the
    entry is loaded, as a browser opening the logbook page would be.
    """
    subscriptions: list[CALLBACK_TYPE] = []

    async def start() -> LogbookLines:
        hass.data[LOGBOOK] = LogbookConfig({})
        await async_process_integration_platforms(hass, LOGBOOK, _process_logbook_platform)
        await hass.async_block_till_done()
        event_types = async_determine_event_types(hass, None, None)
        events: list[Event] = []

        @callback
        def append(event: Event) -> None:
            events.append(event)

        async_subscribe_events(hass, subscriptions, append, event_types, None, None, None)
        processor = EventProcessor(hass, event_types)
        return lambda: processor.humanify([async_event_to_row(event) for event in events])

    yield start
    for unsubscribe in subscriptions:
        unsubscribe()


EXPOSES_EVENT_TYPE = "event_type" in getattr(logbook_const, "EXPOSED_STATE_ATTRIBUTES", ())
"""Whether this release's logbook gives an event entity's line its event type, which the
frontend then writes translated ("Short press"): Home Assistant 2026.10 does, 2025.4 does
not (its frontend writes "detected an event")."""


def press_line(hass: HomeAssistant, entity: str, press: str) -> dict[str, Any]:
    """The logbook's line of a ``press`` of the key whose event entity is ``entity``: the
    entity's own, with its name, its state and (where the release has it) the press."""
    state = hass.states.get(entity)
    assert state is not None
    line = {
        LOGBOOK_ENTRY_ENTITY_ID: entity,
        LOGBOOK_ENTRY_NAME: state.name,
        LOGBOOK_ENTRY_STATE: state.state,
    }
    if EXPOSES_EVENT_TYPE:
        line["attributes"] = {"event_type": press}
    return line


def without_time(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``lines`` without their times and icons (which the assertions do not name)."""
    return [
        {key: value for key, value in line.items() if key not in {LOGBOOK_ENTRY_WHEN, "icon"}}
        for line in lines
    ]


async def test_a_short_press_is_one_logbook_line(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    logbook: Callable[[], Awaitable[LogbookLines]],
) -> None:
    lines = await logbook()
    presses = collect(hass, EVENT_KEY_PRESS)
    bell = entity_id(hass, BELL)
    await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(presses) == 1)
    await hass.async_block_till_done()
    assert without_time(lines()) == [press_line(hass, bell, "short_press")]

    # A second press is a second line, of its own state.
    await sim.press(BELL_NODE, BELL_KEY, "short")
    await until(lambda: len(presses) == 2)
    await hass.async_block_till_done()
    assert len(lines()) == 2
    assert without_time(lines()[1:]) == [press_line(hass, bell, "short_press")]


async def test_a_long_press_and_its_release_are_one_logbook_line(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    logbook: Callable[[], Awaitable[LogbookLines]],
) -> None:
    lines = await logbook()
    presses = collect(hass, EVENT_KEY_PRESS)
    bell = entity_id(hass, BELL)
    await sim.press(BELL_NODE, BELL_KEY, "long")
    await sim.press(BELL_NODE, BELL_KEY, "release")
    await until(lambda: len(presses) == 2)
    await hass.async_block_till_done()
    # Automations hear the release (the bus event, the device trigger); the logbook and the
    # event entity tell the long press alone.
    assert [press.data["type"] for press in presses] == ["long_press", "release"]
    assert without_time(lines()) == [press_line(hass, bell, "long_press")]
    assert hass.states.get(bell).attributes["event_type"] == "long_press"  # type: ignore[union-attr]


async def test_a_press_over_the_host_interface_alone_is_one_logbook_line(
    hass: HomeAssistant,
    dual_entry: EntryFactory,
    logbook: Callable[[], Awaitable[LogbookLines]],
) -> None:
    """The host interface reports a push button's press as a short press and a release."""
    entry, sim = await dual_entry(vtu=False)
    await until(entry.runtime_data.states_read.is_set)  # presses while it reads are not told
    lines = await logbook()
    presses = collect(hass, EVENT_KEY_PRESS)
    await sim.press(1, 4, "short")  # the doorbell push button
    await until(lambda: len(presses) == 2)
    await hass.async_block_till_done()
    assert [press.data["type"] for press in presses] == ["short_press", "release"]
    bell = presses[0].data["entity_id"]
    assert without_time(lines()) == [press_line(hass, bell, "short_press")]


async def test_the_integration_describes_no_event_for_the_logbook(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    logbook: Callable[[], Awaitable[LogbookLines]],
) -> None:
    """The bus event of a press has no line: the event entity's is the press's line."""
    await logbook()
    assert EVENT_KEY_PRESS not in hass.data[LOGBOOK].external_events
    assert EVENT_KEY_PRESS not in async_determine_event_types(hass, None, None)
