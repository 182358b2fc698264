"""What the host interface adds, in Home Assistant against the simulator: climate, scenes, LEDs.

The entry's options give the simulator's host port; the house is the small one, with an
air conditioner of every type, floor heating and two scenarios.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from homeassistant.components.climate import (
    ATTR_CURRENT_TEMPERATURE,
    ATTR_FAN_MODE,
    ATTR_FAN_MODES,
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODES,
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN
from homeassistant.components.scene import DOMAIN as SCENE_DOMAIN
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ASSUMED_STATE,
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    EntityCategory,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_restore_cache

from custom_components.vitrea.const import CONF_HOST_PORT, DOMAIN
from tests.integration.helpers import SMALL_HOUSE, Entity, entity_id, setup_entry
from vbox_simulator import House, VBoxSimulator
from vbox_simulator.pytest_plugin import SimFactory, until

EXTRAS: dict[str, Any] = {
    "acs": [
        {"id": 1, "type": 1, "room": 0, "name": "מזגן סלון", "mode": "cool", "fan": "low"},
        {"id": 2, "type": 2, "room": 1, "name": "Kitchen AC", "on": True, "mode": "heat"},
        {"id": 3, "type": 3, "room": 1, "name": "Kitchen AC 2", "mode": "auto"},
        {"id": 4, "type": 4, "room": 2, "name": "חימום תת-רצפתי", "setpoint": 26, "measured": 22},
    ],
    "scenarios": [
        {
            "id": 1,
            "room": 1,
            "name": "ערב",
            "actions": [{"node": 2, "key": 0, "on": True, "level": 20}],
        },
        {
            "id": 7,
            "room": None,
            "name": "All off",
            "actions": [{"node": 1, "key": 0, "on": False}, {"node": 2, "key": 0, "on": False}],
        },
    ],
}
ALL_MODES = [HVACMode.OFF, HVACMode.COOL, HVACMode.HEAT, HVACMode.FAN_ONLY]


def _house() -> House:
    data = json.loads(SMALL_HOUSE.read_text(encoding="utf-8"))
    return House.from_dict(data | EXTRAS)


def _host_entry(base: MockConfigEntry, sim: VBoxSimulator) -> MockConfigEntry:
    """``base`` for ``sim``, over both its interfaces."""
    return MockConfigEntry(
        domain=DOMAIN,
        minor_version=base.minor_version,
        title=base.title,
        unique_id=base.unique_id,
        data={**base.data, "port": sim.port},
        options={**base.options, CONF_HOST_PORT: sim.host_port},
    )


@pytest.fixture
async def sim(make_sim: SimFactory) -> VBoxSimulator:
    """The small house with air conditioners and scenarios, firmware 966 (LEDs)."""
    return await make_sim(_house())


@pytest.fixture
async def host_entry(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> AsyncIterator[MockConfigEntry]:
    """An entry over both interfaces of ``sim``, set up, its units' states in; unloaded after."""
    entry = _host_entry(mock_config_entry, sim)
    assert await setup_entry(hass, entry)
    await until(
        lambda: all(c.state is not None for c in entry.runtime_data.house.climates.values())
    )
    yield entry
    assert await hass.config_entries.async_unload(entry.entry_id)


def _hub_id(entry: MockConfigEntry) -> str:
    return f"vbox_{entry.unique_id}"


def _devices(registry: dr.DeviceRegistry, entry: MockConfigEntry) -> dict[str, dr.DeviceEntry]:
    """The entry's devices by their identifier."""
    return {
        identifier: device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for _, identifier in device.identifiers
    }


def _climate(hass: HomeAssistant, entry: MockConfigEntry, ac: int) -> str:
    return entity_id(hass, Entity(CLIMATE_DOMAIN, f"{_hub_id(entry)}_ac{ac}"))


def _scene(hass: HomeAssistant, entry: MockConfigEntry, scenario: int) -> str:
    return entity_id(hass, Entity(SCENE_DOMAIN, f"{_hub_id(entry)}_scenario{scenario}"))


