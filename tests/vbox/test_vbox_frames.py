"""Frames of the VTU protocol: checksum, encoding, decoding and the streaming reader."""

from __future__ import annotations

import dataclasses
import logging
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vitrea_client.enums import DataGramDirection
from vitrea_client.frames import (
    HEADER_SIZE,
    MAX_PAYLOAD_SIZE,
    MIN_FRAME_SIZE,
    PREFIX,
    Frame,
    FrameReader,
    checksum,
    decode_frame,
)

IN = DataGramDirection.INCOMING
OUT = DataGramDirection.OUTGOING

PROPERTY = settings(deadline=None, max_examples=300)

# Fixtures of the upstream test-suite (reference §2.5-2.6), all valid.
ACK = bytes.fromhex("56 54 55 3C 00 00 03 00 00 3E")
ROOM_COUNT = bytes.fromhex("56 54 55 3C 1D 00 0B 1E 08 00 01 02 03 04 05 06 07 A5")
NODE_COUNT = bytes.fromhex(
    "56 54 55 3C 24 00 12 3B 0F 01 02 03 04 05 06 07 08 09 0A 0B 0D 0E 0F 10 37"
)
KEY_STATUS = bytes.fromhex("56 54 55 3C 29 00 0A 48 01 00 46 00 00 00 41 00 3E")
CURTAIN = bytes.fromhex(
    "56 54 55 3C 65 00 13 31 0A 0A 0E 43 00 75 00 72 00 74 00 61 00 69 00 6E 00 DC"
)
FIXTURES = (ACK, ROOM_COUNT, NODE_COUNT, KEY_STATUS, CURTAIN)


def buffered(reader: FrameReader) -> int:
    return len(reader._buffer)


def wire_size(frames: list[Frame]) -> int:
    return sum(len(f.to_bytes()) for f in frames)


# --- constants and checksum -------------------------------------------------------------


def test_constants() -> None:
    assert PREFIX == b"\x56\x54\x55"
    assert HEADER_SIZE == 7
    assert MIN_FRAME_SIZE == 9
    assert MAX_PAYLOAD_SIZE == 1024


def test_checksum_is_the_byte_sum_modulo_256() -> None:
    assert checksum(b"") == 0
    assert checksum(b"\x01\x02") == 3
    assert checksum(b"\xff\x02") == 1
    assert checksum(bytes([0xFF] * 257)) == (0xFF * 257) % 256


@pytest.mark.parametrize(
    ("command", "message_id", "expected"),
    [(0x00, 0x01, 0x40), (0x01, 0x02, 0x42), (0xC3, 0x03, 0x05)],
)
def test_checksum_of_empty_outgoing_frames(command: int, message_id: int, expected: int) -> None:
    # Upstream BaseRequest.spec: three empty requests built in a row (IDs 1, 2, 3).
    data = Frame(OUT, command, message_id).to_bytes()
    assert data[-1] == expected
    assert data == bytes((0x56, 0x54, 0x55, 0x3E, command, 0x00, 0x02, message_id, expected))


def test_worked_checksum_of_node_count_request() -> None:
    # Reference §2.3: 56+54+55+3E+24+00+02+33 = 0x196.
    assert checksum(bytes.fromhex("56 54 55 3E 24 00 02 33")) == 0x96


@pytest.mark.parametrize("data", FIXTURES)
def test_fixture_checksums_are_valid(data: bytes) -> None:
    assert checksum(data[:-1]) == data[-1]


# --- Frame.to_bytes --------------------------------------------------------------------


def test_length_field_counts_message_id_payload_and_checksum() -> None:
    assert Frame(OUT, 0x29, 1).to_bytes()[5:7] == b"\x00\x02"
    assert Frame(OUT, 0x29, 1, b"\x01\x02\x03").to_bytes()[5:7] == b"\x00\x05"
    assert Frame(OUT, 0x29, 1, bytes(300)).to_bytes()[5:7] == b"\x01\x2e"


def test_to_bytes_layout() -> None:
    data = Frame(IN, 0x1D, 0x1E, bytes.fromhex("08 00 01 02 03 04 05 06 07")).to_bytes()
    assert data == ROOM_COUNT


