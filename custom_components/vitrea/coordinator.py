"""The coordinator: owns the connection to the vBox and keeps Home Assistant in step with it.

The house itself (topology, states, actions) is the library's :class:`House`; entities
subscribe to its keys and nodes. The coordinator connects, keeps the topology in storage so
a restart needs no discovery, tracks availability, starts reauthentication, and keeps the
device registry in step with the nodes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.storage import Store
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN, LOGGER
from .devices import (
    async_adopt_identifiers,
    async_assign_floors,
    async_register_devices,
    async_remove_devices,
)
from .entry_house import house_from_entry
from .presses import async_fire_presses
from .repairs import async_report_firmware
from .vbox import (
    AuthenticationError,
    ConnectionState,
    House,
    Interface,
    Node,
    VitreaError,
    firmware_text,
)

type VitreaConfigEntry = ConfigEntry[VitreaCoordinator]
type NodesListener = Callable[[list[Node]], None]

STORAGE_VERSION = 1


def topology_store(hass: HomeAssistant, entry: ConfigEntry) -> Store[dict[str, Any]]:
    """Where an entry's discovered topology is kept between restarts."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.topology")


class VitreaCoordinator(DataUpdateCoordinator[House]):
    """Connects to the vBox and keeps Home Assistant in step with its house."""

    config_entry: VitreaConfigEntry

    def __init__(self, hass: HomeAssistant, entry: VitreaConfigEntry) -> None:
        """Prepare the coordinator; nothing is connected before the first refresh."""
        super().__init__(hass, LOGGER, config_entry=entry, name=DOMAIN)
        self._scope = f"{entry.entry_id}_"
        """What begins the node identifiers of an entry of the host interface alone."""
        self.house = house_from_entry(entry.data, entry.options, scope=self._scope)
        self.host = entry.data[CONF_HOST]
        self.hub_id = f"vbox_{entry.unique_id or entry.entry_id}"
        """The hub device's identifier (the entry's unique ID is also its first node's)."""
        self._store = topology_store(hass, entry)
        self._restored = False
        self.states_read = asyncio.Event()
        """Set once the first reading of every key's state after setup has ended."""
        self._nodes_listeners: list[NodesListener] = []
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self.device_ids: dict[int, str] = {}
        """Each node's device registry ID."""
        self._up: frozenset[Interface] = frozenset()
        """The interfaces that were up when last looked at."""
        self._rereading: asyncio.Task[None] | None = None
        self._reread_again = False
        self._reshaped = False
        """The vBox's house changed shape: the new one is stored, for the reload."""

    # -- setup -----------------------------------------------------------------------

    async def _async_setup(self) -> None:
        """Connect, then take the topology from storage or discover it."""
        stored = await self._store.async_load()
        if stored is not None:
            # Before connecting: VTU's layout detected last time saves its probe (the
            # rediscovery checks it). What the host interface alone read knows no EUI-64:
            # an entry that logs in to VTU now reads the house again.
            self.house.restore(stored)
            self._restored = not self._uses_vtu or self.house.identity is not None
        try:
            await self.house.connect()
            if not self._restored:
                await self.house.discover()
                await self._async_save()
                self._adopt_identifiers()
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
        self.data = self.house
        # Device names are translated as the devices are registered.
        await async_get_translations(self.hass, self.hass.config.language, "device", {DOMAIN})
        self._register_devices()
        if not self._restored:
            async_assign_floors(self.hass, self.house.topology)
        async_report_firmware(self.hass, self.config_entry, self.host, self.house)
        self._up = self.house.interfaces_up
        self._unsubscribe = [
            self.house.on_connection_state(self._handle_connection_state),
            *async_fire_presses(self.hass, self.house.nodes.values(), self.device_ids),
        ]

    @property
    def _uses_vtu(self) -> bool:
        return Interface.VTU in self.house.interfaces

    def _adopt_identifiers(self) -> None:
        """Give the devices and entities an entry had without VTU's login their new IDs."""
        if not self._uses_vtu:
            return
        renames = {
            f"{self._scope}node{node.node_id}": node.identifier
            for node in self.house.topology.nodes.values()
        }
        renames[f"vbox_{self.config_entry.entry_id}"] = self.hub_id
        async_adopt_identifiers(self.hass, self.config_entry, renames)

    async def _async_update_data(self) -> House:
        """Nothing to fetch: states are pushed, and read once in the background after setup."""
        return self.house

    async def async_shutdown(self) -> None:
        """Stop listening and close the connection."""
        await super().async_shutdown()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        await self.house.disconnect()
        if self.house.nodes and not self._reshaped:  # not over the new house
            await self._async_save()  # the nodes' settings as they are now

    async def _async_save(self) -> None:
        """Keep the house (and the layout in use) for the next start."""
        await self._store.async_save(self.house.as_dict())

    # -- in the background -----------------------------------------------------------

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
            await self._async_read_states()
        finally:
            self.states_read.set()
        if self._restored:
            self._restored = False
            await self._async_rediscover()

    async def _async_read_states(self) -> None:
        try:
            await self.house.read_states()
        except VitreaError as err:
            # The link is down; reconnecting reads them again.
            LOGGER.debug("Reading the key states failed: %s", err)

    async def _async_rediscover(self) -> None:
        try:
            change = await self.house.rediscover()
        except VitreaError as err:
            LOGGER.debug("Topology refresh failed, keeping the stored one: %s", err)
            return
        if change.reshaped:
            # Renamed keys, changed key types or moved nodes: rebuild the entities.
            LOGGER.info("The vBox's configuration changed; reloading")
            self._reshaped = True
            await self._store.async_save(self.house.as_dict() | change.topology.as_dict())
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            return
        await self._async_save()  # new or removed nodes, the nodes' settings, the layout
        if change.added:
            LOGGER.info(
                "New nodes on the vBox: %s", ", ".join(str(n.node_id) for n in change.added)
            )
            added = [self.house.nodes[node.node_id] for node in change.added]
            try:
                await self.house.read_states([key for node in added for key in node.keys.values()])
            except VitreaError as err:
                LOGGER.debug("Reading the new nodes' states failed: %s", err)
            self._register_devices()
            self._unsubscribe += async_fire_presses(self.hass, added, self.device_ids)
            for listener in list(self._nodes_listeners):
                listener(added)
        async_remove_devices(self.hass, self.config_entry, change.removed)
        self.async_update_listeners()

    def _register_devices(self) -> None:
        self.device_ids = async_register_devices(
            self.hass, self.config_entry, self.hub_id, self.house.topology, self.firmware
        )

    @property
    def firmware(self) -> str | None:
        """The vBox's firmware version ("8.66"), where the host interface told it."""
        return firmware_text(self.house.firmware)

    @callback
    def async_add_nodes_listener(self, listener: NodesListener) -> CALLBACK_TYPE:
        """Call ``listener`` with the nodes that appear on the vBox after setup."""
        self._nodes_listeners.append(listener)

        def remove() -> None:
            if listener in self._nodes_listeners:
                self._nodes_listeners.remove(listener)

        return remove

    # -- availability ----------------------------------------------------------------

    def serves(self, interfaces: Collection[Interface]) -> bool:
        """One of ``interfaces`` is up: what an entity served over them needs."""
        return not self.house.interfaces_up.isdisjoint(interfaces)

    @callback
    def _handle_connection_state(self, _: ConnectionState) -> None:
        """Follow the interfaces' states: one log line per change of the box as a whole.

        Everything is derived from the interfaces' states as they are now, never from the
        order of the events, so either interface may drop or return first.
        """
        up = self.house.interfaces_up
        came_up, went_down = up - self._up, self._up - up
        for interface in sorted(went_down):
            LOGGER.debug("The %s interface of the vBox at %s is down", interface.name, self.host)
        for interface in sorted(came_up):
            LOGGER.debug("The %s interface of the vBox at %s is up", interface.name, self.host)
        if bool(up) != bool(self._up):
            if up:
                LOGGER.info("The vBox at %s is available again", self.host)
            else:
                LOGGER.info("The vBox at %s is unavailable: %s", self.host, self.house.last_error)
        self._up = up
        self.last_update_success = bool(up)
        if self._vtu_login_rejected():
            self.config_entry.async_start_reauth(self.hass)
        self.async_update_listeners()
        if up and (came_up or went_down):
            # Keys may have changed while an interface was down, or while one stalled before
            # it was found dead (what it should have reported is lost), and another may now
            # be in charge of them: every state is read again.
            self._reread()

    def _reread(self) -> None:
        """Read every state again in the background; once more after a reading under way."""
        if self._rereading is not None and not self._rereading.done():
            self._reread_again = True
            return
        self._rereading = self.config_entry.async_create_background_task(
            self.hass, self._async_reread(), f"{DOMAIN} re-read states"
        )

    async def _async_reread(self) -> None:
        self._reread_again = True
        while self._reread_again:
            self._reread_again = False
            await self._async_read_states()

    def _vtu_login_rejected(self) -> bool:
        """VTU is down because it rejected the login (the host interface may carry on)."""
        state = self.house.interfaces.get(Interface.VTU)
        return state is ConnectionState.DISCONNECTED and isinstance(
            self.house.last_error, AuthenticationError
        )
