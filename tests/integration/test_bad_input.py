"""Bad input inside Home Assistant: odd frames from the box, odd values in the config flow.

Frames the simulator would never send on its own (pushes for keys that do not exist,
unknown power bytes, unknown commands) are written straight onto its client connection.
"""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import AsyncMock

import pytest
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    SERVICE_TURN_OFF,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import CONF_HOST_PORT, DOMAIN
from custom_components.vitrea.vbox import (
    CommandID,
    DataGramDirection,
    Frame,
    KeyPowerStatus,
    LEDBackgroundBrightness,
)
from tests.conftest import NoNames
from tests.integration.conftest import PASSWORD, USERNAME
from tests.integration.helpers import (
    BACKLIGHT,
    BELL,
    LIGHT,
    LOCK,
    MAIN_LIGHT,
    entity_id,
    setup_entry,
    vtu_client,
)
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until


async def send_frames(sim: VBoxSimulator, *frames: Frame) -> None:
    """Write frames onto the simulator's client connection, as a box would."""
    await sim._send(sim._require_session(), [f.to_bytes() for f in frames])


def push(node: int, key: int, power: int, level: int = 0, message_id: int = 0xF0) -> Frame:
    payload = bytes((node, key, power, level)) + bytes(4)
    return Frame(DataGramDirection.INCOMING, CommandID.KEY_STATUS, message_id, payload)


def entity_count(entity_registry: er.EntityRegistry, entry: MockConfigEntry) -> int:
    return len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))


def problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="custom_components.vitrea")
    return caplog


# -- what the box pushes -------------------------------------------------------------------


async def test_push_for_an_unknown_key_of_a_known_node_is_ignored(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    light = entity_id(hass, LIGHT)
    entities = entity_count(entity_registry, loaded_entry)
    debug_log.clear()
    # Node 2 has one key (0); the box reports keys 1 and 200 of it, then a real change.
    await send_frames(
        sim,
        push(2, 1, KeyPowerStatus.ON, 100),
        push(2, 200, KeyPowerStatus.OFF),
        push(2, 0, KeyPowerStatus.ON, 30),
    )
    await until(lambda: hass.states.get(light).attributes.get("brightness") == 76)
    assert "Update for unknown key 2/1 ignored" in debug_log.text
    assert "Update for unknown key 2/200 ignored" in debug_log.text
    assert entity_count(entity_registry, loaded_entry) == entities
    assert loaded_entry.runtime_data.house.key(2, 1) is None
    assert problems(debug_log) == []
    assert loaded_entry.state is ConfigEntryState.LOADED


async def test_presses_of_unknown_keys_and_nodes_are_ignored(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    entity_registry: er.EntityRegistry,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    bell = entity_id(hass, BELL)
    light = entity_id(hass, LIGHT)
    entities = entity_count(entity_registry, loaded_entry)
    debug_log.clear()
    await send_frames(
        sim,
        push(1, 9, KeyPowerStatus.SHORT),  # no key 9 on node 1
        push(77, 0, KeyPowerStatus.LONG),  # no node 77
        push(2, 0, KeyPowerStatus.SHORT),  # a dimmer: no event entity listens
        push(1, 2, KeyPowerStatus.LONG),  # the bell: this one is an event
    )
    await until(lambda: hass.states.get(bell).attributes.get("event_type") == "long_press")
    assert hass.states.get(light).state == "on"  # a press is not a state
    assert entity_count(entity_registry, loaded_entry) == entities
    assert problems(debug_log) == []


async def test_status_with_an_unknown_power_byte_changes_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    main_light = entity_id(hass, MAIN_LIGHT)
    light = entity_id(hass, LIGHT)
    before = hass.states.get(light)
    assert before.state == "on"
    await send_frames(
        sim,
        push(2, 0, 0x00, 10),  # a power byte the protocol does not define
        push(1, 0, KeyPowerStatus.OFF, 0),  # then a real change elsewhere
    )
    await until(lambda: hass.states.get(main_light).state == "off")
    after = hass.states.get(light)
    assert (after.state, after.attributes) == (before.state, before.attributes)
    assert "Status of key 2/0 with unknown power 0x00 ignored" in debug_log.text
    assert problems(debug_log) == []


async def test_unknown_commands_and_malformed_pushes_are_ignored(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    light = entity_id(hass, LIGHT)
    incoming = DataGramDirection.INCOMING
    await send_frames(
        sim,
        Frame(incoming, 0x65, 0x31, bytes.fromhex("0A 0A 0E") + "Curtain".encode("utf-16-le")),
        Frame(incoming, CommandID.NODE_EXISTENCE_STATUS, 0x64, bytes.fromhex("03 FF 00 0D 6F")),
        Frame(incoming, 0x99, 0x01, b""),
        Frame(incoming, CommandID.KEY_STATUS, 0xF1, b"\x02"),  # too short to be a status
        Frame(DataGramDirection.OUTGOING, CommandID.KEY_STATUS, 0xF2, b"\x02\x00\x46\x00"),
        push(2, 0, KeyPowerStatus.OFF),
    )
    await until(lambda: hass.states.get(light).state == "off")
    # The malformed status is worth one warning; nothing else is.
    assert [m for m in problems(caplog) if "Malformed frame" not in m] == []
    assert sim.connections == 1
    assert vtu_client(loaded_entry).connected


async def test_unknown_backlight_level_of_a_node(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    sim: VBoxSimulator,
) -> None:
    node = sim.house.node(2)
    node.led = 9  # type: ignore[assignment]  # a level the protocol does not define
    assert await setup_entry(hass, mock_config_entry)
    lock, backlight = entity_id(hass, LOCK), entity_id(hass, BACKLIGHT)
    assert hass.states.get(backlight).state == "unknown"
    node.led = LEDBackgroundBrightness.LOW  # the box accepts only levels it knows
    # Unlocking must still work; the backlight falls back to normal, as when none is known.
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: lock}, blocking=True
    )
    assert not node.locked
    assert node.led == LEDBackgroundBrightness.NORMAL
    assert hass.states.get(lock).state == "off"
    assert hass.states.get(backlight).state == "normal"
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


# -- what the user types -------------------------------------------------------------------


async def submit(hass: HomeAssistant, user_input: dict[str, Any]) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


def user_input(sim: VBoxSimulator, **changes: Any) -> dict[str, Any]:
    """The user step's fields for ``sim``, host port 0: the default would reach 11502."""
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        CONF_HOST_PORT: 0,
    } | changes


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(
    ("host", "looked_up"),
    [
        ("256.1.1.1", True),  # not an address, and no such name
        ("bad host", True),
        ("no such host.invalid", True),
        ("127.0.0.1:11501", True),
        ("a..b", False),  # an empty label: fails to encode before any lookup
        ("x" * 64, False),  # a label longer than 63 characters
        ("host\x00name", False),
    ],
)
async def test_bad_host_is_a_form_error(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    no_names: NoNames,
    caplog: pytest.LogCaptureFixture,
    host: str,
    looked_up: bool,
) -> None:
    result = await submit(hass, user_input(sim, **{CONF_HOST: host}))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert no_names.asked == ([host] if looked_up else [])
    assert sim.connections == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize("port", [0, -1, 65536, 100_000, "port"])
