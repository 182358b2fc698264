"""The config, reauth, reconfigure and options flows, against the vBox simulator.

Every flow talks to a real simulator over loopback TCP; only the unexpected-error branch
replaces the client's ``connect``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock, patch

import pytest
import voluptuous as vol
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import (
    CONF_HEARTBEAT_INTERVAL,
    CONF_HOST_PORT,
    CONF_PROTOCOL_VERSION,
    CONF_REQUEST_GAP,
    CONF_REQUEST_TIMEOUT,
    DOMAIN,
)
from custom_components.vitrea.vbox import (
    CommandID,
    ConnectionConfig,
    ProtocolVersion,
    SocketConfig,
    VitreaClient,
)
from tests.conftest import closed_port
from vbox_simulator import House, Room, VBoxSimulator, load_demo_house
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, SimFactory

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


pytestmark = pytest.mark.usefixtures("mock_setup_entry")

COMPONENT = Path(__file__).parents[2] / "custom_components" / DOMAIN
STRINGS = json.loads((COMPONENT / "strings.json").read_text(encoding="utf-8"))
OTHER_BOX = "0011223344556677"
NEW_PASSWORD = "new-pass"
CREDENTIALS = (CONF_USERNAME, CONF_PASSWORD)
FORM_FIELDS = (CONF_HOST, CONF_PORT, *CREDENTIALS)
USER_FIELDS = [*FORM_FIELDS, CONF_HOST_PORT]
VTU_ENTRY_DATA = {
    CONF_HOST: "192.0.2.10",
    CONF_PORT: 11501,
    CONF_USERNAME: "admin",
    CONF_PASSWORD: "secret",
}
"""An entry that logs in to VTU, of a vBox that is not there."""


# -- helpers ---------------------------------------------------------------------------


def form_input(data: dict[str, Any], *fields: str) -> dict[str, Any]:
    """What a user types: ``fields`` of ``data`` (the connection fields by default)."""
    return {key: data[key] for key in fields or FORM_FIELDS}


def user_input(data: dict[str, Any]) -> dict[str, Any]:
    """What a user types in the user step: the connection fields of ``data``, and host port 0.

    Left at its default, 11502, the host port would send the flow to a port the test did not
    open (tests/conftest.py refuses it); the tests that try the host interface give
    ``sim.host_port``.
    """
    return form_input(data) | {CONF_HOST_PORT: 0}


def schema_markers(result: ConfigFlowResult) -> list[Any]:
    schema = result["data_schema"]
    assert schema is not None
    return list(schema.schema)


def schema_fields(result: ConfigFlowResult) -> list[str]:
    return [str(marker) for marker in schema_markers(result)]


def defaults(result: ConfigFlowResult) -> dict[str, Any]:
    return {
        str(marker): marker.default()
        for marker in schema_markers(result)
        if marker.default is not vol.UNDEFINED
    }


def suggested_values(result: ConfigFlowResult) -> dict[str, Any]:
    return {
        str(marker): marker.description["suggested_value"]
        for marker in schema_markers(result)
        if marker.description and "suggested_value" in marker.description
    }


def assert_form(
    result: ConfigFlowResult, step_id: str, error: str | None = None, *, section: str = "config"
) -> None:
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == step_id
    assert step_id in STRINGS[section]["step"]
    assert (result["errors"] or {}) == ({"base": error} if error else {})
    if error:
        assert error in STRINGS["config"]["error"]


def assert_abort(result: ConfigFlowResult, reason: str) -> None:
    assert result["type"] is FlowResultType.ABORT, result
    assert result["reason"] == reason
    assert reason in STRINGS["config"]["abort"]


def add_entry(
    hass: HomeAssistant,
    data: dict[str, Any],
    *,
    unique_id: str | None,
    title: str | None = None,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title or f"Vitrea vBox ({data[CONF_HOST]})",
        unique_id=unique_id,
        data=data,
        options=options or {},
    )
    entry.add_to_hass(hass)
    return entry


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def start_user_flow(hass: HomeAssistant) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert_form(result, "user")
    return result


async def configure(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def assert_entry_created(
    hass: HomeAssistant,
    result: ConfigFlowResult,
    data: dict[str, Any],
    unique_id: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Submitting ``data`` on the open user form creates the entry."""
    result = await configure(hass, result, user_input(data))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == f"Vitrea vBox ({data[CONF_HOST]})"
    assert result["data"] == data
    assert result["result"].unique_id == unique_id
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def assert_box_free(sim: VBoxSimulator, data: dict[str, Any]) -> None:
    """The flow closed its connection: the next client (the entry) can log in."""
    await sim.wait_until_disconnected()
    client = VitreaClient(
        ConnectionConfig(
            host=data[CONF_HOST],
            port=sim.port,
            username=data[CONF_USERNAME],
            password=data[CONF_PASSWORD],
            version=sim.version,
            environ={},
        ),
        SocketConfig(request_gap=0, reconnect=False, environ={}),
    )
    await client.connect()
    assert sim.client_logged_in
    await client.disconnect()
    await sim.wait_until_disconnected()