def test_to_bytes_ack_with_message_id() -> None:
    # Reference §2.5 item 6 (computed).
    assert Frame(IN, 0x00, 0x10, b"\x00").to_bytes() == bytes.fromhex(
        "56 54 55 3C 00 00 03 10 00 4E"
    )


def test_largest_payload_is_accepted() -> None:
    data = Frame(IN, 0x65, 1, bytes(MAX_PAYLOAD_SIZE)).to_bytes()
    assert len(data) == MAX_PAYLOAD_SIZE + MIN_FRAME_SIZE
    assert data[5:7] == (MAX_PAYLOAD_SIZE + 2).to_bytes(2, "big")


def test_oversized_payload_is_refused() -> None:
    with pytest.raises(ValueError, match="payload of 1025 bytes exceeds 1024"):
        Frame(IN, 0x65, 1, bytes(MAX_PAYLOAD_SIZE + 1)).to_bytes()


def test_frame_is_frozen_and_compares_by_value() -> None:
    frame = Frame(IN, 0x00, 1, b"\x00")
    assert frame == Frame(IN, 0x00, 1, b"\x00")
    assert frame != Frame(IN, 0x00, 2, b"\x00")
    assert Frame(IN, 0x07, 1).payload == b""
    with pytest.raises(dataclasses.FrozenInstanceError):
        frame.command = 1  # type: ignore[misc]


# --- decode_frame ----------------------------------------------------------------------


def test_decode_fixture() -> None:
    assert decode_frame(KEY_STATUS) == Frame(
        IN, 0x29, 0x48, bytes.fromhex("01 00 46 00 00 00 41 00")
    )


def test_decode_outgoing_frame() -> None:
    frame = decode_frame(bytes.fromhex("56 54 55 3E 24 00 02 33 96"))
    assert frame == Frame(OUT, 0x24, 0x33, b"")
    assert frame is not None
    assert type(frame.direction) is DataGramDirection


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(bytes.fromhex("56 54 55 3C 00"), id="too-short"),
        pytest.param(ACK[:-1], id="missing-checksum"),
        pytest.param(bytes.fromhex("56 54 55 3C 00 00 03 00 00 3D"), id="bad-checksum"),
        pytest.param(b"X" + ACK[1:], id="bad-prefix"),
        pytest.param(ACK + b"\x00", id="trailing-byte"),
        pytest.param(
            bytes.fromhex("56 54 55 3C C8 00 0E 64 03 FF 00 0D 6F 00 16 17 09 54 7D"),
            id="length-field-too-large",
        ),
        pytest.param(Frame(IN, 0, 0, b"\x00\x00").to_bytes()[:-2] + b"\x3e", id="truncated"),
    ],
)
def test_decode_rejects(data: bytes) -> None:
    assert decode_frame(data) is None


def test_decode_rejects_unknown_direction_even_with_valid_checksum() -> None:
    body = bytes.fromhex("56 54 55 3D 00 00 03 00 00")
    assert decode_frame(body + bytes((checksum(body),))) is None


def test_decode_rejects_length_field_smaller_than_frame() -> None:
    body = bytes.fromhex("56 54 55 3C 00 00 02 00 00")
    assert decode_frame(body + bytes((checksum(body),))) is None


# --- FrameReader: reassembly -----------------------------------------------------------


def test_reader_single_frame() -> None:
    reader = FrameReader()
    assert reader.feed(ACK) == [Frame(IN, 0, 0, b"\x00")]
    assert buffered(reader) == 0
    assert reader.discarded_bytes == 0


def test_reader_empty_feed() -> None:
    reader = FrameReader()
    assert reader.feed(b"") == []
    assert reader.discarded_bytes == 0


@pytest.mark.parametrize("data", FIXTURES)
def test_reader_reassembles_a_frame_split_at_every_position(data: bytes) -> None:
    expected = [decode_frame(data)]
    for cut in range(1, len(data)):
        reader = FrameReader()
        assert reader.feed(data[:cut]) == [], cut
        assert reader.feed(data[cut:]) == expected, cut
        assert buffered(reader) == 0
        assert reader.discarded_bytes == 0


