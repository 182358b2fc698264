"""Timers you can see, in Home Assistant against the simulator: "Turns off at" sensors and
``vitrea.turn_on_for`` on every key the vBox can time, with its limits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import CONF_HOST_PORT, DOMAIN
from custom_components.vitrea.services import TARGETS
from custom_components.vitrea.vbox import CommandID, KeyKind
from tests.integration.conftest import EntryFactory
from tests.integration.helpers import (
    BOILER,
    FAN,
    LIGHT,
    LOCK,
    TOGGLE_LIGHT,
    Entity,
    entity_id,
    setup_entry,
)
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until

WITHIN = 3.0
"""Seconds an end may take to show (the issue's "within 3 s")."""


def ends(entity: Entity) -> Entity:
    """The "Turns off at" sensor of ``entity``'s key."""
    return Entity(SENSOR_DOMAIN, f"{entity.unique_id}_timer_end")


def end_of(hass: HomeAssistant, entity: Entity) -> datetime | None:
    state = hass.states.get(entity_id(hass, ends(entity)))
    assert state is not None
    return None if state.state == STATE_UNKNOWN else dt_util.parse_datetime(state.state)


def near(end: datetime | None, before: datetime, after: datetime, seconds: float) -> bool:
    """``end`` is ``seconds`` after a moment between ``before`` and ``after`` (to the
    second: a timestamp sensor's state drops the microseconds)."""
    span = timedelta(seconds=seconds)
    return end is not None and before.replace(microsecond=0) + span <= end <= after + span


async def turn_on_for(hass: HomeAssistant, target: str, duration: Any) -> None:
    await hass.services.async_call(
        DOMAIN, "turn_on_for", {ATTR_ENTITY_ID: target, "duration": duration}, blocking=True
    )


@pytest.fixture
async def both(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The small house over both interfaces: the host interface reports the minutes left."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        minor_version=mock_config_entry.minor_version,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options={**mock_config_entry.options, CONF_HOST_PORT: sim.host_port},
    )
    assert await setup_entry(hass, entry)
    yield entry
    assert await hass.config_entries.async_unload(entry.entry_id)


# -- the end shows, and clears ------------------------------------------------------------


async def test_a_boiler_on_for_five_minutes_shows_when_it_turns_off(
    hass: HomeAssistant, both: MockConfigEntry, sim: VBoxSimulator
) -> None:
    sensor = entity_id(hass, ends(BOILER))
    state = hass.states.get(sensor)
    assert state is not None
    assert (state.state, state.attributes[ATTR_DEVICE_CLASS]) == (STATE_UNKNOWN, "timestamp")
    before = datetime.now(UTC)
    await turn_on_for(hass, entity_id(hass, BOILER), "00:05:00")
    after = datetime.now(UTC)
    assert b"H:N004:1:O:005\r\n" in sim.host_server.received
    await until(lambda: end_of(hass, BOILER) is not None, WITHIN)
    assert near(end_of(hass, BOILER), before, after, 300)
    # off early: at the wall
    await sim.set_key(4, 0, on=False)
    await until(lambda: end_of(hass, BOILER) is None, WITHIN)


async def test_an_end_set_elsewhere_shows_and_clears_when_switched_off(
    hass: HomeAssistant, both: MockConfigEntry, sim: VBoxSimulator
) -> None:
    """Another client (the vendor's app) switches the fan on for 45 minutes."""
    registry = er.async_get(hass)
    await until(  # a toggle's entities come once VTU tells its category
        lambda: registry.async_get_entity_id(SENSOR_DOMAIN, DOMAIN, ends(FAN).unique_id), WITHIN
    )
    await hass.async_block_till_done()
    before = datetime.now(UTC)
    await sim.engine.switch_key(1, sim.house.key(1, 1), on=True, timer=45 * 60)
    await until(lambda: end_of(hass, FAN) is not None, WITHIN)
    assert near(end_of(hass, FAN), before, datetime.now(UTC), 45 * 60)
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: entity_id(hass, FAN)}, blocking=True
    )
    assert end_of(hass, FAN) is None


async def test_over_vtu_the_end_is_the_one_set(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    before = datetime.now(UTC)
    await turn_on_for(hass, entity_id(hass, BOILER), {"minutes": 45, "seconds": 30})
    after = datetime.now(UTC)
    toggle = sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1]
    assert toggle.payload == bytes((4, 0, 0x4F, 0)) + (45 * 60 + 30).to_bytes(2, "big")
    assert near(end_of(hass, BOILER), before, after, 45 * 60 + 30)
    await sim.set_key(4, 0, on=False)
    await until(lambda: end_of(hass, BOILER) is None, WITHIN)