def unique_id_of(sim: VBoxSimulator) -> str:
    first = min(sim.house.nodes, key=lambda node: node.id)
    return first.mac.replace(":", "").lower()


# -- what goes wrong while a form is checked --------------------------------------------------


@dataclass
class FaultScene:
    """What a fault acts on: the vBox of the flow, others made on demand, the log."""

    sim: VBoxSimulator
    make_sim: SimFactory
    data: dict[str, Any]
    caplog: pytest.LogCaptureFixture
    attempts: int = 1
    """How many times the flow tries to connect (a reconfigured loaded entry tries more)."""


type Fault = Callable[[FaultScene], AbstractAsyncContextManager[dict[str, Any]]]
"""While entered, the next check of the form fails; it yields what the user types
differently from the right data, and checks afterwards what the failure left behind."""


@pytest.fixture
def scene(
    sim: VBoxSimulator,
    make_sim: SimFactory,
    vbox_data: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> FaultScene:
    return FaultScene(sim, make_sim, vbox_data, caplog)


@asynccontextmanager
async def box_stopped(scene: FaultScene) -> AsyncIterator[dict[str, Any]]:
    """Nothing listens at the vBox's address; it listens again afterwards."""
    await scene.sim.stop()
    yield {}
    await scene.sim.start()


@asynccontextmanager
async def box_held_by_another_client(scene: FaultScene) -> AsyncIterator[dict[str, Any]]:
    """Another client keeps the vBox's only slot: each attempt is refused."""
    _, writer = await asyncio.open_connection("127.0.0.1", scene.sim.port)
    await scene.sim.wait_for_client()
    with patch("custom_components.vitrea.config_flow.REFUSED_RETRY_DELAY", 0):
        yield {}
    assert scene.sim.refused_connections == scene.attempts
    writer.close()
    await writer.wait_closed()
    await scene.sim.wait_until_disconnected()


@asynccontextmanager
async def wrong_password(scene: FaultScene) -> AsyncIterator[dict[str, Any]]:
    """The vBox rejects the login."""
    yield {CONF_PASSWORD: "wrong"}
    assert scene.sim.failed_logins == 1
    await scene.sim.wait_until_disconnected()


@asynccontextmanager
async def unexpected_error(scene: FaultScene) -> AsyncIterator[dict[str, Any]]:
    """Connecting fails in a way nobody foresaw."""
    with patch.object(VitreaClient, "connect", side_effect=RuntimeError("boom")):
        yield {}
    assert "Unexpected error while validating the vBox" in scene.caplog.text


@asynccontextmanager
async def box_without_nodes(scene: FaultScene) -> AsyncIterator[dict[str, Any]]:
    """The address typed is that of a vBox without nodes."""
    empty = await scene.make_sim(House(rooms=[Room(id=0, floor=0, name="Hall")], nodes=[]))
    yield {CONF_PORT: empty.port}
    assert empty.logins == 1
    await assert_box_free(empty, scene.data)


@asynccontextmanager
async def password_too_long(scene: FaultScene) -> AsyncIterator[dict[str, Any]]:
    """A password longer than a Login frame carries: refused before connecting."""
    yield {CONF_PASSWORD: "x" * 200}
    assert scene.sim.connections == 0


# -- user step ---------------------------------------------------------------------------


async def test_user_flow_creates_entry(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    mock_setup_entry: AsyncMock,
) -> None:
    result = await start_user_flow(hass)
    assert schema_fields(result) == USER_FIELDS
    # What the form offers; the tests type their own ports (see user_input).
    assert defaults(result) == {CONF_PORT: 11501, CONF_HOST_PORT: 11502}

    await assert_entry_created(hass, result, vbox_data, vbox_unique_id, mock_setup_entry)

    assert sim.logins == 1
    lowest = min(node.id for node in sim.house.nodes)
    assert [r.payload for r in sim.requests_of(CommandID.NODE_META_DATA)] == [bytes((lowest,))]
    await assert_box_free(sim, vbox_data)


async def test_user_flow_unique_id_is_lowest_node_eui64(
    hass: HomeAssistant, make_sim: SimFactory, vbox_data: dict[str, Any]
) -> None:
    """Whatever order the vBox lists its nodes in, the lowest node ID names the box."""
    house = load_demo_house()
    house.nodes.reverse()
    box = await make_sim(house)
    lowest = min(house.nodes, key=lambda node: node.id)
    assert house.nodes[0] is not lowest
    result = await start_user_flow(hass)

    result = await configure(hass, result, user_input(vbox_data) | {CONF_PORT: box.port})

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["result"].unique_id == lowest.mac.replace(":", "").lower()
    assert len(result["result"].unique_id) == 16
    await hass.async_block_till_done()


@pytest.mark.parametrize("advanced", [False, True])
async def test_user_flow_asks_no_protocol_version_of_a_v1_box(
    hass: HomeAssistant,
    make_sim: SimFactory,
    vbox_data: dict[str, Any],
    mock_setup_entry: AsyncMock,
    advanced: bool,
) -> None:
    """The layout is detected; the form is the same in advanced mode (always on in 2026)."""
    box = await make_sim(version=ProtocolVersion.V1)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "show_advanced_options": advanced}
    )
    assert schema_fields(result) == USER_FIELDS

    data = vbox_data | {CONF_PORT: box.port}
    await assert_entry_created(hass, result, data, unique_id_of(box), mock_setup_entry)

    assert box.requests_of(CommandID.KEY_PARAMETERS)  # the probe that told V1 from V2
    await assert_box_free(box, data)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param(box_stopped, "cannot_connect", id="cannot_connect"),
        pytest.param(wrong_password, "invalid_auth", id="invalid_auth"),
        pytest.param(unexpected_error, "unknown", id="unknown"),
        pytest.param(box_without_nodes, "no_nodes", id="no_nodes"),
        pytest.param(password_too_long, "invalid_credentials_length", id="credentials_too_long"),
    ],
)
async def test_user_flow_error_then_success(
    hass: HomeAssistant,
    scene: FaultScene,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    mock_setup_entry: AsyncMock,
    fault: Fault,
    error: str,
) -> None:
    """The form shows the error with what was typed; typed again right, the entry is made."""
    result = await start_user_flow(hass)

    async with fault(scene) as changes:
        typed = user_input(vbox_data) | changes
        result = await configure(hass, result, typed)

        assert_form(result, "user", error)
        assert suggested_values(result) == typed

    await assert_entry_created(hass, result, vbox_data, vbox_unique_id, mock_setup_entry)


