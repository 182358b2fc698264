"""The simulated vBox: an asyncio TCP server that speaks VTU from the box's side.

It serves one client at a time, answers every request of the protocol with the same message
ID, pushes key statuses to a logged-in client that asked for them, and can be told to
misbehave (see :mod:`vbox_simulator.faults`). Changes "at the wall" are made in process with
:meth:`VBoxSimulator.set_key` and :meth:`VBoxSimulator.press`, or over the control interface.

Blinds travel as motors do: ``blind_travel`` seconds from closed to fully open (0: at once).
While a blind moves, its position is pushed at regular steps and once more on arrival; a new
command retargets it, and a command to the position it has reached (how VTU says stop)
halts it there and pushes that position. A dimmer told to go up or down (the host
interface's ``D:100``/``D:000``) moves the same way, ``dimmer_ramp`` seconds from off to full,
until it gets there or is stopped (``D:000:255``) or set.

A node whose keypad is locked ignores the wall: :meth:`VBoxSimulator.set_key` and
:meth:`VBoxSimulator.press` refuse with :class:`~vbox_simulator.house.KeypadLockedError`;
commands from the network still work.

With a ``host_port`` it also serves the host interface (:mod:`vbox_simulator.host_server`) on
the same house: one source of truth. Every change of a key, whoever makes it (a VTU or host
command, the wall, a timer, a travelling blind, a scenario), goes through one fan-out,
:meth:`VBoxSimulator._announce`: pushed to the VTU client (if it takes pushes) and as an
``S:N`` line to every host client. Stop, unplug and an outage close both ports.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from . import encode
from .box import Box, ClientState, command_name, decode_credentials
from .faults import REJECTIONS, Faults, HostFaults, parse_fault
from .host_server import HostServer
from .house import FULL, Ac, House, Key, KeypadLockedError
from .wire import (
    CommandID,
    DataGramDirection,
    Frame,
    FrameReader,
    KeyPowerStatus,
    KeyType,
    ProtocolVersion,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

_LOGGER = logging.getLogger("vbox_simulator")

READ_SIZE = 4096
WAIT_TIMEOUT = 30.0
"""Seconds the ``wait_...`` methods wait before they give up: no test waits forever."""
DEFAULT_GARBAGE_BYTES = 32
DEFAULT_BLIND_TRAVEL = 20.0
"""Seconds a blind takes from closed to fully open, or back: what real motors take."""
DEFAULT_DIMMER_RAMP = 5.0
"""Seconds a dimmer going up takes from off to full, or down back."""
BLIND_REPORT_INTERVAL = 1.0
"""The most seconds between two position reports of a travelling blind..."""
BLIND_REPORTS = 10
"""...and the fewest reports over a full travel: a short travel time reports more often."""
PRESS_KINDS = {
    "short": KeyPowerStatus.SHORT,
    "long": KeyPowerStatus.LONG,
    "release": KeyPowerStatus.RELEASED,
}
"""The power byte a press of each kind pushes."""
TOGGLED_BY_SHORT_PRESS = frozenset(
    {
        KeyType.TOGGLE,
        KeyType.DIMMER,
        KeyType.DIMMER_MW,
        KeyType.TOGGLE_SCENE,
        KeyType.DUAL_POLE,
        KeyType.BOILER,
    }
)
"""Keys that a short press at the wall switches over, as well as reporting the press."""


class NoClientError(RuntimeError):
    """A fault that acts on the client connection was asked for while none is connected."""


@dataclass(frozen=True)
class ReceivedRequest:
    """A request the simulator received. A Login keeps only the username, never the password."""

    command: int
    message_id: int
    payload: bytes
    username: str | None = None

    @property
    def name(self) -> str:
        """The command's name, e.g. ``NODE_META_DATA``, or its hex value."""
        return command_name(self.command)


