"""The vBox host interface (TCP, port 11502 on a real box) served from the simulator's house.

:class:`HostServer` serves the :class:`~vbox_simulator.engine.Engine`'s house (the one VTU
serves too) on a second port, and pushes the engine's changes to its clients. It speaks the
ASCII host lines and the binary ``VTH`` database (docs/host-interface.md) with the codec of
:mod:`vbox_simulator.host_wire`. What it does where the sources leave the box's behaviour open
(session, echoes, replies, status lines, presses, dimmers, scenarios, LEDs, database, faults):
docs/host-interface.md §9 and §7.3.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import host_wire as wire
from .engine import AcChanged, Change, Engine, KeyChanged, KeyPressed
from .faults import HostFaults, parse_host_fault
from .host_house import (
    BLIND,
    BOILER,
    DIMMER,
    PUSH_BUTTON,
    SATELLITE,
    SCENE,
    TOGGLE,
    WITH_STATE,
    ac_line,
    database_reply,
    host_key_type,
)
from .host_wire import REQUEST, BadCommand, Command, CommandReader, DbRequest, Received
from .house import (
    AC_FANS,
    AC_MODES,
    AC_UNITS,
    FANLESS_AC_TYPES,
    MAX_SCENARIO_ID,
    Ac,
    HouseError,
    Key,
    Node,
)
from .serving import DEFAULT_GARBAGE_BYTES, Session, TcpServer, noise, shape

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

_LOGGER = logging.getLogger("vbox_simulator")

MAX_KEY_NUMBER = 9
"""Host key numbers are one digit."""
ERRORS = {
    1: "wrong command",
    2: "wrong node number",
    3: "wrong key number",
    4: "wrong input",
    5: "wrong scenario",
    6: "node not found",
}
"""The error texts, by VH's numbering (docs/host-interface.md §3.7)."""
PRESS_LETTERS = {"short": "S", "long": "L", "release": "R"}
ECHOED = (b"H:",)
"""The lines echoed (besides ``VTH>`` frames): what the vendor's library drops as echoes."""
SATELLITE_AT_REST = "S"
"""A satellite's status line: what the vendor's library expects of a polled satellite."""
NEW_LED_MAJOR = 9


class _RejectedError(Exception):
    """A command the box answers ``E:<code>:...``."""

    def __init__(self, code: int) -> None:
        super().__init__(ERRORS[code])
        self.code = code


class _RawReader(CommandReader):
    """A :class:`CommandReader` that also gives the bytes each item was read from."""

    def __init__(self) -> None:
        super().__init__()
        self._cuts: list[bytes] = []

    def _cut(self, size: int) -> bytes:
        chunk = super()._cut(size)
        self._cuts.append(chunk)
        return chunk

    def read(self, data: bytes) -> list[tuple[Received, bytes]]:
        """The items ``data`` completes, each with its bytes."""
        items = self.feed(data)
        cuts, self._cuts = self._cuts, []
        return list(zip(items, cuts, strict=True))


@dataclass(eq=False)
class _HostSession(Session):
    """One connected host client; what is sent to it goes through its outbox, in order."""

    outbox: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    commands: _RawReader = field(default_factory=_RawReader)


