"""The house a vBox runs, as live objects: rooms, nodes and keys with their state.

A :class:`House` is fed by a :class:`~.link.Link`: the app interface (VTU), the host
interface, or both (:meth:`House.vtu`, :meth:`House.host`, :meth:`House.dual`). It owns
discovery and the topology (and its form for a cache), the state of every key, node,
air conditioner and scenario, the callbacks that follow them, and the actions. Data flows
one way: what the link reports becomes state, then callbacks; an action goes to the link,
and once the vBox has taken it, becomes state the same way.

Example::

    house = House.vtu(ConnectionConfig.from_env())
    await house.connect()
    await house.discover()
    await house.read_states()
    print(house.describe())
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .client import VitreaClient
from .connection import ConnectionState
from .dual_link import DualLink
from .enums import LEDBackgroundBrightness
from .host_client import HOST_PORT, HostClient
from .host_link import HostLink
from .link import (
    ClimateUpdate,
    Discovery,
    Interface,
    KeyPress,
    NodeUpdate,
    Press,
    Unsubscribe,
    Update,
)
from .log import LOGGER, Logger
from .topology import ClimateInfo, KeyInfo, KeyKind, NodeInfo, ScenarioInfo, Topology
from .vtu import VTULink

if TYPE_CHECKING:
    from collections.abc import Callable

    from .config import ConnectionConfig, SocketConfig
    from .errors import VitreaError
    from .host import ACFan, ACMode, TemperatureUnit, Version
    from .link import Link

type Listener = Callable[[], None]
type PressListener = Callable[[Press], None]

FULLY_OPEN = 100
"""A blind's position when fully open (0 is closed)."""
MOTION_TIMEOUT = 3.0
"""Seconds without a position report after which a moving blind counts as standing."""


def _subscribe[T](listeners: list[T], listener: T) -> Unsubscribe:
    listeners.append(listener)

    def unsubscribe() -> None:
        if listener in listeners:
            listeners.remove(listener)

    return unsubscribe


def _notify[*A](log: Logger, listeners: list[Callable[[*A], None]], *args: *A) -> None:
    for listener in list(listeners):
        try:
            listener(*args)
        except Exception as err:  # noqa: BLE001 - one listener must not stop the others
            log.error("Listener %r failed: %r", listener, err)  # noqa: TRY400