async def test_user_flow_trims_host(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    mock_setup_entry: AsyncMock,
) -> None:
    result = await start_user_flow(hass)

    result = await configure(hass, result, user_input(vbox_data) | {CONF_HOST: " 127.0.0.1 "})

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["data"][CONF_HOST] == "127.0.0.1"
    await hass.async_block_till_done()


async def test_user_flow_aborts_for_configured_address(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
) -> None:
    add_entry(hass, vbox_data, unique_id=vbox_unique_id)
    result = await start_user_flow(hass)

    result = await configure(hass, result, user_input(vbox_data))

    assert_abort(result, "already_configured")
    assert sim.connections == 0  # the box would refuse a second client anyway


async def test_user_flow_updates_address_of_configured_box(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
) -> None:
    """The same box reached at another address: the entry follows it."""
    old = vbox_data | {CONF_HOST: "192.0.2.10", CONF_PORT: 11501}
    entry = add_entry(hass, old, unique_id=vbox_unique_id)
    result = await start_user_flow(hass)

    result = await configure(hass, result, user_input(vbox_data))

    assert_abort(result, "already_configured")
    assert entry.data == vbox_data
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    await assert_box_free(sim, vbox_data)


# -- reauth ---------------------------------------------------------------------------------


async def test_reauth_after_password_change(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    mock_setup_entry: AsyncMock,
) -> None:
    entry = add_entry(hass, vbox_data, unique_id=vbox_unique_id)
    sim.set_credentials("installer", NEW_PASSWORD)

    result = await entry.start_reauth_flow(hass)

    assert_form(result, "reauth_confirm")
    assert schema_fields(result) == list(CREDENTIALS)
    assert suggested_values(result) == {CONF_USERNAME: vbox_data[CONF_USERNAME]}
    assert result["description_placeholders"]["host"] == "127.0.0.1"

    result = await configure(
        hass, result, {CONF_USERNAME: "installer", CONF_PASSWORD: NEW_PASSWORD}
    )

    assert_abort(result, "reauth_successful")
    assert entry.data == vbox_data | {CONF_USERNAME: "installer", CONF_PASSWORD: NEW_PASSWORD}
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1  # reloaded
    await assert_box_free(sim, entry.data)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param(wrong_password, "invalid_auth", id="invalid_auth"),
        pytest.param(box_stopped, "cannot_connect", id="cannot_connect"),
    ],
)
async def test_reauth_error_then_success(
    hass: HomeAssistant,
    scene: FaultScene,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    fault: Fault,
    error: str,
) -> None:
    entry = add_entry(hass, vbox_data | {CONF_PASSWORD: "old"}, unique_id=vbox_unique_id)
    result = await entry.start_reauth_flow(hass)

    async with fault(scene) as changes:
        typed = form_input(vbox_data, *CREDENTIALS) | changes
        result = await configure(hass, result, typed)

        assert_form(result, "reauth_confirm", error)
        assert suggested_values(result) == typed
        assert entry.data[CONF_PASSWORD] == "old"

    result = await configure(hass, result, form_input(vbox_data, *CREDENTIALS))

    assert_abort(result, "reauth_successful")
    assert entry.data == vbox_data
    await hass.async_block_till_done()


