"""Both clients against hostile peers over real loopback TCP: stray headers, keep-alives left
unanswered, floods of random bytes, a box that drops every accepted login.

The bounds under test are in ``docs/connections.md``; here they are made small through the
constructors and :class:`SocketConfig`, and every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from typing import Any
from unittest.mock import patch

import pytest
from vitrea_client import (
    CommandID,
    ConnectionConfig,
    ConnectionState,
    DataGramDirection,
    HostClient,
    SocketConfig,
    VitreaClient,
    host,
    requests,
    responses,
)
from vitrea_client import connection as connection_module
from vitrea_client.frames import PREFIX, Frame, FrameReader

from vbox_simulator.pytest_plugin import until

pytestmark = pytest.mark.usefixtures("socket_enabled")

IN = DataGramDirection.INCOMING
WALL_CHANGE = b"S:N003:1:D:050\r\n"
STRAY_VTH_HEADER = host.VTH_REPLY_PREFIX + b"\x01" + host.MAX_VTH_LENGTH.to_bytes(2, "big")
"""A VTH header announcing the longest frame the reader accepts, and nothing after it."""
STRAY_VTU_HEADER = PREFIX + bytes((IN, CommandID.KEY_STATUS)) + (1024 + 2).to_bytes(2, "big")
"""A VTU header announcing the longest frame the reader accepts, and nothing after it."""


class Peer:
    """A TCP server on 127.0.0.1 whose sessions a test scripts with ``serve``."""

    def __init__(self, serve: Callable[[Peer, asyncio.StreamReader, asyncio.StreamWriter], Any]):
        self._serve = serve
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    @property
    def connections(self) -> int:
        return len(self.writers)

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        with suppress(OSError):
            await self._serve(self, reader, writer)
        writer.close()

    async def push(self, data: bytes) -> None:
        """Send ``data`` on the newest session."""
        writer = self.writers[-1]
        writer.write(data)
        await writer.drain()

    async def stop(self) -> None:
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


@pytest.fixture
async def make_peer() -> AsyncIterator[Callable[..., Any]]:
    peers: list[Peer] = []

    async def make(
        serve: Callable[[Peer, asyncio.StreamReader, asyncio.StreamWriter], Any],
    ) -> Peer:
        peer = Peer(serve)
        await peer.start()
        peers.append(peer)
        return peer

    yield make
    for peer in peers:
        await peer.stop()


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The library's log lines at INFO or above."""
    return [r for r in caplog.records if r.levelno >= logging.INFO and r.name == "vitrea_client"]


# -- the host interface ---------------------------------------------------------------------