BELL_LED = Entity.of_node(SWITCH_DOMAIN, 1, "2_led")  # push button "פעמון", host key 3
ALL_LIGHTS_LED = Entity.of_node(SWITCH_DOMAIN, 1, "3_led")  # satellite "כל האורות"
FAN_LED = Entity.of_node(SWITCH_DOMAIN, 1, "1_led")  # a toggle key: it has none


async def _call(hass: HomeAssistant, domain: str, service: str, target: str, **data: Any) -> None:
    await hass.services.async_call(domain, service, {ATTR_ENTITY_ID: target, **data}, blocking=True)


# -- climate ---------------------------------------------------------------------------


async def test_a_climate_entity_per_unit_on_a_device_of_its_own(
    hass: HomeAssistant,
    host_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    devices = _devices(device_registry, host_entry)
    hub = devices[_hub_id(host_entry)]
    expected = {
        1: ("מזגן סלון", "Air conditioner", "סלון"),
        2: ("Kitchen AC", "Air conditioner", "Kitchen"),
        3: ("Kitchen AC 2", "Air conditioner", "Kitchen"),
        4: ("חימום תת-רצפתי", "Floor heating", "חדר רחצה"),
    }
    for ac, (name, model, area) in expected.items():
        device = devices[f"{_hub_id(host_entry)}_ac{ac}"]
        assert (device.name, device.model, device.via_device_id) == (name, model, hub.id)
        assert device.area_id is not None
        assert ar.async_get(hass).async_get_area(device.area_id).name == area  # type: ignore[union-attr]
        entry = entity_registry.async_get(_climate(hass, host_entry, ac))
        assert entry is not None
        assert entry.device_id == device.id
        assert entry.has_entity_name
        assert entry.original_name is None


@pytest.mark.parametrize(
    ("ac", "modes", "fans"),
    [
        (1, ALL_MODES, ["low", "medium", "high"]),
        (2, ALL_MODES, ["low", "medium", "high", "auto"]),
        (3, [*ALL_MODES, HVACMode.AUTO], None),
        (4, [HVACMode.OFF, HVACMode.HEAT], None),
    ],
)
async def test_modes_follow_the_unit_type(
    hass: HomeAssistant,
    host_entry: MockConfigEntry,
    ac: int,
    modes: list[HVACMode],
    fans: list[str] | None,
) -> None:
    state = hass.states.get(_climate(hass, host_entry, ac))
    assert state is not None
    assert state.attributes[ATTR_HVAC_MODES] == modes
    assert state.attributes.get(ATTR_FAN_MODES) == fans
    features = ClimateEntityFeature(state.attributes[ATTR_SUPPORTED_FEATURES])
    assert ClimateEntityFeature.TURN_ON in features
    assert ClimateEntityFeature.TURN_OFF in features
    assert ClimateEntityFeature.TARGET_TEMPERATURE in features
    assert (ClimateEntityFeature.FAN_MODE in features) == (fans is not None)
    assert (state.attributes[ATTR_MIN_TEMP], state.attributes[ATTR_MAX_TEMP]) == (15, 30)


async def test_climate_state(hass: HomeAssistant, host_entry: MockConfigEntry) -> None:
    off = hass.states.get(_climate(hass, host_entry, 1))
    assert off is not None
    assert off.state == HVACMode.OFF
    assert off.attributes[ATTR_HVAC_ACTION] == HVACAction.OFF
    assert off.attributes[ATTR_FAN_MODE] == "low"
    heating = hass.states.get(_climate(hass, host_entry, 2))
    assert heating is not None
    assert heating.state == HVACMode.HEAT
    assert heating.attributes[ATTR_TEMPERATURE] == 24
    assert heating.attributes[ATTR_CURRENT_TEMPERATURE] == 24
    assert heating.attributes[ATTR_HVAC_ACTION] == HVACAction.IDLE  # at its set-point


async def test_climate_actions_reach_the_unit(
    hass: HomeAssistant, host_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    climate = _climate(hass, host_entry, 1)
    unit = sim.house.ac(1)
    await _call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, climate, hvac_mode=HVACMode.HEAT)
    assert (unit.on, unit.mode) == (True, "heat")
    await _call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, climate, temperature=27)
    assert unit.setpoint == 27
    await _call(hass, CLIMATE_DOMAIN, SERVICE_SET_FAN_MODE, climate, fan_mode="high")
    assert unit.fan == "high"
    state = hass.states.get(climate)
    assert state is not None
    assert (state.state, state.attributes[ATTR_TEMPERATURE]) == (HVACMode.HEAT, 27)
    assert state.attributes[ATTR_FAN_MODE] == "high"
    assert state.attributes[ATTR_HVAC_ACTION] == HVACAction.HEATING  # 24 measured
    await _call(hass, CLIMATE_DOMAIN, SERVICE_TURN_OFF, climate)
    assert not unit.on
    assert hass.states.get(climate).state == HVACMode.OFF  # type: ignore[union-attr]
    await _call(hass, CLIMATE_DOMAIN, SERVICE_TURN_ON, climate)
    assert (unit.on, unit.mode) == (True, "heat")
    await _call(
        hass,
        CLIMATE_DOMAIN,
        SERVICE_SET_TEMPERATURE,
        climate,
        temperature=18,
        hvac_mode=HVACMode.COOL,
    )
    assert (unit.mode, unit.setpoint) == ("cool", 18)
    await _call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, climate, hvac_mode=HVACMode.OFF)
    assert not unit.on