async def test_reauth_wrong_device(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
) -> None:
    entry = add_entry(hass, vbox_data | {CONF_PASSWORD: "old"}, unique_id=OTHER_BOX)
    result = await entry.start_reauth_flow(hass)

    result = await configure(hass, result, form_input(vbox_data, *CREDENTIALS))

    assert_abort(result, "wrong_device")
    assert entry.data[CONF_PASSWORD] == "old"
    await assert_box_free(sim, vbox_data)


# -- reconfigure -----------------------------------------------------------------------------


async def test_reconfigure_entry_not_loaded(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    mock_setup_entry: AsyncMock,
) -> None:
    old = vbox_data | {CONF_HOST: "192.0.2.10", CONF_PORT: 11501}
    entry = add_entry(hass, old, unique_id=vbox_unique_id)

    result = await entry.start_reconfigure_flow(hass)

    assert_form(result, "reconfigure")
    assert schema_fields(result) == list(FORM_FIELDS)
    # Prefilled from the entry, except the password, which is never sent to the browser.
    assert suggested_values(result) == form_input(old, CONF_HOST, CONF_PORT, CONF_USERNAME)

    result = await configure(
        hass, result, form_input(vbox_data, CONF_HOST, CONF_PORT, CONF_USERNAME)
    )

    assert_abort(result, "reconfigure_successful")
    assert entry.data == vbox_data  # the password left empty was kept
    assert entry.title == "Vitrea vBox (127.0.0.1)"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert len(mock_setup_entry.mock_calls) == 1
    await assert_box_free(sim, vbox_data)


async def test_reconfigure_password_of_a_v1_box(
    hass: HomeAssistant,
    make_sim: SimFactory,
    vbox_data: dict[str, Any],
    mock_setup_entry: AsyncMock,
) -> None:
    box = await make_sim(version=ProtocolVersion.V1, password=NEW_PASSWORD)
    old = vbox_data | {CONF_PORT: box.port}
    entry = add_entry(hass, old, unique_id=unique_id_of(box), title="Home")

    result = await entry.start_reconfigure_flow(hass)

    assert_form(result, "reconfigure")
    assert schema_fields(result) == list(FORM_FIELDS)
    new = old | {CONF_PASSWORD: NEW_PASSWORD}
    result = await configure(hass, result, form_input(new))

    assert_abort(result, "reconfigure_successful")
    assert entry.data == new
    assert entry.title == "Home"  # a title the user chose is kept
    await hass.async_block_till_done()