class Key:
    """One key of a node: what it is, its last known state, and what it can be told to do.

    The state is what the vBox reports. A command the vBox acknowledged sets the state of a
    light or switch at once (later reports correct it), but never a blind's: its motor takes
    seconds, so a blind keeps the position last reported, and ``target`` and the direction
    tell where it is going. Its position changes only as the vBox reports it.

    A blind (kind ``COVER``) knows whether it moves and which way (``is_opening``,
    ``is_closing``): towards the ``target`` it was sent to, or, for a move the vBox reports
    without one (started at the wall), the way consecutive reported positions go (reported
    less than ``House.motion_timeout`` seconds apart). It counts as standing again once a
    report shows it at its target (or, without one, at an end or unchanged), once it is
    stopped, when no report has come for ``House.motion_timeout`` seconds, and when the
    house disconnects.
    """

    def __init__(self, house: House, info: KeyInfo) -> None:
        """A key of ``house``; its state is unknown until the vBox reports it."""
        self._house = house
        self.info = info
        self.is_on: bool | None = None
        """On or off; ``None`` while unknown (and always for keys without a state)."""
        self.level: int | None = None
        """Dimmer level or blind position, 0-100; ``None`` while unknown or without one."""
        self.target: int | None = None
        """The position a blind was sent to and has not been reported at yet; ``None``
        otherwise (it stands, or moves where it was sent from elsewhere)."""
        self._direction = 0
        """+1 while a blind opens, -1 while it closes, 0 while it stands."""
        self._motion_timer: asyncio.TimerHandle | None = None
        self._reported_at: float | None = None
        """When a blind's state was last reported (event loop time)."""
        self.led_on: bool | None = None
        """The LED indicator as last switched from here (the vBox never reports it)."""
        self._listeners: list[Listener] = []
        self._press_listeners: list[PressListener] = []

    @property
    def node_id(self) -> int:
        """The node's ID."""
        return self.info.node_id

    @property
    def key_id(self) -> int:
        """The key's 0-based index on its node."""
        return self.info.key_id

    @property
    def name(self) -> str:
        """The key's name in the vBox (may be empty)."""
        return self.info.name

    @property
    def kind(self) -> KeyKind | None:
        """What the key does."""
        return self.info.kind

    @property
    def is_blind(self) -> bool:
        """A blind: its level is its position."""
        return self.kind is KeyKind.COVER

    @property
    def position(self) -> int | None:
        """A blind's position as last reported (0 while reported off); ``None`` if unknown."""
        return _position(is_on=self.is_on, level=self.level)

    @property
    def is_opening(self) -> bool:
        """A blind on its way up."""
        return self._direction > 0

    @property
    def is_closing(self) -> bool:
        """A blind on its way down."""
        return self._direction < 0

    @property
    def is_moving(self) -> bool:
        """A blind on its way up or down."""
        return self._direction != 0

    def on_change(self, listener: Listener) -> Unsubscribe:
        """Call ``listener`` when the key's state changes."""
        return _subscribe(self._listeners, listener)

    def on_press(self, listener: PressListener) -> Unsubscribe:
        """Call ``listener`` with each press at the wall (short, long, release)."""
        return _subscribe(self._press_listeners, listener)

    async def turn_on(self, level: int | None = None, *, timer: int | None = None) -> None:
        """Switch on: a dimmer at ``level``, a blind to position ``level``.

        ``timer``: seconds after which the vBox switches the key off again (boilers).
        """
        await self._house.link.switch(self.info, on=True, level=level, timer=timer)
        if self.is_blind:
            self._head_for(level or FULLY_OPEN)
        else:
            self._set(is_on=True, level=level or self.level)

    async def turn_off(self) -> None:
        """Switch off (close a blind)."""
        await self._house.link.switch(self.info, on=False)
        if self.is_blind:
            self._head_for(0)
        else:
            self._set(is_on=False, level=self.level)

    async def set_position(self, position: int) -> None:
        """Send a blind to ``position`` (0 closed, 100 open); it reports its way there."""
        if position > 0:
            await self.turn_on(position)
        else:
            await self.turn_off()

    async def stop(self) -> None:
        """Stop a moving blind where it is; its position arrives as an update.

        Afterwards it stands, or heads back for the position it was told to hold if it has
        been reported past it meanwhile.
        """
        held = await self._house.link.stop(self.info)
        if held is None:
            self._stand()
            _notify(self._house.log, self._listeners)
        else:
            self._head_for(held)

    async def set_led(self, on: bool) -> None:  # noqa: FBT001 - the one setting
        """Switch the key's LED indicator (host interface, firmware 9 or later)."""
        await self._house.link.set_led(self.info, on=on)
        self.led_on = on
        _notify(self._house.log, self._listeners)

    def _set(self, *, is_on: bool, level: int | None) -> None:
        self.is_on, self.level = is_on, level
        _notify(self._house.log, self._listeners)

    def _report(self, *, is_on: bool, level: int | None) -> None:
        """The state the vBox reports; a blind's motion follows from its position."""
        if self.is_blind:
            time = asyncio.get_running_loop().time()
            last, self._reported_at = self._reported_at, time
            recent = last is not None and time - last < self._house.motion_timeout
            self._follow(self.position, _position(is_on=is_on, level=level), recent=recent)
        self._set(is_on=is_on, level=level)

    def _follow(self, before: int | None, now: int | None, *, recent: bool) -> None:
        """Judge a blind's motion by a reported position ``now`` after ``before``.

        Without a target, a change is a move only if ``recent``: ``before`` was reported less
        than the motion timeout ago (a change seen after a while, e.g. read after a
        reconnection, is where the blind went meanwhile).
        """
        if now is None:
            return  # a report without a position tells nothing of the motion
        moved = 0 if before is None else (now > before) - (now < before)
        target = self.target
        if target is not None:
            if now == target:
                self._stand()
            elif moved and moved != (target > now) - (target < now):
                self.target = None  # moving away from its target: sent elsewhere meanwhile
                self._move(moved)
            else:
                self._move((target > now) - (target < now))
        elif moved and recent and 0 < now < FULLY_OPEN:
            self._move(moved)
        else:  # unchanged, at an end, or changed a while ago
            self._stand()

    def _head_for(self, target: int) -> None:
        """Follow a blind the vBox has taken a command to go to ``target``."""
        position = self.position
        if position is None and target in (0, FULLY_OPEN):
            position = FULLY_OPEN - target  # from an unknown position: on its way to that end
        if position == target:
            self._stand()
        elif position is None:  # part-way, from an unknown position: which way, unknown yet
            self._stand()
            self.target = target
        else:
            self.target = target
            self._move(1 if target > position else -1)
        _notify(self._house.log, self._listeners)

    def _move(self, direction: int) -> None:
        """Moving that way (+1 up, -1 down) until a report or the motion timeout says not."""
        self._direction = direction
        if self._motion_timer is not None:
            self._motion_timer.cancel()
        self._motion_timer = asyncio.get_running_loop().call_later(
            self._house.motion_timeout, self._motion_timed_out
        )

    def _stand(self) -> None:
        self._direction = 0
        self.target = None
        if self._motion_timer is not None:
            self._motion_timer.cancel()
            self._motion_timer = None

    def _motion_timed_out(self) -> None:
        self._motion_timer = None
        self._house.log.debug(
            "Blind %d/%d reported nothing for %g s: it stands",
            self.node_id,
            self.key_id,
            self._house.motion_timeout,
        )
        self._stand()
        _notify(self._house.log, self._listeners)

    def _pressed(self, press: Press) -> None:
        _notify(self._house.log, self._press_listeners, press)

    def __repr__(self) -> str:
        """``Key(1/0 'Spots' dimmer on 60)``, ``Key(4/1 'Blind' cover on 40 opening)``."""
        state = "unknown" if self.is_on is None else ("on" if self.is_on else "off")
        level = "" if self.level is None else f" {self.level}"
        motion = " opening" if self.is_opening else " closing" if self.is_closing else ""
        return f"Key({self.node_id}/{self.key_id} {self.name!r} {self.kind} {state}{level}{motion})"


