"""Developer tools: the demo's processes (``processes``) and a Home Assistant client (``client``).

``scripts/develop.py`` imports this package as ``devtools``; the end-to-end and live tests as
``scripts.devtools``. Only the standard library is imported up front, so that
``scripts/develop --help`` answers without the venv.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class DevelopError(Exception):
    """Something the demo needs did not work; the message says what."""


class ProcessDiedError(DevelopError):
    """A child process exited while it should be running."""

    def __init__(self, name: str, returncode: int, log_path: Path | None) -> None:
        """Remember which process died, how, and where its output is."""
        where = f"; its output is in {log_path}" if log_path else ""
        super().__init__(f"{name} exited with code {returncode}{where}")
        self.name = name
        self.returncode = returncode
        self.log_path = log_path
