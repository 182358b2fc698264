"""What differs between the Home Assistant releases this integration supports (2025.4.4 on).

Three switches, kept here alone:

- Climate temperatures. Home Assistant 2026.11 reads a climate entity's unit and
  temperatures as ``native_temperature_unit``, ``native_current_temperature`` and
  ``native_target_temperature``, and reports the old names as deprecated; earlier releases
  know only the old names (``temperature_unit``...). The climate entity provides the native
  names, and the old ones too where :data:`NATIVE_CLIMATE_TEMPERATURES` is false. This goes
  once the oldest supported release has the native names.
- Schemas. Home Assistant 2026 validates with ``probatio`` and aliases ``voluptuous`` to it
  at run time, but its type hints name probatio's classes, so schemas are built with
  probatio where it exists; 2025 has voluptuous only. Same API, same behaviour. This goes
  once the oldest supported release ships probatio.
- Devices. Home Assistant 2026 hands ``async_remove_config_entry_device`` an
  ``AnyDeviceEntry`` (a device or a child device, both with identifiers); 2025 has only
  ``DeviceEntry``. Only annotations name it. This goes once the oldest supported release
  has ``AnyDeviceEntry``.
"""

from __future__ import annotations

try:
    import probatio as vol  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # Home Assistant 2025
    import voluptuous as vol  # type: ignore[no-redef, unused-ignore]

try:
    from homeassistant.helpers.device_registry import (  # type: ignore[attr-defined, unused-ignore]
        AnyDeviceEntry,
    )
except ImportError:  # Home Assistant 2025
    from homeassistant.helpers.device_registry import (  # type: ignore[assignment, no-redef, misc, unused-ignore]
        DeviceEntry as AnyDeviceEntry,
    )

from homeassistant.components.climate import ClimateEntity

NATIVE_CLIMATE_TEMPERATURES = hasattr(ClimateEntity, "native_temperature_unit")
"""The release reads climate temperatures by their ``native_*`` names (2026.11 on)."""

__all__ = ["NATIVE_CLIMATE_TEMPERATURES", "AnyDeviceEntry", "vol"]