@pytest.mark.parametrize("data", FIXTURES)
def test_reader_reassembles_a_frame_fed_byte_by_byte(data: bytes) -> None:
    reader = FrameReader()
    out: list[Frame] = []
    for i in range(len(data)):
        out += reader.feed(data[i : i + 1])
    assert out == [decode_frame(data)]


def test_reader_splits_several_frames_of_one_read() -> None:
    reader = FrameReader()
    frames = reader.feed(b"".join(FIXTURES))
    assert frames == [decode_frame(f) for f in FIXTURES]
    assert [f.command for f in frames] == [0x00, 0x1D, 0x24, 0x29, 0x65]
    assert buffered(reader) == 0


def test_reader_two_frames_and_a_half() -> None:
    reader = FrameReader()
    assert reader.feed(ACK + ROOM_COUNT + NODE_COUNT[:10]) == [
        decode_frame(ACK),
        decode_frame(ROOM_COUNT),
    ]
    assert buffered(reader) == 10
    assert reader.feed(NODE_COUNT[10:]) == [decode_frame(NODE_COUNT)]


def test_reader_passes_outgoing_frames() -> None:
    # Direction is checked by the response parser, not by the reader.
    request = bytes.fromhex("56 54 55 3E 24 00 02 33 96")
    assert FrameReader().feed(request) == [Frame(OUT, 0x24, 0x33)]


def test_reader_frame_with_prefix_inside_its_payload() -> None:
    inner = Frame(IN, 0x00, 1, b"\x00").to_bytes()
    outer = Frame(IN, 0x65, 2, inner).to_bytes()
    assert FrameReader().feed(outer) == [Frame(IN, 0x65, 2, inner)]


def test_reader_largest_frame() -> None:
    data = Frame(IN, 0x65, 1, bytes(range(256)) * 4).to_bytes()
    reader = FrameReader()
    assert reader.feed(data[:500]) == []
    assert reader.feed(data[500:]) == [Frame(IN, 0x65, 1, bytes(range(256)) * 4)]


# --- FrameReader: resynchronisation ------------------------------------------------------


def test_reader_skips_leading_garbage() -> None:
    reader = FrameReader()
    assert reader.feed(b"\x00\x01garbage" + ACK) == [decode_frame(ACK)]
    assert reader.discarded_bytes == 9


def test_reader_skips_garbage_between_and_after_frames() -> None:
    reader = FrameReader()
    frames = reader.feed(b"xx" + ACK + b"\xff\xfe\xfd" + KEY_STATUS + b"tail")
    assert frames == [decode_frame(ACK), decode_frame(KEY_STATUS)]
    assert reader.discarded_bytes == 2 + 3 + 4
    assert buffered(reader) == 0


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"\x56", id="V"),
        pytest.param(b"\x56\x54", id="VT"),
        pytest.param(b"\x56\x54\x56\x54", id="VTVT"),
        pytest.param(b"\x56\x56\x54", id="VVT"),
        pytest.param(b"\x56\x54\x55", id="VTU"),
        pytest.param(b"\x56\x54\x55\x3c", id="VTU<"),
        pytest.param(b"\x56\x54\x55\x00\x00\x00\x03", id="bad-direction"),
        pytest.param(b"\x56\x54\x55\x3c\x00\xff\xff", id="absurd-length"),
        pytest.param(b"\x56\x54\x55\x3c\x00\x04\x03", id="length-just-too-large"),
        pytest.param(b"\x56\x54\x55\x3c\x00\x00\x01", id="length-too-small"),
        pytest.param(b"\x56\x54\x55\x3c\x00\x00\x00", id="length-zero"),
    ],
)
def test_reader_resynchronises_after_partial_or_fake_prefix(garbage: bytes) -> None:
    stream = garbage + ACK + garbage + KEY_STATUS
    expected = [decode_frame(ACK), decode_frame(KEY_STATUS)]
    assert FrameReader().feed(stream) == expected
    # Same stream split at every position.
    for cut in range(1, len(stream)):
        reader = FrameReader()
        assert reader.feed(stream[:cut]) + reader.feed(stream[cut:]) == expected, cut
        assert reader.discarded_bytes == 2 * len(garbage), cut
        assert buffered(reader) == 0


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(b"\x56\x54\x55\x00\x00\x00\x03", id="bad-direction"),
        pytest.param(b"\x56\x54\x55\x3e\x00\x00\x01", id="length-1"),
        pytest.param(b"\x56\x54\x55\x3c\x00\x04\x03", id="length-1027"),
    ],
)
def test_reader_rejects_an_impossible_header_without_waiting(header: bytes) -> None:
    # The header alone shows the frame is impossible: nothing is held back for it.
    reader = FrameReader()
    assert reader.feed(header) == []
    assert buffered(reader) == 0
    assert reader.discarded_bytes == len(header)


