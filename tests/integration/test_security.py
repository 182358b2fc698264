"""The vBox credentials never leave the config entry: not in any log line, not in diagnostics.

One whole life of an entry runs at debug level on every logger: the config flow, setup,
commands, pushes and presses, a lost connection and the reconnection, a password changed
on the box with a failed and a successful re-authentication, a diagnostics download and
the unload. Every log record (message, arguments, exception text) and the diagnostics are
then searched for the username and the passwords, as text and as the UTF-16LE bytes a
Login frame carries (hex, with and without spaces, either case).
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator

import pytest
from homeassistant.components.light import DOMAIN as LIGHT_DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.vitrea.const import CONF_HOST_PORT, DOMAIN
from tests.integration.helpers import BELL, LIGHT, SMALL_HOUSE, entity_id
from vbox_simulator import House
from vbox_simulator.pytest_plugin import SimFactory, until

USERNAME = "מנהל-Vitrea-u7q"
PASSWORD = "סיסמה-Zq8!xw"
NEW_PASSWORD = "חדשה-Kp3#wv"
WRONG_PASSWORD = "שגויה-Jm5$tz"
SECRETS = (USERNAME, PASSWORD, NEW_PASSWORD, WRONG_PASSWORD)


def secret_forms(secret: str) -> Iterator[str]:
    """The secret as text, and its bytes as they could reach a log."""
    yield secret
    for data in (secret.encode("utf-16-le"), secret.encode()):
        for text in (data.hex(), data.hex(" "), data.hex(":")):
            yield text
            yield text.upper()
        yield repr(data)[2:-1]  # b'...' without the quotes


def record_texts(record: logging.LogRecord) -> Iterator[str]:
    yield record.getMessage()
    yield str(record.args)
    yield record.exc_text or ""
    yield record.stack_info or ""
    if record.exc_info and record.exc_info[1] is not None:
        yield "".join(traceback.format_exception(record.exc_info[1]))


def leaks(text: str) -> list[str]:
    return [form for secret in SECRETS for form in secret_forms(secret) if form in text]


def test_secret_forms_are_distinctive() -> None:
    # None of the forms is short or common enough to match by accident.
    for secret in SECRETS:
        assert all(len(form) >= 10 for form in secret_forms(secret))


async def test_credentials_never_reach_logs_or_diagnostics(
    hass: HomeAssistant,
    make_sim: SimFactory,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Test timings for the entry the flow creates (it has no options yet).
    monkeypatch.setattr("custom_components.vitrea.entry_house.DEFAULT_REQUEST_GAP", 0.0)
    sim = await make_sim(House.load(SMALL_HOUSE), username=USERNAME, password=PASSWORD)

    # The config flow, then setup.
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: sim.port,
            CONF_USERNAME: USERNAME,
            CONF_PASSWORD: PASSWORD,
            CONF_HOST_PORT: 0,  # VTU alone: the default, 11502, is no port of this test's
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    light, bell = entity_id(hass, LIGHT), entity_id(hass, BELL)

    # Commands, pushes and presses.
    for service in (SERVICE_TURN_OFF, SERVICE_TURN_ON):
        await hass.services.async_call(
            LIGHT_DOMAIN, service, {ATTR_ENTITY_ID: light}, blocking=True
        )
    await sim.set_key(3, 3, on=True)  # node 2 is locked: its keypad ignores the wall
    await sim.press(1, 2, "short")
    await until(lambda: hass.states.get(bell).attributes.get("event_type") == "short_press")

    # A lost connection and the reconnection.
    await sim.inject("close")
    await until(lambda: sim.logins == 3)  # the flow, setup, the reconnection
    await until(lambda: hass.states.get(light).state != STATE_UNAVAILABLE)

    # The password changes on the box: a wrong and a right answer to the reauth form.
    sim.set_credentials(USERNAME, NEW_PASSWORD)
    await sim.inject("close")
    await until(lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: WRONG_PASSWORD}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: NEW_PASSWORD}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert sim.failed_logins == 2  # the reconnection and the wrong answer

    # Diagnostics.
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert leaks(json.dumps(diagnostics, ensure_ascii=False)) == []
    assert leaks(json.dumps(diagnostics)) == []  # with \\u escapes too: no ASCII part either
    assert diagnostics["entry"]["data"][CONF_PASSWORD] == "**REDACTED**"
    assert diagnostics["entry"]["data"][CONF_USERNAME] == "**REDACTED**"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    # The run was logged in detail, Login frames included, and nothing secret was.
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("Sending Login #") for m in messages)
    assert any("credential bytes" in m for m in messages)
    assert any("rejected the credentials" in m for m in messages)
    assert len(caplog.records) > 200
    found = {
        (record.name, form)
        for record in caplog.records
        for text in record_texts(record)
        for form in leaks(text)
    }
    assert found == set()
