"""The asyncio client of a vBox: one TCP connection, one request in flight.

Data flows one way: socket -> :class:`FrameReader` -> typed responses -> the request that
waits for one, and every key status to the key-status listeners. Requests go the other
way through one lock, so exactly one is in flight and consecutive exchanges are paced.
Bad input (garbage, bad checksums, malformed or incomplete frames) is dropped, counted in
:attr:`VitreaClient.malformed` and logged at most once a minute (:mod:`.reports`).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any, cast

from . import requests, responses
from .config import ConnectionConfig, SocketConfig
from .connection import TIMER_SLACK, Connection, Unsubscribe, call, fail, subscribe
from .enums import AckType, CommandID, DataGramDirection, ProtocolVersion
from .errors import (
    AuthenticationError,
    CommandRejectedError,
    NoConnectionError,
    ProtocolError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)
from .frames import Frame, FrameReader
from .log import LOGGER, Logger
from .reports import BadInputReport
from .responses import Response

LAYOUT_PROBES = 3
"""Nodes whose first key is asked for, at most, to tell the V1 and V2 layouts apart."""
type KeyStatusListener = Callable[[responses.KeyStatus], None]


LAYOUT_REQUESTS = (requests.NodeMetaData, requests.KeyParameters)
"""The requests whose answers come in the V1 or V2 layout (docs/vtu-protocol.md §7)."""


class VitreaClient(Connection):
    """A client of one vBox.

    ``connect()`` opens the connection, enables pushes and logs in; afterwards ``send()``
    exchanges requests, pushed key statuses reach ``on_key_status`` listeners, a heartbeat
    keeps the link checked (a heartbeat after ``heartbeat_interval`` without a request,
    answered within ``request_timeout`` or the link is lost), and a lost link is
    re-established with backoff: an attempt every ``reconnect_max_delay`` seconds at most
    (:func:`reconnect_delay`), however long the vBox is away.
    """

    def __init__(
        self,
        connection: ConnectionConfig,
        socket: SocketConfig | None = None,
        *,
        logger: Logger | None = None,
    ) -> None:
        """Prepare a client; nothing is opened before :meth:`connect`."""
        super().__init__(
            connection.host, connection.port, socket or SocketConfig(), logger or LOGGER
        )
        self.connection_config = connection
        self._reader_task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._pending: tuple[requests.Request[Response], asyncio.Future[Response]] | None = None
        self._version = connection.version
        self._version_assumed = False
        self._message_id = 0
        self._last_exchange_end = float("-inf")
        self._last_write = 0.0
        self._probe = asyncio.Event()
        self._key_status_listeners: list[KeyStatusListener] = []
        self._bad_input = BadInputReport(
            self._log, "Malformed frame", f"vBox at {self._address}", binary=True
        )

    @property
    def malformed(self) -> int:
        """Pieces of bad input from the vBox so far, for diagnostics.

        Malformed frames, frames with a bad checksum, incomplete frames, runs of garbage.
        """
        return self._bad_input.count

    @property
    def protocol_version(self) -> ProtocolVersion | None:
        """The NodeMetaData and KeyParameters layout in use; ``None`` until detected.

        As configured, or else as the first :meth:`connect` detected it.
        """
        return self._version

    def assume_version(self, version: ProtocolVersion | str | None) -> None:
        """Take ``version`` as the layout, as an earlier run detected it, without a probe.

        Only while no version is configured or known; :meth:`verify_version` checks it.
        """
        if self._version is None and version is not None:
            self._version = ProtocolVersion(version)
            self._version_assumed = True

    async def verify_version(self) -> ProtocolVersion:
        """Detect the layout now if it was only assumed; the layout in use.

        Raises:
            VitreaError: the vBox cannot be asked.

        """
        if self._version is None or self._version_assumed:
            assumed, self._version = self._version, None  # replies stay undecoded meanwhile
            try:
                self._version = await self._detect_version(self.send)
            except BaseException:
                self._version = assumed
                raise
            self._version_assumed = False
        return self._version

    # -- listeners -------------------------------------------------------------------

    def on_key_status(self, listener: KeyStatusListener) -> Unsubscribe:
        """Call ``listener`` with every key status, pushed or answered; returns an unsubscribe."""
        return subscribe(self._key_status_listeners, listener)

    # -- connecting ------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the connection, enable pushes and log in.

        Returns only when the Login is acknowledged.

        Raises:
            ConnectionExistsError: already connected, connecting or reconnecting.
            VitreaConnectionError: the vBox cannot be reached.
            VitreaTimeoutError: the vBox did not answer the handshake.
            AuthenticationError: the vBox rejected the credentials (a NACK to Login).
            CommandRejectedError: the vBox answered the handshake with ERROR or IN_USE.

        """
        await super().connect()

    async def _establish(self) -> None:
        reader, writer = await self._open()
        self._message_id = 0
        self._last_write = asyncio.get_running_loop().time()
        self._probe.clear()
        frames = FrameReader(self._bad_input, clock=asyncio.get_running_loop().time)
        self._reader_task = self._spawn(
            self._read_loop(reader, writer, frames, self._dispatch), "reader"
        )
        await self._exchange(requests.ToggleHeartbeat(enable=True, unsolicited=True))
        await self._exchange(
            requests.Login(
                username=self.connection_config.username,
                password=self.connection_config.password,
            )
        )
        self._heartbeat_task = self._spawn(self._heartbeat_loop(), "heartbeat")

    def _tasks(self) -> list[asyncio.Task[None] | None]:
        return [self._reader_task, self._heartbeat_task]

    def _fail_pending(self, error: VitreaError) -> None:
        if self._pending is not None and not self._pending[1].done():
            fail(self._pending[1], error)

    async def _detect_version(self, ask: Callable[[Any], Awaitable[Any]]) -> ProtocolVersion:
        """Tell the V1 and V2 layouts apart by the first key of the first nodes.

        A KeyParameters reply fits one layout only, in all but rare cases
        (:func:`responses.key_parameters_layouts`); a node that does not answer, or an
        ambiguous reply, passes the question to the next node. Without an answer the
        client falls back to V2, the newer layout, and says so (silently for a vBox without
        nodes, which has nothing to read in either layout).
        """
        node_ids = (await ask(requests.NodeCount())).node_ids
        if not node_ids:
            self._log.debug("vBox at %s has no nodes: nothing to tell the layout by", self._address)
            return ProtocolVersion.V2
        for node_id in sorted(node_ids)[:LAYOUT_PROBES]:
            try:
                reply = await ask(requests.UndecodedKeyParameters(node_id=node_id, key_id=0))
            except (CommandRejectedError, VitreaTimeoutError) as err:
                self._log.debug("Node %d tells no layout: %s", node_id, err)
                continue
            layouts = responses.key_parameters_layouts(reply.payload)
            if len(layouts) == 1:
                self._log.debug("vBox at %s speaks protocol %s", self._address, layouts[0])
                return layouts[0]
        self._log.warning(
            "Cannot tell the protocol version of the vBox at %s; using %s (set the version "
            "to override)",
            self._address,
            ProtocolVersion.V2,
        )
        return ProtocolVersion.V2

    # -- receiving -------------------------------------------------------------------

    def _dispatch(self, frame: Frame) -> None:
        if frame.direction != DataGramDirection.INCOMING:
            return
        pending = self._pending
        try:
            response = responses.from_frame(frame, self._version)
        except ProtocolError as err:
            self._bad_input(str(err), frame.to_bytes())
            if pending is not None and _same_exchange(pending[0], frame) and not pending[1].done():
                pending[1].set_exception(err)
            return
        self._log.debug("Received %s", response)
        if pending is not None and not pending[1].done() and _answers(pending[0], response):
            pending[1].set_result(response)
        if isinstance(response, responses.KeyStatus):
            for listener in list(self._key_status_listeners):
                call(self._log, listener, response)

    # -- sending ---------------------------------------------------------------------

    async def send[R: Response](self, request: requests.Request[R]) -> R:
        """Send ``request`` and return its typed answer.

        Raises:
            NoConnectionError: not connected (at once, nothing is queued).
            VitreaTimeoutError: no answer after every retry.
            CommandRejectedError: the vBox answered NACK, ERROR, IN_USE or NOT_AVAILABLE.
            VitreaConnectionError: the connection was lost during the exchange.
            ProtocolError: the answer was malformed.

        """
        if not self.connected:
            msg = f"not connected to the vBox at {self._address}"
            raise NoConnectionError(msg)
        if self._version is None and isinstance(request, LAYOUT_REQUESTS):
            await self.verify_version()  # the answer's layout, before the first that has one
        return await self._exchange(request)

    async def _exchange[R: Response](
        self, request: requests.Request[R], *, retries: int | None = None
    ) -> R:
        async with self._lock:
            if self._writer is None:
                msg = f"not connected to the vBox at {self._address}"
                raise NoConnectionError(msg)
            self._message_id = self._message_id % 0xFF + 1
            request = request.with_message_id(self._message_id)
            attempts = 1 + (self.socket_config.max_retries if retries is None else retries)
            loop = asyncio.get_running_loop()
            for attempt in range(1, attempts + 1):
                await self._pace(loop)
                try:
                    return await self._attempt(request)
                except VitreaTimeoutError:
                    if attempt == attempts:
                        self._probe.set()
                        raise
                    self._log.debug(
                        "%s not answered; attempt %d of %d", request.name, attempt + 1, attempts
                    )
                finally:
                    self._last_exchange_end = loop.time()
            raise AssertionError  # pragma: no cover - the loop returns or raises

    async def _pace(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wait out the gap after the previous exchange; no wait on an idle link."""
        config = self.socket_config
        gap = config.request_gap * (1 + config.request_gap_jitter * random.uniform(-1, 1))  # noqa: S311
        wait = self._last_exchange_end + gap - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)

    async def _attempt[R: Response](self, request: requests.Request[R]) -> R:
        writer = self._writer
        if writer is None:
            msg = f"not connected to the vBox at {self._address}"
            raise NoConnectionError(msg)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Response] = loop.create_future()
        self._pending = (cast("requests.Request[Response]", request), future)
        try:
            self._log.debug("Sending %s", request)
            writer.write(request.build())
            self._last_write = loop.time()
            try:
                await writer.drain()
            except OSError as err:
                error = VitreaConnectionError(f"socket error: {err.strerror or err}")
                self._connection_lost(error)
                raise error from err
            async with asyncio.timeout(self.socket_config.request_timeout):
                response = await future
        except TimeoutError as err:
            msg = f"{request.name} not answered within {self.socket_config.request_timeout} s"
            raise VitreaTimeoutError(msg) from err
        finally:
            self._pending = None
        if isinstance(response, responses.Acknowledgement) and not response.is_ok:
            # Only a NACK rejects the credentials; ERROR or IN_USE is a busy box, tried again.
            if isinstance(request, requests.Login) and response.type == AckType.NACK:
                msg = f"the vBox at {self._address} rejected the username or password"
                raise AuthenticationError(msg)
            raise CommandRejectedError(request.name, response.type)
        return cast("R", response)

    # -- heartbeat -------------------------------------------------------------------

    async def _heartbeat_loop(self) -> None:
        """Send a heartbeat after each idle interval; no answer means the link is dead.

        Idle: nothing written for ``heartbeat_interval``, or a request just failed all its
        attempts. The heartbeat gets one attempt of ``request_timeout``.
        """
        loop = asyncio.get_running_loop()
        interval = self.socket_config.heartbeat_interval
        while True:
            wait = interval - (loop.time() - self._last_write)
            if wait > TIMER_SLACK and not self._probe.is_set():
                with suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._probe.wait()
                continue
            self._probe.clear()
            try:
                await self._exchange(requests.Heartbeat(), retries=0)
            except VitreaTimeoutError:
                self._log.debug("vBox at %s did not answer the heartbeat", self._address)
                timeout = self.socket_config.request_timeout
                self._connection_lost(
                    VitreaConnectionError(
                        f"the vBox stopped answering (no heartbeat answer within {timeout:g} s)"
                    )
                )
                return
            except CommandRejectedError as err:
                self._log.debug("Heartbeat answered with %s; the link is alive", err.ack_type)
            except VitreaConnectionError:
                return  # lost meanwhile; the reader or the writer said so


def _answers(request: requests.Request[Response], response: Response) -> bool:
    """``response`` answers ``request``, or rejects it (a failed ack with its message ID)."""
    return request.is_answered_by(response) or (
        isinstance(response, responses.Acknowledgement)
        and not response.is_ok
        and response.message_id == request.message_id
    )


def _same_exchange(request: requests.Request[Response], frame: Frame) -> bool:
    """``frame`` is the reply to ``request``: its command, or an acknowledgement, and its ID.

    An acknowledgement (0x00) with the request's message ID answers any request (a
    rejection does), so a malformed one fails the request as a malformed reply does.
    """
    return frame.message_id == request.message_id and frame.command in (
        request.command,
        CommandID.ACKNOWLEDGEMENT,
    )
