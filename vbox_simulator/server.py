"""The simulated vBox: its engine and its two ports, with what tests observe and do to it.

:class:`VBoxSimulator` puts together the box's behaviour (:mod:`vbox_simulator.engine`), the
VTU port (:mod:`vbox_simulator.vtu_server`) and, with a ``host_port``, the host interface
(:mod:`vbox_simulator.host_server`) on one house: every change, whoever makes it (a command
on either port, the wall, a timer, a travelling blind, a scenario), is announced by the engine
and pushed by both ports. Changes "at the wall" are made in process with
:meth:`VBoxSimulator.set_key` and :meth:`VBoxSimulator.press`, or over the control interface;
a node whose keypad is locked refuses them (:class:`~vbox_simulator.house.KeypadLockedError`).
Stop, unplug and an outage close both ports.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Self

from .engine import (
    BLIND_REPORT_INTERVAL,
    BLIND_REPORTS,
    DEFAULT_BLIND_TRAVEL,
    DEFAULT_DIMMER_RAMP,
    Engine,
    ac_state,
    key_state,
)
from .host_server import HostServer
from .serving import DEFAULT_GARBAGE_BYTES
from .vtu_server import EngineBox, NoClientError, ReceivedRequest, VtuServer, VtuSession
from .wire import ProtocolVersion

if TYPE_CHECKING:
    from collections.abc import Callable

    from .faults import Faults, HostFaults
    from .house import House

__all__ = [
    "BLIND_REPORTS",
    "BLIND_REPORT_INTERVAL",
    "DEFAULT_BLIND_TRAVEL",
    "DEFAULT_DIMMER_RAMP",
    "NoClientError",
    "ReceivedRequest",
    "VBoxSimulator",
]

_LOGGER = logging.getLogger("vbox_simulator")

WAIT_TIMEOUT = 30.0
"""Seconds the ``wait_...`` methods wait before they give up: no test waits forever."""


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
        self.engine = Engine(
            house, blind_travel=blind_travel, dimmer_ramp=dimmer_ramp, minute=minute
        )
        """The box's behaviour: its keys, motions, timers and announcements."""
        self.box = EngineBox(self.engine, username=username, password=password, version=version)
        self.host = host
        self._changed = asyncio.Event()
        self.vtu = VtuServer(
            self.engine,
            self.box,
            host=host,
            port=port,
            idle_timeout=idle_timeout,
            service_time=service_time,
            on_change=self.notify_change,
        )
        """The VTU port."""
        self.host_server = HostServer(
            self.engine,
            on_change=self.notify_change,
            host=host,
            port=host_port,
            clients=host_clients,
            idle_timeout=host_idle_timeout,
            version=host_version,
            echo=host_echo,
        )
        """The host interface (serving nothing when ``host_port`` is ``None``)."""
        self.engine.subscribe(self.host_server)
        self.engine.subscribe(self.vtu)
        self.engine.watch(self.notify_change)

    # -- settings --------------------------------------------------------------------

    @property
    def house(self) -> House:
        """The house the box serves."""
        return self.engine.house

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
        return self.engine.blind_travel

    @blind_travel.setter
    def blind_travel(self, seconds: float) -> None:
        self.engine.blind_travel = seconds

    @property
    def dimmer_ramp(self) -> float:
        """Seconds a dimmer going up (``D:100``) takes from off to full, or down back."""
        return self.engine.dimmer_ramp

    @dimmer_ramp.setter
    def dimmer_ramp(self, seconds: float) -> None:
        self.engine.dimmer_ramp = seconds

    @property
    def minute(self) -> float:
        """Seconds of one minute of a host-interface timer."""
        return self.engine.minute

    @minute.setter
    def minute(self, seconds: float) -> None:
        self.engine.minute = seconds

    @property
    def idle_timeout(self) -> float:
        """A client that sends nothing for this long is dropped."""
        return self.vtu.idle_timeout

    @idle_timeout.setter
    def idle_timeout(self, seconds: float) -> None:
        self.vtu.idle_timeout = seconds

    @property
    def service_time(self) -> float:
        """Seconds the box takes before each reply (settable at runtime)."""
        return self.vtu.service_time

    @service_time.setter
    def service_time(self, seconds: float) -> None:
        self.vtu.service_time = seconds

    def set_credentials(self, username: str, password: str) -> None:
        """Change the username and password, as a password change on the box does."""
        self.box.set_credentials(username, password)
        _LOGGER.info("Credentials changed")

    # -- life cycle ------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port listened on (the one chosen by the system when asked for port 0)."""
        return self.vtu.port

    @property
    def host_port(self) -> int | None:
        """The host interface's port (chosen by the system for 0); ``None`` without one."""
        return self.host_server.port

    @property
    def running(self) -> bool:
        """Whether the box listens."""
        return self.vtu.running

    async def start(self) -> None:
        """Listen; a box stopped before comes back on the same port."""
        if self.running:
            return
        await self.vtu.start()
        await self.host_server.start()
        _LOGGER.info(
            "vBox simulator listening on %s:%d (%s, %s)",
            self.host,
            self.port,
            self.version.value,
            self.house.describe(),
        )

    async def stop(self) -> None:
        """Close the client connection, cancel timers, halt travelling blinds, stop listening."""
        listening = self.running
        await self.unplug(quiet=True)
        await self.engine.stop()
        if listening:
            _LOGGER.info("vBox simulator on port %d stopped", self.port)

    async def unplug(self, *, quiet: bool = False, vtu_first: bool = False) -> None:
        """Drop the clients and stop listening, as if the box were cut off the network.

        The box goes on inside: its keys, their timers and changes at the wall. Connections
        (to both ports) are refused until :meth:`start` (on the same ports). The host
        interface's clients are dropped first, VTU's first if ``vtu_first``.
        """
        if not self.running:
            return
        if not vtu_first:
            await self.host_server.stop()
        await self.vtu.stop()
        await self.host_server.stop()
        if not quiet:
            _LOGGER.info("vBox simulator on port %d unplugged: not listening", self.port)

    async def __aenter__(self) -> Self:
        """Start the box."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the box."""
        await self.stop()

    # -- observing -------------------------------------------------------------------

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request received, in order."""
        return self.vtu.requests

    @property
    def logins(self) -> int:
        """Successful Logins."""
        return self.box.logins

    @property
    def failed_logins(self) -> int:
        """Logins rejected for their credentials."""
        return self.box.failed_logins

    @property
    def connections(self) -> int:
        """Connections accepted as the client."""
        return self.vtu.connections

    @property
    def refused_connections(self) -> int:
        """Connections closed at once because another client was connected."""
        return self.vtu.refused_connections

    @property
    def idle_disconnects(self) -> int:
        """Clients dropped for sending nothing for ``idle_timeout`` seconds."""
        return self.vtu.idle_disconnects

    @property
    def pushes(self) -> int:
        """Unsolicited frames sent."""
        return self.vtu.pushes

    @property
    def writes(self) -> int:
        """Write calls on client sockets (one per frame, per byte when split, one when merged)."""
        return self.vtu.writes

    @property
    def client_connected(self) -> bool:
        """A client is connected."""
        return self.vtu.session is not None

    @property
    def client_logged_in(self) -> bool:
        """The connected client has logged in."""
        session = self.vtu.session
        return session is not None and session.client.logged_in

    @property
    def pushes_enabled(self) -> bool:
        """The connected client is logged in and asked for unsolicited pushes."""
        session = self.vtu.session
        return session is not None and session.takes_pushes

    def notify_change(self) -> None:
        """Wake every :meth:`wait_until`: something changed (the engine and ports call it)."""
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
            key_state(node.id, key) | ({"led": key.led} if led else {})
            for node in self.house.nodes
            for key in node.keys
        ]

    def ac_state(self) -> list[dict[str, Any]]:
        """Every AC: its JSON object with ``relay``."""
        return [ac_state(ac) for ac in self.house.acs]

    def timer_minutes_left(self, node_id: int, key_id: int) -> int:
        """The minutes (of ``minute`` seconds, rounded up) until a key's timer ends; 0 without."""
        return self.engine.timer_minutes_left(node_id, key_id)

    # -- changes at the wall ---------------------------------------------------------

    async def set_key(
        self,
        node_id: int,
        key_id: int,
        on: bool | None = None,  # noqa: FBT001 - set_key(node, key, True) reads well
        level: int | None = None,
    ) -> dict[str, Any]:
        """Change a key as someone at the wall does, push it, and return its new state.

        See :meth:`Engine.set_key` (a blind travels, its positions pushed as it goes).

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: the node's keypad is locked (nothing changes).
            ValueError: neither ``on`` nor ``level`` given, or a level outside 0-100.

        """
        return key_state(node_id, await self.engine.set_key(node_id, key_id, on, level))

    async def press(self, node_id: int, key_id: int, kind: str) -> None:
        """Push a press of a key: ``short``, ``long`` or ``release``.

        A short press of a toggle, dimmer or boiler key also switches it over and pushes its
        new state, as the wall unit does.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: the node's keypad is locked (nothing is pushed).
            ValueError: unknown kind of press.

        """
        await self.engine.press(node_id, key_id, kind)

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
        ac = await self.engine.set_ac(
            ac_id, on=on, mode=mode, fan=fan, setpoint=setpoint, measured=measured
        )
        return ac_state(ac)

    # -- faults ----------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """The lasting faults of the VTU port."""
        return self.vtu.faults

    @property
    def host_faults(self) -> HostFaults:
        """The lasting faults of the host interface."""
        return self.host_server.faults

    async def inject(self, name: str, argument: str | float | None = None) -> None:
        """Apply a fault by name (see :data:`vbox_simulator.faults.NAMES`).

        Raises:
            FaultError: unknown fault or invalid argument.
            NoClientError: ``close``, ``garbage`` or ``stray`` with no client connected.

        """
        await self.vtu.inject(name, None if argument is None else str(argument))

    async def inject_host(self, name: str, *arguments: str | float) -> None:
        """Apply a fault of the host interface by name (see :data:`faults.HOST_NAMES`).

        Raises:
            FaultError: unknown fault or invalid arguments.

        """
        await self.host_server.inject(name, *(str(argument) for argument in arguments))

    async def close_client(self) -> None:
        """Close the client connection now and wait until it is gone."""
        await self.vtu.close_client()

    async def send_garbage(self, size: int = DEFAULT_GARBAGE_BYTES) -> None:
        """Send ``size`` random bytes that contain no frame prefix."""
        await self.vtu.send_garbage(size)

    async def send_stray(self) -> None:
        """Send an acknowledgement whose message ID no request carries."""
        await self.vtu.send_stray()

    def _require_session(self) -> VtuSession:
        return self.vtu.require_session()

    async def _send(self, session: VtuSession, chunks: list[bytes]) -> None:
        """Write raw bytes to the client (tests send what no codec builds)."""
        await self.vtu.send_raw(session, chunks)
