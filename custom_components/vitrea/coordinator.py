"""The coordinator: owns the vBox connection and turns what it says into entity state.

Data flows one way: the client's pushes and answers -> :class:`VitreaData` -> entities;
entity actions go through :meth:`VitreaCoordinator.async_send` to the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import (
    CONF_HEARTBEAT_INTERVAL,
    CONF_PROTOCOL_VERSION,
    CONF_REQUEST_GAP,
    CONF_REQUEST_TIMEOUT,
    DEFAULT_HEARTBEAT_INTERVAL,
    DEFAULT_REQUEST_GAP,
    DEFAULT_REQUEST_TIMEOUT,
    DOMAIN,
    LOGGER,
)
from .devices import async_register_devices, async_remove_devices
from .models import STATEFUL_KINDS, KeyInfo, KeyState, NodeInfo, NodeState, Topology, VitreaData
from .vbox import (
    AUTO_VERSION,
    AckType,
    AuthenticationError,
    CommandRejectedError,
    ConnectionConfig,
    ConnectionState,
    KeyPowerStatus,
    LEDBackgroundBrightness,
    LockStatus,
    SocketConfig,
    VitreaClient,
    VitreaConnectionError,
    VitreaError,
    requests,
    responses,
)

type VitreaConfigEntry = ConfigEntry[VitreaCoordinator]
type KeyListener = Callable[[], None]
type PressListener = Callable[[KeyPowerStatus], None]
type NodesListener = Callable[[list[NodeInfo]], None]

STORAGE_VERSION = 1


def client_from_entry(
    data: Mapping[str, Any], options: Mapping[str, Any], **socket: Any
) -> VitreaClient:
    """A client for an entry's data and options; ``socket`` overrides socket settings.

    Environment variables of the standalone core (``VITREA_VBOX_*``) never apply here.

    Raises:
        ValueError: a setting is invalid (e.g. a credential longer than 127 characters).

    """
    return VitreaClient(
        ConnectionConfig(
            host=data[CONF_HOST],
            port=data[CONF_PORT],
            username=data[CONF_USERNAME],
            password=data[CONF_PASSWORD],
            version=options.get(CONF_PROTOCOL_VERSION, AUTO_VERSION),
            environ={},
        ),
        SocketConfig(
            request_timeout=options.get(CONF_REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
            request_gap=options.get(CONF_REQUEST_GAP, DEFAULT_REQUEST_GAP),
            heartbeat_interval=options.get(CONF_HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL),
            environ={},
            **socket,
        ),
    )


def topology_store(hass: HomeAssistant, entry: ConfigEntry) -> Store[dict[str, Any]]:
    """Where an entry's discovered topology is kept between restarts."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.topology")