async def test_a_change_at_the_unit_is_pushed(
    hass: HomeAssistant, host_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    climate = _climate(hass, host_entry, 4)

    def attribute(name: str) -> Any:
        state = hass.states.get(climate)
        assert state is not None
        return state.attributes.get(name)

    assert attribute(ATTR_CURRENT_TEMPERATURE) == 22
    await sim.set_ac(4, measured=19)
    await until(lambda: attribute(ATTR_CURRENT_TEMPERATURE) == 19)
    await sim.set_ac(4, on=True)
    await until(lambda: attribute(ATTR_HVAC_ACTION) == HVACAction.HEATING)
    await sim.set_ac(1, on=True, mode="dry", fan="top")
    dry = _climate(hass, host_entry, 1)
    await until(lambda: hass.states.get(dry).state == HVACMode.DRY)  # type: ignore[union-attr]
    state = hass.states.get(dry)
    assert state is not None
    assert state.attributes[ATTR_HVAC_MODES] == [*ALL_MODES, HVACMode.DRY]
    assert state.attributes[ATTR_FAN_MODE] == "top"
    assert state.attributes[ATTR_FAN_MODES] == ["low", "medium", "high", "top"]
    assert state.attributes[ATTR_HVAC_ACTION] == HVACAction.DRYING


async def test_floor_heating_heats_or_is_off(
    hass: HomeAssistant, host_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    climate = _climate(hass, host_entry, 4)
    await _call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, climate, hvac_mode=HVACMode.HEAT)
    assert sim.house.ac(4).on
    assert hass.states.get(climate).state == HVACMode.HEAT  # type: ignore[union-attr]


async def test_a_rejected_climate_command_is_an_error(
    hass: HomeAssistant, host_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    climate = _climate(hass, host_entry, 2)
    await sim.host_server.inject("error", "1")
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, climate, temperature=20)
    assert raised.value.translation_key == "command_rejected"
    assert sim.house.ac(2).setpoint == 24


# -- scenes ----------------------------------------------------------------------------


async def test_scenes_run_the_scenarios(
    hass: HomeAssistant,
    host_entry: MockConfigEntry,
    sim: VBoxSimulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A scenario of a room is a device there, named as the scenario; one of the whole
    house is on the hub."""
    devices = _devices(device_registry, host_entry)
    hub = devices[_hub_id(host_entry)]
    evening = entity_registry.async_get(_scene(hass, host_entry, 1))  # in the living room
    assert evening is not None
    assert evening.original_name is None  # its device's name
    room_scenario = devices[f"{_hub_id(host_entry)}_scenario1"]
    assert (evening.device_id, room_scenario.name) == (room_scenario.id, "ערב")
    assert room_scenario.via_device_id == hub.id
    area = ar.async_get(hass).async_get_area(room_scenario.area_id or "")
    assert area is not None
    assert area.name == sim.house.room(sim.house.scenario(1).room_id).name
    assert hass.states.get(evening.entity_id).name == "ערב"  # type: ignore[union-attr]
    all_off = entity_registry.async_get(_scene(hass, host_entry, 7))  # the whole house's
    assert all_off is not None
    assert (all_off.original_name, all_off.device_id) == ("All off", hub.id)
    scene = _scene(hass, host_entry, 7)
    await _call(hass, SCENE_DOMAIN, SERVICE_TURN_ON, scene)
    assert b"H:R0007\r\n" in sim.host_server.received
    await until(lambda: not sim.house.key(1, 0).on and not sim.house.key(2, 0).on)
    assert hass.states.get(scene).state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)  # type: ignore[union-attr]


async def test_a_scenario_the_box_does_not_run_is_an_error(
    hass: HomeAssistant, host_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    scene = _scene(hass, host_entry, 1)
    sim.house.scenarios = [s for s in sim.house.scenarios if s.id != 1]
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, SCENE_DOMAIN, SERVICE_TURN_ON, scene)
    assert raised.value.translation_key == "command_rejected"


# -- LED indicators --------------------------------------------------------------------


async def test_led_switches_of_push_buttons_and_satellites(
    hass: HomeAssistant,
    host_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    for led in (BELL_LED, ALL_LIGHTS_LED):
        entry = entity_registry.async_get(entity_id(hass, led))
        assert entry is not None
        assert entry.entity_category is EntityCategory.CONFIG
        assert entry.translation_key == "led"
    assert entity_registry.async_get_entity_id(SWITCH_DOMAIN, DOMAIN, FAN_LED.unique_id) is None
    led = entity_id(hass, BELL_LED)
    state = hass.states.get(led)
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes[ATTR_ASSUMED_STATE]
    assert state.name.endswith(" פעמון LED")  # "{key} LED"
    await _call(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, led)
    assert b"L:N001:3:O\r\n" in sim.host_server.received
    assert hass.states.get(led).state == "on"  # type: ignore[union-attr]
    await _call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, led)
    assert b"L:N001:3:F\r\n" in sim.host_server.received
    assert hass.states.get(led).state == "off"  # type: ignore[union-attr]


async def test_led_switch_restores_its_state(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    entry = _host_entry(mock_config_entry, sim)
    er.async_get(hass).async_get_or_create(
        SWITCH_DOMAIN, DOMAIN, BELL_LED.unique_id, suggested_object_id="bell_led"
    )
    mock_restore_cache(hass, [State("switch.bell_led", "on")])
    assert await setup_entry(hass, entry)
    assert hass.states.get("switch.bell_led").state == "on"  # type: ignore[union-attr]


async def test_no_led_switches_before_firmware_9(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    make_sim: SimFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    old = await make_sim(_house(), host_version="866")
    entry = _host_entry(mock_config_entry, old)
    assert await setup_entry(hass, entry)
    assert entity_registry.async_get_entity_id(SWITCH_DOMAIN, DOMAIN, BELL_LED.unique_id) is None
    assert hass.states.async_entity_ids(CLIMATE_DOMAIN)  # the rest is there


async def test_the_vtu_interface_alone_has_none_of_these(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    assert await setup_entry(hass, mock_config_entry)
    assert not hass.states.async_entity_ids(CLIMATE_DOMAIN)
    assert not hass.states.async_entity_ids(SCENE_DOMAIN)
    assert entity_registry.async_get_entity_id(SWITCH_DOMAIN, DOMAIN, BELL_LED.unique_id) is None


async def test_leaving_the_host_interface_out_removes_its_entities(
    hass: HomeAssistant,
    host_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    unit = f"{_hub_id(host_entry)}_ac1"
    assert unit in _devices(device_registry, host_entry)
    options = {key: value for key, value in host_entry.options.items() if key != CONF_HOST_PORT}
    hass.config_entries.async_update_entry(host_entry, options=options)
    await hass.async_block_till_done()
    assert not hass.states.async_entity_ids(CLIMATE_DOMAIN)
    assert not hass.states.async_entity_ids(SCENE_DOMAIN)
    assert entity_registry.async_get_entity_id(SWITCH_DOMAIN, DOMAIN, BELL_LED.unique_id) is None
    assert unit not in _devices(device_registry, host_entry)