def _position(*, is_on: bool | None, level: int | None) -> int | None:
    """A blind's position: 0 when off, else its level (``None``: unknown)."""
    return 0 if is_on is False else level


class Node:
    """One node: its keys, its keypad lock and its backlight."""

    def __init__(self, house: House, info: NodeInfo) -> None:
        """A node of ``house``; lock and backlight are unknown until reported."""
        self._house = house
        self.info = info
        self.keys: dict[int, Key] = {key.key_id: Key(house, key) for key in info.keys}
        self.is_locked: bool | None = None
        """Whether the keypad is locked; ``None`` while unknown."""
        self.led_level: int | None = None
        """The backlight level (an ``LEDBackgroundBrightness`` value); ``None`` while unknown."""
        self._listeners: list[Listener] = []

    @property
    def node_id(self) -> int:
        """The node's ID."""
        return self.info.node_id

    @property
    def identifier(self) -> str:
        """The node's EUI-64, lowercase hex."""
        return self.info.identifier

    @property
    def room(self) -> str | None:
        """The name of the node's room."""
        return self._house.rooms.get(self.info.room_id)

    def on_change(self, listener: Listener) -> Unsubscribe:
        """Call ``listener`` when the lock or the backlight changes."""
        return _subscribe(self._listeners, listener)

    async def set_locked(self, locked: bool) -> None:  # noqa: FBT001 - the one setting
        """Lock or unlock the keypad; the backlight keeps its level."""
        await self._set(locked=locked, led_level=self.led_level)

    async def set_backlight(self, level: LEDBackgroundBrightness) -> None:
        """Set the backlight level; the lock stays as it is."""
        await self._set(locked=self.is_locked, led_level=level)

    async def _set(self, *, locked: bool | None, led_level: int | None) -> None:
        """Send both settings: the vBox takes them at once.

        The one not changed keeps its known value, or unlocked and normal while none is known
        (a backlight level the protocol does not define counts as none).
        """
        if led_level is None or led_level not in LEDBackgroundBrightness:
            led_level = LEDBackgroundBrightness.NORMAL  # unknown, or no level there is
        update = NodeUpdate(self.node_id, bool(locked), led_level)
        await self._house.link.set_node(
            self.node_id, is_locked=update.is_locked, led_level=update.led_level
        )
        self._apply(update)

    def _apply(self, update: NodeUpdate) -> None:
        self.is_locked, self.led_level = update.is_locked, update.led_level
        _notify(self._house.log, self._listeners)


