"""An entry that uses both interfaces, in a real Home Assistant against the simulator.

The demo house's vBox serves its host interface too: the entry's options name its port.
Floors and rooms, the vBox's own firmware on the hub device, and the repair issue of a
firmware the host interface does not support.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import (
    DOMAIN,
)
from custom_components.vitrea.diagnostics import async_get_config_entry_diagnostics
from custom_components.vitrea.vbox import CommandID, Interface, KeyType, host
from tests.integration.conftest import EntryFactory
from tests.integration.helpers import host_link, vtu_client
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until


async def test_both_interfaces_serve_one_entry(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    entry, sim = await dual_entry()
    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data
    await coordinator.states_read.wait()
    assert sim.host_server.received.count(host.status_all()) == 1
    assert sim.client_logged_in  # VTU too
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    hub = next(d for d in devices if (DOMAIN, coordinator.hub_id) in d.identifiers)
    assert hub.sw_version == "9.66"


async def test_rooms_are_put_on_the_vbox_floors(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    _, sim = await dual_entry()
    areas, floors = ar.async_get(hass), fr.async_get(hass)
    names = {floor.id: floor.name for floor in sim.house.floors}
    placed = 0
    for room in sim.house.rooms:
        area = areas.async_get_area_by_name(room.name)
        if area is None:
            continue  # no node there: no area was made
        floor = floors.async_get_floor(area.floor_id or "")
        assert floor is not None, room.name
        assert floor.name == names[room.floor]
        placed += 1
    assert placed >= 10


async def test_a_floor_the_owner_chose_stays(hass: HomeAssistant, dual_entry: EntryFactory) -> None:
    areas, floors = ar.async_get(hass), fr.async_get(hass)
    attic = floors.async_create("Attic")
    kitchen = areas.async_create("מטבח")
    areas.async_update(kitchen.id, floor_id=attic.floor_id)
    await dual_entry()
    area = areas.async_get_area(kitchen.id)
    assert area is not None
    assert area.floor_id == attic.floor_id


@pytest.mark.parametrize(
    ("version", "issue"),
    [("790", "unsupported_version"), ("795", "unsupported_version_upgrade_optional")],
)
async def test_a_firmware_the_host_interface_does_not_support_is_a_repair_issue(
    hass: HomeAssistant, dual_entry: EntryFactory, version: str, issue: str
) -> None:
    entry, sim = await dual_entry(host_version=version)
    assert entry.state is ConfigEntryState.LOADED
    found = ir.async_get(hass).async_get_issue(DOMAIN, f"firmware_{entry.entry_id}")
    assert found is not None
    assert found.translation_key == issue
    assert found.translation_placeholders == {"host": "127.0.0.1", "version": f"7.{version[1:]}"}

    sim.host_server.version = "966"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"firmware_{entry.entry_id}") is None


async def test_diagnostics_show_the_host_interface(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    entry, sim = await dual_entry()
    await entry.runtime_data.states_read.wait()
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["interfaces"]["host"] == {
        "port": sim.host_port,
        "state": "connected",
        "connected": True,
        "last_error": None,
        "firmware": "9.66",
        "supports_leds": True,
        "malformed_messages": 0,
    }
    assert set(diagnostics["climate_states"]) == {str(ac.id) for ac in sim.house.acs}


def entity_of(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


async def test_without_the_host_interface_keys_go_on_over_vtu(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    """The host interface goes away: air conditioners are unavailable, keys carry on over
    VTU; it comes back: the units are available again with their state."""
    entry, sim = await dual_entry()
    coordinator = entry.runtime_data
    await coordinator.states_read.wait()
    ac = entity_of(hass, "climate", f"{coordinator.hub_id}_ac1")
    await asyncio.wait_for(coordinator.synced.wait(), timeout=30)  # VTU tells it is a light
    lamp = entity_of(hass, "light", f"{entry.unique_id}_node4_2")
    await until(lambda: hass.states.get(ac).state != STATE_UNAVAILABLE)

    await sim.host_server.stop()
    await until(lambda: hass.states.get(ac).state == STATE_UNAVAILABLE)
    await hass.services.async_call("light", "turn_on", {"entity_id": lamp}, blocking=True)
    assert sim.house.key(4, 2).on
    assert hass.states.get(lamp).state == STATE_ON

    await sim.host_server.start()
    await until(lambda: hass.states.get(ac).state != STATE_UNAVAILABLE)
    await hass.services.async_call("light", "turn_off", {"entity_id": lamp}, blocking=True)
    assert host.key_off(4, 3) in sim.host_server.received


async def test_without_vtu_keys_go_on_over_the_host_interface(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    """VTU stops answering (its heartbeat finds out): keys are switched over the host
    interface, whose presses still fire events."""
    entry, sim = await dual_entry()
    coordinator = entry.runtime_data
    await coordinator.states_read.wait()
    await asyncio.wait_for(coordinator.synced.wait(), timeout=30)  # VTU tells it is a light
    lamp = entity_of(hass, "light", f"{entry.unique_id}_node4_2")

    await sim.inject("silent")
    await until(lambda: not vtu_client(entry).connected, timeout=15)
    assert hass.states.get(lamp).state != STATE_UNAVAILABLE
    await hass.services.async_call("light", "turn_on", {"entity_id": lamp}, blocking=True)
    assert host.key_on(4, 3) in sim.host_server.received
    await until(lambda: sim.house.key(4, 2).on)
    await sim.inject("recover")


async def test_the_host_interface_alone_serves_an_entry(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    """Without credentials: no VTU login, keys from the database (toggles as switches),
    climates, scenes; node devices without a model, their identifiers the entry's own."""
    entry, sim = await dual_entry(vtu=False)
    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data
    await coordinator.states_read.wait()
    assert sim.logins == 0
    assert Interface.VTU not in coordinator.house.interfaces
    assert coordinator.box_id == entry.entry_id  # no hardware ID without VTU
    toggle = entity_of(hass, "switch", f"{entry.entry_id}_node1_0")
    await until(lambda: hass.states.get(toggle).state == STATE_ON)  # on in the demo house
    assert entity_of(hass, "climate", f"{coordinator.hub_id}_ac1")
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    node_device = next(d for d in devices if (DOMAIN, f"{entry.entry_id}_node1") in d.identifiers)
    assert (node_device.model, node_device.serial_number, node_device.sw_version) == (
        None,
        None,
        None,
    )
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert set(diagnostics["interfaces"]) == {"host"}
    assert diagnostics["interfaces"]["host"]["connected"] is True


