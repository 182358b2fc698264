"""The host-interface client over real loopback TCP against a scripted box.

The simulator is the box for everything a vBox does (``test_vbox_host_link.py``); these
tests play what the simulator never does on its own: a box that answers too late, replies
to a request it was not asked, reports polled presses, or sends nothing at all.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import struct
from collections.abc import AsyncIterator, Callable
from contextlib import suppress

import pytest
from vitrea_client import (
    ConnectionState,
    HostClient,
    HostCommandError,
    HostLink,
    NoConnectionError,
    NullLogger,
    SocketConfig,
    VitreaConnectionError,
    VitreaTimeoutError,
    host,
)
from vitrea_client.host import commands
from vitrea_client.link import KeyPress, KeyUpdate, Press, Update

from vbox_simulator.pytest_plugin import until

pytestmark = pytest.mark.usefixtures("socket_enabled")

type Script = Callable[[bytes], list[bytes]]
"""What the scripted box answers to one line or VTH request it receives."""


def session(line: bytes) -> list[bytes]:
    """A box that acknowledges the session and the version query, and nothing else."""
    if line == b"P:VITREA\r\n":
        return [b"S:PSW:OK\r\n"]
    if line == b"G:V:S\r\n":
        return [b"V:966\r\n"]
    return []


class ScriptedBox:
    """A TCP server that answers each line (or VTH request) as its script says."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.received: list[bytes] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def stop(self) -> None:
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def push(self, data: bytes) -> None:
        for writer in self.writers:
            writer.write(data)
            await writer.drain()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        buffer = b""
        with suppress(OSError):
            while data := await reader.read(4096):
                buffer += data
                while True:
                    if buffer.startswith(b"VTH>") and len(buffer) >= 7:
                        size = 7 + int.from_bytes(buffer[5:7], "big")
                        if len(buffer) < size:
                            break
                        message, buffer = buffer[:size], buffer[size:]
                    elif b"\r\n" in buffer and not buffer.startswith(b"VTH>"):
                        end = buffer.index(b"\r\n") + 2
                        message, buffer = buffer[:end], buffer[end:]
                    else:
                        break
                    self.received.append(message)
                    for answer in self.script(message):
                        writer.write(answer)
                    await writer.drain()


@pytest.fixture
async def make_box() -> AsyncIterator[Callable[[Script], ScriptedBox]]:
    boxes: list[ScriptedBox] = []

    async def make(script: Script) -> ScriptedBox:
        box = ScriptedBox(script)
        await box.start()
        boxes.append(box)
        return box

    yield make  # type: ignore[misc]
    for box in boxes:
        await box.stop()


def client_of(box: ScriptedBox, **settings: float) -> HostClient:
    keepalive = settings.pop("keepalive_interval", 15.0)
    keepalive_timeout = settings.pop("keepalive_timeout", 10.0)
    settings.setdefault("stability_period", 0.0)  # probation: test_vbox_hostile.py
    return HostClient(
        "127.0.0.1",
        box.port,
        SocketConfig(request_timeout=0.3, max_retries=2, **settings),  # type: ignore[arg-type]
        keepalive_interval=keepalive,
        keepalive_timeout=keepalive_timeout,
    )


async def test_connect_waits_for_the_session_acknowledgement(make_box: Callable) -> None:
    box = await make_box(session)
    client = client_of(box)
    await client.connect()
    try:
        assert client.connected
        assert box.received == [b"P:VITREA\r\n"]
        assert (await client.version()).digits == "966"
    finally:
        await client.disconnect()
    assert not client.connected


async def test_a_port_that_does_not_acknowledge_is_not_a_host_interface(
    make_box: Callable,
) -> None:
    box = await make_box(lambda _line: [])
    client = client_of(box)
    with pytest.raises(VitreaTimeoutError, match="not answered"):
        await client.connect()
    assert not client.connected


async def test_an_unreachable_box_is_a_connection_error(make_box: Callable) -> None:
    box = await make_box(session)
    port = box.port
    await box.stop()
    client = HostClient("127.0.0.1", port, SocketConfig(request_timeout=0.3))
    with pytest.raises(VitreaConnectionError, match="cannot connect"):
        await client.connect()


async def test_commands_while_disconnected_fail_at_once(make_box: Callable) -> None:
    client = HostClient("127.0.0.1", 1, SocketConfig(request_timeout=0.3))
    with pytest.raises(NoConnectionError):
        await client.send(host.status_all())
    with pytest.raises(NoConnectionError):
        await client.read(commands.floor_numbers())
    with pytest.raises(NoConnectionError):
        await client.version()


