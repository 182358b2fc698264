"""One box, two interfaces: what an owner sees when either or both are lost.

The box as a whole is reachable while either interface is up; each entity is available while
an interface that serves it is up (keys: either; climates, scenes and LEDs: the host
interface; keypad lock and backlight: VTU). Every case runs against the demo house's
simulator, both interfaces, in a real Home Assistant.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er

from custom_components.vitrea import entry_house
from custom_components.vitrea.const import CONF_HEARTBEAT_INTERVAL, DOMAIN
from custom_components.vitrea.devices import key_unique_id
from custom_components.vitrea.diagnostics import async_get_config_entry_diagnostics
from custom_components.vitrea.vbox import HostClient, host
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.integration.conftest import EntryFactory

LOSS = "is unavailable"
RETURN = "is available again"


def entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """Each enabled entity of ``entry`` by its unique ID's ending (domain)."""
    registry = er.async_get(hass)
    return {
        entity.entity_id: entity.domain
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.disabled_by is None
    }


def connectivity(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The connectivity sensor's entity ID."""
    registry = er.async_get(hass)
    return next(
        entity.entity_id
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.unique_id.endswith("_connectivity")
    )


def unavailable(hass: HomeAssistant, entity_ids: list[str]) -> set[str]:
    """Those of ``entity_ids`` that are unavailable now."""
    return {
        entity_id
        for entity_id in entity_ids
        if (state := hass.states.get(entity_id)) is None or state.state == STATE_UNAVAILABLE
    }


def box_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The integration's lines at INFO or above about the box as a whole."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.vitrea")
        and record.levelno >= logging.INFO
        and (LOSS in record.getMessage() or RETURN in record.getMessage())
    ]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every line at ERROR or above, from anyone (a traceback included)."""
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("vtu_first", [False, True], ids=["host-first", "vtu-first"])
async def test_a_whole_box_outage_is_one_loss_and_one_return(
    hass: HomeAssistant,
    dual_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
    vtu_first: bool,
) -> None:
    entry, sim = await dual_entry()
    await entry.runtime_data.synced.wait()
    sensor = connectivity(hass, entry)
    served = [
        entity_id
        for entity_id in entity_ids(hass, entry)
        if entity_id != sensor and entity_id not in unavailable(hass, [entity_id])
    ]
    assert len(served) > 100
    assert hass.states.get(sensor).state == STATE_ON
    caplog.clear()

    await sim.unplug(vtu_first=vtu_first)
    await until(
        lambda: (
            unavailable(hass, served) == set(served) and hass.states.get(sensor).state == STATE_OFF
        ),
        timeout=15,
    )
    # An action that reaches the entity anyway (Home Assistant skips unavailable ones).
    light = hass.data["entity_components"]["light"].get_entity(by_domain(hass, entry, "light")[0])
    with pytest.raises(HomeAssistantError) as raised:
        await light.async_turn_on()
    assert raised.value.translation_key == "communication_error"
    attributes = hass.states.get(sensor).attributes
    assert {attributes["app_interface"], attributes["host_interface"]} <= {
        "reconnecting",
        "disconnected",
    }

    await sim.start()
    await until(
        lambda: not unavailable(hass, served) and hass.states.get(sensor).state == STATE_ON,
        timeout=30,
    )
    lines = box_lines(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"The vBox at 127.0.0.1 {LOSS}: ")
    assert lines[1] == f"The vBox at 127.0.0.1 {RETURN}"
    assert errors(caplog) == []


def by_domain(hass: HomeAssistant, entry: MockConfigEntry, *domains: str) -> list[str]:
    """The entry's enabled entities of ``domains``."""
    return [entity_id for entity_id, domain in entity_ids(hass, entry).items() if domain in domains]