async def test_a_password_changed_on_the_vbox_asks_for_it_while_the_host_interface_works(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    entry, sim = await dual_entry()
    await entry.runtime_data.states_read.wait()
    sim.set_credentials("admin", "a-new-password")
    await sim.inject("close")
    await until(lambda: any(entry.async_get_active_flows(hass, {"reauth"})))
    assert host_link(entry) is not None
    assert host_link(entry).connected


async def test_a_host_only_entry_given_the_login_keeps_its_devices_and_entities(
    hass: HomeAssistant, dual_entry: EntryFactory, sim_credentials: tuple[str, str]
) -> None:
    """Reconfigured with VTU's login, the entry uses both interfaces: its devices and
    entities are the same registry entries, now known by the nodes' EUI-64 and the vBox's
    identity, with what the owner set; nothing is left over from before."""
    entry, sim = await dual_entry(vtu=False)
    await entry.runtime_data.states_read.wait()
    scope = f"{entry.entry_id}_"
    devices, entities = dr.async_get(hass), er.async_get(hass)
    before = dr.async_entries_for_config_entry(devices, entry.entry_id)
    node_device = next(d for d in before if (DOMAIN, f"{scope}node1") in d.identifiers)
    hub_device = next(d for d in before if (DOMAIN, f"vbox_{entry.entry_id}") in d.identifiers)
    bell = entity_of(hass, "event", f"{scope}node1_4")
    ac = entity_of(hass, "climate", f"vbox_{entry.entry_id}_ac1")
    entities.async_update_entity(ac, name="The owner's AC")
    kept = {
        entity.entity_id for entity in er.async_entries_for_config_entry(entities, entry.entry_id)
    }

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: sim.port,
            CONF_USERNAME: sim_credentials[0],
            CONF_PASSWORD: sim_credentials[1],
        },
    )
    assert result["reason"] == "reconfigure_successful", result
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data
    await coordinator.states_read.wait()

    eui = coordinator.box_id
    assert eui == sim.house.node(1).mac.replace(":", "").lower() == entry.unique_id
    moved = devices.async_get(node_device.id)
    assert moved is not None
    assert moved.identifiers == {(DOMAIN, f"{eui}_node1")}
    # VTU tells the model, and that toggles are lights: the entry reloads once with them.
    model = sim.house.node(1).model
    await until(lambda: (d := devices.async_get(node_device.id)) is not None and d.model == model)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    hub = devices.async_get(hub_device.id)
    assert hub is not None
    assert hub.identifiers == {(DOMAIN, f"vbox_{eui}")}
    assert entity_of(hass, "event", f"{eui}_node1_4") == bell
    assert entity_of(hass, "climate", f"vbox_{eui}_ac1") == ac
    assert hass.states.get(ac).name == "The owner's AC"
    now = er.async_entries_for_config_entry(entities, entry.entry_id)
    assert not [entity.unique_id for entity in now if entity.unique_id.startswith(scope)]
    assert not [
        name
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
        for _, name in device.identifiers
        if entry.entry_id in name
    ]
    # The keys' entities stay, but toggles VTU tells to be lights, which change domain.
    lights = {entity.entity_id for entity in now if entity.domain == "light"}
    assert kept - {entity.entity_id for entity in now} <= {
        entity_id.replace("light.", "switch.", 1) for entity_id in lights
    }


