"""The asyncio client of a vBox's host interface (TCP 11502): one connection, kept up.

Data flows one way: socket -> :class:`~.host.HostReader` -> typed messages -> the exchange
that waits for one, and every line to the message listeners. Echoes the box sends back are
dropped; malformed input is dropped, counted (:attr:`HostClient.malformed`) and logged at most
once a minute (:mod:`.reports`); it never ends the reader. A line or VTH frame still
incomplete ``incomplete_message_timeout`` after its first byte is dropped, and the reader
resynchronises on what followed (a stray VTH header holds no lines back).

The session, the keep-alive, the dead-link check and how exchanges are matched:
docs/host-interface.md §1 and §3.7, §4.6 (the session as a whole: §8).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from . import host
from .config import SocketConfig
from .connection import Connection, Unsubscribe, call, fail, subscribe
from .errors import (
    HostCommandError,
    NoConnectionError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)
from .host import commands
from .log import LOGGER, Logger
from .reports import BadInputReport

if TYPE_CHECKING:
    from collections.abc import Callable

HOST_PORT = 11502
"""The host interface's usual port (the vendor integration's default)."""
KEEPALIVE_INTERVAL = 15.0
"""Seconds from the answer to one keep-alive (``P:VITREA``) to the next keep-alive."""
KEEPALIVE_TIMEOUT = 10.0
"""Seconds within which a keep-alive must be answered (``S:PSW:OK``), or the link is dead:
a dead link is noticed within 25 s of the last answer, before the 30 s bound of
``docs/connections.md``; the box answers in milliseconds, the rest is slack for a busy box."""

type MessageListener = Callable[[host.LineMessage], None]


class HostClient(Connection):
    """A client of one vBox's host interface.

    ``connect()`` opens the connection; afterwards :meth:`command`, :meth:`read` and
    :meth:`version` talk to the box, every line it sends reaches the :meth:`on_message`
    listeners, a keep-alive that must be answered keeps the link checked, and a lost link
    is re-established as the VTU client's is.
    """

    def __init__(  # noqa: PLR0913
        self,
        host_name: str,
        port: int = HOST_PORT,
        socket: SocketConfig | None = None,
        *,
        logger: Logger | None = None,
        keepalive_interval: float = KEEPALIVE_INTERVAL,
        keepalive_timeout: float = KEEPALIVE_TIMEOUT,
    ) -> None:
        """Prepare a client; nothing is opened before :meth:`connect`."""
        super().__init__(host_name, port, socket or SocketConfig(), logger or LOGGER)
        self.keepalive_interval = keepalive_interval
        self.keepalive_timeout = keepalive_timeout
        self._reader_task: asyncio.Task[None] | None = None
        self._keepalive_task: asyncio.Task[None] | None = None
        self._line_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._line_wait: tuple[Callable[[host.LineMessage], object], asyncio.Future[Any]] | None = (
            None
        )
        self._frame_wait: (
            tuple[Callable[[host.DatabaseReply], object], asyncio.Future[Any]] | None
        ) = None
        self._keepalive_answered = asyncio.Event()
        self._message_listeners: list[MessageListener] = []
        self._bad_input = BadInputReport(
            self._log, "Malformed input", f"the host interface at {self._address}"
        )

    @property
    def malformed(self) -> int:
        """Messages from the box that could not be read, for diagnostics."""
        return self._bad_input.count

    @property
    def address(self) -> str:
        """``host:port``."""
        return self._address

    def on_message(self, listener: MessageListener) -> Unsubscribe:
        """Call ``listener`` with every line the box sends (echoes and bad input excepted)."""
        return subscribe(self._message_listeners, listener)

    # -- connecting ------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the connection and start the session.

        Raises:
            ConnectionExistsError: already connected, connecting or reconnecting.
            VitreaConnectionError: the vBox cannot be reached.
            VitreaTimeoutError: it did not acknowledge ``P:VITREA`` (not a host interface?).

        """
        await super().connect()

    async def _establish(self) -> None:
        reader, writer = await self._open()
        messages = host.HostReader(clock=asyncio.get_running_loop().time)
        self._reader_task = self._spawn(
            self._read_loop(reader, writer, messages, self._dispatch), "reader"
        )
        await self._exchange(commands.keep_alive())
        self._keepalive_task = self._spawn(self._keepalive_loop(writer), "keep-alive")

    def _tasks(self) -> list[asyncio.Task[None] | None]:
        return [self._reader_task, self._keepalive_task]

    def _fail_pending(self, error: VitreaError) -> None:
        for wait in (self._line_wait, self._frame_wait):
            if wait is not None and not wait[1].done():
                fail(wait[1], error)

    # -- receiving -------------------------------------------------------------------

    def _dispatch(self, message: host.HostMessage) -> None:
        if isinstance(message, host.Echo):
            return
        if isinstance(message, host.Malformed):
            self._bad_input(message.reason, message.data)
            return
        if isinstance(message, host.PasswordAck):
            self._keepalive_answered.set()
        if isinstance(message, _DATABASE_REPLIES):
            self._take_frame(message)
            return
        self._log.debug("Received %s", message)
        wait = self._line_wait
        if wait is not None and not wait[1].done():
            if isinstance(message, host.HostError):
                wait[1].set_exception(HostCommandError(message.code, message.text))
            elif (answer := wait[0](message)) is not None:
                wait[1].set_result(answer)
        for listener in list(self._message_listeners):
            call(self._log, listener, message)

    def _take_frame(self, reply: host.DatabaseReply) -> None:
        wait = self._frame_wait
        if wait is not None and not wait[1].done() and (answer := wait[0](reply)) is not None:
            wait[1].set_result(answer)
        else:
            self._log.debug("VTH reply nobody waits for dropped: %s", reply)

    # -- sending ---------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        if self._writer is None:
            msg = f"not connected to the host interface at {self.address}"
            raise NoConnectionError(msg)
        self._log.debug("Sending %r", data)
        self._writer.write(data)

    async def _drain(self) -> None:
        writer = self._writer
        if writer is None:
            return
        try:
            await writer.drain()
        except OSError as err:
            error = VitreaConnectionError(f"socket error: {err.strerror or err}")
            self._connection_lost(error)
            raise error from err

    def _require_connection(self) -> None:
        if not self.connected:
            msg = f"not connected to the host interface at {self.address}"
            raise NoConnectionError(msg)

    async def command[M](self, command: commands.Command[M]) -> M:
        """Send a command line; return the first line that answers it.

        Raises:
            NoConnectionError: not connected (at once, nothing is queued).
            HostCommandError: the box answered with an error line.
            VitreaTimeoutError: no answer within ``request_timeout``.
            VitreaConnectionError: the connection was lost meanwhile.

        """
        self._require_connection()
        return await self._exchange(command)

    async def _exchange[M](self, command: commands.Command[M]) -> M:
        line = command.line
        async with self._line_lock:
            future: asyncio.Future[M] = asyncio.get_running_loop().create_future()
            self._line_wait = (command.answer, future)
            timeout = self.socket_config.request_timeout
            try:
                self._write(line)
                await self._drain()
                async with asyncio.timeout(timeout):
                    return await future
            except TimeoutError as err:
                msg = f"{line.strip().decode()!r} not answered within {timeout:g} s"
                raise VitreaTimeoutError(msg) from err
            finally:
                self._line_wait = None

    async def send(self, line: bytes) -> None:
        """Send a line that gets no answer the client waits for.

        Raises:
            NoConnectionError: not connected.
            VitreaConnectionError: the connection was lost while sending.

        """
        self._require_connection()
        self._write(line)
        await self._drain()

    async def version(self) -> host.Version:
        """The firmware version (``G:V:S``)."""
        return await self.command(commands.version_query())

    async def read[R: host.DatabaseReply](self, request: commands.Read[R]) -> R:
        """Send one VTH request and return the first reply that answers it.

        Other replies (late ones to an earlier send, say) are dropped.

        Raises:
            NoConnectionError: not connected.
            VitreaTimeoutError: no reply after ``1 + max_retries`` sends.
            VitreaConnectionError: the connection was lost meanwhile.

        """
        self._require_connection()
        config = self.socket_config
        sends = 1 + config.max_retries
        async with self._read_lock:
            for attempt in range(1, sends + 1):
                future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
                self._frame_wait = (request.answer, future)
                try:
                    self._write(request.request)
                    await self._drain()
                    async with asyncio.timeout(config.request_timeout):
                        return await future
                except TimeoutError:
                    self._log.debug(
                        "VTH %02X not answered (send %d of %d)", request.request[4], attempt, sends
                    )
                finally:
                    self._frame_wait = None
        msg = f"VTH request {request.request[4]:02X} not answered after {sends} sends"
        raise VitreaTimeoutError(msg)

    # -- keep-alive ------------------------------------------------------------------

    async def _keepalive_loop(self, writer: asyncio.StreamWriter) -> None:
        """``P:VITREA`` every ``keepalive_interval`` seconds; unanswered, the link is lost."""
        while self._writer is writer:
            await asyncio.sleep(self.keepalive_interval)
            self._keepalive_answered.clear()
            try:
                self._write(host.keep_alive())
                await self._drain()
            except VitreaConnectionError:
                return  # lost meanwhile
            try:
                async with asyncio.timeout(self.keepalive_timeout):
                    await self._keepalive_answered.wait()
            except TimeoutError:
                if self._writer is writer:
                    self._log.debug("vBox at %s did not answer the keep-alive", self.address)
                    self._connection_lost(
                        VitreaConnectionError(
                            f"the vBox did not answer the keep-alive within "
                            f"{self.keepalive_timeout:g} s"
                        )
                    )
                return


_DATABASE_REPLIES = (
    host.FloorNumbers,
    host.FloorParams,
    host.RoomNumbers,
    host.RoomParams,
    host.KeypadNumbers,
    host.KeyParams,
    host.ACNumbers,
    host.ACParams,
    host.ScenarioNumbers,
    host.ScenarioParams,
    host.UnknownFrame,
)