def node_settings(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """The keypad-lock switches and backlight selects: what only VTU serves."""
    registry = er.async_get(hass)
    return [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.unique_id.endswith(("_keypad_lock", "_backlight"))
    ]


async def test_the_host_interface_lost_while_vtu_is_up(
    hass: HomeAssistant, dual_entry: EntryFactory, caplog: pytest.LogCaptureFixture
) -> None:
    entry, sim = await dual_entry()
    await entry.runtime_data.synced.wait()
    sensor = connectivity(hass, entry)
    keys = by_domain(hass, entry, "light", "cover")
    host_only = by_domain(hass, entry, "climate", "scene")
    settings = node_settings(hass, entry)
    assert keys
    assert host_only
    assert settings
    reads = sim.host_server.received.count(host.status_all())
    caplog.clear()

    await sim.host_server.stop()
    await until(lambda: unavailable(hass, host_only) == set(host_only))
    assert not unavailable(hass, keys + settings)  # VTU serves them
    assert hass.states.get(sensor).state == STATE_ON
    assert hass.states.get(sensor).attributes["host_interface"] != "connected"
    assert hass.states.get(sensor).attributes["app_interface"] == "connected"

    # A light switched over VTU meanwhile; the host interface reads every state on return.
    light = by_domain(hass, entry, "light")[0]
    await hass.services.async_call("light", "toggle", {"entity_id": light}, blocking=True)
    await sim.host_server.start()
    await until(lambda: not unavailable(hass, host_only))
    await until(lambda: sim.host_server.received.count(host.status_all()) > reads)
    assert hass.states.get(sensor).attributes["host_interface"] == "connected"
    assert box_lines(caplog) == []
    assert errors(caplog) == []


async def test_vtu_lost_while_the_host_interface_is_up(
    hass: HomeAssistant, dual_entry: EntryFactory, caplog: pytest.LogCaptureFixture
) -> None:
    entry, sim = await dual_entry(options={CONF_HEARTBEAT_INTERVAL: 0.5})
    await entry.runtime_data.synced.wait()
    sensor = connectivity(hass, entry)
    keys = by_domain(hass, entry, "light", "cover", "climate", "scene")
    settings = node_settings(hass, entry)
    caplog.clear()

    await sim.inject("silent")  # VTU's heartbeat goes unanswered, and so does its login
    await until(lambda: unavailable(hass, settings) == set(settings))
    assert not unavailable(hass, keys)  # the host interface serves them
    assert hass.states.get(sensor).state == STATE_ON
    assert hass.states.get(sensor).attributes["app_interface"] != "connected"

    await sim.inject("recover")
    await until(lambda: not unavailable(hass, settings), timeout=30)
    assert box_lines(caplog) == []
    assert errors(caplog) == []


async def test_an_entry_of_the_host_interface_alone_has_no_node_settings(
    hass: HomeAssistant, dual_entry: EntryFactory
) -> None:
    """Not even those an earlier release made (they stayed unknown and failed when used)."""
    registry = er.async_get(hass)

    def made_by_an_earlier_release(entry: MockConfigEntry, _: VBoxSimulator) -> None:
        for domain, key in (("switch", "keypad_lock"), ("select", "backlight")):
            registry.async_get_or_create(
                domain, DOMAIN, f"{entry.entry_id}_node1_{key}", config_entry=entry
            )

    entry, _ = await dual_entry(vtu=False, before_setup=made_by_an_earlier_release)
    assert entity_ids(hass, entry)
    assert node_settings(hass, entry) == []
    attributes = hass.states.get(connectivity(hass, entry)).attributes
    assert attributes["host_interface"] == "connected"
    assert "app_interface" not in attributes


async def test_a_stalled_host_interface_is_found_dead_and_nothing_is_missed(
    hass: HomeAssistant,
    dual_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The host interface stops answering (its socket open): its keep-alive goes unanswered,
    the link is dropped and VTU takes over; a change at the wall meanwhile, which the stalled
    interface never reported, shows once VTU has read every state again."""
    defaults = HostClient.__init__.__kwdefaults__
    monkeypatch.setitem(defaults, "keepalive_interval", 0.5)
    monkeypatch.setitem(defaults, "keepalive_timeout", 0.5)
    entry, sim = await dual_entry()
    await entry.runtime_data.synced.wait()
    sensor = connectivity(hass, entry)
    host_only = by_domain(hass, entry, "climate", "scene")
    keys = by_domain(hass, entry, "light", "cover")
    lamp = entity_id_of(hass, entry, node_id=4, key_id=2)  # the living room's floor lamp
    assert hass.states.get(lamp).state == STATE_OFF
    caplog.clear()

    await sim.inject_host("silent")
    await sim.set_key(4, 2, on=True)  # at the wall: only VTU tells it, and it is not heard
    await until(lambda: unavailable(hass, host_only) == set(host_only))
    await until(lambda: hass.states.get(lamp).state == STATE_ON)
    assert not unavailable(hass, keys)
    assert hass.states.get(sensor).state == STATE_ON

    await sim.inject_host("recover")
    await until(lambda: not unavailable(hass, host_only), timeout=30)
    assert box_lines(caplog) == []
    assert errors(caplog) == []


def entity_id_of(hass: HomeAssistant, entry: MockConfigEntry, *, node_id: int, key_id: int) -> str:
    """The entity ID of a key of the demo house."""
    unique_id = key_unique_id(entry.runtime_data.box_id, node_id, key_id)
    entity_id = er.async_get(hass).async_get_entity_id("light", DOMAIN, unique_id)
    assert entity_id is not None
    return entity_id


@pytest.mark.parametrize(
    "lasted", [False, True], ids=["after-a-short-session", "after-a-stable-one"]
)
async def test_a_box_that_drops_every_login_is_unavailable_once(
    hass: HomeAssistant,
    dual_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    lasted: bool,
) -> None:
    """Both interfaces acknowledge each login and close the connection at once: the
    attempts follow the backoff, and Home Assistant shows one loss, not a flap per attempt,
    whether the sessions before had lasted (the first return is a normal one) or not."""
    stable = 1.5  # the stability period, shorter than the default for the test's sake
    configured = entry_house.socket_config_of
    monkeypatch.setattr(
        entry_house,
        "socket_config_of",
        lambda options, **socket: configured(options, stability_period=stable, **socket),
    )
    loop = asyncio.get_running_loop()
    entry, sim = await dual_entry()
    connected = loop.time()
    await entry.runtime_data.synced.wait()
    if lasted:
        await until(lambda: loop.time() > connected + stable)
    lamp = entity_id_of(hass, entry, node_id=4, key_id=2)
    seen: list[str] = []
    unsubscribe = hass.bus.async_listen(
        "state_changed",
        lambda event: (
            seen.append(event.data["new_state"].state) if event.data["entity_id"] == lamp else None
        ),
    )
    caplog.clear()
    logins = sim.logins

    await sim.inject("drop")
    await sim.inject_host("drop")
    await sim.inject("close")
    await sim.inject_host("close")
    await until(lambda: sim.logins >= logins + 4)  # four accepted logins, each dropped
    assert seen == [STATE_UNAVAILABLE]
    assert hass.states.get(connectivity(hass, entry)).state == STATE_OFF

    await sim.inject("reset")
    await sim.inject_host("reset")
    await until(lambda: hass.states.get(lamp).state != STATE_UNAVAILABLE, timeout=30)
    unsubscribe()
    assert seen[0] == STATE_UNAVAILABLE
    assert STATE_UNAVAILABLE not in seen[1:]
    lines = box_lines(caplog)
    assert [LOSS in line for line in lines] == [True, False], lines
    assert errors(caplog) == []


async def test_a_stray_header_on_the_host_interface_holds_nothing_for_long(
    hass: HomeAssistant, dual_entry: EntryFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """The header of a frame that never comes: what follows it is read once the frame is
    given up (after 5 s), with one warning; the link stays up."""
    entry, sim = await dual_entry()
    await entry.runtime_data.synced.wait()
    lamp = entity_id_of(hass, entry, node_id=4, key_id=2)
    caplog.clear()

    await sim.inject_host("stray")
    await sim.set_key(4, 2, on=True)  # at the wall: its line waits behind the header
    await until(lambda: hass.states.get(lamp).state == STATE_ON, timeout=30)
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING and record.name.startswith("custom_components")
    ]
    assert len(warnings) == 1, warnings
    assert box_lines(caplog) == []
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["interfaces"]["host"]["malformed_messages"] == 1
    assert diagnostics["interfaces"]["host"]["state"] == "connected"
