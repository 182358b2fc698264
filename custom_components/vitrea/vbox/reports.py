"""Bad input from a vBox: counted, and logged at most once a minute per connection.

Garbage on a port can arrive by the megabyte; one warning per malformed message would flood
the log. A :class:`BadInputReport` counts every piece and logs the first at once, then at most
one line per :data:`REPORT_INTERVAL`, with the count since the last line and a short sample of
the latest (see ``docs/connections.md``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from .log import Logger

REPORT_INTERVAL = 60.0
"""Seconds between two reports of bad input from one connection, at least."""
SAMPLE_SIZE = 80
"""Bytes of the latest bad input shown in a report, at most."""

type BadInputListener = Callable[[str, bytes], None]
"""Called with why some input was dropped, and the bytes dropped."""


class BadInputReport:
    """Counts the bad input of one connection and logs it, rate-limited, at WARNING.

    Call it with the reason and the bytes of each piece of bad input.
    """

    def __init__(  # noqa: PLR0913
        self,
        log: Logger,
        label: str,
        source: str,
        *,
        binary: bool = False,
        interval: float = REPORT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Report as ``"<label> from <source>"``; samples in hex if ``binary``, else repr."""
        self._log = log
        self._label = label
        self._source = source
        self._binary = binary
        self._interval = interval
        self._clock = clock
        self._next_report = float("-inf")
        self._unreported = 0
        self.count = 0
        """Pieces of bad input so far, reported or not."""

    def __call__(self, reason: str, data: bytes) -> None:
        """Count one piece of bad input; log it unless a report was made recently."""
        self.count += 1
        self._unreported += 1
        now = self._clock()
        if now < self._next_report:
            return
        self._log.warning(
            "%s from %s (%d since the last report, %d in all; reported at most every %g s), "
            "the latest: %s, %d bytes: %s",
            self._label,
            self._source,
            self._unreported,
            self.count,
            self._interval,
            reason,
            len(data),
            self.sample(data),
        )
        self._unreported = 0
        self._next_report = now + self._interval

    def sample(self, data: bytes) -> str:
        """The first :data:`SAMPLE_SIZE` bytes of ``data``, readable, marked if cut."""
        head = data[:SAMPLE_SIZE]
        shown = head.hex(" ") if self._binary else repr(head)
        return shown + (" ..." if len(data) > SAMPLE_SIZE else "")
