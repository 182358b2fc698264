"""VTU frames: build, checksum, parse, and a streaming reader (docs/vtu-protocol.md §3).

A frame is ``56 54 55 | direction | command | length (2, big-endian) | message ID | payload |
checksum``, where length counts the message ID, the payload and the checksum, and the
checksum is the sum of every preceding byte modulo 256.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .enums import DataGramDirection

if TYPE_CHECKING:
    from collections.abc import Callable

    from .reports import BadInputListener

PREFIX = b"VTU"
HEADER_SIZE = 7  # prefix, direction, command, length
MIN_FRAME_SIZE = HEADER_SIZE + 2  # message ID and checksum, no payload
MAX_PAYLOAD_SIZE = 1024
"""No frame of the protocol carries more than a few hundred bytes; a longer one is garbage."""

_LOGGER = logging.getLogger(__package__)


def checksum(data: bytes) -> int:
    """The checksum of a frame: the sum of its bytes (checksum excluded) modulo 256."""
    return sum(data) & 0xFF


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame, without its prefix, length and checksum."""

    direction: DataGramDirection
    command: int
    message_id: int
    payload: bytes = b""

    def to_bytes(self) -> bytes:
        """The frame as it travels on the wire."""
        if len(self.payload) > MAX_PAYLOAD_SIZE:
            msg = f"payload of {len(self.payload)} bytes exceeds {MAX_PAYLOAD_SIZE}"
            raise ValueError(msg)
        length = len(self.payload) + 2
        body = (
            PREFIX
            + bytes((self.direction, self.command))
            + length.to_bytes(2, "big")
            + bytes((self.message_id,))
            + self.payload
        )
        return body + bytes((checksum(body),))


def decode_frame(data: bytes) -> Frame | None:
    """Decode exactly one whole frame; ``None`` if the bytes are not one valid frame."""
    if len(data) < MIN_FRAME_SIZE or not data.startswith(PREFIX):
        return None
    if data[3] not in (DataGramDirection.INCOMING, DataGramDirection.OUTGOING):
        return None
    if int.from_bytes(data[5:7], "big") + HEADER_SIZE != len(data):
        return None
    if checksum(data[:-1]) != data[-1]:
        return None
    return Frame(DataGramDirection(data[3]), data[4], data[7], bytes(data[8:-1]))


class FrameReader:
    """Turns a byte stream into frames.

    Reassembles frames split across reads, splits several frames out of one read,
    resynchronises on the next prefix after garbage, and drops frames whose checksum is
    wrong. Its buffer never holds more than one maximal frame plus one read. A frame that
    stays incomplete (:attr:`held_since`) is dropped by :meth:`expire`, and the reader
    resynchronises on what followed it. Bad input (garbage, a bad checksum, an expired
    frame) goes to ``on_bad_input``, garbage once per :meth:`feed`. It never raises.
    """

    def __init__(
        self,
        on_bad_input: BadInputListener | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start with an empty buffer; ``clock`` times :attr:`held_since`."""
        self._buffer = bytearray()
        self._on_bad_input = on_bad_input
        self._clock = clock
        self._consumed = 0
        self._garbage = 0
        self._garbage_sample = b""
        self.discarded_bytes = 0
        """How many bytes were thrown away as garbage or bad frames, for diagnostics."""
        self.held_since: float | None = None
        """When the first byte of the incomplete frame now held arrived (by ``clock``);
        ``None`` while nothing is held."""

    @property
    def buffered(self) -> int:
        """How many bytes wait for the rest of their frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Frame]:
        """Add bytes from the stream; return the frames they complete, in order."""
        consumed = self._consumed
        self._buffer += data
        frames = self._scan()
        if self._garbage:
            self._report("garbage", self._garbage_sample)
            self._garbage = 0
        if not self._buffer:
            self.held_since = None
        elif self.held_since is None or self._consumed != consumed:
            self.held_since = self._clock()
        return frames

    def expire(self) -> list[Frame]:
        """Drop the frame held (it will not complete); return the frames held behind it.

        The frame's prefix and whatever follows up to the next prefix are dropped, as one
        piece of bad input; the rest is read again.
        """
        if not self._buffer:
            self.held_since = None
            return []
        following = self._buffer.find(PREFIX, 1)
        if following < 0:
            following = len(self._buffer) - _prefix_tail(self._buffer[1:])
        dropped = bytes(self._buffer[:following])
        self._discard(following, garbage=False)
        self._report("incomplete frame", dropped)
        return self.feed(b"")

    def _scan(self) -> list[Frame]:
        frames: list[Frame] = []
        while True:
            start = self._buffer.find(PREFIX)
            if start < 0:
                # Keep a tail that may be the beginning of a prefix cut by the read.
                self._discard(len(self._buffer) - _prefix_tail(self._buffer))
                return frames
            self._discard(start)
            if len(self._buffer) < HEADER_SIZE:
                return frames
            length = int.from_bytes(self._buffer[5:7], "big")
            if (
                self._buffer[3] not in (DataGramDirection.INCOMING, DataGramDirection.OUTGOING)
                or not 2 <= length <= MAX_PAYLOAD_SIZE + 2
            ):
                self._discard(1)
                continue
            size = HEADER_SIZE + length
            if len(self._buffer) < size:
                return frames
            frame = decode_frame(bytes(self._buffer[:size]))
            if frame is None:
                _LOGGER.debug(
                    "Dropping a %d-byte frame (command 0x%02x) with a bad checksum",
                    size,
                    self._buffer[4],
                )
                self._report("bad checksum", bytes(self._buffer[:size]))
                # Resynchronise on the next prefix, even one inside the bad frame.
                following = self._buffer.find(PREFIX, 1)
                self._discard(following if 0 < following < size else size, garbage=False)
                continue
            self._consumed += size
            del self._buffer[:size]
            frames.append(frame)

    def _discard(self, count: int, *, garbage: bool = True) -> None:
        if count:
            if garbage:
                self._garbage += count
                self._garbage_sample = bytes(self._buffer[:count])
            del self._buffer[:count]
            self.discarded_bytes += count
            self._consumed += count

    def _report(self, reason: str, data: bytes) -> None:
        if self._on_bad_input is not None:
            self._on_bad_input(reason, data)


def _prefix_tail(buffer: bytearray) -> int:
    """How many bytes at the end of ``buffer`` may begin a prefix cut by the read."""
    return next((n for n in (2, 1) if buffer.endswith(PREFIX[:n])), 0)
