"""What differs between the Home Assistant releases this integration supports (2025.4.4 on).

One switch, kept here alone:

- Schemas. Home Assistant 2026 validates with ``probatio`` and aliases ``voluptuous`` to it
  at run time, but its type hints name probatio's classes, so schemas are built with
  probatio where it exists; 2025 has voluptuous only. Same API, same behaviour. This goes
  once the oldest supported release ships probatio.
"""

from __future__ import annotations

try:
    import probatio as vol  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # Home Assistant 2025
    import voluptuous as vol  # type: ignore[no-redef, unused-ignore]

__all__ = ["vol"]
