"""Where the protocol core writes its logs.

By default the standard ``logging`` logger of this package; any object with the four
methods of :class:`Logger` can be given instead, e.g. :class:`ConsoleLogger` or
:class:`NullLogger`. Arguments are %-style, as with ``logging``.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol, TextIO

LOGGER = logging.getLogger(__package__)


class Logger(Protocol):
    """What the core needs from a logger."""

    def debug(self, msg: str, *args: object) -> None:
        """Log a detail for debugging."""

    def info(self, msg: str, *args: object) -> None:
        """Log a normal event."""

    def warning(self, msg: str, *args: object) -> None:
        """Log something unexpected that the core recovered from."""

    def error(self, msg: str, *args: object) -> None:
        """Log a failure."""


class NullLogger:
    """Drops every message."""

    def debug(self, msg: str, *args: object) -> None:
        """Drop."""

    def info(self, msg: str, *args: object) -> None:
        """Drop."""

    def warning(self, msg: str, *args: object) -> None:
        """Drop."""

    def error(self, msg: str, *args: object) -> None:
        """Drop."""


class ConsoleLogger:
    """Writes every message with its level to a stream (standard error by default)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        """Write to ``stream``, or to standard error."""
        self._stream = stream

    def _write(self, level: str, msg: str, args: tuple[object, ...]) -> None:
        stream = self._stream or sys.stderr
        stream.write(f"[vitrea] {level}: {msg % args if args else msg}\n")

    def debug(self, msg: str, *args: object) -> None:
        """Write at debug level."""
        self._write("DEBUG", msg, args)

    def info(self, msg: str, *args: object) -> None:
        """Write at info level."""
        self._write("INFO", msg, args)

    def warning(self, msg: str, *args: object) -> None:
        """Write at warning level."""
        self._write("WARNING", msg, args)

    def error(self, msg: str, *args: object) -> None:
        """Write at error level."""
        self._write("ERROR", msg, args)
