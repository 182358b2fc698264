"""Every platform inside Home Assistant against the simulator: snapshots, pushes, actions."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import PropertyMock, patch

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.cover import (
    ATTR_CURRENT_POSITION,
    ATTR_POSITION,
    SERVICE_CLOSE_COVER,
    SERVICE_OPEN_COVER,
    SERVICE_SET_COVER_POSITION,
    SERVICE_STOP_COVER,
)
from homeassistant.components.cover import DOMAIN as COVER_DOMAIN
from homeassistant.components.light import ATTR_BRIGHTNESS
from homeassistant.components.light import DOMAIN as LIGHT_DOMAIN
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.components.select import DOMAIN as SELECT_DOMAIN
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.vbox import CommandID
from tests.integration.helpers import (
    BACKLIGHT,
    BELL,
    BLIND,
    BOILER,
    FAN,
    LIGHT,
    LOCK,
    SCENE,
    TOGGLE_LIGHT,
    entity_id,
    setup_entry,
)
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until


@pytest.mark.parametrize(
    "platform",
    [
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.COVER,
        Platform.EVENT,
        Platform.LIGHT,
        Platform.SELECT,
        Platform.SENSOR,
        Platform.SWITCH,
    ],
)
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    with (
        patch("custom_components.vitrea.PLATFORMS", [platform]),
        patch(  # entities disabled by default too (on/off lights' "Turns off at")
            "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
            new_callable=PropertyMock,
            return_value=True,
        ),
    ):
        assert await setup_entry(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_every_kind_of_entity_has_a_state(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    for entity in (LIGHT, TOGGLE_LIGHT, FAN, BOILER, BLIND, SCENE, BELL, LOCK, BACKLIGHT):
        state = hass.states.get(entity_id(hass, entity))
        assert state is not None, entity
        assert state.state != "unavailable", entity


async def test_light_actions_reach_the_box(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    light = entity_id(hass, LIGHT)
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    key = sim.house.key(2, 0)
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: light, ATTR_BRIGHTNESS: 128}, blocking=True
    )
    assert (key.on, key.level) == (True, 50)
    assert hass.states.get(light).attributes[ATTR_BRIGHTNESS] == 128
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: light}, blocking=True
    )
    assert not key.on
    assert hass.states.get(light).state == "off"
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: toggle_light}, blocking=True
    )
    assert sim.house.key(3, 3).on
    assert hass.states.get(toggle_light).state == "on"


async def test_a_light_without_a_level_has_no_brightness(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    """A dimmer the vBox reports on at level 0 is on, at no brightness; an on/off light
    never has one."""
    dimmer = sim.house.key(2, 0)
    dimmer.on, dimmer.level = True, 0
    sim.house.key(3, 3).on = True
    assert await setup_entry(hass, mock_config_entry)
    state = hass.states.get(entity_id(hass, LIGHT))
    assert state is not None
    assert (state.state, state.attributes["color_mode"]) == ("on", "brightness")
    assert state.attributes[ATTR_BRIGHTNESS] is None
    state = hass.states.get(entity_id(hass, TOGGLE_LIGHT))
    assert state is not None
    assert (state.state, state.attributes["color_mode"]) == ("on", "onoff")
    assert state.attributes.get(ATTR_BRIGHTNESS) is None


async def test_press_at_the_wall_reaches_the_state(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    light = entity_id(hass, LIGHT)
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    sim.house.node(2).locked = False  # a locked keypad ignores the wall
    await sim.set_key(2, 0, level=30)
    await until(lambda: hass.states.get(light).attributes.get(ATTR_BRIGHTNESS) == 76)
    await sim.set_key(3, 3, on=True)
    await until(lambda: hass.states.get(toggle_light).state == "on")


async def test_switch_and_boiler(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    fan = entity_id(hass, FAN)
    boiler = entity_id(hass, BOILER)
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: fan}, blocking=True
    )
    assert sim.house.key(1, 1).on
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: fan}, blocking=True
    )
    assert not sim.house.key(1, 1).on

    await hass.services.async_call(
        DOMAIN,
        "turn_on_for",
        {ATTR_ENTITY_ID: boiler, "duration": {"minutes": 45}},
        blocking=True,
    )
    assert sim.house.key(4, 0).on
    toggle = sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1]
    assert toggle.payload == bytes((4, 0, 0x4F, 0)) + (45 * 60).to_bytes(2, "big")
    assert hass.states.get(boiler).state == "on"

    lock = entity_id(hass, LOCK)  # a keypad lock: the box times keys only
    with pytest.raises(ServiceValidationError, match=r"timer_not_supported|for a while"):
        await hass.services.async_call(
            DOMAIN, "turn_on_for", {ATTR_ENTITY_ID: lock, "duration": "00:10:00"}, blocking=True
        )


async def test_the_action_exists_before_any_entry(hass: HomeAssistant) -> None:
    """``async_setup`` registers it, for switches and lights alike, on every release."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, "turn_on_for")