def host_box(*, answer_keepalives: bool = True) -> Callable[..., Any]:
    """A host interface that answers ``P:VITREA`` (the first of a session at least)."""

    async def serve(
        _peer: Peer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        answered = 0
        while line := await reader.readline():
            if line == host.keep_alive() and (answer_keepalives or not answered):
                answered += 1
                writer.write(b"S:PSW:OK\r\n")
                await writer.drain()

    return serve


def host_client(peer: Peer, **settings: Any) -> HostClient:
    keepalive = settings.pop("keepalive_interval", 15.0)
    keepalive_timeout = settings.pop("keepalive_timeout", 10.0)
    socket: dict[str, Any] = {
        "request_timeout": 1.0,
        "reconnect_min_delay": 0.01,
        "reconnect_max_delay": 0.05,
        "stability_period": 0.0,
        "incomplete_message_timeout": 0.2,
    }
    return HostClient(
        "127.0.0.1",
        peer.port,
        SocketConfig(**(socket | settings), environ={}),
        keepalive_interval=keepalive,
        keepalive_timeout=keepalive_timeout,
    )


async def test_host_a_stray_vth_header_holds_the_lines_behind_it_only_for_a_while(
    make_peer: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    """The header of the longest frame, then wall changes: once the header has waited
    ``incomplete_message_timeout`` it is dropped, the lines come out, the link stays."""
    peer = await make_peer(host_box())
    client = host_client(peer, keepalive_interval=0.05, keepalive_timeout=5.0)
    statuses: list[host.LineMessage] = []
    client.on_message(lambda m: statuses.append(m) if isinstance(m, host.KeyStatus) else None)
    await client.connect()
    try:
        await peer.push(STRAY_VTH_HEADER + 3 * WALL_CHANGE)
        await until(lambda: len(statuses) == 3)
        await peer.push(WALL_CHANGE)  # the link is in sync again
        await until(lambda: len(statuses) == 4)
        assert client.connected
        assert peer.connections == 1
        assert client.malformed == 1
        assert len(problems(caplog)) == 1
        assert "incomplete VTH frame" in problems(caplog)[0].getMessage()
    finally:
        await client.disconnect()


async def test_host_a_keepalive_left_unanswered_ends_the_link(
    make_peer: Callable[..., Any],
) -> None:
    """The box keeps sending wall changes but stops answering ``P:VITREA``: bytes are not
    answers, so the link is lost and established again."""
    peer = await make_peer(host_box(answer_keepalives=False))
    client = host_client(peer, keepalive_interval=0.05, keepalive_timeout=0.2)
    states: list[ConnectionState] = []
    errors: list[str] = []

    def record(state: ConnectionState) -> None:
        states.append(state)
        errors.append(str(client.last_error))

    client.on_connection_state(record)
    await client.connect()

    async def chatter() -> None:
        while True:
            with suppress(OSError):
                await peer.push(WALL_CHANGE)
            await asyncio.sleep(0.01)

    talking = asyncio.get_running_loop().create_task(chatter())
    try:
        await until(lambda: peer.connections >= 2 and client.connected)
        assert "did not answer the keep-alive within 0.2 s" in errors[1]
        assert states[:3] == [
            ConnectionState.CONNECTED,
            ConnectionState.DISCONNECTED,
            ConnectionState.RECONNECTING,
        ]
    finally:
        talking.cancel()
        await client.disconnect()


async def test_host_random_bytes_are_reported_once_a_minute_and_the_link_recovers(
    make_peer: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    peer = await make_peer(host_box())
    client = host_client(peer)
    statuses: list[host.LineMessage] = []
    client.on_message(lambda m: statuses.append(m) if isinstance(m, host.KeyStatus) else None)
    await client.connect()
    noise = random.Random(16)  # noqa: S311 - noise, not secrets
    try:
        for _ in range(50):
            await peer.push(noise.randbytes(10_000))  # overlong lines
            await peer.push(b"".join(noise.randbytes(30) + b"\r\n" for _ in range(300)))
        await peer.push(b"\r\n" + WALL_CHANGE)  # ends whatever line the noise left open
        await until(lambda: len(statuses) >= 1)
        assert client.connected
        assert client.malformed > 50 * 300
        lines = problems(caplog)
        assert len(lines) == 1  # the first report; the next one a minute later
        assert "Malformed input from the host interface" in lines[0].getMessage()
        assert len(lines[0].getMessage()) < 600  # a short sample, not the data
    finally:
        await client.disconnect()


# -- VTU --------------------------------------------------------------------------------------


def _ack(frame: Frame) -> bytes:
    return Frame(IN, CommandID.ACKNOWLEDGEMENT, frame.message_id, b"\x00").to_bytes()


def key_status(node: int, key: int, message_id: int = 0) -> bytes:
    payload = bytes((node, key, 0x4F, 100)) + bytes(4)
    return Frame(IN, CommandID.KEY_STATUS, message_id, payload).to_bytes()


def vtu_box(*, drop_after_login: bool = False) -> Callable[..., Any]:
    """A vBox that acknowledges every request and counts nodes 1 and 2."""

    async def serve(
        _peer: Peer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        frames = FrameReader()
        while data := await reader.read(4096):
            for frame in frames.feed(data):
                if frame.command == CommandID.NODE_COUNT:
                    answer = Frame(IN, CommandID.NODE_COUNT, frame.message_id, b"\x02\x01\x02")
                    writer.write(answer.to_bytes())
                else:
                    writer.write(_ack(frame))
                await writer.drain()
                if drop_after_login and frame.command == CommandID.LOGIN:
                    return

    return serve


def vtu_client(peer: Peer, **settings: Any) -> VitreaClient:
    socket: dict[str, Any] = {
        "request_timeout": 0.5,
        "request_gap": 0.0,
        "heartbeat_interval": 60.0,
        "max_retries": 3,
        "reconnect_min_delay": 0.01,
        "reconnect_max_delay": 0.05,
        "stability_period": 0.0,
        "incomplete_message_timeout": 0.2,
    }
    return VitreaClient(
        ConnectionConfig(
            host="127.0.0.1", port=peer.port, username="u", password="p", version="v2", environ={}
        ),
        SocketConfig(**(socket | settings), environ={}),
    )


async def test_vtu_a_stray_header_holds_the_frames_behind_it_only_for_a_while(
    make_peer: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    peer = await make_peer(vtu_box())
    client = vtu_client(peer)
    statuses: list[responses.KeyStatus] = []
    client.on_key_status(statuses.append)
    await client.connect()
    try:
        await peer.push(STRAY_VTU_HEADER + key_status(3, 1) + key_status(3, 2))
        await until(lambda: len(statuses) == 2)
        assert [status.key_id for status in statuses] == [1, 2]
        assert (await client.send(requests.NodeCount())).node_ids == (1, 2)
        assert peer.connections == 1
        assert client.malformed == 1
        assert len(problems(caplog)) == 1
        assert "incomplete frame" in problems(caplog)[0].getMessage()
    finally:
        await client.disconnect()


async def test_vtu_random_bytes_are_reported_once_a_minute_and_the_link_recovers(
    make_peer: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    peer = await make_peer(vtu_box())
    client = vtu_client(peer)
    await client.connect()
    noise = random.Random(16)  # noqa: S311 - noise, not secrets
    try:
        for _ in range(100):
            await peer.push(noise.randbytes(10_000))
        # Frames that are not valid either: a bad checksum, a key status too short.
        bad = bytearray(key_status(3, 1))
        bad[-1] ^= 0xFF
        await peer.push(bytes(bad) + Frame(IN, CommandID.KEY_STATUS, 0, b"\x02").to_bytes())
        await until(lambda: client.malformed >= 100)
        assert (await client.send(requests.NodeCount())).node_ids == (1, 2)
        lines = problems(caplog)
        assert len(lines) == 1
        assert "Malformed frame from vBox at 127.0.0.1" in lines[0].getMessage()
        assert len(lines[0].getMessage()) < 600
    finally:
        await client.disconnect()


async def test_vtu_a_box_that_drops_every_login_is_tried_on_growing_delays(
    make_peer: Callable[..., Any],
) -> None:
    """Accept, acknowledge the login, close: each attempt waits longer than the one
    before (the delay's count of failures never starts over), and the listeners are told
    CONNECTED once, for the first session."""
    peer = await make_peer(vtu_box())
    client = vtu_client(peer, stability_period=5.0, reconnect_max_delay=60.0)
    states: list[ConnectionState] = []
    client.on_connection_state(states.append)
    failures: list[int] = []
    delay = connection_module.reconnect_delay

    def recorded(count: int, config: SocketConfig) -> float:
        failures.append(count)
        return delay(count, config)

    await client.connect()
    peer._serve = vtu_box(drop_after_login=True)
    try:
        with patch.object(connection_module, "reconnect_delay", recorded):
            await peer.writers[0].drain()
            peer.writers[0].close()
            await until(lambda: peer.connections >= 6)
        assert failures[:5] == [1, 2, 3, 4, 5]
        assert states == [
            ConnectionState.CONNECTED,
            ConnectionState.DISCONNECTED,
            ConnectionState.RECONNECTING,
        ]
        assert client.state is ConnectionState.RECONNECTING
    finally:
        await client.disconnect()
    assert client.state is ConnectionState.DISCONNECTED


class _ClosingWriter:
    closed = False

    def close(self) -> None:
        self.closed = True


async def test_a_timeout_the_socket_raises_is_a_socket_error_not_an_expiry() -> None:
    """ETIMEDOUT from the socket (a TimeoutError) ends the link as any socket error does;
    only the read loop's own deadline expires a message."""
    client = VitreaClient(
        ConnectionConfig(host="127.0.0.1", username="u", password="p", environ={}),
        SocketConfig(reconnect=False, environ={}),
    )
    states: list[ConnectionState] = []
    client.on_connection_state(states.append)
    reader = asyncio.StreamReader()
    reader.set_exception(TimeoutError(110, "Connection timed out"))
    writer = _ClosingWriter()
    client._writer = writer  # type: ignore[assignment]
    client._up = True
    await client._read_loop(reader, writer, FrameReader(), lambda _: None)  # type: ignore[arg-type]
    assert str(client.last_error) == "socket error: Connection timed out"
    assert writer.closed
    assert not client.connected
