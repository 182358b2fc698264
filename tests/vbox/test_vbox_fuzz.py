"""Bad input for the protocol core: mutated replies, hostile byte streams, malformed answers.

Four layers, each with the outcome a user of the core depends on:

* every response parser, for every command of both protocol versions, returns a response
  or raises :class:`ProtocolError`, whatever the payload (truncated, extended, mutated);
* the :class:`FrameReader` never raises, keeps its buffer bounded, drops impossible headers
  at once, and after any garbage finds the valid frames that follow one maximal frame of
  clean bytes;
* a seeded generator (``tests/vtu_streams.py``, the simulator's fuzz test's too) feeds
  100,000 more streams per run (split, merged, garbage, mutated frames) to the reader and
  every frame it finds to the parsers of both versions, with the same outcomes; the count
  is printed at the end of the run (``tests/conftest.py``);
* the :class:`VitreaClient`, against a raw server written here (the simulator only sends
  well-formed frames), fails only the request whose answer is malformed, stays connected,
  and picks the real answer out of junk.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from vitrea_client import (
    AckType,
    AuthenticationError,
    CommandID,
    CommandRejectedError,
    ConnectionConfig,
    ConnectionState,
    DataGramDirection,
    KeyPowerStatus,
    ProtocolError,
    ProtocolVersion,
    SocketConfig,
    VitreaClient,
    VitreaConnectionError,
    requests,
    responses,
)
from vitrea_client.frames import (
    HEADER_SIZE,
    MAX_PAYLOAD_SIZE,
    PREFIX,
    Frame,
    FrameReader,
    decode_frame,
)

from tests.conftest import FUZZ_INPUTS, FuzzCounts, NoNames
from tests.vtu_streams import Rng, VtuStreams, chunks, mutated
from vbox_simulator import encode, load_demo_house
from vbox_simulator.pytest_plugin import until

IN = DataGramDirection.INCOMING
V1, V2 = ProtocolVersion.V1, ProtocolVersion.V2
MAX_FRAME = HEADER_SIZE + MAX_PAYLOAD_SIZE + 2
"""The longest frame the reader accepts (header, message ID, payload, checksum)."""
V = PREFIX[0]  # the first byte of the prefix: kept out of "clean" bytes

# -- every parser, for every command of both versions ------------------------------------

_HOUSE = load_demo_house()
_NODE = max(_HOUSE.nodes, key=lambda node: len(node.keys))
_KEY = next(key for key in _NODE.keys if key.name)


def _samples(version: ProtocolVersion) -> dict[int, bytes]:
    """A realistic valid payload for every command the version parses."""
    frames = [
        encode.acknowledgement(1),
        encode.room_meta_data(1, _HOUSE.rooms[0]),
        encode.room_count(1, (room.id for room in _HOUSE.rooms)),
        encode.node_meta_data(1, _NODE, version),
        encode.node_count(1, (node.id for node in _HOUSE.nodes)),
        encode.key_status(1, _NODE.id, _KEY),
        encode.key_parameters(1, _NODE.id, _KEY, version),
        encode.internal_unit_statuses(1),
        Frame(IN, CommandID.NODE_EXISTENCE_STATUS, 1, bytes.fromhex("03 FF 00 0D 6F 00 16 17")),
    ]
    samples = {frame.command: frame.payload for frame in frames}
    samples[CommandID.LOGIN] = samples[CommandID.TOGGLE_NODE_STATUS] = b"\x00"
    return samples


SAMPLES = {version: _samples(version) for version in (V1, V2)}
CASES = [
    (version, command) for version in (V1, V2) for command in sorted(responses.PARSERS[version])
]


def test_every_parsed_command_has_a_sample() -> None:
    for version in (V1, V2):
        assert set(SAMPLES[version]) == set(responses.PARSERS[version])
        for command, payload in SAMPLES[version].items():
            response = responses.from_frame(Frame(IN, command, 7, payload), version)
            assert response.message_id == 7
            assert not isinstance(response, responses.GenericResponse)


mutations = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6)


def _mutate(payload: bytes, cut: int, tail: bytes, changes: list[tuple[int, int]]) -> bytes:
    data = bytearray(payload[: cut % (len(payload) + 1)] + tail)
    for index, value in changes:
        if data:
            data[index % len(data)] = value
    return bytes(data)


def _parse_or_protocol_error(frame: Frame, version: ProtocolVersion) -> responses.Response | None:
    """Parse ``frame``; ``None`` when the only allowed failure, ProtocolError, is raised."""
    try:
        response = responses.from_frame(frame, version)
    except ProtocolError:
        return None
    assert isinstance(response, responses.Response)
    assert response.message_id == frame.message_id
    return response


@pytest.mark.parametrize(("version", "command"), CASES)
@settings(deadline=None, max_examples=150)
@given(
    message_id=st.integers(0, 255),
    cut=st.integers(0, 10_000),
    tail=st.binary(max_size=40),
    changes=mutations,
)
def test_property_mutated_payload_parses_or_raises_protocol_error(
    version: ProtocolVersion,
    command: int,
    message_id: int,
    cut: int,
    tail: bytes,
    changes: list[tuple[int, int]],
) -> None:
    payload = _mutate(SAMPLES[version][command], cut, tail, changes)
    frame = Frame(IN, command, message_id, payload)
    response = _parse_or_protocol_error(frame, version)
    # The same frame off the wire gives the same outcome; a broken checksum gives nothing.
    wire = frame.to_bytes()
    try:
        assert responses.parse(wire, version) == response
    except ProtocolError:
        assert response is None
    assert responses.parse(wire[:-1] + bytes(((wire[-1] + 1) & 0xFF,)), version) is None


@settings(deadline=None, max_examples=300)
@given(
    command=st.integers(0, 255).filter(
        lambda c: c not in responses.PARSERS[V1] and c not in responses.PARSERS[V2]
    ),
    message_id=st.integers(0, 255),
    payload=st.binary(max_size=MAX_PAYLOAD_SIZE),
    version=st.sampled_from([V1, V2]),
)
def test_property_unknown_commands_become_generic_responses(
    command: int, message_id: int, payload: bytes, version: ProtocolVersion
) -> None:
    frame = Frame(IN, command, message_id, payload)
    assert responses.from_frame(frame, version) == responses.GenericResponse(
        message_id=message_id, command=command, payload=payload
    )


@pytest.mark.parametrize("version", [V1, V2])
def test_node_meta_data_key_count_larger_than_the_frame(version: ProtocolVersion) -> None:
    payload = bytearray(SAMPLES[version][CommandID.NODE_META_DATA])
    payload[(10 if version is V2 else 9) + 1] = 0xFF  # the key count, after the node type
    with pytest.raises(ProtocolError, match="with 255 keys"):
        responses.from_frame(Frame(IN, CommandID.NODE_META_DATA, 1, bytes(payload)), version)


@pytest.mark.parametrize("version", [V1, V2])
def test_name_lengths_beyond_the_frame_take_what_is_there(version: ProtocolVersion) -> None:
    at = 12 if version is V2 else 11
    payload = bytearray(SAMPLES[version][CommandID.KEY_PARAMETERS])
    payload[at] = 0xFF
    response = responses.from_frame(Frame(IN, CommandID.KEY_PARAMETERS, 1, bytes(payload)), version)
    assert isinstance(response, responses.KeyParameters)
    assert response.name == _KEY.name


# -- the frame reader ----------------------------------------------------------------------

clean_bytes = st.binary(max_size=60).map(lambda data: data.replace(bytes((V,)), b""))
incoming_frames = st.builds(
    Frame,
    st.just(IN),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=60),
)


def _bounded(reader: FrameReader) -> None:
    # Between reads the buffer holds at most one incomplete frame.
    assert len(reader._buffer) < MAX_FRAME


class FrameReaderMachine(RuleBasedStateMachine):
    """Any interleaving of good frames, garbage and hostile headers, in any cuts."""

    reader: FrameReader

    @initialize()
    def start(self) -> None:
        self.reader = FrameReader()

    def feed(self, data: bytes, cuts: list[int]) -> list[Frame]:
        out: list[Frame] = []
        previous = 0
        for cut in [*sorted({c % (len(data) + 1) for c in cuts}), len(data)]:
            out += self.reader.feed(data[previous:cut])
            previous = cut
            _bounded(self.reader)
        return out

    @rule(data=st.binary(max_size=2 * MAX_FRAME), cuts=st.lists(st.integers(0, 5000), max_size=5))
    def garbage(self, data: bytes, cuts: list[int]) -> None:
        for frame in self.feed(data, cuts):
            assert decode_frame(frame.to_bytes()) == frame

    @rule(frame=incoming_frames, delta=st.integers(1, 255), cuts=st.lists(st.integers(0, 100)))
    def bad_checksum(self, frame: Frame, delta: int, cuts: list[int]) -> None:
        data = frame.to_bytes()
        self.feed(data[:-1] + bytes(((data[-1] + delta) & 0xFF,)), cuts)

    @rule(
        prefix=st.binary(max_size=HEADER_SIZE + 20).map(lambda b: PREFIX + b),
        cuts=st.lists(st.integers(0, 100), max_size=3),
    )
    def truncated_frame(self, prefix: bytes, cuts: list[int]) -> None:
        self.feed(prefix, cuts)

    @rule(
        direction=st.sampled_from([DataGramDirection.INCOMING, DataGramDirection.OUTGOING]),
        command=st.integers(0, 255),
        length=st.one_of(st.integers(0, 1), st.integers(MAX_PAYLOAD_SIZE + 3, 0xFFFF)),
        frame=incoming_frames,
    )
    def impossible_length_then_a_frame(
        self, direction: int, command: int, length: int, frame: Frame
    ) -> None:
        """A header with a length no frame has is dropped at once: nothing waits for it."""
        header = PREFIX + bytes((direction, command)) + length.to_bytes(2, "big")
        out = self.reader.feed(header + MAX_FRAME * b"\x00" + frame.to_bytes())
        _bounded(self.reader)
        assert out[-1:] == [frame]

    @rule(frames=st.lists(incoming_frames, min_size=1, max_size=4), cuts=st.lists(st.integers()))
    def resynchronise(self, frames: list[Frame], cuts: list[int]) -> None:
        """After anything, one maximal frame of clean bytes and the next frames are found."""
        stream = MAX_FRAME * b"\x00" + b"".join(frame.to_bytes() for frame in frames)
        out = self.feed(stream, cuts)
        assert out[-len(frames) :] == frames
        assert len(self.reader._buffer) == 0

    @invariant()
    def buffer_is_bounded(self) -> None:
        if hasattr(self, "reader"):
            _bounded(self.reader)


TestFrameReaderMachine = FrameReaderMachine.TestCase
TestFrameReaderMachine.settings = settings(max_examples=150, stateful_step_count=15, deadline=None)


@settings(deadline=None, max_examples=200)
@given(
    before=clean_bytes,
    frames=st.lists(incoming_frames, min_size=1, max_size=4),
    bad=st.lists(st.tuples(incoming_frames, st.integers(1, 255)), max_size=3),
)
def test_property_frames_after_bad_checksums_and_clean_garbage_are_found(
    before: bytes,
    frames: list[Frame],
    bad: list[tuple[Frame, int]],
) -> None:
    """Bad frames whose body holds no prefix never hide the good frames after them."""
    corrupted = b""
    for frame, delta in bad:
        body = Frame(frame.direction, 0, 0, frame.payload.replace(bytes((V,)), b"")).to_bytes()
        corrupted += body[:-1] + bytes(((body[-1] + delta) & 0xFF,))
    reader = FrameReader()
    out = reader.feed(before + corrupted + b"".join(frame.to_bytes() for frame in frames))
    assert out == frames
    assert len(reader._buffer) == 0


# -- 100,000 generated streams: the reader and the parsers -----------------------------------

OUT = DataGramDirection.OUTGOING
REQUEST_FRAMES = [
    request.frame()
    for request in (
        requests.Login(username="admin", password="1234"),
        requests.Heartbeat(message_id=5),
        requests.ToggleHeartbeat(),
        requests.NodeCount(),
        requests.RoomMetaData(room_id=3),
        requests.KeyStatus(node_id=1, key_id=2),
        requests.ToggleKeyStatus(node_id=1, key_id=2, status=KeyPowerStatus.ON),
        requests.InternalUnitStatuses(),
    )
]
SAMPLE_CASES = [(version, command, SAMPLES[version][command]) for version, command in CASES]
HOSTILE = (b"V", b"VT", b"VTU", b"VTU<", b"VTU>", b"VTU<\x29", b"VTU<\x29\x00\x0a", b"\x56\x56")
DIRECTIONS = (IN, OUT)


def _valid_frame(rng: Rng) -> Frame:
    """A frame the reader must find: a sample, mutated or not, a request, or random bytes."""
    roll = rng.random()
    if roll < 0.55:
        _, command, payload = rng.choice(SAMPLE_CASES)
        if roll < 0.1:
            payload = mutated(rng, payload[: rng.below(len(payload) + 1)])
        elif roll < 0.4:
            payload = mutated(rng, payload)
        return Frame(IN, command, rng.below(256), payload)
    if roll < 0.7:
        return rng.choice(REQUEST_FRAMES)
    direction = IN if roll < 0.9 else OUT
    size = rng.between(0, 40) if roll < 0.995 else rng.between(0, MAX_PAYLOAD_SIZE)
    return Frame(direction, rng.below(256), rng.below(256), rng.randbytes(size))


STREAMS = VtuStreams(
    _valid_frame,
    prefix=PREFIX,
    max_payload=MAX_PAYLOAD_SIZE,
    max_frame=MAX_FRAME,
    incoming=IN,
    outgoing=OUT,
    hostile=HOSTILE,
)


def _parse_every_way(frame: Frame) -> int:
    """Parse ``frame`` as each version; the parsers called. Nothing raises but ProtocolError."""
    for version in (V1, V2):
        try:
            response = responses.from_frame(frame, version)
        except ProtocolError:
            continue
        assert isinstance(response, responses.Response)
        assert response.message_id == frame.message_id
    layouts = responses.key_parameters_layouts(frame.payload)
    assert set(layouts) <= {V1, V2}
    for version in layouts:  # a layout that fits parses
        key = responses.from_frame(Frame(IN, CommandID.KEY_PARAMETERS, 1, frame.payload), version)
        assert isinstance(key, responses.KeyParameters)
    return 3 + len(layouts)


def test_fuzz_frame_reader_and_parsers(fuzz_counts: FuzzCounts) -> None:
    """FUZZ_INPUTS generated streams through a fresh reader, in random reads, and one long-lived
    reader; every frame found through the parsers of both versions and the layout test.

    Nothing raises but ProtocolError from a parser, the buffer never holds a whole frame
    between reads, every frame found is a valid one, and the valid frames after a clean gap
    are all found, in order, with nothing left over.
    """
    rng = Rng(11501)
    long_lived = FrameReader()
    found = parsed = 0
    started = time.perf_counter()
    for _ in range(FUZZ_INPUTS):
        data, expected = STREAMS.stream(rng)
        reader = FrameReader()
        out: list[Frame] = []
        for chunk in chunks(rng, data):
            out += reader.feed(chunk)
            assert len(reader._buffer) < MAX_FRAME
        if expected:
            assert out[-len(expected) :] == expected
            assert len(reader._buffer) == 0
        for frame in out:
            assert frame.direction in DIRECTIONS
            assert len(frame.payload) <= MAX_PAYLOAD_SIZE
            parsed += _parse_every_way(frame)
        found += len(out)
        long_lived.feed(data)
        assert len(long_lived._buffer) < MAX_FRAME
        # The whole stream as one frame: only an exact frame decodes, and parses or fails.
        whole = decode_frame(data)
        assert whole is None or (len(out), out[0]) == (1, whole)
    seconds = time.perf_counter() - started
    tail = [_valid_frame(rng) for _ in range(3)]
    assert long_lived.feed(STREAMS.gap + b"".join(frame.to_bytes() for frame in tail))[-3:] == tail
    assert len(long_lived._buffer) == 0
    fuzz_counts.record(
        "VTU: library FrameReader, responses.from_frame (v1, v2), key_parameters_layouts",
        FUZZ_INPUTS,
        seconds,
        f"{found:,} frames found, {parsed:,} parser calls",
    )


# -- the client against a raw server ---------------------------------------------------------

type Responder = Callable[[Frame], list[bytes]]


def _reply(frame: Frame, command: int, payload: bytes, message_id: int | None = None) -> bytes:
    mid = frame.message_id if message_id is None else message_id
    return Frame(IN, command, mid, payload).to_bytes()


def _ack(frame: Frame) -> bytes:
    return _reply(frame, CommandID.ACKNOWLEDGEMENT, b"\x00")


def _answer(frame: Frame) -> list[bytes]:
    """What a healthy box answers to the requests of these tests."""
    if frame.command == CommandID.NODE_COUNT:
        return [_reply(frame, CommandID.NODE_COUNT, b"\x02\x01\x02")]
    if frame.command == CommandID.KEY_STATUS:
        node, key = frame.payload[:2]
        return [_reply(frame, CommandID.KEY_STATUS, bytes((node, key, 0x4F, 100)) + bytes(4))]
    return [_ack(frame)]


class RawBox:
    """A TCP server that answers the handshake and then whatever ``respond`` says."""

    def __init__(self) -> None:
        self.respond: Responder = _answer
        self.login_answers: list[AckType] = []
        """How the next Logins are answered (then ACK)."""
        self.received: list[Frame] = []
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    def requests_of(self, command: int) -> list[Frame]:
        return [frame for frame in self.received if frame.command == command]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        self._writers.append(writer)
        frames = FrameReader()
        try:
            while data := await reader.read(4096):
                for frame in frames.feed(data):
                    self.received.append(frame)
                    if frame.command == CommandID.LOGIN and self.login_answers:
                        ack = self.login_answers.pop(0)
                        answer = [_reply(frame, CommandID.ACKNOWLEDGEMENT, bytes((ack,)))]
                    elif frame.command in (CommandID.TOGGLE_HEARTBEAT, CommandID.LOGIN):
                        answer = [_ack(frame)]
                    else:
                        answer = self.respond(frame)
                    writer.write(b"".join(answer))
                    await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
            self._tasks.discard(task)


@pytest.fixture
async def box(socket_enabled: None) -> AsyncIterator[RawBox]:
    server = RawBox()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client(box: RawBox) -> AsyncIterator[VitreaClient]:
    vbox = VitreaClient(
        ConnectionConfig(
            host="127.0.0.1", port=box.port, username="u", password="p", version=V2, environ={}
        ),
        SocketConfig(
            request_timeout=2.0,
            request_gap=0,
            heartbeat_interval=30,
            max_retries=2,
            reconnect=False,
            environ={},
        ),
    )
    await vbox.connect()
    yield vbox
    await vbox.disconnect()


MALFORMED: list[tuple[requests.Request[Any], int, bytes]] = [
    (requests.NodeCount(), CommandID.NODE_COUNT, b""),
    (requests.KeyStatus(node_id=1, key_id=2), CommandID.KEY_STATUS, b"\x01\x02"),
    (requests.NodeMetaData(node_id=1), CommandID.NODE_META_DATA, bytes(11)),
    (requests.KeyParameters(node_id=1, key_id=0), CommandID.KEY_PARAMETERS, bytes(12)),
    (requests.RoomMetaData(room_id=0), CommandID.ROOM_META_DATA, b"\x00\x00"),
    (requests.RoomCount(), CommandID.ROOM_COUNT, b""),
    # An acknowledgement (0x00) with the request's ID but no result byte.
    (
        requests.ToggleKeyStatus(node_id=1, key_id=0, status=KeyPowerStatus.ON),
        CommandID.ACKNOWLEDGEMENT,
        b"",
    ),
    (requests.NodeCount(), CommandID.ACKNOWLEDGEMENT, b""),
    (requests.Heartbeat(), CommandID.ACKNOWLEDGEMENT, b""),
]


@pytest.mark.parametrize(
    ("request_", "command", "payload"),
    MALFORMED,
    ids=[f"{r.name}-0x{c:02x}" for r, c, _ in MALFORMED],
)
async def test_malformed_answer_fails_the_request_and_the_link_stays_up(
    box: RawBox,
    client: VitreaClient,
    request_: requests.Request[Any],
    command: int,
    payload: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    box.respond = lambda frame: [_reply(frame, command, payload)]
    with pytest.raises(ProtocolError):
        await client.send(request_)
    # Failed by the malformed answer itself, not by a timeout: no retry was sent.
    assert len(box.requests_of(request_.command)) == 1
    assert "Malformed frame from vBox" in caplog.text
    assert client.connected
    box.respond = _answer
    nodes = await client.send(requests.NodeCount())
    assert nodes.node_ids == (1, 2)
    assert box.connections == 1


async def test_malformed_frame_for_another_request_is_ignored(
    box: RawBox, client: VitreaClient
) -> None:
    def respond(frame: Frame) -> list[bytes]:
        other = frame.message_id % 0xFF + 1
        return [
            _reply(frame, CommandID.NODE_COUNT, b"", message_id=other),  # not this request's ID
            _reply(frame, CommandID.KEY_STATUS, b"\x01"),  # this ID, another command
            *_answer(frame),
        ]

    box.respond = respond
    assert (await client.send(requests.NodeCount())).node_ids == (1, 2)
    assert client.connected


def _junk_frames() -> st.SearchStrategy[bytes]:
    """Frames and bytes a confused box might send; none carries the pending request's ID.

    The client's requests here carry IDs below 128; junk uses 128-255.
    """
    no_v = st.binary(max_size=30).map(
        lambda data: data.replace(bytes((V,)), b"").replace(PREFIX[1:2], b"")
    )
    ids = st.integers(128, 255).filter(lambda i: i != V)  # requests here use IDs 1-127
    payloads = st.binary(max_size=30).map(lambda data: data.replace(bytes((V,)), b""))

    def frame(command: int, message_id: int, payload: bytes) -> bytes:
        return Frame(IN, command, message_id, payload).to_bytes()

    def bad(data: bytes, delta: int) -> bytes:
        return data[:-1] + bytes(((data[-1] + delta) & 0xFF,))

    return st.one_of(
        no_v,
        st.builds(frame, st.integers(0, 255), ids, payloads),
        st.builds(bad, st.builds(frame, st.integers(0, 255), ids, payloads), st.integers(1, 255)),
        st.builds(
            lambda command, length: PREFIX + bytes((IN, command)) + length.to_bytes(2, "big"),
            st.integers(0, 255),
            st.integers(MAX_PAYLOAD_SIZE + 3, 0xFFFF),
        ),
        # Pushes for nodes and keys that may not exist, including press events.
        st.builds(
            lambda node, key, power, mid: frame(
                CommandID.KEY_STATUS, mid, bytes((node, key, power)) + bytes(5)
            ),
            st.integers(0, 255),
            st.integers(0, 255),
            st.sampled_from([int(p) for p in KeyPowerStatus]),
            ids,
        ),
    )


@settings(
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(junk=st.lists(_junk_frames(), max_size=6), split=st.booleans())
async def test_property_the_answer_is_found_among_junk(
    box: RawBox, client: VitreaClient, junk: list[bytes], split: bool
) -> None:
    statuses: list[responses.KeyStatus] = []
    unsubscribe = client.on_key_status(statuses.append)

    def respond(frame: Frame) -> list[bytes]:
        data = b"".join([*junk, *_answer(frame), *junk])
        return [data[i : i + 1] for i in range(len(data))] if split else [data]

    box.respond = respond
    try:
        assert (await client.send(requests.NodeCount())).node_ids == (1, 2)
        # A heartbeat after the junk proves the reader is past it, still in step.
        box.respond = _answer
        assert (await client.send(requests.Heartbeat())).is_ok
    finally:
        unsubscribe()
    assert client.connected
    assert all(isinstance(s, responses.KeyStatus) for s in statuses)
    assert box.connections == 1


@pytest.mark.parametrize("host", ["a..b", "x" * 64, "host\x00name", "\ud800"])
async def test_host_that_cannot_be_encoded_is_a_connection_error(
    socket_enabled: None, no_names: NoNames, host: str
) -> None:
    client = VitreaClient(
        ConnectionConfig(host=host, port=11501, username="u", password="p", environ={}),
        SocketConfig(reconnect=False, environ={}),
    )
    with pytest.raises(VitreaConnectionError, match="invalid host name"):
        await client.connect()
    assert not client.connected
    assert no_names.asked == []  # it failed before any lookup


def _client_of(box: RawBox, **socket: Any) -> VitreaClient:
    return VitreaClient(
        ConnectionConfig(
            host="127.0.0.1", port=box.port, username="u", password="p", version=V2, environ={}
        ),
        SocketConfig(request_timeout=2.0, request_gap=0, environ={}, **socket),
    )


@pytest.mark.parametrize("ack", [AckType.ERROR, AckType.IN_USE])
async def test_login_answered_busy_is_not_an_authentication_failure(
    box: RawBox, ack: AckType
) -> None:
    """Only a NACK says the credentials are wrong; a busy box is tried again later."""
    box.login_answers = [ack]
    client = _client_of(box, reconnect=False)
    with pytest.raises(CommandRejectedError) as caught:
        await client.connect()
    assert not isinstance(caught.value, AuthenticationError)
    assert caught.value.ack_type is ack
    box.login_answers = [AckType.NACK]
    with pytest.raises(AuthenticationError):
        await client.connect()
    await client.connect()
    assert client.connected
    await client.disconnect()


async def test_reconnection_goes_on_while_the_box_answers_login_busy(box: RawBox) -> None:
    client = _client_of(
        box, reconnect_min_delay=0.01, reconnect_max_delay=0.02, stability_period=0.0
    )
    states: list[ConnectionState] = []
    client.on_connection_state(states.append)
    await client.connect()
    try:
        box.login_answers = [AckType.IN_USE, AckType.ERROR, AckType.IN_USE]
        for writer in box._writers:
            writer.close()  # the box drops the connection
        await until(lambda: client.connected and box.connections == 5)
        assert states[-1] is ConnectionState.CONNECTED
        assert not isinstance(client.last_error, AuthenticationError)
    finally:
        await client.disconnect()


async def test_heartbeats_answered_busy_keep_the_link(box: RawBox) -> None:
    """A rejected heartbeat is still an answer: the box is there."""

    def respond(frame: Frame) -> list[bytes]:
        if frame.command == CommandID.HEARTBEAT:
            return [_reply(frame, CommandID.ACKNOWLEDGEMENT, bytes((AckType.IN_USE,)))]
        return _answer(frame)

    box.respond = respond
    client = _client_of(box, heartbeat_interval=0.05, reconnect=False)
    await client.connect()
    try:
        await until(lambda: len(box.requests_of(CommandID.HEARTBEAT)) >= 3)
        assert client.connected
        assert (await client.send(requests.NodeCount())).node_ids == (1, 2)
    finally:
        await client.disconnect()