class VitreaCoordinator(DataUpdateCoordinator[VitreaData]):
    """Connects to the vBox, discovers the house, and keeps every key's state."""

    config_entry: VitreaConfigEntry

    def __init__(self, hass: HomeAssistant, entry: VitreaConfigEntry) -> None:
        """Prepare the coordinator; nothing is connected before the first refresh."""
        super().__init__(hass, LOGGER, config_entry=entry, name=DOMAIN)
        self.client = client_from_entry(entry.data, entry.options)
        self.host = entry.data[CONF_HOST]
        self.hub_id = f"vbox_{entry.unique_id or entry.entry_id}"
        """The hub device's identifier (the entry's unique ID is also its first node's)."""
        self._store = topology_store(hass, entry)
        self._stored_topology_used = False
        self.states_read = asyncio.Event()
        """Set once the first reading of every key's state after setup has ended."""
        self._key_listeners: dict[tuple[int, int], list[KeyListener]] = {}
        self._press_listeners: dict[tuple[int, int], list[PressListener]] = {}
        self._nodes_listeners: list[NodesListener] = []
        self._unsubscribe: list[CALLBACK_TYPE] = []

    # -- setup and refresh -----------------------------------------------------------

    async def _async_setup(self) -> None:
        """Connect, then take the topology from storage or discover it."""
        await self._guard(self.client.connect())
        stored = await self._store.async_load()
        if stored is not None:
            self.data = VitreaData(Topology.from_dict(stored))
            self._stored_topology_used = True
        else:
            self.data = await self._guard(self._discover())
            await self._store.async_save(self.data.topology.as_dict())
        async_register_devices(self.hass, self.config_entry, self.hub_id, self.data.topology)
        self._unsubscribe = [
            self.client.on_key_status(self._handle_key_status),
            self.client.on_connection_state(self._handle_connection_state),
        ]

    async def _async_update_data(self) -> VitreaData:
        """Nothing to fetch: states are pushed, and read once in the background after setup."""
        return self.data

    def async_start_background_sync(self) -> None:
        """Read every key's state; after a start from the stored topology, rediscover too.

        Runs after the entities exist, so a restart shows them at once; each state appears
        as the vBox reports it.
        """
        self.config_entry.async_create_background_task(
            self.hass, self._async_sync(), f"{DOMAIN} sync"
        )

    async def _async_sync(self) -> None:
        try:
            await self._async_read_all_states()
        finally:
            self.states_read.set()
        if self._stored_topology_used:
            self._stored_topology_used = False
            await self._async_refresh_topology()

    async def _async_read_all_states(self) -> None:
        try:
            await self._read_states(self.data.topology.all_keys())
        except VitreaError as err:
            # The link is down; reconnecting reads them again.
            LOGGER.debug("Reading the key states failed: %s", err)

    async def _async_refresh_topology(self) -> None:
        try:
            fresh = await self._guard(self._discover())
        except (UpdateFailed, ConfigEntryAuthFailed) as err:
            LOGGER.debug("Topology refresh failed, keeping the stored one: %s", err)
            return
        old = self.data.topology
        if fresh.topology.rooms != old.rooms or any(
            old.nodes.get(node_id, node) != node for node_id, node in fresh.topology.nodes.items()
        ):
            # Renamed keys, changed key types or moved nodes: rebuild the entities.
            LOGGER.info("The vBox's configuration changed; reloading")
            await self._store.async_save(fresh.topology.as_dict())
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            return
        added = [node for node_id, node in fresh.topology.nodes.items() if node_id not in old.nodes]
        removed = [
            node for node_id, node in old.nodes.items() if node_id not in fresh.topology.nodes
        ]
        self.data.topology = fresh.topology
        self.data.nodes = fresh.nodes
        if fresh.topology != old:
            await self._store.async_save(fresh.topology.as_dict())
        if added:
            LOGGER.info("New nodes on the vBox: %s", ", ".join(str(n.node_id) for n in added))
            try:
                await self._guard(self._read_states([k for n in added for k in n.keys]))
            except (UpdateFailed, ConfigEntryAuthFailed) as err:
                LOGGER.debug("Reading the new nodes' states failed: %s", err)
            async_register_devices(self.hass, self.config_entry, self.hub_id, fresh.topology)
            for listener in list(self._nodes_listeners):
                listener(added)
        async_remove_devices(self.hass, self.config_entry, removed)
        self.async_set_updated_data(self.data)

    async def _discover(self) -> VitreaData:
        """Ask the vBox for its rooms, nodes and keys."""
        client = self.client
        rooms: dict[int, str] = {}
        for room_id in (await client.send(requests.RoomCount())).room_ids:
            rooms[room_id] = (await client.send(requests.RoomMetaData(room_id=room_id))).name
        nodes: dict[int, NodeInfo] = {}
        node_states: dict[int, NodeState] = {}
        for node_id in (await client.send(requests.NodeCount())).node_ids:
            meta = await client.send(requests.NodeMetaData(node_id=node_id))
            keys: list[KeyInfo] = []
            for key in meta.keys:
                params = await client.send(requests.KeyParameters(node_id=node_id, key_id=key.id))
                keys.append(
                    KeyInfo(node_id, key.id, int(key.type), int(params.category), params.name)
                )
            nodes[node_id] = NodeInfo(
                node_id, meta.mac, meta.node_type, meta.version, meta.room_id, tuple(keys)
            )
            node_states[node_id] = NodeState(meta.is_locked, int(meta.led_level))
        return VitreaData(Topology(rooms, nodes), nodes=node_states)

    async def _read_states(self, keys: list[KeyInfo]) -> None:
        """Ask for each stateful key's status; a key the vBox will not report stays unknown.

        The answers reach :meth:`_handle_key_status` as pushes do: states have one way in.
        """
        for key in keys:
            if key.kind not in STATEFUL_KINDS:
                continue
            try:
                await self.client.send(requests.KeyStatus(node_id=key.node_id, key_id=key.key_id))
            except VitreaConnectionError:
                raise
            except VitreaError as err:
                LOGGER.debug("No status for key %d/%d: %s", key.node_id, key.key_id, err)

    async def _guard[T](self, work: Awaitable[T]) -> T:
        """Await ``work``, turning protocol failures into Home Assistant's setup errors."""
        try:
            result: T = await work
        except AuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except VitreaError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"host": self.host, "error": str(err)},
            ) from err
        return result

    async def async_shutdown(self) -> None:
        """Stop listening and close the connection."""
        await super().async_shutdown()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        await self.client.disconnect()

    # -- what the vBox pushes --------------------------------------------------------

    def _apply(self, status: responses.KeyStatus) -> bool:
        """Record a key status; whether the key is known and the status is a state."""
        address = (status.node_id, status.key_id)
        if not (status.is_on or status.is_off):
            # A power byte the protocol does not define says nothing about the key.
            LOGGER.debug(
                "Status of key %d/%d with unknown power 0x%02x ignored", *address, status.power
            )
            return False
        state = self.data.keys.get(address)
        if state is None:
            if address not in self._known_keys():
                LOGGER.debug("Status for unknown key %d/%d ignored", *address)
                return False
            state = self.data.keys[address] = KeyState()
        state.is_on = status.is_on
        state.level = status.level
        return True

    def _known_keys(self) -> set[tuple[int, int]]:
        return {(key.node_id, key.key_id) for key in self.data.topology.all_keys()}

    @callback
    def _handle_key_status(self, status: responses.KeyStatus) -> None:
        address = (status.node_id, status.key_id)
        if status.is_press:
            for press_listener in list(self._press_listeners.get(address, ())):
                press_listener(KeyPowerStatus(status.power))
            return
        if not self._apply(status):
            return
        for listener in list(self._key_listeners.get(address, ())):
            listener()

    @callback
    def _handle_connection_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            LOGGER.info("vBox at %s is available again", self.host)
            self.async_set_updated_data(self.data)
            # Keys may have changed while the link was down.
            self.config_entry.async_create_background_task(
                self.hass, self._async_read_all_states(), f"{DOMAIN} re-read states"
            )
            return
        if state is ConnectionState.RECONNECTING:
            return
        error = self.client.last_error
        if self.last_update_success:
            LOGGER.info("vBox at %s is unavailable: %s", self.host, error)
        self.last_update_success = False
        self.async_update_listeners()
        if isinstance(error, AuthenticationError):
            self.config_entry.async_start_reauth(self.hass)

    # -- listeners of entities -------------------------------------------------------

    @callback
    def async_add_key_listener(self, key: KeyInfo, listener: KeyListener) -> CALLBACK_TYPE:
        """Call ``listener`` when the vBox reports a new state of ``key``."""
        return _add(self._key_listeners.setdefault((key.node_id, key.key_id), []), listener)

    @callback
    def async_add_press_listener(self, key: KeyInfo, listener: PressListener) -> CALLBACK_TYPE:
        """Call ``listener`` with each press (short, long, release) of ``key``."""
        return _add(self._press_listeners.setdefault((key.node_id, key.key_id), []), listener)

    @callback
    def async_add_nodes_listener(self, listener: NodesListener) -> CALLBACK_TYPE:
        """Call ``listener`` with the nodes that appear on the vBox after setup."""
        return _add(self._nodes_listeners, listener)

    # -- actions ---------------------------------------------------------------------

    async def async_send[R: responses.Response](self, request: requests.Request[R]) -> R:
        """Send a request for an entity action; failures become translated errors."""
        try:
            return await self.client.send(request)
        except CommandRejectedError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_rejected",
                translation_placeholders={"reason": _ack_name(err.ack_type)},
            ) from err
        except VitreaError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err

    async def async_set_key(
        self, key: KeyInfo, *, on: bool, level: int = 0, timer: int = 0
    ) -> None:
        """Switch a key; once the vBox acknowledges, its state is recorded and announced."""
        await self.async_send(
            requests.ToggleKeyStatus(
                node_id=key.node_id,
                key_id=key.key_id,
                status=KeyPowerStatus.ON if on else KeyPowerStatus.OFF,
                dimmer=level,
                timer=timer,
            )
        )
        state = self.data.keys.setdefault((key.node_id, key.key_id), KeyState())
        state.is_on = on
        if level:
            state.level = level
        for listener in list(self._key_listeners.get((key.node_id, key.key_id), ())):
            listener()

    async def async_set_node(
        self, node_id: int, *, locked: bool | None = None, led_level: int | None = None
    ) -> None:
        """Lock or unlock a node's keypad and/or set its backlight level.

        The vBox sets both in one request; the one not given keeps its known value (or
        unlocked / normal backlight while none is known).
        """
        current = self.data.nodes.get(node_id) or NodeState(
            is_locked=False, led_level=LEDBackgroundBrightness.NORMAL
        )
        if led_level is None:
            led_level = current.led_level
        if led_level not in LEDBackgroundBrightness:
            # A level the protocol does not define cannot be sent back: use the default.
            led_level = LEDBackgroundBrightness.NORMAL
        state = NodeState(
            is_locked=current.is_locked if locked is None else locked, led_level=led_level
        )
        await self.async_send(
            requests.ToggleNodeStatus(
                node_id=node_id,
                lock=LockStatus.LOCKED if state.is_locked else LockStatus.UNLOCKED,
                led=LEDBackgroundBrightness(state.led_level),
            )
        )
        self.data.nodes[node_id] = state
        self.async_update_listeners()


def _ack_name(ack_type: AckType | int) -> str:
    return ack_type.name.lower() if isinstance(ack_type, AckType) else str(ack_type)


def _add[T](listeners: list[T], listener: T) -> CALLBACK_TYPE:
    listeners.append(listener)

    def remove() -> None:
        if listener in listeners:
            listeners.remove(listener)

    return remove