@dataclass(eq=False)
class _Session:
    """The connected client."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    peer: str
    client: ClientState = field(default_factory=ClientState)
    last_message_id: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class VBoxSimulator:
    """A vBox on a loopback (or any) TCP port, serving one :class:`House`."""

    def __init__(  # noqa: PLR0913
        self,
        house: House,
        *,
        username: str,
        password: str,
        version: ProtocolVersion | str = ProtocolVersion.V2,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout: float = 30.0,
        service_time: float = 0.0,
        blind_travel: float = DEFAULT_BLIND_TRAVEL,
        dimmer_ramp: float = DEFAULT_DIMMER_RAMP,
        host_port: int | None = None,
        host_clients: int = 2,
        host_idle_timeout: float = 25.0,
        host_version: str = "966",
        host_echo: bool = True,
        minute: float = 60.0,
    ) -> None:
        """Prepare the box; nothing listens before :meth:`start`.

        ``host_port`` (``None``: none; 0: any free port) serves the host interface besides,
        to at most ``host_clients`` clients at once, each dropped after ``host_idle_timeout``
        seconds of silence; ``host_version`` is what ``G:V:S`` answers, ``host_echo`` whether
        commands are echoed. ``minute`` is the seconds of a host timer minute (``O:ddd``).
        ``dimmer_ramp`` is the seconds a dimmer going up takes from off to full (0: at once).

        Raises:
            ValueError: a negative ``blind_travel``, a ``minute`` not above 0, or a
                ``host_version`` that is not digits.

        """
        if not 0 < minute < math.inf:
            msg = f"minute must be a positive number of seconds, got {minute!r}"
            raise ValueError(msg)
        self.minute = minute
        """Seconds of one minute of a host-interface timer."""
        self.box = Box(house, username=username, password=password, version=version)
        self.blind_travel = blind_travel
        self.dimmer_ramp = dimmer_ramp
        """Seconds a dimmer going up (``D:100``) takes from off to full, or down back."""
        self.host = host
        self.idle_timeout = idle_timeout
        """A client that sends nothing for this long is dropped."""
        self.service_time = service_time
        """Seconds the box takes before each reply (settable at runtime)."""
        self.faults = Faults()
        self.requests: list[ReceivedRequest] = []
        """Every request received, in order."""
        self.connections = 0
        """Connections accepted as the client."""
        self.refused_connections = 0
        """Connections closed at once because another client was connected."""
        self.idle_disconnects = 0
        """Clients dropped for sending nothing for ``idle_timeout`` seconds."""
        self.pushes = 0
        """Unsolicited frames sent."""
        self.writes = 0
        """Write calls on client sockets (one per frame, per byte when split, one when merged)."""
        self._port = port
        self._server: asyncio.Server | None = None
        self._session: _Session | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: dict[tuple[int, int], asyncio.Task[None]] = {}
        self._timer_ends: dict[tuple[int, int], float] = {}
        """When each running timer switches its key off (event-loop time)."""
        self._motions: dict[tuple[int, int], asyncio.Task[None]] = {}
        self._changed = asyncio.Event()
        self._push_id = 0
        self.host_server = HostServer(
            self,
            host=host,
            port=host_port,
            clients=host_clients,
            idle_timeout=host_idle_timeout,
            version=host_version,
            echo=host_echo,
        )
        """The host interface (serving nothing when ``host_port`` is ``None``)."""

    # -- life cycle ------------------------------------------------------------------

    @property
    def house(self) -> House:
        """The house the box serves."""
        return self.box.house

    @property
    def version(self) -> ProtocolVersion:
        """The layout of NodeMetaData and KeyParameters (settable at runtime)."""
        return self.box.version

    @version.setter
    def version(self, version: ProtocolVersion | str) -> None:
        self.box.version = ProtocolVersion(version)

    @property
    def blind_travel(self) -> float:
        """Seconds a blind takes from closed to fully open, 0 for at once (settable at runtime).

        Raises:
            ValueError: set to a negative (or not a) number of seconds.

        """
        return self._blind_travel

    @blind_travel.setter
    def blind_travel(self, seconds: float) -> None:
        if not 0 <= seconds < math.inf:  # nor NaN
            msg = f"blind travel must be a number of seconds, 0 or more, got {seconds!r}"
            raise ValueError(msg)
        self._blind_travel = float(seconds)

    @property
    def logins(self) -> int:
        """Successful Logins."""
        return self.box.logins

    @property
    def failed_logins(self) -> int:
        """Logins rejected for their credentials."""
        return self.box.failed_logins

    @property
    def port(self) -> int:
        """The port listened on (the one chosen by the system when asked for port 0)."""
        return self._port

    @property
    def host_port(self) -> int | None:
        """The host interface's port (chosen by the system for 0); ``None`` without one."""
        return self.host_server.port

    @property
    def host_faults(self) -> HostFaults:
        """The lasting faults of the host interface."""
        return self.host_server.faults

    @property
    def running(self) -> bool:
        """Whether the box listens."""
        return self._server is not None

    async def start(self) -> None:
        """Listen; a box stopped before comes back on the same port."""
        if self._server is not None:
            return
        self._server = await asyncio.start_server(self._handle, self.host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]
        await self.host_server.start()
        _LOGGER.info(
            "vBox simulator listening on %s:%d (%s, %s)",
            self.host,
            self._port,
            self.version.value,
            self.house.describe(),
        )

    async def stop(self) -> None:
        """Close the client connection, cancel timers, halt travelling blinds, stop listening."""
        listening = self.running
        await self.unplug(quiet=True)
        await self._halt_blinds()
        timers = list(self._timers.values())
        for task in timers:
            task.cancel()
        await asyncio.gather(*timers, return_exceptions=True)
        self._timers.clear()
        self._timer_ends.clear()
        if listening:
            _LOGGER.info("vBox simulator on port %d stopped", self._port)

    async def unplug(self, *, quiet: bool = False, vtu_first: bool = False) -> None:
        """Drop the clients and stop listening, as if the box were cut off the network.

        The box goes on inside: its keys, their timers and changes at the wall. Connections
        (to both ports) are refused until :meth:`start` (on the same ports). The host
        interface's clients are dropped first, VTU's first if ``vtu_first``.
        """
        server, self._server = self._server, None
        if server is None:
            return
        if not vtu_first:
            await self.host_server.stop()
        server.close()
        tasks = list(self._tasks)  # the client's connection
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()
        await self.host_server.stop()
        if not quiet:
            _LOGGER.info("vBox simulator on port %d unplugged: not listening", self._port)

    async def __aenter__(self) -> Self:
        """Start the box."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the box."""
        await self.stop()

    def set_credentials(self, username: str, password: str) -> None:
        """Change the username and password, as a password change on the box does."""
        self.box.set_credentials(username, password)
        _LOGGER.info("Credentials changed")

    # -- observing -------------------------------------------------------------------

    @property
    def client_connected(self) -> bool:
        """A client is connected."""
        return self._session is not None

    @property
    def client_logged_in(self) -> bool:
        """The connected client has logged in."""
        return self._session is not None and self._session.client.logged_in

    @property
    def pushes_enabled(self) -> bool:
        """The connected client is logged in and asked for unsolicited pushes."""
        return self._session is not None and _takes_pushes(self._session)

    def notify_change(self) -> None:
        """Wake every :meth:`wait_until`: something changed (the host interface calls it too)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        """Return once ``predicate()`` is true; it is checked after every change of the box.

        Raises:
            TimeoutError: it was still false after ``WAIT_TIMEOUT`` seconds (wrap the call in
                ``asyncio.timeout`` for a shorter deadline).
        """
        try:
            async with asyncio.timeout(WAIT_TIMEOUT):
                while True:
                    changed = self._changed
                    if predicate():
                        return
                    await changed.wait()
        except TimeoutError:
            msg = f"the simulator did not reach the awaited state within {WAIT_TIMEOUT} s"
            raise TimeoutError(msg) from None

    async def wait_for_client(self) -> None:
        """Return once a client is connected."""
        await self.wait_until(lambda: self.client_connected)

    async def wait_for_login(self) -> None:
        """Return once the connected client has logged in."""
        await self.wait_until(lambda: self.client_logged_in)

    async def wait_until_disconnected(self) -> None:
        """Return once no client is connected."""
        await self.wait_until(lambda: not self.client_connected)

    async def wait_for_request(self, command: int, count: int = 1) -> ReceivedRequest:
        """Return the ``count``-th request with this command received since the start."""
        await self.wait_until(lambda: len(self.requests_of(command)) >= count)
        return self.requests_of(command)[count - 1]

    def requests_of(self, command: int) -> list[ReceivedRequest]:
        """The requests received with this command."""
        return [request for request in self.requests if request.command == command]

    def state(self, *, led: bool = False) -> list[dict[str, Any]]:
        """Every key: ``{node, key, type, name, on, level}``; a blind's also ``target``.

        A blind's level is its position; ``target`` is where it is travelling, ``None`` while
        it stands. With ``led``, each key also has ``led``, its LED set over the host interface.
        """
        return [
            _key_state(node.id, key) | ({"led": key.led} if led else {})
            for node in self.house.nodes
            for key in node.keys
        ]

    def ac_state(self) -> list[dict[str, Any]]:
        """Every AC: its JSON object with ``relay``."""
        return [_ac_state(ac) for ac in self.house.acs]

    # -- connections -----------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:  # pragma: no branch - always run as a task by asyncio
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        peer = "{}:{}".format(*writer.get_extra_info("peername")[:2])
        if self._session is not None:
            self.refused_connections += 1
            _LOGGER.info("Refusing a connection from %s: a client is already connected", peer)
            await _close(writer)
            self.notify_change()
            return
        with suppress(OSError):
            writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        session = _Session(reader, writer, peer)
        self._session = session
        self.connections += 1
        _LOGGER.info("Client %s connected", peer)
        self.notify_change()
        try:
            await self._serve(session)
        finally:
            self._session = None
            await _close(writer)
            _LOGGER.info("Client %s disconnected", peer)
            self.notify_change()

    async def _serve(self, session: _Session) -> None:
        frames = FrameReader()
        while not session.writer.is_closing():
            try:
                async with asyncio.timeout(self.idle_timeout):
                    data = await session.reader.read(READ_SIZE)
            except TimeoutError:
                self.idle_disconnects += 1
                _LOGGER.info(
                    "Dropping client %s: nothing received for %g s", session.peer, self.idle_timeout
                )
                return
            except OSError as err:
                _LOGGER.info("Connection to %s failed: %s", session.peer, err)
                return
            if not data:
                return
            for frame in frames.feed(data):
                if frame.direction == DataGramDirection.OUTGOING:
                    await self._receive(session, frame)

    def _record(self, session: _Session, frame: Frame) -> None:
        session.last_message_id = frame.message_id
        name = command_name(frame.command)
        if frame.command == CommandID.LOGIN:
            credentials = decode_credentials(frame.payload)
            username = credentials[0] if credentials is not None else None
            request = ReceivedRequest(frame.command, frame.message_id, b"", username)
            _LOGGER.debug(
                "Received %s #%02x: <%d credential bytes>",
                name,
                frame.message_id,
                len(frame.payload),
            )
        else:
            request = ReceivedRequest(frame.command, frame.message_id, frame.payload)
            _LOGGER.debug(
                "Received %s #%02x: %s", name, frame.message_id, frame.payload.hex(" ") or "-"
            )
        self.requests.append(request)
        self.notify_change()

    async def _receive(self, session: _Session, frame: Frame) -> None:
        self._record(session, frame)
        if self.faults.silent:
            return
        replies = self._reply(session, frame)
        delay = self.service_time + self.faults.delay
        if delay > 0:
            await asyncio.sleep(delay)
        if not self.faults.silent:
            await self._write(session, replies)
        if self.faults.drop and session.client.logged_in and frame.command == CommandID.LOGIN:
            session.writer.close()  # the login acknowledged, then the connection closed

    def _reply(self, session: _Session, frame: Frame) -> list[Frame]:
        """The frames that answer ``frame``: its reply, then the push it causes, if any."""
        if frame.command != CommandID.HEARTBEAT:
            rejection = self.faults.take_rejection()
            if rejection is not None:
                return [encode.acknowledgement(frame.message_id, rejection)]
        answer = self.box.answer(session.client, frame)
        if frame.command == CommandID.LOGIN:
            outcome = "logged in" if session.client.logged_in else "Login rejected"
            _LOGGER.info("Client %s: %s", session.peer, outcome)
        self.notify_change()
        switch = answer.switch
        if switch is None:
            return [answer.reply]
        self._cancel_timer(switch.node_id, switch.key.id)
        if switch.target is not None:
            if not self._send_blind(switch.node_id, switch.key, switch.target):
                return [answer.reply]  # it travels: its positions are pushed as it goes
        elif switch.key.on and switch.timer:
            self._start_timer(switch.node_id, switch.key.id, switch.timer)
        self.host_server.push_key(switch.node_id, switch.key)
        if not _takes_pushes(session):
            return [answer.reply]
        return [answer.reply, self._status_push(switch.node_id, switch.key)]

    # -- writing and pushing ---------------------------------------------------------

    async def _write(self, session: _Session, frames: list[Frame]) -> None:
        """Send frames: one write each, one in all when merged, one per byte when split."""
        chunks = [self._encode(frame) for frame in frames]
        if self.faults.merge and len(chunks) > 1:
            chunks = [b"".join(chunks)]
        if self.faults.split:
            chunks = [chunk[i : i + 1] for chunk in chunks for i in range(len(chunk))]
        await self._send(session, chunks)

    def _encode(self, frame: Frame) -> bytes:
        """The frame's bytes; with a wrong checksum while the ``corrupt`` fault lasts."""
        data = frame.to_bytes()
        if not self.faults.take_corruption():
            return data
        _LOGGER.debug("Corrupting the checksum of a 0x%02x frame", frame.command)
        return data[:-1] + bytes(((data[-1] + 1) & 0xFF,))

    async def _send(self, session: _Session, chunks: list[bytes]) -> None:
        async with session.lock:
            for chunk in chunks:
                if session.writer.is_closing():
                    return
                session.writer.write(chunk)
                self.writes += 1
                try:
                    await session.writer.drain()
                except OSError as err:  # pragma: no cover - only if a reset races this write
                    _LOGGER.info("Writing to %s failed: %s", session.peer, err)
                    session.writer.close()
                    return

    def _next_push_id(self) -> int:
        self._push_id = self._push_id % 0xFF + 1
        return self._push_id

    def _status_push(self, node_id: int, key: Key) -> Frame:
        self.pushes += 1
        return encode.key_status(self._next_push_id(), node_id, key)

    async def _announce(self, node_id: int, key: Key) -> None:
        """The fan-out of a key's change: to every host client, and to the VTU client."""
        self.host_server.push_key(node_id, key)
        await self._push(lambda: [self._status_push(node_id, key)])

    async def _push(self, make: Callable[[], list[Frame]]) -> bool:
        """Send the frames ``make()`` builds if the client takes pushes; whether it does."""
        session = self._session
        if session is None or not _takes_pushes(session) or self.faults.silent:
            return False
        await self._write(session, make())
        return True

    # -- changes at the wall ---------------------------------------------------------

    async def set_key(
        self,
        node_id: int,
        key_id: int,
        on: bool | None = None,  # noqa: FBT001 - set_key(node, key, True) reads well
        level: int | None = None,
    ) -> dict[str, Any]:
        """Change a key as someone at the wall does, and push its new state.

        ``level`` alone switches a dimmer or blind to that level (0 is off); ``on`` alone
        switches on (a dimmer at its last level, a blind fully open) or off. A blind travels
        there (see :meth:`_send_blind`), its positions pushed as it goes.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: the node's keypad is locked (nothing changes).
            ValueError: neither ``on`` nor ``level`` given, or a level outside 0-100.

        """
        key = self._wall_key(node_id, key_id)
        if on is None and level is None:
            msg = "set_key needs on or level"
            raise ValueError(msg)
        if level is not None and not 0 <= level <= FULL:
            msg = f"level must be between 0 and 100, got {level}"
            raise ValueError(msg)
        switch_on = bool(level) if on is None else on
        await self.switch_key(node_id, key, on=switch_on, level=level or 0)
        _LOGGER.info("Key %d/%d set at the wall: %s", node_id, key_id, _key_state(node_id, key))
        return _key_state(node_id, key)

    def _wall_key(self, node_id: int, key_id: int) -> Key:
        """A key someone at the wall uses.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: its node's keypad is locked.

        """
        key = self.house.key(node_id, key_id)
        if self.house.node(node_id).locked:
            _LOGGER.info("Key %d/%d at the wall ignored: the keypad is locked", node_id, key_id)
            msg = f"node {node_id} is locked: its keypad ignores the wall"
            raise KeypadLockedError(msg)
        return key

    async def switch_key(
        self, node_id: int, key: Key, *, on: bool, level: int = 0, timer: float = 0.0
    ) -> None:
        """Switch a key as the box does for any command, and announce its new state.

        A blind is sent to its position (:meth:`_send_blind`: it may travel); other keys
        switch at once, with a timer of ``timer`` seconds when switched on. Any running
        timer of the key ends. Used by :meth:`set_key`, the host interface and scenarios.
        """
        self._cancel_timer(node_id, key.id)
        if key.is_blind:
            if not self._send_blind(node_id, key, key.position_for(on=on, level=level)):
                return  # it travels: its positions are announced as it goes
        else:
            self._halt(node_id, key.id)
            key.command(on=on, level=level)
            if key.on and timer > 0:
                self._start_timer(node_id, key.id, timer)
            self.notify_change()
        await self._announce(node_id, key)

    async def stop_blind(self, node_id: int, key: Key) -> None:
        """Halt a blind where it is (if it travels) and announce its position."""
        self._send_blind(node_id, key, key.level)
        await self._announce(node_id, key)

    async def ramp_dimmer(self, node_id: int, key: Key, *, up: bool) -> None:
        """Send a dimmer up (to full) or down (to off) at ``dimmer_ramp`` speed.

        Its levels are announced as it goes (at once when ``dimmer_ramp`` is 0). Any timer of
        the key ends.
        """
        self._cancel_timer(node_id, key.id)
        target = FULL if up else 0
        if self.dimmer_ramp == 0 or target == key.level:
            self._halt(node_id, key.id)
            key.command(on=up, level=target)
            self.notify_change()
            await self._announce(node_id, key)
            return
        _LOGGER.info(
            "Dimmer %d/%d going %s from %d", node_id, key.id, "up" if up else "down", key.level
        )
        self._move(node_id, key, target)

    async def stop_dimmer(self, node_id: int, key: Key) -> None:
        """Halt a dimmer where it is (if it goes up or down) and announce its level."""
        if self._halt(node_id, key.id):
            _LOGGER.info("Dimmer %d/%d stopped at %d", node_id, key.id, key.level)
        await self._announce(node_id, key)

    async def press(self, node_id: int, key_id: int, kind: str) -> None:
        """Push a press of a key: ``short``, ``long`` or ``release``.

        A short press of a toggle, dimmer or boiler key also switches it over and pushes its
        new state, as the wall unit does.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: the node's keypad is locked (nothing is pushed).
            ValueError: unknown kind of press.

        """
        key = self._wall_key(node_id, key_id)
        power = PRESS_KINDS.get(kind)
        if power is None:
            msg = f"press kind must be short, long or release, got {kind!r}"
            raise ValueError(msg)
        toggles = power is KeyPowerStatus.SHORT and key.type in TOGGLED_BY_SHORT_PRESS
        if toggles:
            self._halt(node_id, key_id)
            key.command(on=not key.on)
            self._cancel_timer(node_id, key_id)
        _LOGGER.info("Key %d/%d pressed: %s", node_id, key_id, kind)
        self.host_server.push_press(node_id, key, kind)
        if toggles:
            self.host_server.push_key(node_id, key)

        def frames() -> list[Frame]:
            self.pushes += 1
            event = encode.key_event(self._next_push_id(), node_id, key_id, power)
            return [event, self._status_push(node_id, key)] if toggles else [event]

        await self._push(frames)

    # -- blinds ----------------------------------------------------------------------

    def _send_blind(self, node_id: int, key: Key, target: int) -> bool:
        """Send a blind to ``target``; whether its state is to be pushed now.

        It goes there at once when blinds take no time (pushed now). Sent to the position it
        has reached, a travelling blind halts there and one that stands stays (pushed now).
        Otherwise it starts travelling, or a travelling one heads for the new target: its
        positions are pushed as it goes.
        """
        if self.blind_travel == 0 or target == key.level:
            if self._halt(node_id, key.id):
                _LOGGER.info("Blind %d/%d halted at %d", node_id, key.id, key.level)
            key.command(on=target > 0, level=target)
            self.notify_change()
            return True
        _LOGGER.info("Blind %d/%d travelling from %d to %d", node_id, key.id, key.level, target)
        self._move(node_id, key, target)
        return False

    def _move(self, node_id: int, key: Key, target: int) -> None:
        """Head a blind or dimmer for ``target`` (starting its motion if it stands)."""
        key.target = target
        if (node_id, key.id) not in self._motions:
            self._motions[node_id, key.id] = self._spawn(
                self._travel(node_id, key), f"travel {node_id}/{key.id}"
            )
        self.notify_change()

    def _travel_time(self, key: Key | None) -> float:
        """Seconds a full travel of ``key`` takes: a dimmer's, else a blind's."""
        return self.dimmer_ramp if key is not None and key.is_dimmer else self.blind_travel

    def _report_interval(self, key: Key | None = None) -> float:
        return min(BLIND_REPORT_INTERVAL, self._travel_time(key) / BLIND_REPORTS)

    async def _travel(self, node_id: int, key: Key) -> None:
        """Move a blind (or dimmer) towards its target at its speed until it is there.

        Its position is pushed after every step and on arrival. The target may change on the
        way (a new command); the travel speed too.
        """
        loop = asyncio.get_running_loop()
        position, last = float(key.level), loop.time()
        target = key.target
        try:
            while target is not None:
                await asyncio.sleep(self._report_interval(key))
                target = key.target
                if target is None:  # put somewhere at once meanwhile (Key.command)
                    return
                if round(position) != key.level:  # moved by other means meanwhile
                    position = float(key.level)
                now = loop.time()
                travel = self._travel_time(key)
                step = FULL if travel == 0 else (now - last) * FULL / travel
                last = now
                if target > position:
                    position = min(position + step, target)
                else:
                    position = max(position - step, target)
                if round(position) == target:
                    position = target
                    key.target = None
                    _LOGGER.info("Key %d/%d arrived at %d", node_id, key.id, target)
                key.put(round(position))
                self.notify_change()
                await self._announce(node_id, key)
                target = key.target  # a new command may have come meanwhile
        finally:
            if self._motions.get((node_id, key.id)) is asyncio.current_task():
                del self._motions[node_id, key.id]

    def _halt(self, node_id: int, key_id: int) -> asyncio.Task[None] | None:
        """End a blind's (or dimmer's) travel where it is; its task, if it was travelling."""
        task = self._motions.pop((node_id, key_id), None)
        if task is not None:
            task.cancel()
            self.house.key(node_id, key_id).target = None
        return task

    async def _halt_blinds(self) -> None:
        """Halt every travelling blind and moving dimmer where it is: they stop with the box."""
        tasks = [task for address in list(self._motions) if (task := self._halt(*address))]
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- timers ----------------------------------------------------------------------

    def _start_timer(self, node_id: int, key_id: int, seconds: float) -> None:
        self._timer_ends[node_id, key_id] = asyncio.get_running_loop().time() + seconds
        self._timers[node_id, key_id] = self._spawn(
            self._auto_off(node_id, key_id, seconds), f"auto-off {node_id}/{key_id}"
        )

    def _cancel_timer(self, node_id: int, key_id: int) -> None:
        task = self._timers.pop((node_id, key_id), None)
        self._timer_ends.pop((node_id, key_id), None)
        if task is not None:
            task.cancel()

    def timer_minutes_left(self, node_id: int, key_id: int) -> int:
        """The minutes (of ``minute`` seconds, rounded up) until a key's timer ends; 0 without."""
        end = self._timer_ends.get((node_id, key_id))
        if end is None:
            return 0
        left = end - asyncio.get_running_loop().time()
        return max(1, math.ceil(left / self.minute - 1e-9))

    async def _auto_off(self, node_id: int, key_id: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        del self._timers[node_id, key_id]
        del self._timer_ends[node_id, key_id]
        key = self.house.key(node_id, key_id)
        key.command(on=False)
        _LOGGER.info("Key %d/%d switched off by its %g s timer", node_id, key_id, seconds)
        await self._announce(node_id, key)

    # -- ACs -------------------------------------------------------------------------

    async def set_ac(  # noqa: PLR0913 - every setting of the unit
        self,
        ac_id: int,
        *,
        on: bool | None = None,
        mode: str | None = None,
        fan: str | None = None,
        setpoint: int | None = None,
        measured: int | None = None,
    ) -> dict[str, Any]:
        """Change an AC at the unit itself (or its thermometer); its state is pushed and returned.

        Raises:
            KeyError: no such AC.
            HouseError: a value the unit does not take (nothing changes).

        """
        ac = self.house.ac(ac_id)
        ac.change(on=on, mode=mode, fan=fan, setpoint=setpoint, measured=measured)
        _LOGGER.info("AC %d set at the unit: %s", ac_id, _ac_state(ac))
        self.ac_changed(ac)
        return _ac_state(ac)

    def ac_changed(self, ac: Ac) -> None:
        """The fan-out of an AC's change: to every host client (VTU has no ACs)."""
        self.host_server.push_ac(ac)
        self.notify_change()

    @staticmethod
    def _spawn(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        return asyncio.get_running_loop().create_task(coro, name=f"vbox simulator {name}")

    # -- faults ----------------------------------------------------------------------

    async def inject(self, name: str, argument: str | float | None = None) -> None:
        """Apply a fault by name (see :data:`vbox_simulator.faults.NAMES`).

        Raises:
            FaultError: unknown fault or invalid argument.
            NoClientError: ``close``, ``garbage`` or ``stray`` with no client connected.

        """
        fault = parse_fault(name, None if argument is None else str(argument))
        _LOGGER.info("Fault: %s%s", fault.name, "" if argument is None else f" {argument}")
        match fault.name:
            case "close":
                await self.close_client()
            case "garbage":
                await self.send_garbage(int(fault.argument or DEFAULT_GARBAGE_BYTES))
            case "stray":
                await self.send_stray()
            case "silent" | "recover":
                self.faults.silent = fault.name == "silent"
            case "split":
                self.faults.split = True
            case "merge":
                self.faults.merge = True
            case "drop":
                self.faults.drop = True
            case "delay":
                self.faults.delay = float(fault.argument or 0.0)
            case "corrupt":
                self.faults.corrupt = True
                self.faults.corrupt_count = None if fault.argument is None else int(fault.argument)
            case "reset":
                self.faults = Faults()
            case _:
                self.faults.reject = REJECTIONS[fault.name]
                self.faults.reject_count = None if fault.argument is None else int(fault.argument)

    async def inject_host(self, name: str, *arguments: str | float) -> None:
        """Apply a fault of the host interface by name (see :data:`faults.HOST_NAMES`).

        Raises:
            FaultError: unknown fault or invalid arguments.

        """
        await self.host_server.inject(name, *(str(argument) for argument in arguments))

    def _require_session(self) -> _Session:
        if self._session is None:
            msg = "no client is connected"
            raise NoClientError(msg)
        return self._session

    async def close_client(self) -> None:
        """Close the client connection now and wait until it is gone."""
        self._require_session().writer.close()
        await self.wait_until_disconnected()

    async def send_garbage(self, size: int = DEFAULT_GARBAGE_BYTES) -> None:
        """Send ``size`` random bytes that contain no frame prefix."""
        session = self._require_session()
        garbage = bytes(b if b != ord("V") else 0 for b in os.urandom(size))
        await self._send(session, [garbage])

    async def send_stray(self) -> None:
        """Send an acknowledgement whose message ID no request carries."""
        session = self._require_session()
        stray_id = (session.last_message_id + 0x7F) % 0xFF + 1
        await self._write(session, [encode.acknowledgement(stray_id)])


def _takes_pushes(session: _Session) -> bool:
    return session.client.logged_in and session.client.unsolicited


def _key_state(node_id: int, key: Key) -> dict[str, Any]:
    state: dict[str, Any] = {
        "node": node_id,
        "key": key.id,
        "type": key.type.name.lower(),
        "name": key.name,
        "on": key.on,
        "level": key.level,
    }
    if key.is_blind:
        state["target"] = key.target
    return state


def _ac_state(ac: Ac) -> dict[str, Any]:
    return ac.to_dict() | {"relay": ac.relay}


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with suppress(OSError):
        await writer.wait_closed()
