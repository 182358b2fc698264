"""The house a config entry describes: which interfaces, at which address, with which timings.

Built through the library's ``House`` factories only: VTU where the entry has a login, the
host interface where its options give a port, both where it has both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME

from .const import (
    CONF_HEARTBEAT_INTERVAL,
    CONF_HOST_PORT,
    CONF_PROTOCOL_VERSION,
    CONF_REQUEST_GAP,
    CONF_REQUEST_TIMEOUT,
    DEFAULT_HEARTBEAT_INTERVAL,
    DEFAULT_REQUEST_GAP,
    DEFAULT_REQUEST_TIMEOUT,
)
from .vbox import AUTO_VERSION, ConnectionConfig, House, SocketConfig

if TYPE_CHECKING:
    from collections.abc import Mapping


def house_from_entry(data: Mapping[str, Any], options: Mapping[str, Any], **socket: Any) -> House:
    """The house of an entry's data and options; ``socket`` overrides socket settings.

    Over the app interface, and the host interface too where the options give its port; over
    the host interface alone for an entry without credentials.

    Raises:
        ValueError: a setting is invalid (e.g. a credential longer than 127 characters).

    """
    host_port: int = options.get(CONF_HOST_PORT) or 0
    socket_config = socket_config_of(options, **socket)
    if not uses_vtu(data):
        return House.host(data[CONF_HOST], host_port, socket_config)
    connection = ConnectionConfig(
        host=data[CONF_HOST],
        port=data[CONF_PORT],
        username=data[CONF_USERNAME],
        password=data[CONF_PASSWORD],
        version=options.get(CONF_PROTOCOL_VERSION, AUTO_VERSION),
    )
    if not host_port:
        return House.vtu(connection, socket_config)
    return House.dual(connection, host_port, socket_config)


def uses_vtu(data: Mapping[str, Any]) -> bool:
    """The entry logs in to the app interface (VTU); without credentials, it does not."""
    return bool(data.get(CONF_USERNAME))


def socket_config_of(options: Mapping[str, Any], **socket: Any) -> SocketConfig:
    """The timing of an entry's options; ``socket`` overrides settings."""
    return SocketConfig(
        request_timeout=options.get(CONF_REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
        request_gap=options.get(CONF_REQUEST_GAP, DEFAULT_REQUEST_GAP),
        heartbeat_interval=options.get(CONF_HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL),
        **socket,
    )
