"""Setup, unload, reload, storage and device lifecycle, inside Home Assistant."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.vitrea.const import CONF_REQUEST_GAP, DOMAIN
from custom_components.vitrea.vbox import CommandID, KeyCategory, KeyType
from tests.conftest import closed_port
from tests.integration.helpers import (
    BACKLIGHT,
    BOX_ID,
    CONNECTIVITY,
    LIGHT,
    LOCK,
    MAIN_LIGHT,
    Entity,
    entity_id,
    setup_entry,
    vtu_client,
)
from vbox_simulator import Key, Node, VBoxSimulator
from vbox_simulator.pytest_plugin import until


def device_of(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, identifier: str
) -> dr.DeviceEntry | None:
    """The entry's device with this identifier, if any."""
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    return next((device for device in devices if (DOMAIN, identifier) in device.identifiers), None)


KEYS_WITH_DEVICES = {
    KeyType.TOGGLE,
    KeyType.DUAL_POLE,
    KeyType.BOILER,
    KeyType.DIMMER,
    KeyType.DIMMER_MW,
    KeyType.BLIND,
    KeyType.BLIND_MW,
    KeyType.TOGGLE_SCENE,
}
"""The key types that drive something: a light, switch, blind or scene."""


async def test_setup_creates_every_entity_in_its_area(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    area_registry: ar.AreaRegistry,
) -> None:
    assert loaded_entry.state is ConfigEntryState.LOADED
    devices = dr.async_entries_for_config_entry(device_registry, loaded_entry.entry_id)
    hub = device_of(device_registry, loaded_entry, f"vbox_{loaded_entry.unique_id}")
    assert hub is not None
    key_devices = 0
    for node in sim.house.nodes:
        device = device_of(device_registry, loaded_entry, f"{BOX_ID}_node{node.id}")
        assert device is not None
        assert device.model == node.model
        assert device.serial_number == node.mac
        assert device.via_device_id == hub.id
        assert device.sw_version == node.firmware
        area = area_registry.async_get_area(device.area_id or "")
        assert area is not None
        assert area.name == sim.house.room(node.room_id).name
        # Every key that drives something has a device of its own, named as the key, in
        # its wall unit's area; a push button's presses stay on the wall unit.
        for key in node.keys:
            key_device = device_of(
                device_registry, loaded_entry, f"{BOX_ID}_node{node.id}_{key.id}"
            )
            if key.type not in KEYS_WITH_DEVICES:
                assert key_device is None
                continue
            assert key_device is not None, (node.id, key.id)
            key_devices += 1
            assert key_device.via_device_id == device.id
            assert key_device.area_id == device.area_id
            assert key_device.name == (key.name or f"Key {key.id + 1}")
    assert len(devices) == 1 + len(sim.house.nodes) + key_devices
    entities = er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id)
    by_domain: dict[str, int] = {}
    for entity in entities:
        by_domain[entity.domain] = by_domain.get(entity.domain, 0) + 1
    # small house: 4 lights (2 toggles of category light, 1 unnamed, 1 dimmer... see fixture)
    assert by_domain == {
        "binary_sensor": 1,
        "button": 1,
        "cover": 2,
        "event": 2,
        "light": 5,
        "select": 4,
        "sensor": 7,  # "Turns off at": every light toggle, switch and boiler
        "switch": 7,  # fan toggle, dual pole, boiler + 4 keypad locks
    }