class Climate:
    """An air conditioner or floor-heating unit, with its last reported state.

    Every value is ``None`` until the vBox reports it (or reports it as unknown). A change
    the vBox took is kept at once; its next report confirms or corrects it.
    """

    def __init__(self, house: House, info: ClimateInfo) -> None:
        """A unit of ``house``; its state is unknown until reported."""
        self._house = house
        self.info = info
        self.state: ClimateUpdate | None = None
        """The last reported state (with the changes made since)."""
        self._listeners: list[Listener] = []

    @property
    def climate_id(self) -> int:
        """The unit's ID in the vBox."""
        return self.info.climate_id

    @property
    def name(self) -> str:
        """The unit's name in the vBox."""
        return self.info.name

    @property
    def room(self) -> str | None:
        """The name of the unit's room."""
        return self._house.rooms.get(self.info.room_id)

    def on_change(self, listener: Listener) -> Unsubscribe:
        """Call ``listener`` when the state changes."""
        return _subscribe(self._listeners, listener)

    async def turn_on(self) -> None:
        """Switch the unit on, as it was set."""
        await self._change(on=True)

    async def turn_off(self) -> None:
        """Switch the unit off."""
        await self._change(on=False)

    async def set_mode(self, mode: ACMode) -> None:
        """Set the mode, switching the unit on if it is off."""
        await self._change(on=None if self.state and self.state.is_on else True, mode=mode)

    async def set_fan(self, fan: ACFan) -> None:
        """Set the fan speed."""
        await self._change(fan=fan)

    async def set_setpoint(self, setpoint: int) -> None:
        """Set the target temperature (whole degrees, in the unit's unit)."""
        await self._change(setpoint=setpoint)

    async def _change(
        self,
        *,
        on: bool | None = None,
        mode: ACMode | None = None,
        fan: ACFan | None = None,
        setpoint: int | None = None,
    ) -> None:
        await self._house.link.set_climate(self.info, on=on, mode=mode, fan=fan, setpoint=setpoint)
        state = self.state
        if state is not None:
            self._apply(
                replace(
                    state,
                    is_on=state.is_on if on is None else on,
                    mode=mode or state.mode,
                    fan=fan or state.fan,
                    setpoint=setpoint or state.setpoint,
                )
            )

    def _apply(self, update: ClimateUpdate) -> None:
        self.state = update
        _notify(self._house.log, self._listeners)

    @property
    def unit(self) -> TemperatureUnit | None:
        """The unit of the temperatures, as last reported."""
        return None if self.state is None else self.state.unit


class Scenario:
    """A scenario of the vBox."""

    def __init__(self, house: House, info: ScenarioInfo) -> None:
        """A scenario of ``house``."""
        self._house = house
        self.info = info

    @property
    def scenario_id(self) -> int:
        """The scenario's ID in the vBox."""
        return self.info.scenario_id

    @property
    def name(self) -> str:
        """The scenario's name in the vBox."""
        return self.info.name

    @property
    def room(self) -> str | None:
        """The name of its room; ``None`` for one of the whole house."""
        return None if self.info.room_id is None else self._house.rooms.get(self.info.room_id)

    async def activate(self) -> None:
        """Run the scenario."""
        await self._house.link.run_scenario(self.info)


@dataclass(frozen=True, slots=True)
class TopologyChange:
    """How a fresh reading of the house differs from the one in use."""

    topology: Topology
    """The fresh reading."""
    added: list[NodeInfo] = field(default_factory=list)
    """Nodes the house did not have; they are in use now."""
    removed: list[NodeInfo] = field(default_factory=list)
    """Nodes that are gone; they are no longer in use."""
    reshaped: bool = False
    """Rooms renamed, or nodes whose keys, names, types or room changed. These are not
    applied: a client rebuilds what it made of the house from ``topology``."""


