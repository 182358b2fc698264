"""One TCP connection to an interface of a vBox, kept up: what both clients share.

A :class:`Connection` opens the socket, reads it (:meth:`Connection._read_loop`: a message
left incomplete for ``incomplete_message_timeout`` is dropped and the reader resynchronises),
tells its listeners when it is up, lost or being restored (:attr:`Connection.state`), and
re-establishes a lost one: each attempt starts :func:`reconnect_delay` seconds after the
previous one started, until it works, the vBox rejects the login, or
:meth:`Connection.disconnect`. A session shorter than ``stability_period`` counts as a failed
attempt, so a box that drops every accepted login is retried on the growing delays, and the
session after a short one is announced ``CONNECTED`` only once it has stayed up that long
(its probation). What "established" means (a login, a session greeting) and what runs while
it is up (a heartbeat, a keep-alive) is the subclass's: :meth:`_establish`, :meth:`_tasks`
and :meth:`_fail_pending`. The bounds are in ``docs/connections.md``.
"""

from __future__ import annotations

import asyncio
import random
from contextlib import suppress
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from .errors import (
    AuthenticationError,
    ConnectionExistsError,
    NoConnectionError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from .config import SocketConfig
    from .log import Logger

READ_SIZE = 4096
RETURN_CONFIRMATION = 1.0
"""Seconds a session after a long-lived one (a normal return) must last before it is announced
``CONNECTED`` (at most ``stability_period``): a box that drops each accepted login does so
within milliseconds, and listeners see its first drop as the one loss, not as a flap."""
TIMER_SLACK = 0.001
"""Seconds: what is due within this is done now, not waited for. A shorter wait can end
before the clock reaches the due time (rounding, a coarse clock), and a loop that checks the
time again would spin."""
RECONNECT_JITTER = 0.2
"""Each reconnection delay is its base varied at random by up to this fraction either way."""

type ConnectionStateListener = Callable[[ConnectionState], None]
type Unsubscribe = Callable[[], None]


class MessageStream[M](Protocol):
    """A reader that turns bytes into messages (:class:`~.frames.FrameReader`, ...)."""

    held_since: float | None
    """When the first byte of the incomplete message held arrived (by the loop's clock)."""

    def feed(self, data: bytes) -> list[M]:
        """The messages ``data`` completes."""
        ...

    def expire(self) -> list[M]:
        """Drop the incomplete message held; the messages held behind it."""
        ...


class ConnectionState(StrEnum):
    """What connection-state listeners are told."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"


def reconnect_delay(failures: int, config: SocketConfig) -> float:
    """Seconds from the start of one reconnection attempt to the start of the next.

    ``failures``: the attempts that have failed since the connection was lost (0: the
    first attempt, timed from the loss). The base is ``reconnect_min_delay`` doubled after
    each failure, up to ``reconnect_max_delay``; the delay is the base times a random
    factor between 0.8 and 1.2 (:data:`RECONNECT_JITTER`), and never more than
    ``reconnect_max_delay``.
    """
    base = min(config.reconnect_min_delay * 2.0 ** min(failures, 64), config.reconnect_max_delay)
    jitter = random.uniform(1 - RECONNECT_JITTER, 1 + RECONNECT_JITTER)  # noqa: S311
    return min(base * jitter, config.reconnect_max_delay)


class Connection:
    """A connection to ``host:port`` that is re-established when lost."""

    def __init__(self, host: str, port: int, socket: SocketConfig, logger: Logger) -> None:
        """Prepare it; nothing is opened before :meth:`connect`."""
        self.host = host
        self.port = port
        self.socket_config = socket
        self._log = logger
        self._writer: asyncio.StreamWriter | None = None
        self._reconnect_task: asyncio.Task[None] | None = None
        self._connecting = False
        self._closing = False
        self._up = False
        """Established: logged in, or the session acknowledged."""
        self._established_at = 0.0
        self._failures = 0
        """Attempts failed, and sessions cut short, since the link was last stable."""
        self._probation: asyncio.TimerHandle | None = None
        self._lost_while_establishing: VitreaConnectionError | None = None
        self._state = ConnectionState.DISCONNECTED
        self._state_listeners: list[ConnectionStateListener] = []
        self.last_error: VitreaError | None = None
        """Why the connection was last lost or could not be re-established."""

    @property
    def _address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        """Connected and established (a session on probation too)."""
        return self._up and self._writer is not None

    @property
    def state(self) -> ConnectionState:
        """The state last announced to the listeners.

        ``RECONNECTING`` while a session after a short-lived one is on probation, though
        :attr:`connected`.
        """
        return self._state

    def on_connection_state(self, listener: ConnectionStateListener) -> Unsubscribe:
        """Call ``listener`` when the connection state changes; returns an unsubscribe."""
        return subscribe(self._state_listeners, listener)

    def _set_state(self, state: ConnectionState) -> None:
        """Announce ``state`` to the listeners, unless it is the one last announced."""
        if state is self._state:
            return
        self._state = state
        for listener in list(self._state_listeners):
            call(self._log, listener, state)

    # -- what a subclass adds ----------------------------------------------------------

    async def _establish(self) -> None:
        """Open the socket (:meth:`_open`) and establish the session, or raise."""
        raise NotImplementedError

    def _tasks(self) -> list[asyncio.Task[None] | None]:
        """The tasks that run while connected; the first is the reader."""
        raise NotImplementedError

    def _fail_pending(self, error: VitreaError) -> None:
        """Fail whatever waits for an answer with ``error``."""
        raise NotImplementedError

    # -- opening and closing -----------------------------------------------------------

    async def connect(self) -> None:
        """Open the connection and establish it; afterwards it is kept up.

        Raises:
            ConnectionExistsError: already connected, connecting or reconnecting.
            VitreaError: it could not be established (see the subclass).

        """
        if self._connecting or self._writer is not None or self._reconnect_task is not None:
            msg = f"a connection to {self._address} already exists"
            raise ConnectionExistsError(msg)
        self._closing = False
        self._connecting = True
        self._failures = 0
        try:
            await self._establish_or_close()
        finally:
            self._connecting = False
        self._log.debug("Connected to vBox at %s", self._address)
        self._set_state(ConnectionState.CONNECTED)

    async def _establish_or_close(self) -> None:
        self._lost_while_establishing = None
        try:
            await self._establish()
            if self._writer is None:  # lost after the last answer the session needed
                raise self._lost_while_establishing or NoConnectionError(  # noqa: TRY301
                    f"the connection to {self._address} was lost while it was established"
                )
        except BaseException:
            await self._close()
            raise
        self._up = True
        self._established_at = asyncio.get_running_loop().time()
        self.last_error = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Open the socket within ``request_timeout``; it becomes the connection's."""
        timeout = self.socket_config.request_timeout
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
        except TimeoutError as err:
            msg = f"connecting to {self._address} timed out after {timeout} s"
            raise VitreaTimeoutError(msg) from err
        except OSError as err:
            msg = f"cannot connect to {self._address}: {err.strerror or err}"
            raise VitreaConnectionError(msg) from err
        except ValueError as err:
            # A host name that cannot be encoded (e.g. an empty label, a label longer than
            # 63 characters, a NUL) fails before any lookup, with UnicodeError or ValueError.
            msg = f"cannot connect to {self._address}: invalid host name ({err})"
            raise VitreaConnectionError(msg) from err
        self._writer = writer
        return reader, writer

    async def disconnect(self) -> None:
        """Close the connection and stop reconnecting; pending requests fail."""
        was_up = self._writer is not None or self._reconnect_task is not None
        self._closing = True
        await self._close()
        if was_up:
            self._log.debug("Disconnected from vBox at %s", self._address)
        self._set_state(ConnectionState.DISCONNECTED)

    async def _close(self) -> None:
        """Tear the connection down and wait until every task of it has ended."""
        writer = self._drop_connection(NoConnectionError("the connection was closed"))
        current = asyncio.current_task()
        tasks = [
            task
            for task in (*self._tasks(), self._reconnect_task)
            if task is not None and task is not current
        ]
        if self._reconnect_task is not current:
            self._reconnect_task = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if writer is not None:
            with suppress(OSError):
                await writer.wait_closed()

    def _drop_connection(self, error: VitreaError) -> asyncio.StreamWriter | None:
        """Close the socket at once and fail what is pending with ``error``.

        The tasks stop too, but the reader, which ends by itself.
        """
        writer, self._writer = self._writer, None
        self._up = False
        if self._probation is not None:
            self._probation.cancel()
            self._probation = None
        if writer is not None:
            writer.close()
        self._fail_pending(error)
        current = asyncio.current_task()
        for task in self._tasks()[1:]:
            if task is not None and task is not current:
                task.cancel()
        return writer

    def _connection_lost(self, error: VitreaConnectionError) -> None:
        if self._closing or self._writer is None:
            return
        was_up = self._up
        self._drop_connection(error)
        if not was_up:
            self._lost_while_establishing = error  # the establishment in progress fails
            return
        self.last_error = error
        lasted = asyncio.get_running_loop().time() - self._established_at
        if lasted >= self.socket_config.stability_period:
            self._failures = 0
        else:
            self._failures += 1  # a session cut short is a failed attempt
        self._log.debug(
            "Connection to vBox at %s lost after %.1f s: %s", self._address, lasted, error
        )
        reconnect = self.socket_config.reconnect
        if self._state is ConnectionState.CONNECTED or not reconnect:
            self._set_state(ConnectionState.DISCONNECTED)
        if reconnect:
            self._reconnect_task = self._spawn(self._reconnect_loop(), "reconnect")

    async def _reconnect_loop(self) -> None:
        """Try to connect again until it works, the login is rejected or ``disconnect()``.

        Each attempt starts :func:`reconnect_delay` seconds after the previous one started
        (the first after the loss), so a slow failure (a connect timeout) does not lengthen
        the cycle; an attempt that took longer than that is followed at once. The delays
        go on from the failures so far: they start over only after a stable session. A
        session after a short-lived one is on probation: announced ``CONNECTED`` only once
        it has lasted ``stability_period``.
        """
        config = self.socket_config
        loop = asyncio.get_running_loop()
        probation = self._failures > 0
        started = loop.time()
        self._set_state(ConnectionState.RECONNECTING)
        while True:
            wait = started + reconnect_delay(self._failures, config) - loop.time()
            await asyncio.sleep(max(wait, 0.0))
            started = loop.time()
            try:
                await self._establish_or_close()
            except AuthenticationError as err:
                self.last_error = err
                self._reconnect_task = None
                self._log.debug(
                    "vBox at %s rejected the credentials; not reconnecting", self._address
                )
                self._set_state(ConnectionState.DISCONNECTED)
                return
            except VitreaError as err:
                self.last_error = err
                self._failures += 1
                self._log.debug(
                    "Reconnecting to %s failed (%d failures): %s",
                    self._address,
                    self._failures,
                    err,
                )
            else:
                self._reconnect_task = None
                wait = config.stability_period
                if not probation:
                    wait = min(wait, RETURN_CONFIRMATION)
                if wait > 0:
                    self._log.debug(
                        "Reconnected to vBox at %s; announced once up for %g s",
                        self._address,
                        wait,
                    )
                    self._probation = loop.call_later(wait, self._end_probation)
                else:
                    self._log.debug("Reconnected to vBox at %s", self._address)
                    self._set_state(ConnectionState.CONNECTED)
                return

    def _end_probation(self) -> None:
        """The session on probation has lasted (a loss cancels the timer): announce it."""
        self._probation = None
        self._log.debug("Connection to vBox at %s is stable", self._address)
        self._set_state(ConnectionState.CONNECTED)

    # -- reading -----------------------------------------------------------------------

    async def _read_loop[M](
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        stream: MessageStream[M],
        dispatch: Callable[[M], None],
    ) -> None:
        """Give each message ``stream`` makes of the socket's bytes to ``dispatch``.

        A message held incomplete for ``incomplete_message_timeout`` (``stream`` times it
        with the loop's clock) is expired. At the end of the stream the connection is lost.
        """
        loop = asyncio.get_running_loop()
        bound = self.socket_config.incomplete_message_timeout
        try:
            while True:
                held = stream.held_since
                deadline = None if held is None else held + bound
                if deadline is not None and loop.time() + TIMER_SLACK >= deadline:
                    messages = stream.expire()
                else:
                    timer = asyncio.timeout_at(deadline)
                    try:
                        async with timer:
                            data = await reader.read(READ_SIZE)
                    except TimeoutError:
                        if not timer.expired():
                            raise
                        continue
                    if not data:
                        error = VitreaConnectionError("the vBox closed the connection")
                        break
                    messages = stream.feed(data)
                for message in messages:
                    dispatch(message)
        except OSError as err:
            error = VitreaConnectionError(f"socket error: {err.strerror or err}")
        if self._writer is writer:
            self._connection_lost(error)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        return asyncio.get_running_loop().create_task(coro, name=f"vitrea {self._address} {name}")


def subscribe[T](listeners: list[T], listener: T) -> Unsubscribe:
    """Add ``listener`` to ``listeners``; the function that takes it out again."""
    listeners.append(listener)

    def unsubscribe() -> None:
        with suppress(ValueError):
            listeners.remove(listener)

    return unsubscribe


def fail(future: asyncio.Future[Any], error: BaseException) -> None:
    """Fail what waits on ``future`` with ``error``, if anything still does.

    The exchange that made the future may have ended already (a write that failed raised
    the same error), so the error counts as retrieved: asyncio does not log it as lost.
    """
    future.set_exception(error)
    future.exception()


def call[A](log: Logger, listener: Callable[[A], None], argument: A) -> None:
    """Call a listener; its failure is logged and never reaches the reader loop."""
    try:
        listener(argument)
    except Exception as err:  # noqa: BLE001 - a listener must not break the connection
        log.error("Listener %r failed on %s: %r", listener, argument, err)  # noqa: TRY400
