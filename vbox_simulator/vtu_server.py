"""The VTU port of the simulated box (11501 on a real one): one client at a time.

It answers every request with the same message ID (:class:`~vbox_simulator.box.Box`), has
switching done by the :class:`~vbox_simulator.engine.Engine`, pushes the engine's changes to
a logged-in client that asked for them, and misbehaves while told to
(:class:`~vbox_simulator.faults.Faults`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import encode
from .box import Box, ClientState, command_name, decode_credentials
from .engine import AcChanged, Change, Engine, KeyChanged, KeyPressed
from .faults import REJECTIONS, Faults, parse_fault
from .serving import DEFAULT_GARBAGE_BYTES, Session, TcpServer, noise, shape
from .wire import CommandID, DataGramDirection, Frame, FrameReader, KeyPowerStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from .house import House, Key
    from .wire import ProtocolVersion

_LOGGER = logging.getLogger("vbox_simulator")

PRESS_POWER = {
    "short": KeyPowerStatus.SHORT,
    "long": KeyPowerStatus.LONG,
    "release": KeyPowerStatus.RELEASED,
}
"""The power byte a press of each kind pushes."""


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
class VtuSession(Session):
    """The connected client."""

    client: ClientState = field(default_factory=ClientState)
    frames: FrameReader = field(default_factory=FrameReader)
    last_message_id: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def takes_pushes(self) -> bool:
        """The client is logged in and asked for unsolicited pushes."""
        return self.client.logged_in and self.client.unsolicited


class EngineBox(Box):
    """A :class:`Box` answering about the engine's house (setting ``house`` replaces it)."""

    def __init__(
        self, engine: Engine, *, username: str, password: str, version: ProtocolVersion | str
    ) -> None:
        """A box of the engine's house with these credentials."""
        self._engine = engine
        super().__init__(engine.house, username=username, password=password, version=version)

    @property
    def house(self) -> House:
        """The house, the engine's."""
        return self._engine.house

    @house.setter
    def house(self, house: House) -> None:
        self._engine.house = house