async def test_an_error_line_fails_the_command_in_flight(make_box: Callable) -> None:
    def script(line: bytes) -> list[bytes]:
        return [b"E:2:wrong node number\r\n"] if line.startswith(b"H:N") else session(line)

    box = await make_box(script)
    client = client_of(box)
    await client.connect()
    try:
        with pytest.raises(HostCommandError, match="wrong node number") as caught:
            await client.command(commands.key_on(7, 1))
        assert caught.value.code == 2
    finally:
        await client.disconnect()


async def test_a_vth_reply_to_another_request_is_not_taken_for_the_answer(
    make_box: Callable,
) -> None:
    """A late reply for room 1 arrives first; the client waits for room 2's (the vendor
    credits any reply to whatever is outstanding)."""
    room_1 = host.vth_frame(host.VTH_REPLY_PREFIX, 0x04, bytes.fromhex("0001 0000 02 4100"))
    room_2 = host.vth_frame(host.VTH_REPLY_PREFIX, 0x04, bytes.fromhex("0002 0000 02 4200"))

    def script(line: bytes) -> list[bytes]:
        if line.startswith(b"VTH>"):
            return [room_1, b"garbage\r\n", room_2]
        return session(line)

    box = await make_box(script)
    client = client_of(box)
    await client.connect()
    try:
        reply = await client.read(commands.room_params(2))
        assert (reply.room, reply.name) == (2, "B")
        assert client.malformed == 1
    finally:
        await client.disconnect()


async def test_an_unanswered_vth_request_is_sent_again_then_times_out(
    make_box: Callable,
) -> None:
    box = await make_box(session)
    client = client_of(box)
    await client.connect()
    try:
        with pytest.raises(VitreaTimeoutError, match="after 3 sends"):
            await client.read(commands.floor_numbers())
        assert box.received.count(host.floor_numbers()) == 3
    finally:
        await client.disconnect()


async def test_keepalives_keep_coming(make_box: Callable) -> None:
    box = await make_box(session)
    client = client_of(box, keepalive_interval=0.05)
    await client.connect()
    try:
        await until(lambda: box.received.count(b"P:VITREA\r\n") >= 4)
        assert client.connected
    finally:
        await client.disconnect()


async def test_a_silent_box_is_a_dead_link_and_the_client_reconnects(
    make_box: Callable,
) -> None:
    """The box stops answering keep-alives: once one is left unanswered the link is lost,
    and the client connects again."""
    answering = True

    def script(line: bytes) -> list[bytes]:
        return session(line) if answering else []

    box = await make_box(script)
    client = client_of(
        box,
        keepalive_interval=0.05,
        keepalive_timeout=0.3,
        reconnect_min_delay=0.05,
        reconnect_max_delay=0.1,
    )
    states: list[ConnectionState] = []
    client.on_connection_state(states.append)
    await client.connect()
    try:
        answering = False
        await until(lambda: ConnectionState.DISCONNECTED in states)
        assert "did not answer the keep-alive" in str(client.last_error)
        answering = True
        await until(lambda: states[-1] is ConnectionState.CONNECTED and client.connected)
        assert states[:3] == [
            ConnectionState.CONNECTED,
            ConnectionState.DISCONNECTED,
            ConnectionState.RECONNECTING,
        ]
    finally:
        await client.disconnect()


async def test_polled_presses_are_not_presses(make_box: Callable) -> None:
    """A bulk read that reports a satellite as ``S`` (as VH 0.2.3 says the box does) fires
    no press; the same line pushed outside a bulk read is one."""

    def script(line: bytes) -> list[bytes]:
        if line == host.status_all():
            return [b"S:N003:4:S\r\n", b"S:N003:1:D:050\r\n"]
        return session(line)

    box = await make_box(script)
    link = HostLink(client_of(box))
    updates: list[Update] = []
    link.on_update(updates.append)
    await link.connect()
    try:
        await link.read_states([])
        assert updates == [KeyUpdate(3, 0, is_on=True, level=50)]
        await box.push(b"S:N003:4:S\r\n")
        await until(lambda: len(updates) == 2)
        assert updates[1] == KeyPress(3, 3, Press.SHORT)
    finally:
        await link.disconnect()


