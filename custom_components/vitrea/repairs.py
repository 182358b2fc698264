"""Repair issues: a vBox firmware that the host interface does not (fully) support."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, LOGGER
from .vbox import VersionSupport, firmware_text

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .vbox import House

FIRMWARE_ISSUE = "firmware"
"""The repair issue of a firmware the host interface does not support (one per entry)."""


@callback
def async_report_firmware(hass: HomeAssistant, entry: ConfigEntry, host: str, house: House) -> None:
    """A repair issue while the host interface's firmware is one it does not support."""
    issue_id = f"{FIRMWARE_ISSUE}_{entry.entry_id}"
    version = house.firmware
    if version is None or version.support is VersionSupport.SUPPORTED:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    firmware = firmware_text(version)
    LOGGER.warning(
        "The vBox at %s runs firmware %s, which its host interface does not fully support",
        host,
        firmware,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=version.support.value,
        translation_placeholders={"host": host, "version": str(firmware)},
    )
