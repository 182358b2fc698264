"""The host interface's stream reader: the box's bytes split into lines and VTH frames.

§ numbers are sections of ``docs/host-interface.md``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .lines import LINE_END, MAX_LINE, parse_line
from .messages import Malformed
from .vth import (
    _PREFIXES,
    MAX_VTH_LENGTH,
    VTH_HEADER_SIZE,
    VTH_REPLY_PREFIX,
    VTH_REQUEST_PREFIX,
    checksum,
    parse_frame,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .messages import HostMessage


def _frame_start(buffer: bytearray) -> int:
    """Where the first VTH prefix starts in ``buffer``, or -1."""
    found = [at for at in (buffer.find(prefix) for prefix in _PREFIXES) if at >= 0]
    return min(found, default=-1)


def _partial_tail(buffer: bytearray) -> int:
    """How many bytes at the end of ``buffer`` may begin a CR LF or a VTH prefix."""
    for size in (3, 2, 1):
        tail = bytes(buffer[-size:])
        if len(buffer) >= size and (VTH_REPLY_PREFIX.startswith(tail) or tail == b"\r"[:size]):
            return size
    return 0


class HostReader:
    """Splits the box's byte stream into lines and VTH frames, and parses them.

    Reassembles messages split across reads and splits merged ones. Bytes before a VTH prefix
    that end no line are reported as garbage; a frame with an impossible length or a bad
    checksum is reported and the reader resynchronises just after its 7-byte header, so
    messages its supposed data swallowed are still found. A line longer than ``max_line`` is
    reported and skipped up to its CR LF. Between calls the buffer holds at most one maximal
    frame or one maximal line. A message that stays incomplete (:attr:`held_since`) is
    dropped by :meth:`expire`, and the reader resynchronises on what followed it: a stray
    VTH header no longer holds the lines behind it. :meth:`feed` and :meth:`expire` never
    raise.
    """

    def __init__(
        self, max_line: int = MAX_LINE, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Start with an empty buffer; ``clock`` times :attr:`held_since`."""
        self.max_line = max_line
        self._buffer = bytearray()
        self._skipping = False
        self._clock = clock
        self._consumed = 0
        self.discarded_bytes = 0
        """Bytes dropped as garbage, bad frames or overlong lines, for diagnostics."""
        self.held_since: float | None = None
        """When the first byte of the incomplete message now held arrived (by ``clock``);
        ``None`` while nothing is held."""

    @property
    def buffered(self) -> int:
        """How many bytes wait for the rest of their message."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[HostMessage]:
        """Add bytes from the stream; return the messages they complete, in order."""
        consumed = self._consumed
        self._buffer += data
        messages: list[HostMessage] = []
        while self._buffer:
            if self._skipping and not self._skip():
                break
            if self._buffer[:4] in _PREFIXES:
                item, done = self._frame()
            else:
                item, done = self._line()
            if item is not None:
                messages.append(item)
            if done:
                break
        if not self._buffer and not self._skipping:
            self.held_since = None
        elif self.held_since is None or self._consumed != consumed:
            self.held_since = self._clock()
        return messages

    def expire(self) -> list[HostMessage]:
        """Drop the message held (it will not complete); the messages held behind it.

        Of a VTH frame, its 7-byte header is dropped and the rest read again; of a line,
        all of it. The drop is reported as one :class:`Malformed` (none for the rest of an
        overlong line, already reported).
        """
        dropped: list[HostMessage] = []
        if self._skipping:
            self._skipping = False
            self.discarded_bytes += len(self._drop(len(self._buffer)))
        elif self._buffer[:4] in _PREFIXES:
            header = self._drop(VTH_HEADER_SIZE)
            self.discarded_bytes += len(header)
            dropped.append(Malformed(reason="incomplete VTH frame", data=header))
        elif self._buffer:
            line = self._drop(len(self._buffer))
            self.discarded_bytes += len(line)
            dropped.append(Malformed(reason="incomplete line", data=line))
        return [*dropped, *self.feed(b"")]

    def _drop(self, count: int) -> bytes:
        dropped = bytes(self._buffer[:count])
        del self._buffer[:count]
        self._consumed += len(dropped)
        return dropped

    def _skip(self) -> bool:
        """Skip the rest of an overlong line; whether the reader is back in sync."""
        end = self._buffer.find(LINE_END)
        start = _frame_start(self._buffer)
        cuts = [at for at in (end + 2 if end >= 0 else -1, start) if at >= 0]
        if not cuts:
            keep = _partial_tail(self._buffer)
            self.discarded_bytes += len(self._drop(len(self._buffer) - keep))
            return False
        self.discarded_bytes += len(self._drop(min(cuts)))
        self._skipping = False
        return True

    def _frame(self) -> tuple[HostMessage | None, bool]:
        """At a VTH prefix: the frame, or what is wrong with it; whether to wait for bytes."""
        if len(self._buffer) < VTH_HEADER_SIZE:
            return None, True
        length = int.from_bytes(self._buffer[5:7], "big")
        if not 1 <= length <= MAX_VTH_LENGTH:
            header = self._drop(VTH_HEADER_SIZE)
            self.discarded_bytes += len(header)
            return Malformed(reason=f"impossible VTH length {length}", data=header), False
        size = VTH_HEADER_SIZE + length
        if len(self._buffer) < size:
            return None, True
        frame = bytes(self._buffer[:size])
        if checksum(frame[:-1]) != frame[-1]:
            self.discarded_bytes += len(self._drop(VTH_HEADER_SIZE))
            return Malformed(reason="bad VTH checksum", data=frame), False
        self._drop(size)
        return parse_frame(frame), False

    def _line(self) -> tuple[HostMessage | None, bool]:
        """Not at a VTH prefix: a line, garbage before a frame, or nothing yet."""
        buffer = self._buffer
        end = buffer.find(LINE_END)
        start = _frame_start(buffer)
        if start >= 0 and (end < 0 or start < end):
            garbage = self._drop(start)
            self.discarded_bytes += len(garbage)
            return Malformed(reason="garbage before a VTH frame", data=garbage), False
        if end < 0:
            if VTH_REPLY_PREFIX.startswith(bytes(buffer)) or VTH_REQUEST_PREFIX.startswith(
                bytes(buffer)
            ):
                return None, True  # the beginning of a frame's prefix
            if len(buffer) <= self.max_line:
                return None, True
            sample = bytes(buffer[: self.max_line])
            keep = _partial_tail(buffer)
            self.discarded_bytes += len(self._drop(len(buffer) - keep))
            self._skipping = True
            return Malformed(reason=f"line longer than {self.max_line} bytes", data=sample), False
        line = self._drop(end + 2)
        if end == 0:
            return None, False  # an empty line
        return parse_line(line), False