async def test_every_timable_key_has_a_sensor_lights_to_enable(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    for entity, enabled in ((BOILER, True), (FAN, True), (TOGGLE_LIGHT, False)):
        entry = entity_registry.async_get(entity_id(hass, ends(entity)))
        assert entry is not None
        assert (entry.disabled_by is None) is enabled
        assert entry.translation_key == "timer_end"
        assert entry.device_id == entity_registry.async_get(entity_id(hass, entity)).device_id  # type: ignore[union-attr]
    sensors = er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id)
    assert not [
        e for e in sensors if e.domain == SENSOR_DOMAIN and e.unique_id.startswith(LIGHT.unique_id)
    ]  # a dimmer: no timer


# -- the action on every key the box can time ----------------------------------------------


async def test_turn_on_for_switches_lights_and_switches(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    await turn_on_for(hass, entity_id(hass, TOGGLE_LIGHT), "00:10:00")
    assert sim.house.key(3, 3).on
    payload = sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1].payload
    assert payload == bytes((3, 3, 0x4F, 0)) + (600).to_bytes(2, "big")
    assert hass.states.get(entity_id(hass, TOGGLE_LIGHT)).state == "on"  # type: ignore[union-attr]
    await turn_on_for(hass, entity_id(hass, FAN), {"seconds": 90})
    assert sim.house.key(1, 1).on
    assert sim.requests_of(CommandID.TOGGLE_KEY_STATUS)[-1].payload[-2:] == b"\x00\x5a"


async def test_keys_the_box_cannot_time_are_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    for entity in (LIGHT, LOCK):  # a dimmer, a keypad lock
        target = entity_id(hass, entity)
        with pytest.raises(ServiceValidationError) as caught:
            await turn_on_for(hass, target, "00:10:00")
        assert caught.value.translation_key == "timer_not_supported"
        assert caught.value.translation_placeholders == {"entity_id": target}
    assert not sim.requests_of(CommandID.TOGGLE_KEY_STATUS)


async def test_an_area_switches_on_what_it_can_and_leaves_the_rest(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    """Targeted through their devices, a dimmer is left out, not an error."""
    registry = er.async_get(hass)
    devices = {
        registry.async_get(entity_id(hass, entity)).device_id  # type: ignore[union-attr]
        for entity in (LIGHT, TOGGLE_LIGHT)
    }
    await hass.services.async_call(
        DOMAIN,
        "turn_on_for",
        {"device_id": sorted(d for d in devices if d), "duration": "00:01:00"},
        blocking=True,
    )
    switched = {p.payload[:2] for p in sim.requests_of(CommandID.TOGGLE_KEY_STATUS)}
    assert bytes((3, 3)) in switched
    assert bytes((2, 0)) not in switched  # the dimmer


async def test_the_host_interface_alone_times_up_to_two_hours(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    entry, sim = await dual_entry(vtu=False)
    boiler = next(
        entity
        for entity in hass.data[TARGETS].values()
        if entity.key.kind is KeyKind.BOILER and entity.platform.config_entry is entry
    )
    with pytest.raises(ServiceValidationError) as caught:
        await turn_on_for(hass, boiler.entity_id, {"hours": 2, "seconds": 1})
    assert caught.value.translation_key == "timer_too_long"
    assert caught.value.translation_placeholders == {
        "entity_id": boiler.entity_id,
        "maximum": "2:00:00",
    }
    before = datetime.now(UTC)
    await turn_on_for(hass, boiler.entity_id, {"minutes": 119, "seconds": 1})  # 120 minutes
    address = (boiler.key.node_id, boiler.key.key_id + 1)
    assert f"H:N{address[0]:03d}:{address[1]}:O:120\r\n".encode() in sim.host_server.received
    sensor = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.unique_id == f"{boiler.unique_id}_timer_end"
    )
    await until(lambda: hass.states.get(sensor).state != STATE_UNKNOWN, WITHIN)  # type: ignore[union-attr]
    end = dt_util.parse_datetime(hass.states.get(sensor).state)  # type: ignore[union-attr]
    assert near(end, before, datetime.now(UTC), 120 * 60)


async def test_durations_beyond_any_interface_fail_validation(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(Exception, match="value must be at most"):
        await turn_on_for(hass, entity_id(hass, FAN), timedelta(seconds=0x10000))
