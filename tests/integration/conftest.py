"""Fixtures of the integration tests: Home Assistant, a real vBox simulator on loopback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    MAJOR_VERSION,
    MINOR_VERSION,
)
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from custom_components.vitrea.const import (
    CONF_HEARTBEAT_INTERVAL,
    CONF_HOST_PORT,
    CONF_REQUEST_GAP,
    CONF_REQUEST_TIMEOUT,
    DOMAIN,
)
from tests.integration.helpers import SMALL_HOUSE, setup_entry
from vbox_simulator import House, VBoxSimulator
from vbox_simulator.pytest_plugin import SimFactory

USERNAME = "admin"
PASSWORD = "vitrea-pass"

HA_RELEASE = f"{MAJOR_VERSION}.{MINOR_VERSION}"
"""The Home Assistant release under test, e.g. ``2025.4``: the one place that names it."""


@pytest.fixture(autouse=True)
def _integration_environment(enable_custom_integrations: None, socket_enabled: None) -> None:
    """Load ``custom_components.vitrea``; allow loopback TCP to the simulator."""


REPORT_MARKERS = ("detected that", "via_device", "deprecat")
"""What Home Assistant's reports of an integration's outdated use say: its frame helper's
"Detected that custom integration 'vitrea' ...", the device registry's complaint about a
missing ``via_device``, and deprecation notices."""


@pytest.fixture(autouse=True)
def _no_reports_of_outdated_use(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test in which Home Assistant reports an outdated use by the integration."""
    yield
    reports = [
        record.getMessage()
        for phase in ("setup", "call")
        for record in caplog.get_records(phase)
        if record.levelno >= logging.WARNING
        and record.name.startswith("homeassistant")
        and "vitrea" in (message := record.getMessage().lower())
        and any(marker in message for marker in REPORT_MARKERS)
    ]
    assert not reports, reports


@pytest.fixture
def sim_credentials() -> tuple[str, str]:
    """The integration's login, for every simulator of these tests."""
    return USERNAME, PASSWORD


@pytest.fixture
async def sim(make_sim: SimFactory) -> VBoxSimulator:
    """A started V2 simulator of the small test house (one key of every kind)."""
    return await make_sim(House.load(SMALL_HOUSE))


@pytest.fixture
def vbox_data(sim: VBoxSimulator) -> dict[str, Any]:
    """Config entry data that reaches ``sim`` (change the port for another one)."""
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
    }


@pytest.fixture
def vbox_unique_id(sim: VBoxSimulator) -> str:
    """The unique ID of ``sim``'s entry: its lowest node's EUI-64, lowercase hex."""
    first = min(sim.house.nodes, key=lambda node: node.id)
    return first.mac.replace(":", "").lower()


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Entries are set up without connecting (the flow tests own the vBox's one slot)."""
    with patch("custom_components.vitrea.async_setup_entry", return_value=True) as mock:
        yield mock


@pytest.fixture
def mock_unload_entry() -> Iterator[AsyncMock]:
    """Entries are unloaded without touching the vBox."""
    with patch("custom_components.vitrea.async_unload_entry", return_value=True) as mock:
        yield mock


@pytest.fixture
def mock_config_entry(vbox_data: dict[str, Any], vbox_unique_id: str) -> MockConfigEntry:
    """An entry for ``sim``, with timings fit for tests."""
    return MockConfigEntry(
        domain=DOMAIN,
        minor_version=3,
        title="Vitrea vBox (127.0.0.1)",
        unique_id=vbox_unique_id,
        data=vbox_data,
        options={
            CONF_REQUEST_GAP: 0.0,
            CONF_REQUEST_TIMEOUT: 0.5,
            CONF_HEARTBEAT_INTERVAL: 5.0,
        },
    )


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> AsyncIterator[MockConfigEntry]:
    """``mock_config_entry`` set up against ``sim``; unloaded afterwards."""
    assert await setup_entry(hass, mock_config_entry)
    yield mock_config_entry
    if mock_config_entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


class ReleaseSnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's snapshots, kept in ``snapshots/<release>/``.

    Each release writes registry entries and states its own way (fields come and go, and
    entity IDs, which name the platform snapshots, start with the area from 2026.x), so each
    release family under test has its own set. The diagnostics, the integration's own, are
    the same on every release but kept per release too: syrupy reads a snapshot directory
    with its subdirectories, so a shared one would take the other releases' for unused.
    """

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """``snapshots/<release>/`` beside the test file."""
        return str(Path(super().dirname(test_location=test_location), HA_RELEASE))


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format (registry IDs and timestamps left out), per
    release.
    """
    return snapshot.use_extension(ReleaseSnapshotExtension)


type EntryFactory = Callable[..., Awaitable[tuple[MockConfigEntry, VBoxSimulator]]]


@pytest.fixture
async def dual_entry(
    hass: HomeAssistant, make_sim: SimFactory, sim_credentials: tuple[str, str]
) -> AsyncIterator[EntryFactory]:
    """Set up an entry of both interfaces (``vtu=False``: of the host interface alone) on a
    demo-house simulator (``make_sim`` options); ``options`` add to the entry's, and
    ``before_setup`` is called with the entry and the simulator before the entry is set up."""
    entries: list[MockConfigEntry] = []

    async def make(
        *,
        vtu: bool = True,
        options: dict[str, Any] | None = None,
        before_setup: Callable[[MockConfigEntry, VBoxSimulator], None] | None = None,
        **sim_options: Any,
    ) -> tuple[MockConfigEntry, VBoxSimulator]:
        sim = await make_sim(**sim_options)
        first = min(sim.house.nodes, key=lambda node: node.id)
        credentials = {CONF_USERNAME: sim_credentials[0], CONF_PASSWORD: sim_credentials[1]}
        entry = MockConfigEntry(
            domain=DOMAIN,
            minor_version=3,
            title="Vitrea vBox (127.0.0.1)",
            unique_id=first.mac.replace(":", "").lower() if vtu else None,
            data={CONF_HOST: "127.0.0.1", CONF_PORT: sim.port} | (credentials if vtu else {}),
            options={
                CONF_REQUEST_GAP: 0.0,
                CONF_REQUEST_TIMEOUT: 0.5,
                CONF_HOST_PORT: sim.host_port,
            }
            | (options or {}),
        )
        entry.add_to_hass(hass)
        if before_setup is not None:
            before_setup(entry, sim)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        entries.append(entry)
        return entry, sim

    yield make
    for entry in entries:
        if entry.state is ConfigEntryState.LOADED:
            assert await hass.config_entries.async_unload(entry.entry_id)
