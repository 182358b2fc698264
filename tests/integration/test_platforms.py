"""Every platform inside Home Assistant against the simulator: snapshots, pushes, actions."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

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
from homeassistant.exceptions import HomeAssistantError, ServiceNotSupported
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.vitrea.const import DOMAIN
from custom_components.vitrea.vbox import CommandID
from tests.integration.helpers import setup_entry, until
from vbox_simulator import VBoxSimulator

LIGHT = "light.vt_mw3_dm1_400w_2_spots"
TOGGLE_LIGHT = "light.vt_mw4_ud2_sr2_10a_3_lamp"
FAN = "switch.vt_mw4_sr4_st4_10a_1_mvvrr"
BOILER = "switch.vt_mw3_dp1_16a_4_dvd_shmsh"
BLIND = "cover.vt_mw4_ud2_sr2_10a_3_side_blind"
SCENE = "button.vt_mw4_sr4_st4_10a_1_mtsb_rb"
BELL = "event.vt_mw4_sr4_st4_10a_1_p_mvn"
LOCK = "switch.vt_mw3_dm1_400w_2_keypad_lock"
BACKLIGHT = "select.vt_mw3_dm1_400w_2_backlight"


@pytest.mark.parametrize(
    "platform",
    [
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.COVER,
        Platform.EVENT,
        Platform.LIGHT,
        Platform.SELECT,
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
    with patch("custom_components.vitrea.PLATFORMS", [platform]):
        assert await setup_entry(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_entity_ids(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    for entity_id in (LIGHT, TOGGLE_LIGHT, FAN, BOILER, BLIND, SCENE, BELL, LOCK, BACKLIGHT):
        assert hass.states.get(entity_id) is not None, entity_id


async def test_light_actions_reach_the_box(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    key = simulator.house.key(2, 0)
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: LIGHT, ATTR_BRIGHTNESS: 128}, blocking=True
    )
    assert (key.on, key.level) == (True, 50)
    assert hass.states.get(LIGHT).attributes[ATTR_BRIGHTNESS] == 128
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: LIGHT}, blocking=True
    )
    assert not key.on
    assert hass.states.get(LIGHT).state == "off"
    await hass.services.async_call(
        LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: TOGGLE_LIGHT}, blocking=True
    )
    assert simulator.house.key(3, 3).on
    assert hass.states.get(TOGGLE_LIGHT).state == "on"


async def test_press_at_the_wall_reaches_the_state(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    await simulator.set_key(2, 0, level=30)
    await until(lambda: hass.states.get(LIGHT).attributes.get(ATTR_BRIGHTNESS) == 76)
    await simulator.set_key(3, 3, on=True)
    await until(lambda: hass.states.get(TOGGLE_LIGHT).state == "on")


async def test_switch_and_boiler(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: FAN}, blocking=True
    )
    assert simulator.house.key(1, 1).on
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: FAN}, blocking=True
    )
    assert not simulator.house.key(1, 1).on

    await hass.services.async_call(
        DOMAIN,
        "turn_on_for",
        {ATTR_ENTITY_ID: BOILER, "duration": {"minutes": 45}},
        blocking=True,
    )
    assert simulator.house.key(4, 0).on
    toggle = simulator.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1]
    assert toggle.payload == bytes((4, 0, 0x4F, 0)) + (45 * 60).to_bytes(2, "big")
    assert hass.states.get(BOILER).state == "on"

    with pytest.raises(ServiceNotSupported):
        await hass.services.async_call(
            DOMAIN, "turn_on_for", {ATTR_ENTITY_ID: FAN, "duration": "00:10:00"}, blocking=True
        )


async def test_cover(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    key = simulator.house.key(3, 1)
    assert hass.states.get(BLIND).state == "closed"
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_OPEN_COVER, {ATTR_ENTITY_ID: BLIND}, blocking=True
    )
    assert (key.on, key.level) == (True, 100)
    await hass.services.async_call(
        COVER_DOMAIN,
        SERVICE_SET_COVER_POSITION,
        {ATTR_ENTITY_ID: BLIND, ATTR_POSITION: 30},
        blocking=True,
    )
    assert key.level == 30
    assert hass.states.get(BLIND).attributes[ATTR_CURRENT_POSITION] == 30
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_STOP_COVER, {ATTR_ENTITY_ID: BLIND}, blocking=True
    )
    assert key.level == 30
    await hass.services.async_call(
        COVER_DOMAIN, SERVICE_CLOSE_COVER, {ATTR_ENTITY_ID: BLIND}, blocking=True
    )
    assert not key.on
    assert hass.states.get(BLIND).state == "closed"


async def test_scene_button(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: SCENE}, blocking=True
    )
    toggle = simulator.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1]
    assert toggle.payload[:3] == bytes((1, 4, 0x4F))


async def test_press_events(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    assert hass.states.get(BELL).state == "unknown"
    for kind, event_type in (
        ("short", "short_press"),
        ("long", "long_press"),
        ("release", "release"),
    ):
        await simulator.press(1, 2, kind)
        await until(lambda t=event_type: hass.states.get(BELL).attributes.get("event_type") == t)


async def test_keypad_lock_and_backlight(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    node = simulator.house.node(2)
    assert hass.states.get(LOCK).state == "on"
    assert hass.states.get(BACKLIGHT).state == "low"
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: LOCK}, blocking=True
    )
    assert not node.locked
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: BACKLIGHT, ATTR_OPTION: "max"},
        blocking=True,
    )
    assert int(node.led) == 4
    assert not node.locked
    assert hass.states.get(BACKLIGHT).state == "max"
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: LOCK}, blocking=True
    )
    assert node.locked
    assert int(node.led) == 4


@pytest.mark.parametrize(("fault", "reason"), [("nack", "nack"), ("in_use", "in_use")])
async def test_rejected_action_raises_and_changes_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    simulator: VBoxSimulator,
    fault: str,
    reason: str,
) -> None:
    await simulator.inject(fault)
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            LIGHT_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: TOGGLE_LIGHT}, blocking=True
        )
    assert caught.value.translation_key == "command_rejected"
    assert caught.value.translation_placeholders == {"reason": reason}
    assert hass.states.get(TOGGLE_LIGHT).state == "off"
    assert not simulator.house.key(3, 3).on


async def test_action_while_disconnected_raises(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    await simulator.stop()
    await until(lambda: hass.states.get(FAN).state == "unavailable")
    with pytest.raises(HomeAssistantError) as caught:
        await loaded_entry.runtime_data.async_set_key(
            loaded_entry.runtime_data.data.topology.nodes[1].keys[1], on=True
        )
    assert caught.value.translation_key == "communication_error"


async def test_boiler_duration_is_validated(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(Exception, match="value must be at most"):
        await hass.services.async_call(
            DOMAIN,
            "turn_on_for",
            {ATTR_ENTITY_ID: BOILER, "duration": timedelta(hours=19)},
            blocking=True,
        )