async def test_reconfigure_unloads_loaded_entry_while_validating(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    mock_setup_entry: AsyncMock,
    mock_unload_entry: AsyncMock,
) -> None:
    entry = add_entry(hass, vbox_data | {CONF_PORT: 11501}, unique_id=unique_id_of(sim))
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)

    result = await configure(
        hass, result, form_input(vbox_data, CONF_HOST, CONF_PORT, CONF_USERNAME)
    )

    assert_abort(result, "reconfigure_successful")
    assert len(mock_unload_entry.mock_calls) == 1
    assert entry.data == vbox_data
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert len(mock_setup_entry.mock_calls) == 2


async def test_reconfigure_uses_the_slot_the_unloaded_entry_frees(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    mock_unload_entry: AsyncMock,
) -> None:
    """The loaded entry holds the vBox's only slot; unloading it closes that connection."""
    entry = add_entry(hass, vbox_data, unique_id=unique_id_of(sim))
    await setup_entry(hass, entry)
    _, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    await sim.wait_for_client()

    async def unload(*_: Any) -> bool:
        writer.close()
        await writer.wait_closed()
        return True

    mock_unload_entry.side_effect = unload
    result = await entry.start_reconfigure_flow(hass)

    result = await configure(
        hass, result, form_input(vbox_data, CONF_HOST, CONF_PORT, CONF_USERNAME)
    )

    assert_abort(result, "reconfigure_successful")
    assert sim.logins == 1
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("fault", "error", "loaded"),
    [
        # Another client keeps the vBox: every attempt is refused, the entry comes back.
        pytest.param(box_held_by_another_client, "cannot_connect", True, id="busy_loaded"),
        pytest.param(wrong_password, "invalid_auth", True, id="invalid_auth_loaded"),
        pytest.param(box_stopped, "cannot_connect", False, id="cannot_connect_not_loaded"),
    ],
)
async def test_reconfigure_error_then_success(
    hass: HomeAssistant,
    scene: FaultScene,
    vbox_data: dict[str, Any],
    mock_setup_entry: AsyncMock,
    mock_unload_entry: AsyncMock,
    fault: Fault,
    error: str,
    loaded: bool,
) -> None:
    """A loaded entry is unloaded while validating and set up again after the error."""
    entry = add_entry(hass, vbox_data, unique_id=unique_id_of(scene.sim))
    if loaded:
        await setup_entry(hass, entry)
        scene.attempts = 3  # the flow tries again while the unloaded entry lets go
    result = await entry.start_reconfigure_flow(hass)

    async with fault(scene) as changes:
        typed = form_input(vbox_data) | changes
        result = await configure(hass, result, typed)

        assert_form(result, "reconfigure", error)
        assert suggested_values(result) == typed
        assert entry.state is (ConfigEntryState.LOADED if loaded else ConfigEntryState.NOT_LOADED)
        assert len(mock_unload_entry.mock_calls) == int(loaded)
        assert len(mock_setup_entry.mock_calls) == 2 * int(loaded)
        assert entry.data == vbox_data

    result = await configure(hass, result, form_input(vbox_data))

    assert_abort(result, "reconfigure_successful")
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert len(mock_unload_entry.mock_calls) == 2 * int(loaded)


@pytest.mark.parametrize("loaded", [True, False])
@pytest.mark.usefixtures("mock_unload_entry")
async def test_reconfigure_wrong_device(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    mock_setup_entry: AsyncMock,
    loaded: bool,
) -> None:
    old = vbox_data | {CONF_HOST: "192.0.2.10"}
    entry = add_entry(hass, old, unique_id=OTHER_BOX)
    if loaded:
        await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)

    result = await configure(hass, result, form_input(vbox_data))

    assert_abort(result, "wrong_device")
    assert entry.data == old
    expected = ConfigEntryState.LOADED if loaded else ConfigEntryState.NOT_LOADED
    assert entry.state is expected
    assert len(mock_setup_entry.mock_calls) == 2 * int(loaded)
    await assert_box_free(sim, vbox_data)


async def test_reconfigure_to_address_of_another_entry(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
) -> None:
    add_entry(hass, vbox_data, unique_id=vbox_unique_id)
    entry = add_entry(hass, vbox_data | {CONF_HOST: "192.0.2.10"}, unique_id=OTHER_BOX)
    result = await entry.start_reconfigure_flow(hass)

    result = await configure(hass, result, form_input(vbox_data))

    assert_abort(result, "already_configured")
    assert entry.data[CONF_HOST] == "192.0.2.10"
    assert sim.connections == 0


