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
    hub_identifier,
)
from .entry_house import house_from_entry
from .presses import async_fire_presses
from .repairs import async_report_firmware
from .vbox import (
    AuthenticationError,
    ConnectionState,
    House,
    Interface,
    Key,
    Node,
    VitreaError,
    firmware_text,
)

type VitreaConfigEntry = ConfigEntry[VitreaCoordinator]
type NewKeysListener = Callable[[list[Node], list[Key]], None]
"""Told the nodes new on the vBox, and the keys that became usable (theirs included)."""

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
        self.house = house_from_entry(entry.data, entry.options)
        self.host = entry.data[CONF_HOST]
        self.box_id = entry.unique_id or entry.entry_id
        """What identifies the vBox in its devices' identifiers (see ``docs/identity.md``)."""
        self.hub_id = hub_identifier(self.box_id)
        """The hub device's identifier."""
        self._store = topology_store(hass, entry)
        self._rediscover = False
        """The house in use is to be read again: it was restored, or read from the host
        database alone, without what only VTU tells; or that reading failed."""
        self.states_read = asyncio.Event()
        """Set once the first reading of every key's state after setup has ended."""
        self.synced = asyncio.Event()
        """Set once the reading after setup has ended: the states, then the house again
        where it was restored or read from the host database alone."""
        self._new_keys_listeners: list[NewKeysListener] = []
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
            # rediscovery checks it).
            self.house.restore(stored)
        self._adopt_identifiers()
        try:
            await self.house.connect()
            if stored is None:
                # With both interfaces, from the host database alone: what only VTU tells
                # follows in the background (docs/identity.md).
                await self.house.discover(quickly=True)
                await self._async_save()
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
        if stored is None:
            async_assign_floors(self.hass, self.house.topology)
        # Read again in the background: a stored house, or one the host database alone told.
        self._rediscover = stored is not None or self.house.interfaces.keys() == set(Interface)
        async_report_firmware(self.hass, self.config_entry, self.host, self.house)
        self._up = self.house.interfaces_up
        self._unsubscribe = [
            self.house.on_connection_state(self._handle_connection_state),
            *async_fire_presses(self.hass, self.house.nodes.values(), self.box_id, self.device_ids),
        ]

    def _adopt_identifiers(self) -> None:
        """Identify by the vBox's hardware ID what the entry identified by its own ID before.

        An entry of the host interface alone that got VTU's login (``docs/identity.md``).
        """
        entry_id = self.config_entry.entry_id
        if self.box_id != entry_id:
            renames = {entry_id: self.box_id, hub_identifier(entry_id): self.hub_id}
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
        """Read every key's state; then the house again, where that is due (``_rediscover``).

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
        try:
            if self._rediscover:
                await self._async_rediscover()
        finally:
            self.synced.set()

    async def _async_read_states(self) -> None:
        try:
            await self.house.read_states()
        except VitreaError as err:
            # The link is down; reconnecting reads them again.
            LOGGER.debug("Reading the key states failed: %s", err)

    async def _async_rediscover(self) -> None:
        """Read the house again; where that fails, again once an interface returns."""
        self._rediscover = False
        try:
            change = await self.house.rediscover()
        except VitreaError as err:
            LOGGER.debug("Topology refresh failed, keeping the stored one: %s", err)
            self._rediscover = True
            return
        if change.reshaped:
            # Renamed keys, changed key types or moved nodes: rebuild the entities.
            LOGGER.info("The vBox's configuration changed; reloading")
            self._reshaped = True
            await self._store.async_save(self.house.as_dict() | change.topology.as_dict())
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            return
        # New or removed nodes, nodes' details, toggles' categories, settings, the layout.
        await self._async_save()
        if change.added:
            LOGGER.info(
                "New nodes on the vBox: %s", ", ".join(str(n.node_id) for n in change.added)
            )
        added = [self.house.nodes[node.node_id] for node in change.added]
        keys = [key for node in added for key in node.keys.values()]
        keys += [self.house.nodes[k.node_id].keys[k.key_id] for k in change.kinds_read]
        if keys:
            try:
                await self.house.read_states(keys)
            except VitreaError as err:
                LOGGER.debug("Reading the new keys' states failed: %s", err)
        self._register_devices()  # details, new devices; gone keys' devices leave
        self._unsubscribe += async_fire_presses(self.hass, added, self.box_id, self.device_ids)
        if keys:
            for listener in list(self._new_keys_listeners):
                listener(added, keys)
        async_remove_devices(self.hass, self.config_entry, self.box_id, change.removed)
        self.async_update_listeners()

    def _register_devices(self) -> None:
        self.device_ids = async_register_devices(
            self.hass, self.config_entry, self.box_id, self.house.topology, self.firmware
        )

    @property
    def firmware(self) -> str | None:
        """The vBox's firmware version ("8.66"), where the host interface told it."""
        return firmware_text(self.house.firmware)

    @callback
    def async_add_new_keys_listener(self, listener: NewKeysListener) -> CALLBACK_TYPE:
        """Call ``listener`` with what the vBox adds after setup.

        The nodes new on the vBox, and the keys that became usable: those nodes' keys, and
        toggles whose category VTU told.
        """
        self._new_keys_listeners.append(listener)

        def remove() -> None:
            if listener in self._new_keys_listeners:
                self._new_keys_listeners.remove(listener)

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
        if came_up and self._rediscover and self.synced.is_set():
            # The reading after setup failed (VTU's details, a restored house): again now.
            self._rediscover = False
            self.config_entry.async_create_background_task(
                self.hass, self._async_rediscover(), f"{DOMAIN} rediscover"
            )

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