class HostServer(TcpServer[_HostSession]):
    """The host interface of one simulator (listening only with a port)."""

    def __init__(  # noqa: PLR0913 - the options of the interface
        self,
        engine: Engine,
        *,
        on_change: Callable[[], None],
        host: str,
        port: int | None,
        clients: int,
        idle_timeout: float,
        version: str,
        echo: bool,
    ) -> None:
        """Prepare the interface; nothing listens before :meth:`start`.

        Raises:
            ValueError: a version that is not digits, or fewer than one client.

        """
        if not (version.isascii() and version.isdigit()):
            msg = f"the host version must be digits, e.g. 966, got {version!r}"
            raise ValueError(msg)
        if clients < 1:
            msg = f"the host interface needs room for one client at least, got {clients}"
            raise ValueError(msg)
        super().__init__(
            host=host,
            port=port,
            capacity=clients,
            idle_timeout=idle_timeout,
            on_change=on_change,
            label="host client",
        )
        self._engine = engine
        self.version = version
        """What ``G:V:S`` answers; its first digit gates the LED commands."""
        self.echo = echo
        self.faults = HostFaults()
        self.received: list[bytes] = []
        """Every line and frame received, as received (with its CR LF), in order."""
        self.pushes = 0
        """Status lines of changes sent (one per line and client)."""
        self._held: set[tuple[int, int]] = set()
        """The push buttons held down at the wall (node, VTU key): a long press, not released."""
        self._handlers: dict[str, Callable[[_HostSession, Command], Awaitable[None]]] = {
            "keep_alive": self._keep_alive,
            "version": self._version,
            "status_all": self._status_all,
            "status_node": self._status_node,
            "status_key": self._status_key,
            "status_ac": self._status_ac,
            "scenario": self._scenario,
            "led": self._led,
            **dict.fromkeys(("on", "off", "toggle", "dim", "dim_step", "blind"), self._switch),
            **dict.fromkeys(
                ("ac_set", "ac_power", "ac_mode", "ac_fan", "ac_setpoint", "ac_unit"),
                self._ac_command,
            ),
            **dict.fromkeys(("ac_up", "ac_down"), self._ac_command),
        }

    # -- life cycle ------------------------------------------------------------------

    @property
    def clients(self) -> int:
        """The most clients served at once."""
        return self.capacity

    @property
    def connected(self) -> int:
        """How many host clients are connected."""
        return len(self.sessions)

    @property
    def supports_leds(self) -> bool:
        """Whether the version takes ``L:`` commands: major 9 or more, or 0."""
        major = int(self.version[0])
        return major == 0 or major >= NEW_LED_MAJOR

    async def start(self) -> bool:
        """Listen (with a port; again on the same one); whether it started listening now."""
        if started := await super().start():
            _LOGGER.info("Host interface listening on %s:%d", self.host, self.port)
        return started

    async def stop(self) -> bool:
        """Drop every host client and stop listening; whether it was listening."""
        if stopped := await super().stop():
            _LOGGER.info("Host interface on port %s stopped", self.port)
        return stopped

    # -- connections -----------------------------------------------------------------

    def _open(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, peer: str
    ) -> _HostSession:
        return _HostSession(reader, writer, peer)

    async def _serve(self, session: _HostSession) -> None:
        sender = asyncio.get_running_loop().create_task(
            self._send_out(session), name=f"vbox simulator host writer {session.peer}"
        )
        try:
            await self._read(session)
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)

    async def _received(self, session: _HostSession, data: bytes) -> None:
        for item, raw in session.commands.read(data):
            await self._receive(session, item, raw)

    async def _send_out(self, session: _HostSession) -> None:
        """Write what the session's outbox gets: merged or split while those faults last."""
        while True:
            chunks = [await session.outbox.get()]
            if self.faults.merge:
                while not session.outbox.empty():
                    chunks.append(session.outbox.get_nowait())
            faults = self.faults
            await self._write(session, shape(chunks, merge=faults.merge, split=faults.split))

    def _answer(self, session: _HostSession, data: bytes) -> None:
        """Send to the asking client only (nothing while silent)."""
        if not self.faults.silent:
            session.outbox.put_nowait(data)

    def _push(self, data: bytes) -> None:
        """Send to every host client (nothing while silent)."""
        if self.faults.silent:
            return
        for session in self.sessions:
            session.outbox.put_nowait(data)
            self.pushes += 1

    # -- pushes of changes -----------------------------------------------------------

    async def changed(self, change: Change) -> None:
        """Push a change of the box to every host client."""
        match change:
            case KeyChanged(node_id, key):
                self.push_key(node_id, key)
            case KeyPressed(node_id, key, kind, toggled):
                self.push_press(node_id, key, kind)
                if toggled:
                    self.push_key(node_id, key)
            case AcChanged(ac):
                self.push_ac(ac)

    def push_key(self, node_id: int, key: Key) -> None:
        """Push a key's status line to every host client (if it has a state and an address)."""
        line = self._key_line(node_id, key)
        if line is not None:
            self._push(line)

    def push_press(self, node_id: int, key: Key, kind: str) -> None:
        """Push a press at the wall, as the vendor's library reads it.

        A satellite pushes ``S:Nnnn:k:S``, ``L`` or ``R``. A push button pushes ``O`` when it
        goes down and ``F`` when it comes up: a short press both, a long one ``O`` (it is
        held until a release). Other keys push no press (their new status, if any, follows).
        """
        if key.id >= MAX_KEY_NUMBER:
            return
        host_type, address = host_key_type(key), (node_id, key.id)
        if host_type == SATELLITE:
            self._push(wire.key_status(node_id, key.id + 1, PRESS_LETTERS[kind]))
        elif host_type == PUSH_BUTTON:
            if kind != "release" and address not in self._held:
                self._held.add(address)
                self._push(wire.key_status(node_id, key.id + 1, "O"))
            if kind != "long" and address in self._held:
                self._held.discard(address)
                self._push(wire.key_status(node_id, key.id + 1, "F"))

    def push_ac(self, ac: Ac) -> None:
        """Push an AC's ``S:A`` line to every host client."""
        self._push(ac_line(ac))

    def _key_line(self, node_id: int, key: Key) -> bytes | None:  # noqa: PLR0911 - one per kind
        """A key's ``S:N`` line, or ``None`` for a key without state or host address."""
        if key.id >= MAX_KEY_NUMBER:
            return None
        number, host_type = key.id + 1, host_key_type(key)
        if host_type in (TOGGLE, SCENE):
            if not key.on:
                return wire.key_status(node_id, number, "F")
            minutes = self._engine.timer_minutes_left(node_id, key.id)
            return wire.key_status(node_id, number, "O", minutes or None)
        if host_type == PUSH_BUTTON:
            return wire.key_status(node_id, number, "O" if (node_id, key.id) in self._held else "F")
        if host_type == SATELLITE:
            return wire.key_status(node_id, number, SATELLITE_AT_REST)
        if host_type == BOILER:
            if not key.on:
                return wire.key_status(node_id, number, "f")
            minutes = self._engine.timer_minutes_left(node_id, key.id)
            return wire.key_status(node_id, number, "o", minutes)
        if host_type == DIMMER:
            return wire.key_status(node_id, number, "D", key.level)
        if host_type == BLIND:
            return wire.key_status(node_id, number, "B", key.level)
        return None

    # -- what clients send -----------------------------------------------------------

    async def _receive(self, session: _HostSession, item: Received, raw: bytes) -> None:
        self.received.append(raw)
        self._on_change()
        _LOGGER.debug("Host client %s sent %r", session.peer, raw)
        if self.faults.silent:
            return
        if self.faults.delay > 0:
            await asyncio.sleep(self.faults.delay)
        if self.echo and (raw.startswith(ECHOED) or isinstance(item, DbRequest)):
            self._answer(session, raw)
        if isinstance(item, DbRequest):
            self._database(session, item)
            return
        if isinstance(item, BadCommand):
            if raw.startswith(REQUEST) or not raw.endswith(wire.CRLF):
                _LOGGER.info("No reply to bad bytes (%s): %s", item.reason, raw.hex(" "))
            else:
                _LOGGER.info("Unreadable host line (%s): %r", item.reason, item.data)
                self._answer(session, wire.error(1, ERRORS[1]))
            return
        if item.kind != "keep_alive":
            code = self.faults.take_error()
            if code is not None:
                self._answer(session, wire.error(code, ERRORS.get(code, "error")))
                return
        handler = self._handlers.get(item.kind, self._unsupported)
        try:
            await handler(session, item)
        except _RejectedError as rejected:
            _LOGGER.info("Host command %r rejected: %s", raw, rejected)
            self._answer(session, wire.error(rejected.code, str(rejected)))

    async def _unsupported(self, _session: _HostSession, _command: Command) -> None:
        raise _RejectedError(1)

    async def _keep_alive(self, session: _HostSession, command: Command) -> None:
        if command.values != ("VITREA",):
            raise _RejectedError(1)
        if self.faults.drop:  # the greeting acknowledged, then the connection closed
            session.writer.write(wire.psw_ok())
            session.writer.close()
            return
        self._answer(session, wire.psw_ok())

    async def _version(self, session: _HostSession, _command: Command) -> None:
        self._answer(session, wire.version(self.version))

    # -- keys ------------------------------------------------------------------------

    def _node(self, command: Command) -> Node:
        assert command.target is not None  # noqa: S101 - every node command has one
        try:
            return self._engine.house.node(command.target[1])
        except KeyError:
            raise _RejectedError(2) from None

    def _key(self, command: Command) -> tuple[Node, Key]:
        node = self._node(command)
        assert command.key is not None  # noqa: S101 - every key command has one
        try:
            return node, node.key(command.key - 1)
        except KeyError:
            raise _RejectedError(3) from None

    async def _status_all(self, session: _HostSession, _command: Command) -> None:
        for node in self._engine.house.nodes:
            self._answer_node(session, node)
        for ac in self._engine.house.acs:
            self._answer(session, ac_line(ac))

    async def _status_node(self, session: _HostSession, command: Command) -> None:
        self._answer_node(session, self._node(command))

    def _answer_node(self, session: _HostSession, node: Node) -> None:
        for key in node.keys:
            line = self._key_line(node.id, key)
            if line is not None:
                self._answer(session, line)

    async def _status_key(self, session: _HostSession, command: Command) -> None:
        node, key = self._key(command)
        line = self._key_line(node.id, key)
        if line is None:
            raise _RejectedError(1)
        self._answer(session, line)

    async def _switch(self, session: _HostSession, command: Command) -> None:
        """On, off, toggle, dimmer level, blind position: OK, then the status is pushed."""
        node, key = self._key(command)
        host_type = host_key_type(key)
        kind, values = command.kind, command.values
        if host_type not in WITH_STATE:
            raise _RejectedError(1)
        if kind in ("dim", "dim_step") and host_type != DIMMER:
            raise _RejectedError(1)
        if kind == "blind" and host_type != BLIND:
            raise _RejectedError(1)
        value = values[-1] if values else 0
        timer = 0.0
        if kind == "on":
            on, level = True, 0
            timer = int(value) * self._engine.minute
        elif kind in ("off", "toggle"):
            on, level = kind == "toggle" and not key.on, 0
        elif kind == "dim_step":
            self._answer(session, wire.ok())
            await self._engine.ramp_dimmer(node.id, key, up=value == 100)
            return
        elif value == 255:
            self._answer(session, wire.ok())
            engine = self._engine
            await (engine.stop_blind if host_type == BLIND else engine.stop_dimmer)(node.id, key)
            return
        elif value == 254:
            if host_type == BLIND:
                raise _RejectedError(1)
            on, level = True, 0
        else:
            on, level = value != 0, int(value)
        self._answer(session, wire.ok())
        await self._engine.switch_key(node.id, key, on=on, level=level, timer=timer)

    async def _led(self, session: _HostSession, command: Command) -> None:
        if not self.supports_leds:
            raise _RejectedError(1)
        _node, key = self._key(command)
        self._engine.set_led(key, on=command.values == ("O",))
        self._answer(session, wire.ok())

    async def _scenario(self, session: _HostSession, command: Command) -> None:
        assert command.target is not None  # noqa: S101 - a scenario command has one
        number = command.target[1]
        if number > MAX_SCENARIO_ID:
            raise _RejectedError(5)
        try:
            scenario = self._engine.house.scenario(number)
        except KeyError:
            self._answer(session, wire.scenario_result(number, success=False))
            return
        self._answer(session, wire.scenario_result(number, success=True))
        await self._engine.run_scenario(scenario)

    # -- ACs -------------------------------------------------------------------------

    def _ac(self, command: Command) -> Ac:
        assert command.target is not None  # noqa: S101 - every AC command has one
        try:
            return self._engine.house.ac(command.target[1])
        except KeyError:
            raise _RejectedError(1) from None

    async def _status_ac(self, session: _HostSession, command: Command) -> None:
        self._answer(session, ac_line(self._ac(command)))

    async def _ac_command(self, session: _HostSession, command: Command) -> None:
        """The AC sub-commands 1-8: OK, then the unit's ``S:A`` line is pushed."""
        ac = self._ac(command)
        values = command.values
        try:
            match command.kind:
                case "ac_set":
                    letter, mode, fan, setpoint, unit = values
                    if letter not in ("O", "F"):
                        raise _RejectedError(1)
                    ac.change(
                        on=letter == "O",
                        mode=AC_MODES[int(mode)],
                        fan=None if ac.type in FANLESS_AC_TYPES else AC_FANS[int(fan)],
                        setpoint=int(setpoint),
                        unit=AC_UNITS[int(unit)],
                    )
                case "ac_power":
                    ac.change(on=values == ("O",))
                case "ac_mode":
                    ac.change(mode=AC_MODES[int(values[0])])
                case "ac_fan":
                    ac.change(fan=AC_FANS[int(values[0])])
                case "ac_setpoint":
                    ac.change(setpoint=int(values[0]))
                case "ac_unit":
                    ac.change(unit=AC_UNITS[int(values[0])])
                case "ac_up" | "ac_down":
                    ac.change(setpoint=ac.setpoint + (1 if command.kind == "ac_up" else -1))
        except HouseError as err:
            _LOGGER.info("AC %d: %s", ac.id, err)
            raise _RejectedError(1) from None
        self._answer(session, wire.ok())
        await self._engine.ac_changed(ac)

    # -- the database ----------------------------------------------------------------

    def _database(self, session: _HostSession, request: DbRequest) -> None:
        try:
            reply = database_reply(self._engine.house, request)
        except KeyError as err:
            _LOGGER.info("No reply to VTH %s: %s", request.command.name, err.args[0])
            return
        self._answer(session, reply)

    # -- faults ----------------------------------------------------------------------

    async def inject(self, name: str, *arguments: str) -> None:
        """Apply a host fault by name (see :data:`vbox_simulator.faults.HOST_NAMES`).

        Raises:
            FaultError: unknown fault or invalid arguments.

        """
        fault = parse_host_fault(name, *arguments)
        _LOGGER.info("Host fault: %s %s", fault.name, " ".join(arguments))
        match fault.name:
            case "close":
                await self.close_clients()
            case "garbage":
                self.send_garbage(int(fault.argument or DEFAULT_GARBAGE_BYTES))
            case "silent" | "recover":
                self.faults.silent = fault.name == "silent"
            case "split":
                self.faults.split = True
            case "merge":
                self.faults.merge = True
            case "drop":
                self.faults.drop = True
            case "stray":
                self.send_stray_header()
            case "delay":
                self.faults.delay = float(fault.argument or 0.0)
            case "error":
                self.faults.error = int(fault.argument or 0)
                self.faults.error_count = 1 if fault.count is None else fault.count
            case _:  # reset
                self.faults = HostFaults()

    async def close_clients(self) -> None:
        """Close every host connection and wait until they are gone."""
        await self.close_sessions()

    def send_stray_header(self) -> None:
        """Send every host client the header of a VTH frame of the longest length, and no more."""
        header = wire.REPLY + bytes((0x1F,)) + wire.MAX_LEN.to_bytes(2, "big")
        for session in self.sessions:
            session.outbox.put_nowait(header)

    def send_garbage(self, size: int = DEFAULT_GARBAGE_BYTES) -> None:
        """Send every host client ``size`` random bytes without CR, LF or ``V``, then CR LF."""
        line = noise(size, b"\r\nV") + wire.CRLF
        for session in self.sessions:
            session.outbox.put_nowait(line)
