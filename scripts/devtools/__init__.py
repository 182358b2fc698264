"""Developer tools for the demo and the tests that run it as people do.

The demo's processes (``processes``), a Home Assistant client (``client``), the simulator's
control client (``wall``, which ``scripts/wall`` runs) and :func:`wait_for`.

``scripts/develop.py`` imports this package as ``devtools``; ``scripts/wall``, the end-to-end
and live tests as ``scripts.devtools``. Only the standard library is imported up front, and
the syntax is that of the machine's ``python3`` (3.11 here), so that ``scripts/develop`` reads
its command line (``--help``) before anything is installed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

T = TypeVar("T")


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


def wait_for(  # noqa: UP047 - no PEP 695 syntax: python3 may be 3.11 (see above)
    what: str,
    probe: Callable[[], T],
    ready: Callable[[T], bool],
    timeout: float,
    *,
    interval: float = 0.25,
) -> T:
    """Call ``probe`` until ``ready`` accepts its result; that result.

    Raises:
        DevelopError: ``ready`` still refused it after ``timeout`` seconds (the message names
            ``what`` and the last result).

    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if ready(value):
            return value
        if time.monotonic() > deadline:
            msg = f"{what}: still {value!r} after {timeout:g} s"
            raise DevelopError(msg)
        time.sleep(interval)