def test_reader_keeps_partial_prefix_at_end_of_read() -> None:
    reader = FrameReader()
    assert reader.feed(b"junk\x56\x54") == []
    assert buffered(reader) == 2
    assert reader.discarded_bytes == 4
    assert reader.feed(ACK[2:]) == [decode_frame(ACK)]


def test_reader_keeps_only_a_possible_prefix_tail() -> None:
    reader = FrameReader()
    reader.feed(b"\x56\x54\x54")
    assert buffered(reader) == 0
    reader.feed(b"\x54\x56")
    assert buffered(reader) == 1
    assert reader.discarded_bytes == 4


def test_reader_waits_for_header_after_prefix() -> None:
    reader = FrameReader()
    assert reader.feed(b"\x56\x54\x55\x3c\x00\x00") == []
    assert buffered(reader) == 6


def test_reader_fake_header_with_plausible_length_recovers_once_its_length_arrived() -> None:
    # A fake header announcing 1024 bytes holds the stream until that many bytes arrived,
    # then fails its checksum; the reader rescans and finds the frames behind it.
    fake = b"\x56\x54\x55\x3c\x00\x04\x00"
    reader = FrameReader()
    assert reader.feed(fake + ACK) == []
    filler = bytes(0x400)
    assert reader.feed(filler) == [decode_frame(ACK)]
    assert buffered(reader) == 0
    assert reader.discarded_bytes == len(fake) + len(filler)


def test_reader_drops_frame_with_bad_checksum_and_yields_the_next(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = ROOM_COUNT[:-1] + bytes(((ROOM_COUNT[-1] + 1) & 0xFF,))
    caplog.set_level(logging.DEBUG, logger="vitrea_client")
    reader = FrameReader()
    assert reader.feed(bad + ACK) == [decode_frame(ACK)]
    assert reader.discarded_bytes == len(bad)
    assert "Dropping a 18-byte frame (command 0x1d) with a bad checksum" in caplog.text


def test_reader_drops_bad_frame_split_across_reads() -> None:
    bad = KEY_STATUS[:-1] + b"\x00"
    stream = bad + ACK
    for cut in range(1, len(stream)):
        reader = FrameReader()
        assert reader.feed(stream[:cut]) + reader.feed(stream[cut:]) == [decode_frame(ACK)]
        assert reader.discarded_bytes == len(bad)


def test_reader_finds_a_frame_hidden_in_a_bad_frame() -> None:
    # After a bad checksum the reader rescans from the next byte, not past the bad frame.
    inner = ACK
    outer = bytearray(Frame(IN, 0x65, 2, b"\x01" + inner).to_bytes())
    outer[-1] ^= 0xFF
    reader = FrameReader()
    assert reader.feed(bytes(outer)) == [decode_frame(ACK)]
    assert reader.discarded_bytes == len(outer) - len(inner)


def test_reader_buffer_stays_bounded_on_random_bytes() -> None:
    rng = random.Random(20240501)  # noqa: S311
    reader = FrameReader()
    total = 0
    frames: list[Frame] = []
    for _ in range(256):  # 1 MiB in 4 KiB reads
        chunk = rng.randbytes(4096)
        total += len(chunk)
        frames += reader.feed(chunk)
        assert buffered(reader) < 2048
    assert total == 1 << 20
    assert frames == []
    assert reader.discarded_bytes + buffered(reader) == total
    assert reader.discarded_bytes > total - 2048


def test_reader_buffer_stays_bounded_on_one_huge_read() -> None:
    data = random.Random(7).randbytes(1 << 20)  # noqa: S311
    reader = FrameReader()
    assert reader.feed(data) == []
    assert buffered(reader) < 2048
    assert reader.discarded_bytes + buffered(reader) == len(data)
    # The reader still works afterwards.
    assert reader.feed(bytes(2048) + ACK) == [decode_frame(ACK)]


def test_reader_buffer_bounded_on_repeated_prefixes() -> None:
    reader = FrameReader()
    for _ in range(100):
        assert reader.feed(PREFIX * 300) == []
        assert buffered(reader) < 2048
    assert reader.feed(ACK) == [decode_frame(ACK)]


# --- property tests --------------------------------------------------------------------

frames_st = st.builds(
    Frame,
    st.sampled_from([IN, OUT]),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=80),
)
frame_lists = st.lists(frames_st, max_size=8)
garbage_without_v = st.binary(max_size=40).map(lambda b: b.replace(b"\x56", b""))