# -- options --------------------------------------------------------------------------------


async def test_options_flow_stores_options(hass: HomeAssistant, vbox_unique_id: str) -> None:
    entry = add_entry(
        hass,
        VTU_ENTRY_DATA,
        unique_id=vbox_unique_id,
        options={CONF_REQUEST_GAP: 0.2},
    )

    result = await hass.config_entries.options.async_init(entry.entry_id)

    assert_form(result, "init", section="options")
    assert schema_fields(result) == [
        CONF_REQUEST_GAP,
        CONF_REQUEST_TIMEOUT,
        CONF_HEARTBEAT_INTERVAL,
        CONF_PROTOCOL_VERSION,
        CONF_HOST_PORT,
    ]
    assert suggested_values(result) == {CONF_REQUEST_GAP: 0.2}

    options = {
        CONF_REQUEST_GAP: 0.05,
        CONF_REQUEST_TIMEOUT: 2.5,
        CONF_HEARTBEAT_INTERVAL: 10.0,
        CONF_PROTOCOL_VERSION: "v1",
        CONF_HOST_PORT: 0,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], options)

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert entry.options == options


async def test_options_flow_defaults(hass: HomeAssistant, vbox_unique_id: str) -> None:
    entry = add_entry(hass, VTU_ENTRY_DATA, unique_id=vbox_unique_id)
    result = await hass.config_entries.options.async_init(entry.entry_id)

    result = await hass.config_entries.options.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert entry.options == {
        CONF_REQUEST_GAP: 0.1,
        CONF_REQUEST_TIMEOUT: 1.0,
        CONF_HEARTBEAT_INTERVAL: 3.0,
        CONF_PROTOCOL_VERSION: "auto",
        CONF_HOST_PORT: 0,
    }


async def test_user_flow_uses_the_host_interface_where_it_answers(
    hass: HomeAssistant, sim: VBoxSimulator, vbox_data: dict[str, Any]
) -> None:
    result = await start_user_flow(hass)
    result = await configure(hass, result, user_input(vbox_data) | {CONF_HOST_PORT: sim.host_port})

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["result"].options == {CONF_HOST_PORT: sim.host_port}
    assert sim.host_server.connections == 1
    await sim.wait_until(lambda: sim.host_server.connected == 0)  # the probe let go


@pytest.mark.parametrize("answering", [False, True], ids=["nothing-listens", "not-asked"])
async def test_user_flow_goes_without_the_host_interface(
    hass: HomeAssistant, sim: VBoxSimulator, vbox_data: dict[str, Any], answering: bool
) -> None:
    """A host port that does not answer, or 0, gives an entry of the VTU interface alone."""
    result = await start_user_flow(hass)
    host_port = 0 if answering else closed_port()
    result = await configure(hass, result, user_input(vbox_data) | {CONF_HOST_PORT: host_port})

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["result"].options == {}
    assert sim.host_server.connections == 0


async def test_options_flow_proves_the_host_port(
    hass: HomeAssistant, sim: VBoxSimulator, vbox_data: dict[str, Any], vbox_unique_id: str
) -> None:
    entry = add_entry(hass, vbox_data, unique_id=vbox_unique_id)
    result = await hass.config_entries.options.async_init(entry.entry_id)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_HOST_PORT: closed_port()}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST_PORT: "host_cannot_connect"}
    assert "host_cannot_connect" in STRINGS["options"]["error"]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_HOST_PORT: sim.host_port}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert entry.options[CONF_HOST_PORT] == sim.host_port


# -- translations ------------------------------------------------------------------------------


def _keys(tree: Any, prefix: str = "") -> set[str]:
    if not isinstance(tree, dict):
        return {prefix}
    return set().union(*(_keys(value, f"{prefix}.{key}") for key, value in tree.items()))


def test_translations_match_strings() -> None:
    english = (COMPONENT / "translations" / "en.json").read_text(encoding="utf-8")
    assert english == (COMPONENT / "strings.json").read_text(encoding="utf-8")
    hebrew = json.loads((COMPONENT / "translations" / "he.json").read_text(encoding="utf-8"))
    for section in ("config", "options", "selector"):
        assert _keys(hebrew[section]) == _keys(STRINGS[section]), section
    assert "[%key:" not in english


