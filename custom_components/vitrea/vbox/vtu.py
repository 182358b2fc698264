"""The app interface (VTU, port 11501) as a :class:`~.link.Link` of the house model.

It turns the house's questions and actions into VTU requests on a :class:`VitreaClient`, and
the key statuses the vBox pushes or answers into updates. The client stays reachable as
``link.client`` for the wire-level API (``send``, ``on_key_status``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from . import requests
from .enums import KeyPowerStatus, KeyType, LEDBackgroundBrightness, LockStatus
from .errors import (
    NoNodesError,
    NotSupportedError,
    TimerTooLongError,
    VitreaConnectionError,
    VitreaError,
)
from .link import (
    Discovery,
    Interface,
    KeyPress,
    KeyUpdate,
    NodeUpdate,
    Press,
    Unsubscribe,
    Update,
)
from .log import LOGGER, Logger
from .topology import STATEFUL_KINDS, KeyInfo, NodeInfo, Topology, hardware_id

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from .client import VitreaClient
    from .connection import ConnectionState
    from .enums import ProtocolVersion
    from .host import ACFan, ACMode, Version
    from .responses import KeyStatus
    from .topology import ClimateInfo, ScenarioInfo

MAX_TIMER = 0xFFFF
"""The longest timer ToggleKeyStatus carries, in seconds (docs/vtu-protocol.md §5.10)."""
PRESSES = {
    KeyPowerStatus.SHORT: Press.SHORT,
    KeyPowerStatus.LONG: Press.LONG,
    KeyPowerStatus.RELEASED: Press.RELEASE,
}


class VTULink:
    """A house's link over the VTU protocol."""

    def __init__(self, client: VitreaClient, *, logger: Logger | None = None) -> None:
        """Use ``client``; nothing is sent before :meth:`connect`."""
        self.client = client
        self._log: Logger = logger or LOGGER

    @property
    def connected(self) -> bool:
        """Connected and logged in."""
        return self.client.connected

    @property
    def interfaces(self) -> dict[Interface, ConnectionState]:
        """VTU, in the state its connection last announced."""
        return {Interface.VTU: self.client.state}

    @property
    def last_error(self) -> VitreaError | None:
        """Why the connection was last lost or could not be re-established."""
        return self.client.last_error

    async def connect(self) -> None:
        """Connect and log in; the client keeps the link up afterwards."""
        await self.client.connect()

    async def disconnect(self) -> None:
        """Disconnect and stop reconnecting."""
        await self.client.disconnect()

    def on_connection_state(self, listener: Callable[[ConnectionState], None]) -> Unsubscribe:
        """The client's connection states."""
        return self.client.on_connection_state(listener)

    def on_update(self, listener: Callable[[Update], None]) -> Unsubscribe:
        """Every key status, pushed or answered, as a state or a press."""

        def translate(status: KeyStatus) -> None:
            update = self._update_of(status)
            if update is not None:
                listener(update)

        return self.client.on_key_status(translate)

    def _update_of(self, status: KeyStatus) -> Update | None:
        if status.power in PRESSES:
            return KeyPress(status.node_id, status.key_id, PRESSES[KeyPowerStatus(status.power)])
        if status.is_on or status.is_off:
            return KeyUpdate(status.node_id, status.key_id, status.is_on, status.level)
        # A power byte the protocol does not define says nothing about the key.
        self._log.debug(
            "Status of key %d/%d with unknown power 0x%02x ignored",
            status.node_id,
            status.key_id,
            status.power,
        )
        return None

    def learn(self, topology: Topology) -> None:
        """Nothing to learn: VTU statuses tell everything themselves."""

    async def read_identity(self) -> str:
        """The EUI-64 of the lowest-numbered node: two requests (after the layout's, if unknown)."""
        node_ids = (await self.client.send(requests.NodeCount())).node_ids
        if not node_ids:
            msg = "the vBox has no nodes"
            raise NoNodesError(msg)
        return hardware_id(
            (await self.client.send(requests.NodeMetaData(node_id=min(node_ids)))).mac
        )

    async def discover_quickly(self) -> Discovery:
        """All of :meth:`discover`: this interface alone is the quickest there is."""
        return await self.discover()

    async def discover(self, known: Awaitable[Topology] | None = None) -> Discovery:
        """Rooms, then each node and each of its keys: one request apiece.

        With ``known``, the same house as the host interface's database describes it (still
        being read while the nodes are), the rooms and key names are taken from there, and a
        key's parameters are asked only where its category decides what it is (a toggle: a
        light, a boiler or a switch); the other keys keep the category ``known`` gives them.

        A layout assumed from an earlier run is detected first: a firmware update may have
        changed it.
        """
        await self.client.verify_version()
        send = self.client.send
        rooms: dict[int, str] = {}
        if known is None:
            for room_id in (await send(requests.RoomCount())).room_ids:
                rooms[room_id] = (await send(requests.RoomMetaData(room_id=room_id))).name
        metas = {
            node_id: await send(requests.NodeMetaData(node_id=node_id))
            for node_id in (await send(requests.NodeCount())).node_ids
        }
        database = None if known is None else await known
        if database is not None:
            rooms = dict(database.rooms)
        nodes: dict[int, NodeInfo] = {}
        for node_id, meta in metas.items():
            keys = []
            for key in meta.keys:
                hint = None if database is None else _known_key(database, node_id, key.id)
                if hint is None or key.type == KeyType.TOGGLE:
                    params = await send(requests.KeyParameters(node_id=node_id, key_id=key.id))
                    category = int(params.category)
                    name = params.name if hint is None else hint.name
                else:
                    category, name = hint.category, hint.name
                room = None if hint is None else hint.room_id
                keys.append(KeyInfo(node_id, key.id, int(key.type), category, name, room))
            nodes[node_id] = NodeInfo(
                node_id, meta.mac, meta.node_type, meta.version, meta.room_id, tuple(keys)
            )
        settings = {
            node_id: NodeUpdate(node_id, meta.is_locked, int(meta.led_level))
            for node_id, meta in metas.items()
        }
        return Discovery(Topology(rooms, nodes), settings)

    async def read_states(self, keys: Iterable[KeyInfo]) -> None:
        """A KeyStatus per stateful key; the answers reach listeners as pushes do."""
        for key in keys:
            if key.kind not in STATEFUL_KINDS:
                continue
            try:
                await self.client.send(requests.KeyStatus(node_id=key.node_id, key_id=key.key_id))
            except VitreaConnectionError:
                raise
            except VitreaError as err:
                self._log.debug("No status for key %d/%d: %s", key.node_id, key.key_id, err)

    async def switch(
        self, key: KeyInfo, *, on: bool, level: int | None = None, timer: int | None = None
    ) -> int | None:
        """One ToggleKeyStatus (level 0 and timer 0 mean none); its timer, in seconds.

        Raises:
            TimerTooLongError: a timer beyond the 16 bits (seconds) ToggleKeyStatus carries.

        """
        if timer and timer > MAX_TIMER:
            raise TimerTooLongError(timer, MAX_TIMER, "app interface (VTU)")
        await self.client.send(
            requests.ToggleKeyStatus(
                node_id=key.node_id,
                key_id=key.key_id,
                status=KeyPowerStatus.ON if on else KeyPowerStatus.OFF,
                dimmer=level or 0,
                timer=timer or 0,
            )
        )
        return timer or None

    async def stop(self, key: KeyInfo) -> int | None:
        """Read where the blind is, then ask it to hold that position; that position.

        VTU has no stop command (the host interface has one); asking a moving blind for
        the position it has reached is how a stop is expressed with ToggleKeyStatus.
        ``None`` (and nothing sent) when the status carries no position.
        """
        status = await self.client.send(requests.KeyStatus(node_id=key.node_id, key_id=key.key_id))
        position = 0 if status.is_off else status.level
        if position is not None:
            await self.switch(key, on=position > 0, level=position)
        return position

    async def set_node(self, node_id: int, *, is_locked: bool, led_level: int) -> None:
        """One ToggleNodeStatus."""
        await self.client.send(
            requests.ToggleNodeStatus(
                node_id=node_id,
                lock=LockStatus.LOCKED if is_locked else LockStatus.UNLOCKED,
                led=LEDBackgroundBrightness(led_level),
            )
        )

    @property
    def supports_leds(self) -> bool:
        """VTU has no LED commands."""
        return False

    @property
    def firmware(self) -> Version | None:
        """VTU tells the firmware of each node, not the vBox's own."""
        return None

    @property
    def protocol_version(self) -> ProtocolVersion | None:
        """The layout the client uses: configured, detected, or assumed."""
        return self.client.protocol_version

    def assume_version(self, version: ProtocolVersion | str | None) -> None:
        """Take the layout an earlier run detected (checked at the next discovery)."""
        self.client.assume_version(version)

    def diagnostics(self) -> dict[str, dict[str, Any]]:
        """The connection, the layout (configured, ``None`` to detect; in use), timings, counts."""
        client = self.client
        return {
            Interface.VTU.value: {
                "state": client.state,
                "connected": client.connected,
                "last_error": None if client.last_error is None else str(client.last_error),
                "protocol_version": client.connection_config.version,
                "protocol_version_in_use": client.protocol_version,
                "socket": asdict(client.socket_config),
                "malformed_frames": client.malformed,
            }
        }

    async def set_led(self, key: KeyInfo, *, on: bool) -> None:  # noqa: ARG002
        """Not over VTU."""
        raise NotSupportedError(_HOST_ONLY.format("LED indicators"))

    async def set_climate(
        self,
        climate: ClimateInfo,  # noqa: ARG002
        *,
        on: bool | None = None,  # noqa: ARG002
        mode: ACMode | None = None,  # noqa: ARG002
        fan: ACFan | None = None,  # noqa: ARG002
        setpoint: int | None = None,  # noqa: ARG002
    ) -> None:
        """Not over VTU."""
        raise NotSupportedError(_HOST_ONLY.format("air conditioners"))

    async def run_scenario(self, scenario: ScenarioInfo) -> None:  # noqa: ARG002
        """Not over VTU."""
        raise NotSupportedError(_HOST_ONLY.format("scenarios"))


_HOST_ONLY = "{} need the vBox's host interface (port 11502)"


def _known_key(known: Topology, node_id: int, key_id: int) -> KeyInfo | None:
    node = known.nodes.get(node_id)
    return None if node is None else next((k for k in node.keys if k.key_id == key_id), None)
