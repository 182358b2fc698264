"""Constants of the Vitrea integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "vitrea"
LOGGER = logging.getLogger(__package__)
MANUFACTURER: Final = "Vitrea"

DEFAULT_PORT: Final = 11501
DEFAULT_HOST_PORT: Final = 11502

CONF_HOST_PORT: Final = "host_port"
"""Option: the port of the vBox's host interface, used besides the app interface; absent or
0: the app interface alone."""

CONF_PROTOCOL_VERSION: Final = "protocol_version"
"""Option: ``auto`` (detected when connecting, the default), or ``v1`` or ``v2`` to override
the NodeMetaData and KeyParameters layout. Entries before 1.2 kept it in their data."""

# Options (tuning), in seconds.
CONF_REQUEST_GAP: Final = "request_gap"
CONF_REQUEST_TIMEOUT: Final = "request_timeout"
CONF_HEARTBEAT_INTERVAL: Final = "heartbeat_interval"

DEFAULT_REQUEST_GAP: Final = 0.1
"""Pause between consecutive requests; the vBox dislikes bursts, 50-100 ms is known to work."""
DEFAULT_REQUEST_TIMEOUT: Final = 1.0
DEFAULT_HEARTBEAT_INTERVAL: Final = 3.0