def test_every_field_is_described() -> None:
    steps = {
        **STRINGS["config"]["step"],
        **{f"options.{k}": v for k, v in STRINGS["options"]["step"].items()},
    }
    for name, step in steps.items():
        assert step["data"].keys() == step["data_description"].keys(), name
        assert step["title"] != "Vitrea", name


# -- the host interface alone -------------------------------------------------------------

CLOSED = -1
"""A host port that a test replaces with one nothing listens on."""


async def test_user_flow_without_credentials_uses_the_host_interface_alone(
    hass: HomeAssistant, sim: VBoxSimulator
) -> None:
    result = await start_user_flow(hass)
    typed = {CONF_HOST: "127.0.0.1", CONF_PORT: sim.port, CONF_HOST_PORT: sim.host_port}
    result = await configure(hass, result, typed)

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["data"] == {CONF_HOST: "127.0.0.1", CONF_PORT: sim.port}
    assert result["result"].options == {CONF_HOST_PORT: sim.host_port}
    assert result["result"].unique_id is None  # the host interface tells no identity
    assert sim.logins == 0


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        pytest.param({CONF_HOST_PORT: 0}, "host_cannot_connect", id="no-host-port"),
        pytest.param({CONF_HOST_PORT: CLOSED}, "host_cannot_connect", id="nothing-listens"),
        pytest.param({CONF_USERNAME: "admin"}, "credentials_incomplete", id="no-password"),
        pytest.param({CONF_PASSWORD: "secret"}, "credentials_incomplete", id="no-username"),
    ],
)
async def test_user_flow_needs_an_interface_to_use(
    hass: HomeAssistant, sim: VBoxSimulator, typed: dict[str, Any], error: str
) -> None:
    result = await start_user_flow(hass)
    given = {CONF_HOST: "127.0.0.1", CONF_PORT: sim.port} | typed
    if given.get(CONF_HOST_PORT) == CLOSED:
        given[CONF_HOST_PORT] = closed_port()
    result = await configure(hass, result, given)
    assert_form(result, "user", error)


def add_host_only_entry(
    hass: HomeAssistant, sim: VBoxSimulator, host: str = "192.0.2.10", host_port: int = 0
) -> MockConfigEntry:
    """An entry of ``sim``'s host interface alone (or of ``host_port``), at ``host``."""
    return add_entry(
        hass,
        {CONF_HOST: host, CONF_PORT: 11501},
        unique_id=None,
        options={CONF_HOST_PORT: host_port or sim.host_port},
    )


async def start_host_only_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry
) -> ConfigFlowResult:
    result = await entry.start_reconfigure_flow(hass)
    assert_form(result, "reconfigure_host_only")
    assert schema_fields(result) == list(FORM_FIELDS)
    assert result["description_placeholders"] == {"host_port": str(entry.options[CONF_HOST_PORT])}
    return result


async def test_a_host_only_entry_moves_to_a_new_address(
    hass: HomeAssistant, sim: VBoxSimulator, mock_setup_entry: AsyncMock
) -> None:
    """The new address must answer on the host interface; the entry stays host-only."""
    entry = add_host_only_entry(hass, sim)
    result = await start_host_only_reconfigure(hass, entry)
    assert suggested_values(result) == {CONF_HOST: "192.0.2.10", CONF_PORT: 11501}

    result = await configure(hass, result, {CONF_HOST: "127.0.0.1", CONF_PORT: 11501})

    assert_abort(result, "reconfigure_successful")
    assert entry.data == {CONF_HOST: "127.0.0.1", CONF_PORT: 11501}
    assert entry.unique_id is None
    assert entry.title == "Vitrea vBox (127.0.0.1)"
    assert entry.options == {CONF_HOST_PORT: sim.host_port}
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1
    assert sim.logins == 0


