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

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .client import VitreaClient
from .connection import ConnectionState
from .dual_link import DualLink
from .enums import LEDBackgroundBrightness
from .host_client import HOST_PORT, HostClient
from .host_link import HostLink
from .key import Key, Listener
from .link import (
    ClimateUpdate,
    Discovery,
    Interface,
    KeyPress,
    NodeUpdate,
    Unsubscribe,
    Update,
)
from .listeners import notify, subscribe
from .log import LOGGER, Logger
from .motion import MOTION_TIMEOUT
from .topology import ClimateInfo, KeyInfo, NodeInfo, ScenarioInfo, Topology
from .vtu import VTULink

if TYPE_CHECKING:
    from collections.abc import Callable

    from .config import ConnectionConfig, SocketConfig
    from .errors import VitreaError
    from .host import ACFan, ACMode, TemperatureUnit, Version
    from .link import Link


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
    def room(self) -> str | None:
        """The name of the node's room."""
        return self._house.rooms.get(self.info.room_id)

    def learn(self, info: NodeInfo) -> None:
        """Take a new reading of this node that does not reshape it (``NodeInfo.reshaped_by``).

        Its details, and the categories of toggles that had none.
        """
        self.info = info
        for key in info.keys:
            self.keys[key.key_id].info = key

    def on_change(self, listener: Listener) -> Unsubscribe:
        """Call ``listener`` when the lock or the backlight changes."""
        return subscribe(self._listeners, listener)

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
        notify(self._house.log, self._listeners)


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
        return subscribe(self._listeners, listener)

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
        notify(self._house.log, self._listeners)

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
    detailed: list[NodeInfo] = field(default_factory=list)
    """Nodes kept whose details (EUI-64, model, firmware) or toggles' categories were read;
    their new descriptions are in use, with the same :class:`Node` and :class:`Key` objects."""
    kinds_read: list[KeyInfo] = field(default_factory=list)
    """Keys of kept nodes that had no kind (:data:`~.topology.UNREAD_CATEGORY`) and have one."""
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
    def host(
        cls,
        host_name: str,
        port: int = HOST_PORT,
        socket: SocketConfig | None = None,
        *,
        logger: Logger | None = None,
        motion_timeout: float = MOTION_TIMEOUT,
    ) -> House:
        """A house reached through the host interface."""
        client = HostClient(host_name, port, socket, logger=logger)
        link = HostLink(client, logger=logger)
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
            key.motion.stand()

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

    async def discover(self, *, quickly: bool = False) -> None:
        """Read the whole house from the vBox, and use it.

        ``quickly``: with both interfaces, from the host database alone, in milliseconds;
        toggles have no kind until :meth:`rediscover` reads their category over VTU.
        """
        self._use(await (self.link.discover_quickly() if quickly else self.link.discover()))

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
            or any(old.nodes.get(i, node).reshaped_by(node) for i, node in new.nodes.items())
        ):
            return TopologyChange(new, reshaped=True)
        detailed = [
            node for node_id, node in new.nodes.items() if old.nodes.get(node_id, node) != node
        ]
        change = TopologyChange(
            new,
            added=[node for node_id, node in new.nodes.items() if node_id not in old.nodes],
            removed=[node for node_id, node in old.nodes.items() if node_id not in new.nodes],
            detailed=detailed,
            kinds_read=[
                key
                for node in detailed
                for key in node.keys
                if self.nodes[node.node_id].keys[key.key_id].kind is None and key.kind is not None
            ],
        )
        kept = {node_id: self.nodes[node_id] for node_id in new.nodes if node_id in self.nodes}
        for node in detailed:
            kept[node.node_id].learn(node)
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
            key.pressed(update.press)
        else:
            key.report(is_on=update.is_on, level=update.level, timer_minutes=update.timer_minutes)

    def describe(self) -> str:
        """The house as text: each room's nodes, each node's keys and their states."""
        lines = []
        for node in sorted(self.nodes.values(), key=lambda node: node.node_id):
            lines.append(f"{node.room or '?'}: node {node.node_id} {node.info.model}")
            lines.extend(f"  {key!r}" for key in node.keys.values())
        return "\n".join(lines)