async def test_a_command_waiting_its_turn_when_the_link_drops_fails_at_once(
    make_box: Callable,
) -> None:
    """Two commands at once, the first unanswered: the box closes the connection, the
    first fails as lost, and the second, whose turn comes after the loss, is not sent."""
    box = await make_box(lambda line: [b"S:PSW:OK\r\n"] if line == b"P:VITREA\r\n" else [])
    client = HostClient("127.0.0.1", box.port, SocketConfig(request_timeout=10.0))
    await client.connect()
    try:
        first = asyncio.create_task(client.version())
        second = asyncio.create_task(client.version())
        await until(lambda: b"G:V:S\r\n" in box.received)
        for writer in box.writers:
            writer.close()
        async with asyncio.timeout(10):
            with pytest.raises(VitreaConnectionError, match="closed the connection"):
                await first
            with pytest.raises(NoConnectionError, match="not connected to the host interface"):
                await second
        assert box.received.count(b"G:V:S\r\n") == 1
    finally:
        await client.disconnect()


class StallingBox:
    """A host interface that acknowledges each session, then stops reading the first as soon
    as a line of ``X`` begins (the client's socket fills up), and resets it on demand."""

    def __init__(self) -> None:
        self.stalled = asyncio.Event()
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # soon full
        listening.bind(("127.0.0.1", 0))
        self.server = await asyncio.start_server(self._serve, sock=listening)

    async def stop(self) -> None:
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    def reset(self) -> None:
        """Abort the stalled session with a reset (RST), its unread bytes dropped."""
        writer = self.writers[0]
        writer.get_extra_info("socket").setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
        )
        writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        with suppress(OSError):
            while data := await reader.read(4096):
                if b"X" in data and not self.stalled.is_set():
                    self.stalled.set()
                    return  # reads no more; the connection stays open
                if b"P:VITREA\r\n" in data:
                    writer.write(b"S:PSW:OK\r\n")


@pytest.fixture
async def stalling_box() -> AsyncIterator[StallingBox]:
    box = StallingBox()
    await box.start()
    yield box
    await box.stop()


async def test_a_send_stuck_on_a_full_socket_fails_when_the_box_resets(
    stalling_box: StallingBox,
) -> None:
    """A long line the box stops reading: the send waits for the socket to drain; the box
    resets the connection, and the send fails as a lost connection (not with the socket's
    own error), and the client connects again."""
    client = HostClient(
        "127.0.0.1",
        stalling_box.port,
        SocketConfig(request_timeout=10.0, stability_period=0.0, reconnect_min_delay=0.05),
        logger=NullLogger(),  # not the megabytes sent, in the log
    )
    await client.connect()
    try:
        sending = asyncio.create_task(client.send(b"X" * 8_000_000 + b"\r\n"))
        async with asyncio.timeout(10):
            await stalling_box.stalled.wait()
        assert not sending.done()  # it waits for the socket to drain
        stalling_box.reset()
        async with asyncio.timeout(10):
            with pytest.raises(VitreaConnectionError, match="socket error"):
                await sending
        assert "socket error" in str(client.last_error)
        await until(lambda: client.connected and len(stalling_box.writers) == 2)
    finally:
        await client.disconnect()


async def test_a_keepalive_that_cannot_be_sent_ends_its_loop_and_the_client_reconnects(
    make_box: Callable,
) -> None:
    """The keep-alive's write fails (the socket reports a reset as it drains): the link is
    lost, the keep-alive loop ends quietly, and the client connects again.

    Mocked: the writer's ``drain``. A real reset reaches the reader first, and losing the
    link there cancels the keep-alive; only one that lands between the keep-alive's wake-up
    and its write takes this path, and no test can time that.
    """
    box = await make_box(session)
    client = client_of(
        box, keepalive_interval=0.05, reconnect_min_delay=0.05, reconnect_max_delay=0.1
    )
    states: list[ConnectionState] = []
    client.on_connection_state(states.append)
    await client.connect()
    try:
        keepalive = client._keepalive_task
        assert keepalive is not None
        writer = client._writer
        assert writer is not None
        sent = box.received.count(b"P:VITREA\r\n")

        async def reset() -> None:
            raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")

        writer.drain = reset  # type: ignore[method-assign]
        async with asyncio.timeout(10):
            await asyncio.wait([keepalive])
        assert not keepalive.cancelled()
        assert keepalive.exception() is None
        assert str(client.last_error) == "socket error: Connection reset by peer"
        await until(lambda: states[-1] is ConnectionState.CONNECTED and client.connected)
        assert states == [
            ConnectionState.CONNECTED,
            ConnectionState.DISCONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED,
        ]
        assert box.received.count(b"P:VITREA\r\n") > sent + 1  # the keep-alive, the session
    finally:
        await client.disconnect()