async def test_a_host_only_entry_gets_the_login_of_its_vbox(
    hass: HomeAssistant, sim: VBoxSimulator, vbox_data: dict[str, Any], vbox_unique_id: str
) -> None:
    """With VTU's login, the entry uses both interfaces and knows its vBox's identity."""
    entry = add_host_only_entry(hass, sim)
    result = await start_host_only_reconfigure(hass, entry)

    result = await configure(hass, result, form_input(vbox_data))

    assert_abort(result, "reconfigure_successful")
    assert entry.data == vbox_data
    assert entry.unique_id == vbox_unique_id
    assert entry.options == {CONF_HOST_PORT: sim.host_port}
    await hass.async_block_till_done()
    await assert_box_free(sim, vbox_data)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        pytest.param({CONF_USERNAME: USERNAME}, "credentials_incomplete", id="no-password"),
        pytest.param({CONF_PASSWORD: PASSWORD}, "credentials_incomplete", id="no-username"),
        pytest.param(
            {CONF_USERNAME: USERNAME, CONF_PASSWORD: "wrong"}, "invalid_auth", id="wrong-login"
        ),
        pytest.param({CONF_HOST_PORT: CLOSED}, "host_cannot_connect", id="host-port-closed"),
    ],
)
@pytest.mark.parametrize("loaded", [True, False])
@pytest.mark.usefixtures("mock_unload_entry")
async def test_a_host_only_entry_keeps_its_settings_until_new_ones_answer(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    mock_setup_entry: AsyncMock,
    typed: dict[str, Any],
    error: str,
    loaded: bool,
) -> None:
    """A loaded entry is unloaded while the new settings are tried, and set up again."""
    host_port = closed_port() if typed.get(CONF_HOST_PORT) == CLOSED else 0
    entry = add_host_only_entry(hass, sim, host="127.0.0.1", host_port=host_port)
    if loaded:
        await setup_entry(hass, entry)
    result = await start_host_only_reconfigure(hass, entry)
    given = {CONF_HOST: "127.0.0.1", CONF_PORT: sim.port} | typed
    given.pop(CONF_HOST_PORT, None)

    result = await configure(hass, result, given)

    assert_form(result, "reconfigure_host_only", error)
    assert entry.data == {CONF_HOST: "127.0.0.1", CONF_PORT: 11501}
    assert entry.unique_id is None
    assert entry.state is (ConfigEntryState.LOADED if loaded else ConfigEntryState.NOT_LOADED)
    tried = error != "credentials_incomplete"
    assert len(mock_setup_entry.mock_calls) == int(loaded) * (1 + int(tried))


@pytest.mark.parametrize("loaded", [True, False])
@pytest.mark.usefixtures("mock_unload_entry")
async def test_a_host_only_entry_cannot_take_the_login_of_another_entry(
    hass: HomeAssistant,
    sim: VBoxSimulator,
    vbox_data: dict[str, Any],
    vbox_unique_id: str,
    loaded: bool,
) -> None:
    """The login's vBox already has an entry: both stay as they were."""
    add_entry(hass, vbox_data | {CONF_HOST: "localhost"}, unique_id=vbox_unique_id)
    entry = add_host_only_entry(hass, sim, host="127.0.0.1")
    if loaded:
        await setup_entry(hass, entry)
    result = await start_host_only_reconfigure(hass, entry)

    result = await configure(hass, result, form_input(vbox_data))

    assert_abort(result, "already_configured")
    assert entry.unique_id is None
    assert CONF_USERNAME not in entry.data
    assert entry.state is (ConfigEntryState.LOADED if loaded else ConfigEntryState.NOT_LOADED)


async def test_a_host_only_entry_cannot_move_to_another_entrys_address(
    hass: HomeAssistant, sim: VBoxSimulator, vbox_data: dict[str, Any], vbox_unique_id: str
) -> None:
    add_entry(hass, vbox_data, unique_id=vbox_unique_id)
    entry = add_host_only_entry(hass, sim)
    result = await start_host_only_reconfigure(hass, entry)

    result = await configure(hass, result, form_input(vbox_data, CONF_HOST, CONF_PORT))

    assert_abort(result, "already_configured")
    assert entry.data[CONF_HOST] == "192.0.2.10"
    assert sim.connections == 0


async def test_a_host_only_entry_keeps_its_host_port(hass: HomeAssistant) -> None:
    entry = add_entry(
        hass,
        {CONF_HOST: "192.0.2.10", CONF_PORT: 11501},
        unique_id=None,
        options={CONF_HOST_PORT: 11502},
    )
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_HOST_PORT: 0}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST_PORT: "host_port_required"}
    assert "host_port_required" in STRINGS["options"]["error"]
