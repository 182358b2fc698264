"""What both servers of the simulated box do alike, whatever their protocol.

Listen, accept up to a number of clients at once (refusing more), read with an idle timeout,
write (split or merged while a fault asks), and close. A front-end subclasses
:class:`TcpServer` and keeps only its protocol.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

_LOGGER = logging.getLogger("vbox_simulator")

READ_SIZE = 4096
CLOSE_TIMEOUT = 30.0
"""Seconds :meth:`TcpServer.close_sessions` waits for the connections to end."""
DEFAULT_GARBAGE_BYTES = 32


@dataclass(eq=False)
class Session:
    """One connected client."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    peer: str


class TcpServer[S: Session]:
    """A TCP server of at most ``capacity`` clients at once, each dropped when idle."""

    def __init__(  # noqa: PLR0913 - where, how many, how long, who hears, what to log
        self,
        *,
        host: str,
        port: int | None,
        capacity: int,
        idle_timeout: float,
        on_change: Callable[[], None],
        label: str,
    ) -> None:
        """Prepare the server (never listening with ``port`` ``None``) to :meth:`start`."""
        self.host = host
        self._port = port
        self.capacity = capacity
        """The most clients served at once."""
        self.idle_timeout = idle_timeout
        """A client that sends nothing for this long is dropped."""
        self._on_change = on_change
        self._label = label
        self.sessions: list[S] = []
        """The connected clients, in the order they came."""
        self.connections = 0
        """Connections accepted as a client."""
        self.refused_connections = 0
        """Connections closed at once because ``capacity`` clients were connected."""
        self.idle_disconnects = 0
        """Clients dropped for sending nothing for ``idle_timeout`` seconds."""
        self.writes = 0
        """Write calls on client sockets."""
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._served: dict[S, asyncio.Task[None]] = {}

    @property
    def port(self) -> int | None:
        """The port (the one chosen by the system for 0); ``None`` without one."""
        return self._port

    @property
    def running(self) -> bool:
        """Whether the server listens."""
        return self._server is not None

    async def start(self) -> bool:
        """Listen (with a port; again on the same one); whether it started listening now."""
        if self._port is None or self._server is not None:
            return False
        self._server = await asyncio.start_server(self._handle, self.host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]
        return True

    async def stop(self) -> bool:
        """Drop every client and stop listening; whether it was listening."""
        server, self._server = self._server, None
        if server is None:
            return False
        server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()
        return True

    async def close_sessions(self) -> None:
        """Close every client's connection and wait until they are gone.

        Raises:
            TimeoutError: still connected after ``CLOSE_TIMEOUT`` seconds.

        """
        served = list(self._served.values())
        for session in self.sessions:
            session.writer.close()
        if served:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await asyncio.wait(served)

    # -- what a front-end provides ---------------------------------------------------

    def _open(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str) -> S:
        """The session of a new client."""
        raise NotImplementedError

    async def _received(self, session: S, data: bytes) -> None:
        """Take bytes a client sent."""
        raise NotImplementedError

    async def _serve(self, session: S) -> None:
        """Serve a client until it leaves (:meth:`_read` by default)."""
        await self._read(session)

    # -- connections -----------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:  # pragma: no branch - always run as a task by asyncio
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        peer = "{}:{}".format(*writer.get_extra_info("peername")[:2])
        if len(self.sessions) >= self.capacity:
            self.refused_connections += 1
            _LOGGER.info("Refusing %s %s: %d connected", self._label, peer, len(self.sessions))
            await close_writer(writer)
            self._on_change()
            return
        with suppress(OSError):
            writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        session = self._open(reader, writer, peer)
        self.sessions.append(session)
        if task is not None:  # pragma: no branch
            self._served[session] = task
        self.connections += 1
        _LOGGER.info("%s %s connected", self._label.capitalize(), peer)
        self._on_change()
        try:
            await self._serve(session)
        finally:
            self.sessions.remove(session)
            self._served.pop(session, None)
            await close_writer(writer)
            _LOGGER.info("%s %s disconnected", self._label.capitalize(), peer)
            self._on_change()

    async def _read(self, session: S) -> None:
        """Hand what the client sends to :meth:`_received` until it leaves or falls silent."""
        while not session.writer.is_closing():
            try:
                async with asyncio.timeout(self.idle_timeout):
                    data = await session.reader.read(READ_SIZE)
            except TimeoutError:
                self.idle_disconnects += 1
                _LOGGER.info(
                    "Dropping %s %s: nothing received for %g s",
                    self._label,
                    session.peer,
                    self.idle_timeout,
                )
                return
            except OSError as err:
                _LOGGER.info("Connection to %s %s failed: %s", self._label, session.peer, err)
                return
            if not data:
                return
            await self._received(session, data)

    async def _write(self, session: S, chunks: Iterable[bytes]) -> None:
        """Write each chunk in a write call of its own (nothing once the connection closes)."""
        for chunk in chunks:
            if session.writer.is_closing():
                return
            session.writer.write(chunk)
            self.writes += 1
            try:
                await session.writer.drain()
            except OSError as err:  # pragma: no cover - only if a reset races this write
                _LOGGER.info("Writing to %s %s failed: %s", self._label, session.peer, err)
                session.writer.close()
                return


def shape(chunks: list[bytes], *, merge: bool, split: bool) -> list[bytes]:
    """The chunks as written: all in one when ``merge``, byte by byte when ``split``."""
    if merge and len(chunks) > 1:
        chunks = [b"".join(chunks)]
    if split:
        chunks = [chunk[i : i + 1] for chunk in chunks for i in range(len(chunk))]
    return chunks


def noise(size: int, without: bytes) -> bytes:
    """``size`` random bytes, none of them in ``without``."""
    kept = bytes(b for b in os.urandom(size * 2) if b not in without)[:size]
    return kept.ljust(size, b"?")


async def close_writer(writer: asyncio.StreamWriter) -> None:
    """Close a connection and wait until it is closed."""
    writer.close()
    with suppress(OSError):
        await writer.wait_closed()
