"""The house a vBox runs, as live objects: rooms, nodes and keys with their state.

A :class:`House` is fed by a :class:`~.link.Link` (today the app interface, VTU). It owns
discovery and the topology (and its form for a cache), the state of every key and node, the
callbacks that follow them, and the actions. Data flows one way: what the link reports
becomes state, then callbacks; an action goes to the link, and once the vBox has taken it,
becomes state the same way.

Example::

    house = House.vtu(ConnectionConfig.from_env())
    await house.connect()
    await house.discover()
    await house.read_states()
    print(house.describe())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .client import VitreaClient
from .enums import LEDBackgroundBrightness
from .link import Discovery, KeyPress, NodeUpdate, Press, Unsubscribe, Update
from .log import LOGGER, Logger
from .topology import KeyInfo, KeyKind, NodeInfo, Topology
from .vtu import VTULink

if TYPE_CHECKING:
    from collections.abc import Callable

    from .client import ConnectionState
    from .config import ConnectionConfig, SocketConfig
    from .errors import VitreaError
    from .link import Link

type Listener = Callable[[], None]
type PressListener = Callable[[Press], None]


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
    """One key of a node: what it is, its last known state, and what it can be told to do."""

    def __init__(self, house: House, info: KeyInfo) -> None:
        """A key of ``house``; its state is unknown until the vBox reports it."""
        self._house = house
        self.info = info
        self.is_on: bool | None = None
        """On or off; ``None`` while unknown (and always for keys without a state)."""
        self.level: int | None = None
        """Dimmer level or blind position, 0-100; ``None`` while unknown or without one."""
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
        self._set(is_on=True, level=level or self.level)

    async def turn_off(self) -> None:
        """Switch off (close a blind)."""
        await self._house.link.switch(self.info, on=False)
        self._set(is_on=False, level=self.level)

    async def set_position(self, position: int) -> None:
        """Move a blind to ``position`` (0 closed, 100 open)."""
        if position > 0:
            await self.turn_on(position)
        else:
            await self.turn_off()

    async def stop(self) -> None:
        """Stop a moving blind where it is; its position arrives as an update."""
        await self._house.link.stop(self.info)

    def _set(self, *, is_on: bool, level: int | None) -> None:
        self.is_on, self.level = is_on, level
        _notify(self._house.log, self._listeners)

    def _pressed(self, press: Press) -> None:
        _notify(self._house.log, self._press_listeners, press)

    def __repr__(self) -> str:
        """``Key(1/0 'Spots' dimmer on 60)``."""
        state = "unknown" if self.is_on is None else ("on" if self.is_on else "off")
        level = "" if self.level is None else f" {self.level}"
        return f"Key({self.node_id}/{self.key_id} {self.name!r} {self.kind} {state}{level})"


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

    def __init__(self, link: Link, *, logger: Logger | None = None) -> None:
        """A house reached through ``link``; empty until :meth:`discover` or :meth:`restore`."""
        self.link = link
        self.log: Logger = logger or LOGGER
        self.topology = Topology()
        self.nodes: dict[int, Node] = {}
        self._unsubscribe: Unsubscribe | None = None

    @classmethod
    def vtu(
        cls,
        connection: ConnectionConfig,
        socket: SocketConfig | None = None,
        *,
        logger: Logger | None = None,
    ) -> House:
        """A house reached through the app interface (VTU)."""
        client = VitreaClient(connection, socket, logger=logger)
        return cls(VTULink(client, logger=logger), logger=logger)

    # -- the connection ----------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """The link to the vBox is up."""
        return self.link.connected

    @property
    def last_error(self) -> VitreaError | None:
        """Why the link was last lost or could not be made."""
        return self.link.last_error

    async def connect(self) -> None:
        """Connect to the vBox and follow what it reports until :meth:`disconnect`.

        The link is kept up (reconnected) in between.
        """
        if self._unsubscribe is None:
            self._unsubscribe = self.link.on_update(self._handle)
        await self.link.connect()

    async def disconnect(self) -> None:
        """Disconnect from the vBox, and stop following it."""
        await self.link.disconnect()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def on_connection_state(self, listener: Callable[[ConnectionState], None]) -> Unsubscribe:
        """Call ``listener`` when the link goes down, is being restored, or is up again."""
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
        """Use a topology kept from an earlier run (:meth:`as_dict`); states are unknown."""
        self._use(Discovery(Topology.from_dict(data), {}))

    def as_dict(self) -> dict[str, Any]:
        """The topology in use, for a cache."""
        return self.topology.as_dict()

    async def rediscover(self) -> TopologyChange:
        """Read the house again and tell how it changed.

        New nodes are added and gone ones removed; other changes are reported, not applied.
        """
        fresh = await self.link.discover()
        old = self.topology
        new = fresh.topology
        if new.rooms != old.rooms or any(
            old.nodes.get(node_id, node) != node for node_id, node in new.nodes.items()
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
        for update in fresh.nodes.values():
            self._handle(update)
        return change

    def _use(self, discovery: Discovery) -> None:
        self.topology = discovery.topology
        self.nodes = {node_id: Node(self, node) for node_id, node in self.topology.nodes.items()}
        for update in discovery.nodes.values():
            self._handle(update)

    # -- states ------------------------------------------------------------------------

    async def read_states(self, keys: list[Key] | None = None) -> None:
        """Ask the vBox for the state of every key (or of ``keys``).

        Each state arrives as the vBox answers, as a pushed one does.
        """
        await self.link.read_states(key.info for key in (self.all_keys() if keys is None else keys))

    def _handle(self, update: Update) -> None:
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
            key._set(is_on=update.is_on, level=update.level)  # noqa: SLF001

    def describe(self) -> str:
        """The house as text: each room's nodes, each node's keys and their states."""
        lines = []
        for node in sorted(self.nodes.values(), key=lambda node: node.node_id):
            lines.append(f"{node.room or '?'}: node {node.node_id} {node.info.model}")
            lines.extend(f"  {key!r}" for key in node.keys.values())
        return "\n".join(lines)
