"""The config flow of the Vitrea integration: set up, re-authenticate, reconfigure, tune.

Every flow that takes connection settings proves them before storing anything: it connects,
logs in, reads the node list and the metadata of one node, and disconnects again. The vBox
accepts one client at a time, so the flow must never keep the connection: the entry that is
set up (or reloaded) right afterwards needs it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .compat import vol
from .const import (
    CONF_HEARTBEAT_INTERVAL,
    CONF_HOST_PORT,
    CONF_PROTOCOL_VERSION,
    CONF_REQUEST_GAP,
    CONF_REQUEST_TIMEOUT,
    DEFAULT_HEARTBEAT_INTERVAL,
    DEFAULT_HOST_PORT,
    DEFAULT_PORT,
    DEFAULT_REQUEST_GAP,
    DEFAULT_REQUEST_TIMEOUT,
    DOMAIN,
    LOGGER,
)
from .entry_house import house_from_entry, uses_vtu
from .vbox import (
    AUTO_VERSION,
    AuthenticationError,
    HostClient,
    House,
    NoNodesError,
    ProtocolVersion,
    SocketConfig,
    VitreaConnectionError,
    VitreaError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

VALIDATION_MAX_RETRIES = 1
"""Retries of a request that timed out while validating: a form should answer quickly."""
REFUSED_ATTEMPTS = 3
"""Connection attempts right after unloading the entry (see ``REFUSED_RETRY_DELAY``)."""
REFUSED_RETRY_DELAY = 0.5
"""Seconds between those attempts: the vBox may not have freed its one client slot yet."""
HOST_PROBE_TIMEOUT = 2.0
"""Seconds the host interface has to answer the probe."""

# Form errors (the keys of config.error in strings.json).
ERROR_CANNOT_CONNECT = "cannot_connect"
ERROR_HOST_CANNOT_CONNECT = "host_cannot_connect"
ERROR_HOST_PORT_REQUIRED = "host_port_required"
ERROR_CREDENTIALS_INCOMPLETE = "credentials_incomplete"
ERROR_INVALID_AUTH = "invalid_auth"
ERROR_INVALID_CREDENTIALS_LENGTH = "invalid_credentials_length"
ERROR_NO_NODES = "no_nodes"
ERROR_UNKNOWN = "unknown"

_HOST_SELECTOR = TextSelector()
_PORT_SELECTOR = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
)
_USERNAME_SELECTOR = TextSelector(TextSelectorConfig(autocomplete="username"))
_PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
_PROTOCOL_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[AUTO_VERSION, *(version.value for version in ProtocolVersion)],
        mode=SelectSelectorMode.DROPDOWN,
        translation_key=CONF_PROTOCOL_VERSION,
    )
)


def _seconds(minimum: float, maximum: float, step: float) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=minimum,
            max=maximum,
            step=step,
            unit_of_measurement="s",
            mode=NumberSelectorMode.BOX,
        )
    )


# Blank values never reach the vBox: the host is trimmed, and nothing may be empty.
_HOST = vol.All(_HOST_SELECTOR, vol.Strip, vol.Length(min=1))
_PORT = vol.All(_PORT_SELECTOR, vol.Coerce(int))
_HOST_PORT_SELECTOR = NumberSelector(
    NumberSelectorConfig(min=0, max=65535, step=1, mode=NumberSelectorMode.BOX)
)
_HOST_PORT = vol.All(_HOST_PORT_SELECTOR, vol.Coerce(int))
_USERNAME = vol.All(_USERNAME_SELECTOR, vol.Length(min=1))
_PASSWORD = vol.All(_PASSWORD_SELECTOR, vol.Length(min=1))

REAUTH_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): _USERNAME,
        vol.Required(CONF_PASSWORD): _PASSWORD,
    }
)

OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_REQUEST_GAP, default=DEFAULT_REQUEST_GAP): _seconds(0, 2, 0.01),
        vol.Required(CONF_REQUEST_TIMEOUT, default=DEFAULT_REQUEST_TIMEOUT): _seconds(0.2, 10, 0.1),
        vol.Required(CONF_HEARTBEAT_INTERVAL, default=DEFAULT_HEARTBEAT_INTERVAL): _seconds(
            1, 60, 1
        ),
        # Detected when connecting; a manual choice only for a box the detection gets wrong.
        vol.Required(CONF_PROTOCOL_VERSION, default=AUTO_VERSION): _PROTOCOL_SELECTOR,
        # 0: the app interface alone.
        vol.Required(CONF_HOST_PORT, default=0): _HOST_PORT,
    }
)

USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): _HOST,
        vol.Required(CONF_PORT, default=DEFAULT_PORT): _PORT,
        # Both left empty: the host interface alone.
        vol.Optional(CONF_USERNAME): _USERNAME,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
        # Used where it answers; 0: not tried.
        vol.Required(CONF_HOST_PORT, default=DEFAULT_HOST_PORT): _HOST_PORT,
    }
)

RECONFIGURE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): _HOST,
        vol.Required(CONF_PORT): _PORT,
        vol.Required(CONF_USERNAME): _USERNAME,
        # Left empty, the stored password is kept.
        vol.Optional(CONF_PASSWORD): _PASSWORD_SELECTOR,
    }
)

RECONFIGURE_HOST_ONLY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): _HOST,
        vol.Required(CONF_PORT): _PORT,
        # Both left empty: still the host interface alone.
        vol.Optional(CONF_USERNAME): _USERNAME,
        vol.Optional(CONF_PASSWORD): _PASSWORD,
    }
)


def _default_title(host: str) -> str:
    return f"Vitrea vBox ({host})"


class _ValidationError(Exception):
    """Validation failed; ``reason`` is the translation key of the form error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def _async_connect(house: House, attempts: int) -> None:
    """Connect, trying again while the vBox closes the connection or cannot be reached."""
    attempt = 1
    while True:
        try:
            await house.connect()
        except VitreaConnectionError:
            if attempt >= attempts:
                raise
        else:
            return
        attempt += 1
        await asyncio.sleep(REFUSED_RETRY_DELAY)