async def test_a_first_setup_takes_the_host_database_and_vtu_adds_to_it(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    """Both interfaces: the entities come from the host database with their states; VTU's
    reading then only adds (node details, the toggles' entities): nothing is removed,
    renamed or re-identified, and the entry is not reloaded."""
    changes: list[tuple[str, dict[str, Any]]] = []

    @callback
    def record(event: Event[Any]) -> None:
        changes.append((event.event_type, dict(event.data)))

    for event_type in (er.EVENT_ENTITY_REGISTRY_UPDATED, dr.EVENT_DEVICE_REGISTRY_UPDATED):
        hass.bus.async_listen(event_type, record)
    entry, sim = await dual_entry()
    coordinator = entry.runtime_data
    await asyncio.wait_for(coordinator.synced.wait(), timeout=30)
    await hass.async_block_till_done()
    assert entry.runtime_data is coordinator  # no reload
    assert not [data for _, data in changes if data["action"] == "remove"]
    assert not [data for _, data in changes if {"old_unique_id", "old_entity_id"} & set(data)]
    entities = er.async_get(hass)
    created = [
        entities.async_get(data["entity_id"])
        for kind, data in changes
        if kind == er.EVENT_ENTITY_REGISTRY_UPDATED and data["action"] == "create"
    ]
    toggles = {
        f"{entry.unique_id}_node{node.id}_{key.id}"
        for node in sim.house.nodes
        for key in node.keys
        if key.type == KeyType.TOGGLE
    }
    order = [entity.unique_id for entity in created if entity is not None]
    first_toggle = min(i for i, unique_id in enumerate(order) if unique_id in toggles)
    assert toggles <= set(order[first_toggle:])  # the toggles' entities come last, from VTU
    assert len(order) == len(set(order))
    for node in sim.house.nodes:  # VTU's details on the same devices
        device = next(
            d
            for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
            if (DOMAIN, f"{entry.unique_id}_node{node.id}") in d.identifiers
        )
        assert (device.model, device.serial_number) == (node.model, node.mac)
    # A key the vBox puts in another room than its wall unit's: its device is there.
    lantern = entities.async_get(entity_of(hass, "light", f"{entry.unique_id}_node1_2"))
    assert lantern is not None
    assert lantern.entity_id == "light.garden_pns_sh_r"  # the room, then the key
    lantern_device = dr.async_get(hass).async_get(lantern.device_id or "")
    assert lantern_device is not None
    garden = ar.async_get(hass).async_get_area(lantern_device.area_id or "")
    assert garden is not None
    assert garden.name == "Garden"
    lamp = entity_of(hass, "light", f"{entry.unique_id}_node4_2")
    expected = STATE_ON if sim.house.key(4, 2).on else STATE_OFF
    await until(lambda: hass.states.get(lamp).state == expected)


async def test_vtu_lost_while_it_reads_the_details_reads_them_when_it_returns(
    hass: HomeAssistant, dual_entry: EntryFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """VTU drops as it starts its reading after a first setup: the entities of the host
    database stay, and VTU's reading is done again once it is back."""
    caplog.set_level(logging.DEBUG, logger="custom_components.vitrea")
    closed = asyncio.Event()

    def close_vtu_at_its_first_reading(entry: MockConfigEntry, sim: VBoxSimulator) -> None:
        async def close() -> None:
            # The first request after setup is the reading (connecting sent some before).
            await sim.wait_until(
                lambda: (
                    entry.state is ConfigEntryState.LOADED
                    and sim.requests[-1].command == CommandID.NODE_COUNT
                )
            )
            await sim.close_client()
            closed.set()

        entry.async_create_background_task(hass, close(), "close VTU")

    entry, _ = await dual_entry(before_setup=close_vtu_at_its_first_reading)
    coordinator = entry.runtime_data
    await asyncio.wait_for(closed.wait(), timeout=30)
    lamp = f"{entry.unique_id}_node4_2"
    await until(lambda: er.async_get(hass).async_get_entity_id("light", DOMAIN, lamp) is not None)
    assert "Topology refresh failed" in caplog.text  # the first reading was lost
    assert entry.runtime_data is coordinator