async def test_cover(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    blind = entity_id(hass, BLIND)
    key = sim.house.key(3, 1)
    assert hass.states.get(blind).state == "closed"
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_OPEN_COVER, {ATTR_ENTITY_ID: blind}, blocking=True
    )
    assert (key.on, key.level) == (True, 100)
    await hass.services.async_call(
        COVER_DOMAIN,
        SERVICE_SET_COVER_POSITION,
        {ATTR_ENTITY_ID: blind, ATTR_POSITION: 30},
        blocking=True,
    )
    assert key.level == 30
    # The position shown is the one the vBox reports (here at once: these blinds take no time).
    await until(lambda: hass.states.get(blind).attributes[ATTR_CURRENT_POSITION] == 30)
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_STOP_COVER, {ATTR_ENTITY_ID: blind}, blocking=True
    )
    assert key.level == 30
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_CLOSE_COVER, {ATTR_ENTITY_ID: blind}, blocking=True
    )
    assert not key.on
    await until(lambda: hass.states.get(blind).state == "closed")


async def test_a_travelling_cover_opens_stops_part_way_and_closes(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    sim.blind_travel = 2.0  # a motor, fast: ten position reports 0.2 s apart on a full travel
    blind = entity_id(hass, BLIND)
    key = sim.house.key(3, 1)

    def state() -> str:
        return hass.states.get(blind).state

    def position() -> int:
        return hass.states.get(blind).attributes[ATTR_CURRENT_POSITION]

    assert (state(), position()) == ("closed", 0)
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_OPEN_COVER, {ATTR_ENTITY_ID: blind}, blocking=True
    )
    # On its way up; the position is the one reported, never the target.
    assert state() == "opening"
    assert position() < 100
    await until(lambda: 0 < position() < 100)
    assert state() == "opening"
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_STOP_COVER, {ATTR_ENTITY_ID: blind}, blocking=True
    )
    # Stopped: part-way, and neither opening nor closing.
    await until(lambda: state() == "open")
    assert key.target is None  # the box moves it no further
    assert position() == key.level
    assert 0 < key.level < 100
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_CLOSE_COVER, {ATTR_ENTITY_ID: blind}, blocking=True
    )
    assert state() == "closing"
    await until(lambda: state() == "closed")
    assert (position(), key.on, key.target) == (0, False, None)


async def test_scene_button(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    scene = entity_id(hass, SCENE)
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: scene}, blocking=True
    )
    toggle = sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1]
    assert toggle.payload[:3] == bytes((1, 4, 0x4F))


async def test_press_events(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    bell = entity_id(hass, BELL)
    assert hass.states.get(bell).state == "unknown"
    # The release is no event of the entity (test_presses.py: the logbook).
    for kind, event_type in (("short", "short_press"), ("long", "long_press")):
        await sim.press(1, 2, kind)
        await until(lambda t=event_type: hass.states.get(bell).attributes.get("event_type") == t)


async def test_keypad_lock_and_backlight(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    lock = entity_id(hass, LOCK)
    backlight = entity_id(hass, BACKLIGHT)
    node = sim.house.node(2)
    assert hass.states.get(lock).state == "on"
    assert hass.states.get(backlight).state == "low"
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: lock}, blocking=True
    )
    assert not node.locked
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: backlight, ATTR_OPTION: "max"},
        blocking=True,
    )
    assert int(node.led) == 4
    assert not node.locked
    assert hass.states.get(backlight).state == "max"
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: lock}, blocking=True
    )
    assert node.locked
    assert int(node.led) == 4


@pytest.mark.parametrize(("fault", "reason"), [("nack", "nack"), ("in_use", "in_use")])
async def test_rejected_action_raises_and_changes_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    fault: str,
    reason: str,
) -> None:
    toggle_light = entity_id(hass, TOGGLE_LIGHT)
    await sim.inject(fault)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: toggle_light}, blocking=True
        )
    assert caught.value.translation_key == "command_rejected"
    assert caught.value.translation_placeholders == {"reason": reason}
    assert hass.states.get(toggle_light).state == "off"
    assert not sim.house.key(3, 3).on


async def test_action_while_disconnected_raises(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    fan = entity_id(hass, FAN)
    await sim.stop()
    await until(lambda: hass.states.get(fan).state == "unavailable")
    # Home Assistant calls no action of an unavailable entity: call the entity's own.
    platform = next(p for p in async_get_platforms(hass, DOMAIN) if p.domain == "switch")
    with pytest.raises(HomeAssistantError) as caught:
        await platform.entities[fan].async_turn_on()
    assert caught.value.translation_key == "communication_error"


async def test_boiler_duration_is_validated(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    boiler = entity_id(hass, BOILER)
    with pytest.raises(Exception, match="value must be at most"):
        await hass.services.async_call(
            DOMAIN,
            "turn_on_for",
            {ATTR_ENTITY_ID: boiler, "duration": timedelta(hours=19)},
            blocking=True,
        )