async def _async_read_hardware_id(
    data: Mapping[str, Any], options: Mapping[str, Any], *, attempts: int = 1
) -> str:
    """Log in to the vBox described by ``data`` and return its hardware ID.

    That is the EUI-64 of the node with the lowest node ID (``Topology.identity``): the vBox
    tells no serial number or MAC address of its own.

    Raises:
        _ValidationError: with the form error to show.

    """
    try:
        house = house_from_entry(data, options, max_retries=VALIDATION_MAX_RETRIES, reconnect=False)
    except ValueError as err:
        # The schema rules out blank values and bad ports; what is left is a credential
        # longer than the 127 characters a Login frame can carry.
        raise _ValidationError(ERROR_INVALID_CREDENTIALS_LENGTH) from err
    try:
        await _async_connect(house, attempts)
        return await house.read_identity()
    except NoNodesError as err:
        raise _ValidationError(ERROR_NO_NODES) from err
    except AuthenticationError as err:
        raise _ValidationError(ERROR_INVALID_AUTH) from err
    except VitreaError as err:
        LOGGER.debug("Cannot validate the vBox at %s:%s: %s", data[CONF_HOST], data[CONF_PORT], err)
        raise _ValidationError(ERROR_CANNOT_CONNECT) from err
    finally:
        # Always: the vBox serves one client, and the entry set up next needs the slot.
        await house.disconnect()


async def _async_validate(
    data: Mapping[str, Any], options: Mapping[str, Any], *, attempts: int = 1
) -> tuple[str | None, dict[str, str]]:
    """The vBox's hardware ID, or ``None`` and the errors to show on the form."""
    try:
        hardware_id = await _async_read_hardware_id(data, options, attempts=attempts)
    except _ValidationError as err:
        return None, {"base": err.reason}
    except Exception:  # noqa: BLE001 - any failure must end on the form, not in a traceback
        LOGGER.exception(
            "Unexpected error while validating the vBox at %s:%s", data[CONF_HOST], data[CONF_PORT]
        )
        return None, {"base": ERROR_UNKNOWN}
    return hardware_id, {}


async def _async_host_interface_answers(host: str, port: int, *, attempts: int = 1) -> bool:
    """Whether the vBox's host interface answers at ``port``: its session starts."""
    for attempt in range(1, attempts + 1):
        client = HostClient(
            host, port, SocketConfig(request_timeout=HOST_PROBE_TIMEOUT, reconnect=False)
        )
        try:
            await client.connect()
        except VitreaError as err:
            LOGGER.debug("No host interface at %s:%s: %s", host, port, err)
        else:
            return True
        finally:
            await client.disconnect()
        if attempt < attempts:
            await asyncio.sleep(REFUSED_RETRY_DELAY)
    return False


class VitreaConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a vBox; re-authenticate or reconfigure an existing entry."""

    VERSION = 1
    MINOR_VERSION = 3
    """1.2: the protocol version is detected, an override is an option; 1.3: nodes are
    identified by number (see ``__init__``)."""

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> VitreaOptionsFlow:  # noqa: ARG004
        """The tuning options of an entry."""
        return VitreaOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask where the vBox is and how to log in, then prove it."""
        errors: dict[str, str] = {}
        schema = USER_SCHEMA
        if user_input is not None:
            address = {CONF_HOST: user_input[CONF_HOST], CONF_PORT: user_input[CONF_PORT]}
            username = user_input.get(CONF_USERNAME, "")
            password = user_input.get(CONF_PASSWORD, "")
            host_port = user_input[CONF_HOST_PORT]
            # The vBox would refuse a second client anyway: no need to try.
            self._async_abort_entries_match(address)
            if bool(username) != bool(password):
                errors = {"base": ERROR_CREDENTIALS_INCOMPLETE}
            elif not username:
                if host_port and await _async_host_interface_answers(address[CONF_HOST], host_port):
                    return self._create(address, host_port)
                errors = {"base": ERROR_HOST_CANNOT_CONNECT}
            else:
                data = address | {CONF_USERNAME: username, CONF_PASSWORD: password}
                hardware_id, errors = await _async_validate(data, {})
                if hardware_id is not None:
                    await self.async_set_unique_id(hardware_id)
                    # The same box at a new address: update the entry instead of adding one.
                    self._abort_if_unique_id_configured(updates=address)
                    use_host = bool(host_port) and await _async_host_interface_answers(
                        data[CONF_HOST], host_port
                    )
                    return self._create(data, host_port if use_host else 0)
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="user", data_schema=schema, errors=errors)

    def _create(self, data: dict[str, Any], host_port: int) -> ConfigFlowResult:
        """The entry; over the host interface too (or alone) where ``host_port`` is not 0."""
        return self.async_create_entry(
            title=_default_title(data[CONF_HOST]),
            data=data,
            options={CONF_HOST_PORT: host_port} if host_port else {},
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:  # noqa: ARG002
        """The vBox rejected the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials and prove them on the same vBox."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            credentials = {
                CONF_USERNAME: user_input[CONF_USERNAME],
                CONF_PASSWORD: user_input[CONF_PASSWORD],
            }
            hardware_id, errors = await _async_validate(
                {**entry.data, **credentials}, entry.options
            )
            if hardware_id is not None:
                await self.async_set_unique_id(hardware_id, raise_on_progress=False)
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(entry, data_updates=credentials)
        suggested = user_input or {CONF_USERNAME: entry.data[CONF_USERNAME]}
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(REAUTH_SCHEMA, suggested),
            errors=errors,
            description_placeholders={"host": entry.data[CONF_HOST]},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or credentials of the vBox of an entry."""
        entry = self._get_reconfigure_entry()
        if not uses_vtu(entry.data):
            return await self.async_step_reconfigure_host_only()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                CONF_HOST: user_input[CONF_HOST],
                CONF_PORT: user_input[CONF_PORT],
                CONF_USERNAME: user_input[CONF_USERNAME],
                CONF_PASSWORD: user_input.get(CONF_PASSWORD) or entry.data[CONF_PASSWORD],
            }
            if self._address_taken(entry, data[CONF_HOST], data[CONF_PORT]):
                return self.async_abort(reason="already_configured")
            # The loaded entry holds the vBox's only client slot: free it while validating.
            unloaded = entry.state is ConfigEntryState.LOADED and (
                await self.hass.config_entries.async_unload(entry.entry_id)
            )
            hardware_id, errors = await _async_validate(
                data, entry.options, attempts=REFUSED_ATTEMPTS if unloaded else 1
            )
            if hardware_id is not None:
                await self.async_set_unique_id(hardware_id, raise_on_progress=False)
                try:
                    self._abort_if_unique_id_mismatch(reason="wrong_device")
                except AbortFlow:
                    if unloaded:
                        await self.hass.config_entries.async_setup(entry.entry_id)
                    raise
                # Reloading sets the entry up again, whether it was loaded before or not.
                return self.async_update_reload_and_abort(
                    entry, title=self._new_title(entry, data[CONF_HOST]), data_updates=data
                )
            if unloaded:
                await self.hass.config_entries.async_setup(entry.entry_id)
            suggested: Mapping[str, Any] = user_input
        else:
            # The stored password is never sent to the browser; left empty, it is kept.
            suggested = {key: value for key, value in entry.data.items() if key != CONF_PASSWORD}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(RECONFIGURE_SCHEMA, suggested),
            errors=errors,
        )

    async def async_step_reconfigure_host_only(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Move an entry of the host interface alone, or give it the app interface's login.

        The host interface tells no identity: the new address must answer on it, and is taken
        for the same vBox. With a login, the vBox's identity is read and the entry becomes
        one of both interfaces (its devices and entities keep their IDs: see
        ``devices.async_adopt_identifiers``).
        """
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_HOST: user_input[CONF_HOST], CONF_PORT: user_input[CONF_PORT]}
            username = user_input.get(CONF_USERNAME, "")
            password = user_input.get(CONF_PASSWORD, "")
            if bool(username) != bool(password):
                errors = {"base": ERROR_CREDENTIALS_INCOMPLETE}
            elif self._address_taken(entry, data[CONF_HOST], data[CONF_PORT]):
                return self.async_abort(reason="already_configured")
            else:
                if username:
                    data |= {CONF_USERNAME: username, CONF_PASSWORD: password}
                unloaded = entry.state is ConfigEntryState.LOADED and (
                    await self.hass.config_entries.async_unload(entry.entry_id)
                )
                try:
                    hardware_id, errors = await self._async_validate_host_only(
                        entry, data, attempts=REFUSED_ATTEMPTS if unloaded else 1
                    )
                except AbortFlow:
                    if unloaded:
                        await self.hass.config_entries.async_setup(entry.entry_id)
                    raise
                if not errors:
                    return self.async_update_reload_and_abort(
                        entry,
                        unique_id=hardware_id,
                        title=self._new_title(entry, data[CONF_HOST]),
                        data=data,
                    )
                if unloaded:
                    await self.hass.config_entries.async_setup(entry.entry_id)
        return self.async_show_form(
            step_id="reconfigure_host_only",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_HOST_ONLY_SCHEMA, user_input or entry.data
            ),
            errors=errors,
            description_placeholders={"host_port": str(entry.options[CONF_HOST_PORT])},
        )

    async def _async_validate_host_only(
        self, entry: ConfigEntry, data: dict[str, Any], *, attempts: int
    ) -> tuple[str | None, dict[str, str]]:
        """Prove the new settings of a host-only entry: its login, if given, then its host port.

        Returns the vBox's hardware ID (``None`` without a login) and the form errors.

        Raises:
            AbortFlow: the login is of a vBox another entry has.

        """
        hardware_id = None
        if uses_vtu(data):
            hardware_id, errors = await _async_validate(data, entry.options, attempts=attempts)
            if hardware_id is None:
                return None, errors
            await self.async_set_unique_id(hardware_id, raise_on_progress=False)
            self._abort_if_unique_id_configured()
        if not await _async_host_interface_answers(
            data[CONF_HOST], entry.options[CONF_HOST_PORT], attempts=attempts
        ):
            return None, {"base": ERROR_HOST_CANNOT_CONNECT}
        return hardware_id, {}

    def _address_taken(self, entry: ConfigEntry, host: str, port: int) -> bool:
        """Another entry already talks to the vBox at ``host:port``."""
        return any(
            other.entry_id != entry.entry_id
            and other.data.get(CONF_HOST) == host
            and other.data.get(CONF_PORT) == port
            for other in self._async_current_entries(include_ignore=False)
        )

    @staticmethod
    def _new_title(entry: ConfigEntry, host: str) -> str:
        """The default title follows the host; a title the user chose is kept."""
        if entry.title == _default_title(entry.data[CONF_HOST]):
            return _default_title(host)
        return entry.title


class VitreaOptionsFlow(OptionsFlow):
    """The timing of the conversation with the vBox."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the options; the entry reloads when they change.

        A host-interface port must answer before it is stored.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            host_port = user_input[CONF_HOST_PORT]
            if not host_port and not uses_vtu(self.config_entry.data):
                errors[CONF_HOST_PORT] = ERROR_HOST_PORT_REQUIRED
            elif host_port and not await _async_host_interface_answers(
                self.config_entry.data[CONF_HOST], host_port
            ):
                errors[CONF_HOST_PORT] = ERROR_HOST_CANNOT_CONNECT
            else:
                return self.async_create_entry(data=user_input)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
        )
