"""Generated VTU byte streams, for the fuzz tests of both frame readers.

The simulator's reader (``vbox_simulator.wire``) and the library's (``vitrea_client.frames``)
are fed streams of the same making: valid frames, junk (noise, broken frames, false and
hostile headers) and clean noise, merged, then cut into the reads of a socket. Each test
gives its own frame class, sample frames and protocol constants; this module imports
neither package, so the simulator's tests still test the simulator alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol


class Rng(random.Random):
    """A seeded generator, with draws faster than ``randrange`` (uniform enough to fuzz)."""

    def below(self, n: int) -> int:
        """An integer from 0 to ``n - 1``."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """An integer from ``low`` to ``high``, both included."""
        return low + int(self.random() * (high - low + 1))


def mutated(rng: Rng, payload: bytes) -> bytes:
    """``payload`` with up to three changes: a byte replaced, or 1 to 12 random bytes put in."""
    data = bytearray(payload)
    for _ in range(rng.between(0, 3)):
        if data and rng.random() < 0.7:
            data[rng.below(len(data))] = rng.below(256)
        else:
            at = rng.below(len(data) + 1)
            data[at:at] = rng.randbytes(rng.between(1, 12))
    return bytes(data)


class Frame(Protocol):
    """A frame of either package: all a stream needs of it is its bytes."""

    def to_bytes(self) -> bytes:
        """The frame as sent on the wire."""
        ...


class VtuStreams[F: Frame]:
    """Streams of one reader's frames, and the frames the reader must end each with."""

    def __init__(
        self,
        valid_frame: Callable[[Rng], F],
        *,
        prefix: bytes,
        max_payload: int,
        max_frame: int,
        incoming: int,
        outgoing: int,
        hostile: tuple[bytes, ...],
    ) -> None:
        """Streams of ``valid_frame``'s frames.

        Args:
            valid_frame: A frame the reader must find (the test's samples, mutated or not).
            prefix: The bytes every frame starts with.
            max_payload: The longest payload a frame may have.
            max_frame: The longest frame the reader accepts.
            incoming: The direction byte of the box's frames.
            outgoing: The direction byte of a client's frames.
            hostile: Beginnings of frames that are not frames.
        """
        self.valid_frame = valid_frame
        self.prefix = prefix
        self.max_payload = max_payload
        self.hostile = hostile
        self.gap = bytes(max_frame)
        """Clean bytes as long as the longest frame: any false header before them ends in them."""
        self._directions = (incoming, outgoing, 0, prefix[0])
        """The direction bytes of false headers: both directions, a null and the prefix's."""
        self._v = prefix[:1]

    def junk(self, rng: Rng) -> bytes:
        """Bytes that are not one valid frame: noise, broken frames, false and hostile headers."""
        roll = rng.random()
        if roll < 0.25:
            return rng.randbytes(rng.between(1, 40))
        if roll < 0.6:
            data = bytearray(self.valid_frame(rng).to_bytes())
            for _ in range(rng.between(1, 3)):
                action = rng.random()
                at = rng.below(len(data) or 1)
                if action < 0.4 and data:
                    data[at] = (data[at] + rng.between(1, 255)) & 0xFF  # mostly a bad checksum
                elif action < 0.7:
                    del data[at:]
                else:
                    data[at:at] = rng.choice((rng.randbytes(rng.between(1, 6)), *self.hostile))
            return bytes(data)
        if roll < 0.8:
            return rng.choice(self.hostile)
        # A header: an impossible length (dropped at once) or a long one (waited for).
        most = self.max_payload
        length = rng.choice((0, 1, most + 3, 0xFFFF, rng.between(2, most + 2)))
        header = self.prefix + bytes((rng.choice(self._directions), rng.below(256)))
        return header + length.to_bytes(2, "big") + rng.randbytes(rng.between(0, 8))

    def clean(self, rng: Rng) -> bytes:
        """Noise without the prefix's first byte: it can never start a frame."""
        return rng.randbytes(rng.between(1, 20)).replace(self._v, b"\x00")

    def stream(self, rng: Rng) -> tuple[bytes, list[F]]:
        """One generated input, and the frames the reader must end it with.

        A hostile part (frames, junk and noise, merged), then half the time a clean gap and
        valid frames with clean noise between them, which the reader must all find.
        """
        parts = [
            self.valid_frame(rng).to_bytes() if rng.random() < 0.3 else self.junk(rng)
            for _ in range(rng.between(0, 3))
        ]
        expected: list[F] = []
        if rng.random() < 0.5:
            if parts:
                parts.append(self.gap)
            for _ in range(rng.between(1, 2)):
                if rng.random() < 0.3:
                    parts.append(self.clean(rng))
                frame = self.valid_frame(rng)
                expected.append(frame)
                parts.append(frame.to_bytes())
        return b"".join(parts), expected


def chunks(rng: Rng, data: bytes) -> list[bytes]:
    """``data`` as the reads of a socket: whole, cut in a few places, or byte by byte."""
    roll = rng.random()
    if roll < 0.2:
        return [data]
    if roll < 0.22 and len(data) < 120:
        return [data[i : i + 1] for i in range(len(data))]
    cuts = sorted(rng.below(len(data) + 1) for _ in range(rng.between(1, 4)))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
