"""VTU frames: build, checksum, parse, and a streaming reader (protocol reference §2).

A frame is ``56 54 55 | direction | command | length (2, big-endian) | message ID | payload |
checksum``, where length counts the message ID, the payload and the checksum, and the
checksum is the sum of every preceding byte modulo 256.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .enums import DataGramDirection

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
    wrong. Its buffer never holds more than one maximal frame plus one read.
    """

    def __init__(self) -> None:
        """Start with an empty buffer."""
        self._buffer = bytearray()
        self.discarded_bytes = 0
        """How many bytes were thrown away as garbage or bad frames, for diagnostics."""

    def feed(self, data: bytes) -> list[Frame]:
        """Add bytes from the stream; return the frames they complete, in order."""
        self._buffer += data
        frames: list[Frame] = []
        while True:
            start = self._buffer.find(PREFIX)
            if start < 0:
                # Keep a tail that may be the beginning of a prefix cut by the read.
                keep = next((n for n in (2, 1) if self._buffer.endswith(PREFIX[:n])), 0)
                self._discard(len(self._buffer) - keep)
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
                self._discard(1)
                continue
            del self._buffer[:size]
            frames.append(frame)

    def _discard(self, count: int) -> None:
        if count:
            del self._buffer[:count]
            self.discarded_bytes += count