class VtuServer(TcpServer[VtuSession]):
    """The VTU protocol over one port, on an engine's house."""

    def __init__(  # noqa: PLR0913 - the options of the port
        self,
        engine: Engine,
        box: Box,
        *,
        host: str,
        port: int,
        idle_timeout: float,
        service_time: float,
        on_change: Callable[[], None],
    ) -> None:
        """Prepare the port; nothing listens before :meth:`start`."""
        super().__init__(
            host=host,
            port=port,
            capacity=1,
            idle_timeout=idle_timeout,
            on_change=on_change,
            label="client",
        )
        self.engine = engine
        self.box = box
        self.service_time = service_time
        """Seconds the box takes before each reply (settable at runtime)."""
        self.faults = Faults()
        self.requests: list[ReceivedRequest] = []
        """Every request received, in order."""
        self.pushes = 0
        """Unsolicited frames sent."""
        self._push_id = 0

    @property
    def port(self) -> int:
        """The port listened on (the one chosen by the system when asked for port 0)."""
        return self._port or 0

    @property
    def session(self) -> VtuSession | None:
        """The connected client, if any."""
        return self.sessions[0] if self.sessions else None

    def _open(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str
    ) -> VtuSession:
        return VtuSession(reader, writer, peer)

    # -- requests --------------------------------------------------------------------

    async def _received(self, session: VtuSession, data: bytes) -> None:
        for frame in session.frames.feed(data):
            if frame.direction == DataGramDirection.OUTGOING:
                await self._receive(session, frame)

    def _record(self, session: VtuSession, frame: Frame) -> None:
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
        self._on_change()

    async def _receive(self, session: VtuSession, frame: Frame) -> None:
        self._record(session, frame)
        if self.faults.silent:
            return
        replies = await self._reply(session, frame)
        delay = self.service_time + self.faults.delay
        if delay > 0:
            await asyncio.sleep(delay)
        if not self.faults.silent:
            await self.write_frames(session, replies)
        if self.faults.drop and session.client.logged_in and frame.command == CommandID.LOGIN:
            session.writer.close()  # the login acknowledged, then the connection closed

    async def _reply(self, session: VtuSession, frame: Frame) -> list[Frame]:
        """The frames that answer ``frame``: its reply, then the push it causes, if any."""
        if frame.command != CommandID.HEARTBEAT:
            rejection = self.faults.take_rejection()
            if rejection is not None:
                return [encode.acknowledgement(frame.message_id, rejection)]
        answer = self.box.answer(session.client, frame)
        if frame.command == CommandID.LOGIN:
            outcome = "logged in" if session.client.logged_in else "Login rejected"
            _LOGGER.info("Client %s: %s", session.peer, outcome)
        self._on_change()
        switch = answer.switch
        if switch is None:
            return [answer.reply]
        announced = await self.engine.switch_key(
            switch.node_id,
            switch.key,
            on=switch.on,
            level=switch.level,
            timer=switch.timer,
            origin=session,
        )
        if not announced or not session.takes_pushes:  # a travelling blind: pushed as it goes
            return [answer.reply]
        return [answer.reply, self._status_push(switch.node_id, switch.key)]

    # -- writing and pushing ---------------------------------------------------------

    async def write_frames(self, session: VtuSession, frames: list[Frame]) -> None:
        """Send frames: one write each, one in all when merged, one per byte when split."""
        chunks = [self._encode(frame) for frame in frames]
        await self.send_raw(
            session, shape(chunks, merge=self.faults.merge, split=self.faults.split)
        )

    def _encode(self, frame: Frame) -> bytes:
        """The frame's bytes; with a wrong checksum while the ``corrupt`` fault lasts."""
        data = frame.to_bytes()
        if not self.faults.take_corruption():
            return data
        _LOGGER.debug("Corrupting the checksum of a 0x%02x frame", frame.command)
        return data[:-1] + bytes(((data[-1] + 1) & 0xFF,))

    async def send_raw(self, session: VtuSession, chunks: list[bytes]) -> None:
        """Write each chunk as it is, in a write of its own (nothing after the frames queued)."""
        async with session.lock:
            await self._write(session, chunks)

    def _next_push_id(self) -> int:
        self._push_id = self._push_id % 0xFF + 1
        return self._push_id

    def _status_push(self, node_id: int, key: Key) -> Frame:
        self.pushes += 1
        return encode.key_status(self._next_push_id(), node_id, key)

    async def changed(self, change: Change) -> None:
        """Push a change of the box to the client, if it takes pushes."""
        match change:
            case KeyChanged(node_id, key, origin):
                if origin is not self.session:  # else it goes with the reply to its request
                    await self._push(lambda: [self._status_push(node_id, key)])
            case KeyPressed(node_id, key, kind, toggled):

                def frames() -> list[Frame]:
                    self.pushes += 1
                    power = PRESS_POWER[kind]
                    event = encode.key_event(self._next_push_id(), node_id, key.id, power)
                    return [event, self._status_push(node_id, key)] if toggled else [event]

                await self._push(frames)
            case AcChanged():
                pass  # VTU knows no ACs

    async def _push(self, make: Callable[[], list[Frame]]) -> None:
        """Send the frames ``make()`` builds if the client takes pushes."""
        session = self.session
        if session is None or not session.takes_pushes or self.faults.silent:
            return
        await self.write_frames(session, make())

    # -- faults ----------------------------------------------------------------------

    async def inject(self, name: str, argument: str | None = None) -> None:
        """Apply a fault by name (see :data:`vbox_simulator.faults.NAMES`).

        Raises:
            FaultError: unknown fault or invalid argument.
            NoClientError: ``close``, ``garbage`` or ``stray`` with no client connected.

        """
        fault = parse_fault(name, argument)
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

    def require_session(self) -> VtuSession:
        """The connected client.

        Raises:
            NoClientError: none is connected.

        """
        if self.session is None:
            msg = "no client is connected"
            raise NoClientError(msg)
        return self.session

    async def close_client(self) -> None:
        """Close the client connection now and wait until it is gone."""
        self.require_session()
        await self.close_sessions()

    async def send_garbage(self, size: int = DEFAULT_GARBAGE_BYTES) -> None:
        """Send ``size`` random bytes that contain no frame prefix."""
        session = self.require_session()
        await self.send_raw(session, [noise(size, b"V")])

    async def send_stray(self) -> None:
        """Send an acknowledgement whose message ID no request carries."""
        session = self.require_session()
        stray_id = (session.last_message_id + 0x7F) % 0xFF + 1
        await self.write_frames(session, [encode.acknowledgement(stray_id)])