async def test_hebrew_names_come_from_the_vbox(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    state = hass.states.get(entity_id(hass, MAIN_LIGHT))
    assert state is not None
    assert state.name.endswith("תאורה ראשית")


async def test_unload_closes_the_connection(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    await sim.wait_until_disconnected()


async def test_reload_many_times(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    for _ in range(5):
        assert await hass.config_entries.async_reload(loaded_entry.entry_id)
        await hass.async_block_till_done()
        assert loaded_entry.state is ConfigEntryState.LOADED
    assert sim.refused_connections == 0
    assert sim.connections == 6


async def test_unreachable_box_is_not_ready(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    await sim.stop()
    mock_config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_rejected_credentials_start_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    sim.set_credentials("admin", "another")
    mock_config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_restart_uses_the_stored_topology(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    sim.requests.clear()
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    # The entities exist before the vBox was asked anything but the login: the layout is
    # the one detected last time. The nodes' lock and backlight are as they were.
    light = entity_id(hass, LIGHT)
    assert hass.states.get(light) is not None
    assert [r.command for r in sim.requests] == [CommandID.TOGGLE_HEARTBEAT, CommandID.LOGIN]
    assert hass.states.get(entity_id(hass, LOCK)).state == "on"  # type: ignore[union-attr]
    assert hass.states.get(entity_id(hass, BACKLIGHT)).state == "low"  # type: ignore[union-attr]
    # Then every state is read, and only then is the house rediscovered.
    async with asyncio.timeout(30):
        await loaded_entry.runtime_data.states_read.wait()
    await until(lambda: len(sim.requests_of(CommandID.NODE_META_DATA)) == 4)
    first_meta = sim.requests.index(sim.requests_of(CommandID.NODE_META_DATA)[0])
    last_status = sim.requests.index(sim.requests_of(CommandID.KEY_STATUS)[-1])
    assert last_status < first_meta
    await hass.async_block_till_done()
    assert hass.states.get(light).state == "on"


async def test_a_restart_shows_the_settings_as_they_were_at_shutdown(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    lock = entity_id(hass, LOCK)
    await hass.services.async_call("switch", "turn_off", {"entity_id": lock}, blocking=True)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    sim.requests.clear()
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    assert not sim.requests_of(CommandID.NODE_META_DATA)
    assert hass.states.get(lock).state == "off"  # type: ignore[union-attr]


async def test_new_node_gets_entities_without_reload(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    sim.house.nodes.append(
        Node(
            id=9,
            node_type=2,
            mac="00:0D:6F:00:00:00:00:09",
            firmware="7.93",
            room_id=2,
            keys=[
                Key(0, KeyType.TOGGLE, KeyCategory.LIGHT, "מנורה חדשה", on=True, level=100),
                Key(1, KeyType.TOGGLE, KeyCategory.UNDEFINED, "שקע", on=False, level=0),
            ],
        )
    )
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    new = Entity.of_node("light", 9, 0)
    await until(lambda: entity_registry.async_get_entity_id(new.domain, DOMAIN, new.unique_id))
    await hass.async_block_till_done()
    light = entity_id(hass, new)
    await until(lambda: (s := hass.states.get(light)) is not None and s.state == "on")


async def test_removed_node_loses_its_device(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    assert device_of(device_registry, loaded_entry, f"{BOX_ID}_node4") is not None
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    sim.house.nodes.pop()
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await until(lambda: device_of(device_registry, loaded_entry, f"{BOX_ID}_node4") is None)


async def test_user_can_delete_only_stale_devices(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component_config(hass)
    client = await hass_ws_client(hass)
    current = device_of(device_registry, loaded_entry, f"{BOX_ID}_node1")
    assert current is not None
    stale = device_registry.async_get_or_create(
        config_entry_id=loaded_entry.entry_id, identifiers={(DOMAIN, f"{BOX_ID}_node255")}
    )
    for device, allowed in ((current, False), (stale, True)):
        # The command the frontend of 2025.4 sends; 2026 also has config/device_registry/remove
        # and reports this one as deprecated (for 2027.9), with nothing to say about vitrea.
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": loaded_entry.entry_id,
                "device_id": device.id,
            }
        )
        response = await client.receive_json()
        assert response["success"] is allowed


async def async_setup_component_config(hass: HomeAssistant) -> bool:
    from homeassistant.setup import async_setup_component  # noqa: PLC0415

    return await async_setup_component(hass, "config", {})


async def test_options_change_reloads_with_new_settings(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    hass.config_entries.async_update_entry(
        loaded_entry, options={**loaded_entry.options, CONF_REQUEST_GAP: 0.02}
    )
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert vtu_client(loaded_entry).socket_config.request_gap == 0.02
    assert sim.connections == 2


async def test_connection_loss_and_recovery(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.vitrea")
    light, connectivity = entity_id(hass, LIGHT), entity_id(hass, CONNECTIVITY)
    assert hass.states.get(light).state == "on"
    port = sim.port
    await sim.stop()
    await until(lambda: hass.states.get(light).state == "unavailable")
    assert hass.states.get(connectivity).state == "off"
    # Changed at the wall while Home Assistant could not see it.
    sim.house.key(2, 0).command(on=False)
    await sim.start()
    assert sim.port == port
    await until(lambda: hass.states.get(light).state == "off")
    assert hass.states.get(connectivity).state == "on"
    lost = [r for r in caplog.records if "is unavailable" in r.getMessage()]
    back = [r for r in caplog.records if "is available again" in r.getMessage()]
    assert len(lost) == 1
    assert len(back) == 1
    assert lost[0].levelno == back[0].levelno == logging.INFO


async def test_password_changed_while_running_starts_reauth(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    sim.set_credentials("admin", "changed")
    await sim.inject("close")
    await until(lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert sim.failed_logins == 1  # no retry loop against rejected credentials
    await hass.async_block_till_done()


async def test_setup_with_a_port_nobody_listens_on(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={**mock_config_entry.data, CONF_PORT: closed_port()},
        options=mock_config_entry.options,
        unique_id="other",
    )
    assert not await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_devices(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    devices = dr.async_entries_for_config_entry(device_registry, loaded_entry.entry_id)
    for device in sorted(devices, key=lambda device: sorted(device.identifiers)):
        assert device == snapshot(name=next(iter(device.identifiers))[1])


async def test_removing_the_entry_forgets_the_stored_topology(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    key = f"{DOMAIN}.{loaded_entry.entry_id}.topology"
    assert key in hass_storage
    assert len(hass_storage[key]["data"]["nodes"]) == 4
    await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