async def test_port_out_of_range_is_rejected_by_the_form(
    hass: HomeAssistant, sim: VBoxSimulator, port: Any
) -> None:
    with pytest.raises(InvalidData) as caught:
        await submit(hass, user_input(sim, **{CONF_PORT: port}))
    assert CONF_PORT in caught.value.schema_errors
    assert sim.connections == 0


LONG = "ש" * 128  # 128 characters: 256 UTF-16LE bytes, one more than a length byte holds
ASTRAL = "🔑" * 64  # 64 characters, but 128 UTF-16 code units: also 256 bytes


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(
    "credentials",
    [
        {CONF_USERNAME: LONG},
        {CONF_PASSWORD: LONG},
        {CONF_PASSWORD: ASTRAL},
        {CONF_USERNAME: "a" * 1000, CONF_PASSWORD: "b" * 1000},
    ],
    ids=["username", "password", "astral-password", "both"],
)
async def test_credentials_too_long_for_the_login_frame(
    hass: HomeAssistant, sim: VBoxSimulator, credentials: dict[str, str]
) -> None:
    result = await submit(hass, user_input(sim, **credentials))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_credentials_length"}
    assert sim.connections == 0  # nothing was sent


async def test_longest_credentials_work(
    hass: HomeAssistant, sim: VBoxSimulator, mock_setup_entry: AsyncMock
) -> None:
    username, password = "מ" * 127, "🔑" * 63 + "x"  # 254 and 254 UTF-16LE bytes
    sim.set_credentials(username, password)
    result = await submit(
        hass, user_input(sim, **{CONF_USERNAME: username, CONF_PASSWORD: password})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert (result["data"][CONF_USERNAME], result["data"][CONF_PASSWORD]) == (username, password)
    assert sim.logins == 1
    assert sim.failed_logins == 0
    await hass.async_block_till_done()
    assert STATE_UNAVAILABLE not in [s.state for s in hass.states.async_all()]