def feed_in_chunks(data: bytes, cuts: list[int]) -> tuple[FrameReader, list[Frame]]:
    reader = FrameReader()
    out: list[Frame] = []
    previous = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        out += reader.feed(data[previous:cut])
        previous = cut
    return reader, out


@PROPERTY
@given(frames=frame_lists, data=st.data())
def test_property_any_split_yields_the_same_frames(
    frames: list[Frame], data: st.DataObject
) -> None:
    stream = b"".join(f.to_bytes() for f in frames)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=20))
    one = FrameReader().feed(stream)
    assert one == frames
    reader, out = feed_in_chunks(stream, cuts)
    assert out == frames
    assert buffered(reader) == 0
    assert reader.discarded_bytes == 0


@PROPERTY
@given(frames=frame_lists, data=st.data())
def test_property_garbage_without_prefix_byte_between_frames(
    frames: list[Frame], data: st.DataObject
) -> None:
    parts: list[bytes] = []
    garbage_total = 0
    for f in frames:
        g = data.draw(garbage_without_v)
        garbage_total += len(g)
        parts += [g, f.to_bytes()]
    tail = data.draw(garbage_without_v)
    stream = b"".join(parts) + tail
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=10))
    reader, out = feed_in_chunks(stream, cuts)
    assert out == frames
    assert reader.discarded_bytes == garbage_total + len(tail)


@PROPERTY
@given(data=st.binary(max_size=4096), cuts=st.lists(st.integers(0, 4096), max_size=10))
def test_property_random_bytes_never_raise(data: bytes, cuts: list[int]) -> None:
    reader, out = feed_in_chunks(data, [c for c in cuts if c <= len(data)])
    for frame in out:
        assert decode_frame(frame.to_bytes()) == frame
    # Every byte is accounted for: yielded, discarded, or still buffered.
    assert wire_size(out) + reader.discarded_bytes + buffered(reader) == len(data)
    assert buffered(reader) < 2048


@PROPERTY
@given(
    frames=st.lists(frames_st, min_size=1, max_size=6),
    mutations=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
def test_property_mutated_frames_never_raise(
    frames: list[Frame], mutations: list[tuple[int, int]], cuts: list[int]
) -> None:
    stream = bytearray(b"".join(f.to_bytes() for f in frames))
    for index, value in mutations:
        stream[index % len(stream)] = value
    data = bytes(stream)
    reader, out = feed_in_chunks(data, [c for c in cuts if c <= len(data)])
    assert wire_size(out) + reader.discarded_bytes + buffered(reader) == len(data)
    for frame in out:
        assert isinstance(frame, Frame)
    if not mutations:
        assert out == frames


@PROPERTY
@given(frame=frames_st)
def test_property_decode_inverts_to_bytes(frame: Frame) -> None:
    data = frame.to_bytes()
    assert len(data) == len(frame.payload) + MIN_FRAME_SIZE
    assert int.from_bytes(data[5:7], "big") == len(data) - HEADER_SIZE
    assert decode_frame(data) == frame


@PROPERTY
@given(frame=frames_st, index=st.integers(0, 10_000), delta=st.integers(1, 255))
def test_property_any_single_byte_change_is_detected(frame: Frame, index: int, delta: int) -> None:
    data = bytearray(frame.to_bytes())
    i = index % len(data)
    data[i] = (data[i] + delta) & 0xFF
    assert decode_frame(bytes(data)) is None
