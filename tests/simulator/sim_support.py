"""Helpers of the simulator tests: a raw frame client, a status queue, fast timings."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Any

from vitrea_client import (
    DataGramDirection,
    Frame,
    FrameReader,
    ProtocolVersion,
    SocketConfig,
    VitreaClient,
    requests,
    responses,
)

from vbox_simulator.pytest_plugin import PASSWORD, USERNAME

WRONG_PASSWORD = "wrong"
NEW_PASSWORD = "new-password"
TIMEOUT = 5.0


def reset(writer: asyncio.StreamWriter) -> None:
    """Make closing ``writer`` send a TCP reset (SO_LINGER with a zero timeout)."""
    writer.get_extra_info("socket").setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
    )


class RawClient:
    """A client on a plain socket: sends frames as given, reads frames as they come."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, version: ProtocolVersion
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.version = version
        self.frames = FrameReader()
        self.pending: list[Frame] = []
        self.reads: list[bytes] = []
        self.message_id = 0

    def next_id(self) -> int:
        self.message_id = self.message_id % 0xFF + 1
        return self.message_id

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def send(self, command: int, payload: bytes = b"", message_id: int | None = None) -> int:
        """Send a frame; returns its message ID."""
        message_id = self.next_id() if message_id is None else message_id
        await self.write(Frame(DataGramDirection.OUTGOING, command, message_id, payload).to_bytes())
        return message_id

    async def send_request(self, request: requests.Request[Any]) -> int:
        request = request.with_message_id(self.next_id())
        await self.write(request.build())
        return request.message_id

    async def frame(self, within: float = TIMEOUT) -> Frame:
        """The next frame from the box."""
        async with asyncio.timeout(within):
            while not self.pending:
                data = await self.reader.read(4096)
                if not data:
                    msg = "the simulator closed the connection"
                    raise ConnectionError(msg)
                self.reads.append(data)
                self.pending.extend(self.frames.feed(data))
        return self.pending.pop(0)

    async def response(self, within: float = TIMEOUT) -> responses.Response:
        return responses.from_frame(await self.frame(within), self.version)

    async def exchange(self, request: requests.Request[Any]) -> responses.Response:
        message_id = await self.send_request(request)
        response = await self.response()
        assert response.message_id == message_id
        return response

    async def login(self, *, unsolicited: bool = True, password: str = PASSWORD) -> None:
        ack = await self.exchange(requests.ToggleHeartbeat(enable=True, unsolicited=unsolicited))
        assert ack == responses.Acknowledgement(message_id=ack.message_id)
        ack = await self.exchange(requests.Login(username=USERNAME, password=password))
        assert isinstance(ack, responses.Acknowledgement)
        assert ack.is_ok

    async def closed_by_peer(self, within: float = TIMEOUT) -> bool:
        """Whether the box closes the connection (reads until end of stream)."""
        async with asyncio.timeout(within):
            with contextlib.suppress(ConnectionError):
                while data := await self.reader.read(4096):
                    self.reads.append(data)
        return True

    async def reset(self) -> None:
        """Abort the connection: the box sees a TCP reset, not an orderly close."""
        reset(self.writer)
        await self.close()

    async def close(self) -> None:
        self.writer.close()
        async with asyncio.timeout(TIMEOUT):
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


def socket_config(**kwargs: Any) -> SocketConfig:
    """Fast timings for tests; no reconnection unless asked."""
    kwargs.setdefault("request_timeout", 0.5)
    kwargs.setdefault("request_gap", 0)
    kwargs.setdefault("heartbeat_interval", 10)
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("reconnect", False)
    return SocketConfig(environ={}, **kwargs)


class StatusQueue:
    """Collects the key statuses a client receives."""

    def __init__(self, client: VitreaClient) -> None:
        self.queue: asyncio.Queue[responses.KeyStatus] = asyncio.Queue()
        self.unsubscribe = client.on_key_status(self.queue.put_nowait)

    async def get(self, within: float = TIMEOUT) -> responses.KeyStatus:
        async with asyncio.timeout(within):
            return await self.queue.get()


class HostClient:
    """A raw host-interface client: sends lines and frames as given, reads whole messages.

    A message is an ASCII line with its CR LF, or a whole ``VTH<`` frame.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.buffer = bytearray()
        self.reads: list[bytes] = []

    async def send(self, data: bytes | str) -> None:
        """Send bytes as given; a str is one line, CR LF added."""
        raw = data.encode() + b"\r\n" if isinstance(data, str) else data
        self.writer.write(raw)
        await self.writer.drain()

    def _message(self) -> bytes | None:
        buf = self.buffer
        if buf.startswith((b"VTH<", b"VTH>")):  # a reply, or the echo of a request
            if len(buf) < 7:
                return None
            size = 7 + (buf[5] << 8 | buf[6])
        else:
            end = buf.find(b"\r\n")
            if end < 0:
                return None
            size = end + 2
        if len(buf) < size:
            return None
        message = bytes(buf[:size])
        del buf[:size]
        return message

    async def message(self, within: float = TIMEOUT) -> bytes:
        """The next line (with its CR LF) or frame from the box."""
        async with asyncio.timeout(within):
            while (message := self._message()) is None:
                data = await self.reader.read(4096)
                if not data:
                    msg = "the simulator closed the host connection"
                    raise ConnectionError(msg)
                self.reads.append(data)
                self.buffer.extend(data)
        return message

    async def messages(self, count: int, within: float = TIMEOUT) -> list[bytes]:
        return [await self.message(within) for _ in range(count)]

    async def ask(self, data: bytes | str, count: int) -> list[bytes]:
        """Send, then read ``count`` messages."""
        await self.send(data)
        return await self.messages(count)

    async def nothing_more(self) -> None:
        """Prove that nothing else was sent before: the next answer is that of ``G:V:S``."""
        await self.send("G:V:S")
        message = await self.message()
        assert message in (b"G:V:S\r\n", b"V:966\r\n"), message
        if message == b"G:V:S\r\n":
            assert (await self.message()).startswith(b"V:")

    async def closed_by_peer(self, within: float = TIMEOUT) -> bool:
        async with asyncio.timeout(within):
            with contextlib.suppress(ConnectionError):
                while data := await self.reader.read(4096):
                    self.reads.append(data)
        return True

    async def close(self) -> None:
        self.writer.close()
        async with asyncio.timeout(TIMEOUT):
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
