"""The protocol version inside Home Assistant: detected, overridden in the options, migrated."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import CONF_PROTOCOL_VERSION, CONF_REQUEST_GAP, DOMAIN
from custom_components.vitrea.vbox import CommandID, ProtocolVersion
from tests.integration.helpers import setup_entry, vtu_client
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until

V1 = ProtocolVersion.V1
V2 = ProtocolVersion.V2


def topology_names(entry: MockConfigEntry) -> dict[tuple[int, int], str]:
    topology = entry.runtime_data.data.topology
    return {(key.node_id, key.key_id): key.name for key in topology.all_keys()}


def house_names(sim: VBoxSimulator) -> dict[tuple[int, int], str]:
    return {(node.id, key.id): key.name for node in sim.house.nodes for key in node.keys}


@pytest.mark.parametrize("version", [V1, V2])
async def test_the_house_is_read_right_whatever_its_layout(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    mock_config_entry: MockConfigEntry,
    version: ProtocolVersion,
) -> None:
    sim.version = version
    assert await setup_entry(hass, mock_config_entry)
    assert vtu_client(mock_config_entry).protocol_version is version
    assert topology_names(mock_config_entry) == house_names(sim)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_the_override_in_the_options_is_used_without_probing(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
) -> None:
    sim.version = V1
    entry = MockConfigEntry(
        domain=DOMAIN,
        minor_version=2,
        unique_id=vbox_unique_id,
        data=vbox_data,
        options={CONF_REQUEST_GAP: 0.0, CONF_PROTOCOL_VERSION: "v1"},
    )
    assert await setup_entry(hass, entry)
    assert vtu_client(entry).protocol_version is V1
    assert topology_names(entry) == house_names(sim)
    # Discovery asks for every key once; no probe before it.
    asked = [r.payload for r in sim.requests_of(CommandID.KEY_PARAMETERS)]
    assert len(asked) == len(set(asked)) == sim.house.key_count
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(
    ("stored", "override"),
    [("v2", None), ("v1", "v1"), (None, None)],
    ids=["v2 becomes detected", "a v1 choice stays, as the override", "none stored"],
)
async def test_an_entry_of_1_1_is_migrated(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    stored: str | None,
    override: str | None,
) -> None:
    sim.version = V1 if stored == "v1" else V2
    data = dict(vbox_data)
    if stored is not None:
        data[CONF_PROTOCOL_VERSION] = stored
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=1,
        minor_version=1,
        unique_id=vbox_unique_id,
        data=data,
        options={CONF_REQUEST_GAP: 0.0},
    )
    assert await setup_entry(hass, entry)
    assert (entry.version, entry.minor_version) == (1, 3)
    assert CONF_PROTOCOL_VERSION not in entry.data
    assert entry.data == vbox_data
    assert entry.options.get(CONF_PROTOCOL_VERSION) == override
    assert entry.options[CONF_REQUEST_GAP] == 0.0
    assert topology_names(entry) == house_names(sim)
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_an_entry_of_a_newer_release_is_left_alone(
    hass: HomeAssistant, vbox_data: dict[str, Any], vbox_unique_id: str
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, version=2, unique_id=vbox_unique_id, data=vbox_data)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.data == vbox_data


async def test_a_restart_after_a_firmware_update_detects_the_new_layout(
    hass: HomeAssistant, sim: VBoxSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """The layout kept from the last run is assumed at once, then checked by rediscovery."""
    sim.version = V2
    assert await setup_entry(hass, mock_config_entry)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    sim.version = V1
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    # Rediscovery finds the names differ (read in the right layout now) and reloads.
    await until(
        lambda: (
            mock_config_entry.state is ConfigEntryState.LOADED
            and vtu_client(mock_config_entry).protocol_version is V1
            and topology_names(mock_config_entry) == house_names(sim)
        )
    )
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