class House:
    """A house, as one vBox runs it."""

    def __init__(
        self, link: Link, *, logger: Logger | None = None, motion_timeout: float = MOTION_TIMEOUT
    ) -> None:
        """A house reached through ``link``; empty until :meth:`discover` or :meth:`restore`."""
        self.link = link
        self.log: Logger = logger or LOGGER
        self.motion_timeout = motion_timeout
        """Seconds without a position report after which a moving blind counts as standing."""
        self.topology = Topology()
        self.nodes: dict[int, Node] = {}
        self.climates: dict[int, Climate] = {}
        self.scenarios: dict[int, Scenario] = {}
        self._unsubscribe: Unsubscribe | None = None

    @classmethod
    def vtu(
        cls,
        connection: ConnectionConfig,
        socket: SocketConfig | None = None,
        *,
        logger: Logger | None = None,
        motion_timeout: float = MOTION_TIMEOUT,
    ) -> House:
        """A house reached through the app interface (VTU)."""
        client = VitreaClient(connection, socket, logger=logger)
        return cls(VTULink(client, logger=logger), logger=logger, motion_timeout=motion_timeout)

    @classmethod
    def host(  # noqa: PLR0913
        cls,
        host_name: str,
        port: int = HOST_PORT,
        socket: SocketConfig | None = None,
        *,
        scope: str = "",
        logger: Logger | None = None,
        motion_timeout: float = MOTION_TIMEOUT,
    ) -> House:
        """A house reached through the host interface (``scope``: see ``HostLink``)."""
        client = HostClient(host_name, port, socket, logger=logger)
        link = HostLink(client, scope=scope, logger=logger)
        return cls(link, logger=logger, motion_timeout=motion_timeout)

    @classmethod
    def dual(
        cls,
        connection: ConnectionConfig,
        host_port: int = HOST_PORT,
        socket: SocketConfig | None = None,
        *,
        logger: Logger | None = None,
        motion_timeout: float = MOTION_TIMEOUT,
    ) -> House:
        """A house reached through both interfaces at ``connection.host``."""
        vtu = VTULink(VitreaClient(connection, socket, logger=logger), logger=logger)
        client = HostClient(connection.host, host_port, socket, logger=logger)
        link = DualLink(vtu, HostLink(client, logger=logger), logger=logger)
        return cls(link, logger=logger, motion_timeout=motion_timeout)

    # -- the connection ----------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """The link to the vBox is up."""
        return self.link.connected

    @property
    def last_error(self) -> VitreaError | None:
        """Why the link was last lost or could not be made."""
        return self.link.last_error

    @property
    def interfaces(self) -> dict[Interface, ConnectionState]:
        """Each interface of the vBox the house uses, and its state."""
        return self.link.interfaces

    @property
    def firmware(self) -> Version | None:
        """The vBox's own firmware, where the host interface told it."""
        return self.link.firmware

    def diagnostics(self) -> dict[str, dict[str, Any]]:
        """Each interface's connection, settings and counters, by interface name."""
        return self.link.diagnostics()

    @property
    def interfaces_up(self) -> frozenset[Interface]:
        """The interfaces that are up now."""
        return frozenset(
            interface
            for interface, state in self.link.interfaces.items()
            if state is ConnectionState.CONNECTED
        )

    async def connect(self) -> None:
        """Connect to the vBox and follow what it reports until :meth:`disconnect`.

        The link is kept up (reconnected) in between.
        """
        if self._unsubscribe is None:
            self._unsubscribe = self.link.on_update(self._handle)
        await self.link.connect()

    async def disconnect(self) -> None:
        """Disconnect from the vBox, and stop following it (no blind counts as moving)."""
        await self.link.disconnect()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for key in self.all_keys():
            key._stand()  # noqa: SLF001 - the house settles its keys

    def on_connection_state(self, listener: Callable[[ConnectionState], None]) -> Unsubscribe:
        """Call ``listener`` when an interface goes down, is being restored, or is up again.

        It is given the combined state; :attr:`interfaces` tells each interface's.
        """
        return self.link.on_connection_state(listener)

    # -- the topology ------------------------------------------------------------------

    @property
    def identity(self) -> str | None:
        """The hardware identity of the house in use (see ``Topology.identity``)."""
        return self.topology.identity

    @property
    def rooms(self) -> dict[int, str]:
        """Room ID -> name."""
        return self.topology.rooms

    def key(self, node_id: int, key_id: int) -> Key | None:
        """A key, if the house has it."""
        node = self.nodes.get(node_id)
        return None if node is None else node.keys.get(key_id)

    def all_keys(self) -> list[Key]:
        """Every key of every node."""
        return [key for node in self.nodes.values() for key in node.keys.values()]

    async def read_identity(self) -> str:
        """Ask the vBox for the house's hardware identity, without discovering it.

        Raises:
            NoNodesError: the vBox has no nodes.

        """
        return await self.link.read_identity()

    async def discover(self) -> None:
        """Read the whole house from the vBox, and use it."""
        self._use(await self.link.discover())

    def restore(self, data: dict[str, Any]) -> None:
        """Use a house kept from an earlier run (:meth:`as_dict`).

        The nodes' lock and backlight are as they were last known (until the vBox reports
        them again, e.g. in :meth:`rediscover`); key states are unknown. VTU's layout kept
        with it is assumed: restored before :meth:`connect`, it saves the layout's probe.
        """
        settings = {
            int(node_id): NodeUpdate(int(node_id), setting["locked"], setting["led_level"])
            for node_id, setting in data.get("settings", {}).items()
        }
        self.link.assume_version(data.get("protocol_version"))
        self._use(Discovery(Topology.from_dict(data), settings))

    def as_dict(self) -> dict[str, Any]:
        """The topology in use, the nodes' last known settings and VTU's layout, for a cache."""
        return self.topology.as_dict() | {
            "settings": {
                str(node.node_id): {"locked": node.is_locked, "led_level": node.led_level}
                for node in self.nodes.values()
                if node.is_locked is not None and node.led_level is not None
            },
            "protocol_version": self.link.protocol_version,
        }

    async def rediscover(self) -> TopologyChange:
        """Read the house again and tell how it changed.

        New nodes are added and gone ones removed; other changes are reported, not applied.
        """
        fresh = await self.link.discover()
        old = self.topology
        new = fresh.topology
        extras = ("floors", "room_floors", "climates", "scenarios")
        if (
            any(getattr(new, name) != getattr(old, name) for name in extras)
            or new.rooms != old.rooms
            or any(old.nodes.get(node_id, node) != node for node_id, node in new.nodes.items())
        ):
            return TopologyChange(new, reshaped=True)
        change = TopologyChange(
            new,
            added=[node for node_id, node in new.nodes.items() if node_id not in old.nodes],
            removed=[node for node_id, node in old.nodes.items() if node_id not in new.nodes],
        )
        kept = {node_id: self.nodes[node_id] for node_id in new.nodes if node_id in self.nodes}
        self.topology = new
        self.nodes = kept | {node.node_id: Node(self, node) for node in change.added}
        self._use_extras()
        for update in fresh.nodes.values():
            self._handle(update)
        return change

    def _use(self, discovery: Discovery) -> None:
        self.topology = discovery.topology
        self.nodes = {node_id: Node(self, node) for node_id, node in self.topology.nodes.items()}
        self._use_extras()
        for update in discovery.nodes.values():
            self._handle(update)

    def _use_extras(self) -> None:
        """The climates and scenarios of the topology in use; a unit kept keeps its state."""
        topology = self.topology
        self.link.learn(topology)
        self.climates = {
            climate_id: old
            if (old := self.climates.get(climate_id)) is not None and old.info == info
            else Climate(self, info)
            for climate_id, info in topology.climates.items()
        }
        self.scenarios = {
            scenario_id: Scenario(self, info) for scenario_id, info in topology.scenarios.items()
        }

    # -- states ------------------------------------------------------------------------

    async def read_states(self, keys: list[Key] | None = None) -> None:
        """Ask the vBox for the state of every key (or of ``keys``).

        Each state arrives as the vBox answers, as a pushed one does.
        """
        await self.link.read_states(key.info for key in (self.all_keys() if keys is None else keys))

    def _handle(self, update: Update) -> None:
        if isinstance(update, ClimateUpdate):
            climate = self.climates.get(update.climate_id)
            if climate is not None:
                climate._apply(update)  # noqa: SLF001 - the house feeds its climates
            return
        if isinstance(update, NodeUpdate):
            node = self.nodes.get(update.node_id)
            if node is not None:
                node._apply(update)  # noqa: SLF001 - the house feeds its nodes
            return
        key = self.key(update.node_id, update.key_id)
        if key is None:
            self.log.debug("Update for unknown key %d/%d ignored", update.node_id, update.key_id)
        elif isinstance(update, KeyPress):
            key._pressed(update.press)  # noqa: SLF001 - the house feeds its keys
        else:
            key._report(is_on=update.is_on, level=update.level)  # noqa: SLF001

    def describe(self) -> str:
        """The house as text: each room's nodes, each node's keys and their states."""
        lines = []
        for node in sorted(self.nodes.values(), key=lambda node: node.node_id):
            lines.append(f"{node.room or '?'}: node {node.node_id} {node.info.model}")
            lines.extend(f"  {key!r}" for key in node.keys.values())
        return "\n".join(lines)
