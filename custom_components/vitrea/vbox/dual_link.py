"""Both interfaces of one vBox as a single :class:`~.link.Link`: the house merges them.

The app interface (VTU) knows each node's identity, model, firmware, keypad lock and
backlight, and a key's category (a light, not just a switch); the host interface adds
floors, air conditioners, scenarios, LED indicators, blind stop, dimmer recall and all
states in one request. This link reads the house from both and sends each action to the
interface that does it best:

* **Topology:** the host database's rooms, names, floors, climates and scenarios, and VTU's
  nodes (identity, model, firmware, key types, and the category of toggle keys), the two
  read at once (:meth:`discover`). A first setup need not wait for VTU: the database alone
  (:meth:`discover_quickly`) describes every key but a toggle's category.
* **States and presses** come from the host interface while it is connected, from VTU
  otherwise, so each press is reported once; but push buttons' presses come from VTU while
  it is connected (the host interface tells no long press). Keypad settings come from VTU.
* **Actions** on keys go to the host interface while it is connected, else to VTU (and so do
  timers longer than the host interface's two hours); keypad settings go to VTU; LEDs,
  climates and scenarios to the host interface.
* **Connection:** :meth:`connect` needs both. Afterwards each interface reconnects by
  itself; :attr:`interfaces` tells each one's state, and the listeners are told whenever
  either changes, with the combined state derived from both as they are at that moment
  (never from the order of the events): connected while either is up.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from .connection import ConnectionState
from .enums import KeyType
from .errors import VitreaError
from .host_link import MAX_TIMER
from .link import Discovery, KeyPress, NodeUpdate
from .log import LOGGER, Logger

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .enums import ProtocolVersion
    from .host import ACFan, ACMode, Version
    from .host_link import HostLink
    from .link import Interface, Link, Unsubscribe, Update
    from .topology import ClimateInfo, KeyInfo, ScenarioInfo, Topology
    from .vtu import VTULink


class DualLink:
    """A house's link over both interfaces of its vBox."""

    def __init__(self, vtu: VTULink, host: HostLink, *, logger: Logger | None = None) -> None:
        """Use both links; nothing is sent before :meth:`connect`."""
        self.vtu = vtu
        self.host = host
        self._log: Logger = logger or LOGGER
        self._push_buttons: set[tuple[int, int]] = set()
        """The push buttons' addresses (node, key)."""

    @property
    def _keys(self) -> Link:
        """The link that switches keys and reports their states now."""
        return self.host if self.host.connected else self.vtu

    @property
    def connected(self) -> bool:
        """Either interface is connected."""
        return self.vtu.connected or self.host.connected

    @property
    def interfaces(self) -> dict[Interface, ConnectionState]:
        """Both interfaces and their states."""
        return self.vtu.interfaces | self.host.interfaces

    @property
    def last_error(self) -> VitreaError | None:
        """Why an interface was last lost: VTU's if it is down, else the host interface's."""
        return self.vtu.last_error if not self.vtu.connected else self.host.last_error

    @property
    def supports_leds(self) -> bool:
        """The host interface's firmware takes LED commands."""
        return self.host.supports_leds

    @property
    def firmware(self) -> Version | None:
        """As the host interface tells it."""
        return self.host.firmware

    @property
    def protocol_version(self) -> ProtocolVersion | None:
        """VTU's layout."""
        return self.vtu.protocol_version

    def assume_version(self, version: ProtocolVersion | str | None) -> None:
        """VTU's layout."""
        self.vtu.assume_version(version)

    def diagnostics(self) -> dict[str, dict[str, Any]]:
        """Both interfaces'."""
        return self.vtu.diagnostics() | self.host.diagnostics()

    async def connect(self) -> None:
        """Connect both interfaces; if either fails, neither stays connected."""
        results = await asyncio.gather(
            self.vtu.connect(), self.host.connect(), return_exceptions=True
        )
        errors = [result for result in results if isinstance(result, BaseException)]
        if errors:
            await self.disconnect()
            raise errors[0]

    async def disconnect(self) -> None:
        """Disconnect both."""
        await asyncio.gather(self.vtu.disconnect(), self.host.disconnect())

    def on_connection_state(self, listener: Callable[[ConnectionState], None]) -> Unsubscribe:
        """The combined state (:func:`combined_state`), whenever either interface's changes."""

        def changed(_: ConnectionState) -> None:
            listener(combined_state(self.interfaces.values()))

        return _both(self.vtu.on_connection_state(changed), self.host.on_connection_state(changed))

    def on_update(self, listener: Callable[[Update], None]) -> Unsubscribe:
        """Key states and presses from the interface in charge; keypad settings from VTU.

        A push button's presses come from VTU while it is connected: the host interface
        tells only down and up, so a long press would arrive as a short one and a release.
        """

        def from_vtu(update: Update) -> None:
            if isinstance(update, NodeUpdate) or not self.host.connected or self._vtu_press(update):
                listener(update)

        def from_host(update: Update) -> None:
            if not isinstance(update, NodeUpdate) and not (
                self._vtu_press(update) and self.vtu.connected
            ):
                listener(update)

        return _both(self.vtu.on_update(from_vtu), self.host.on_update(from_host))

    def _vtu_press(self, update: Update) -> bool:
        """A press that VTU tells best: a push button's."""
        return (
            isinstance(update, KeyPress) and (update.node_id, update.key_id) in self._push_buttons
        )

    def learn(self, topology: Topology) -> None:
        """Both learn the house."""
        self.vtu.learn(topology)
        self.host.learn(topology)
        self._push_buttons = {
            key.address for key in topology.all_keys() if key.type == KeyType.PUSH_BUTTON
        }

    async def read_identity(self) -> str:
        """VTU's: the host interface tells none."""
        return await self.vtu.read_identity()

    async def discover(self) -> Discovery:
        """The host database and VTU's nodes at once, then VTU for what only it tells.

        VTU reads each node (its identity, model, firmware, keypad settings and key types)
        while the database is read, then the parameters of toggle keys only, whose category
        tells a light from a boiler or a switch; rooms and names come from the database
        (:meth:`~.vtu.VTULink.discover`). The result is VTU's reading with the database's
        floors, climates and scenarios. If either fails, so does the discovery: VTU's failure
        stops the database read at once; the database's is raised when VTU, its nodes read,
        needs the database.
        """
        database = asyncio.ensure_future(self._read_database())
        try:
            vtu = await self.vtu.discover(known=database)
        finally:
            database.cancel()
            with contextlib.suppress(asyncio.CancelledError, VitreaError):
                await database
        return Discovery(vtu.topology.with_host_database(database.result()), vtu.nodes)

    async def discover_quickly(self) -> Discovery:
        """The host database alone: every toggle's category unread, no node settings.

        Milliseconds where :meth:`discover` takes VTU's request per node and toggle; a
        later :meth:`discover` fills in what only VTU tells (see ``docs/identity.md`` §3).
        """
        return Discovery((await self._read_database()).with_toggles_unread(), {})

    async def _read_database(self) -> Topology:
        """The host interface's reading: its database tells no node settings."""
        return (await self.host.discover()).topology

    async def read_states(self, keys: Iterable[KeyInfo]) -> None:
        """All at once over the host interface, key by key over VTU without it."""
        await self._keys.read_states(keys)

    async def switch(
        self, key: KeyInfo, *, on: bool, level: int | None = None, timer: int | None = None
    ) -> int | None:
        """By the interface in charge of keys; a timer too long for the host interface by VTU."""
        link = self.vtu if timer and timer > MAX_TIMER and self.vtu.connected else self._keys
        return await link.switch(key, on=on, level=level, timer=timer)

    async def stop(self, key: KeyInfo) -> int | None:
        """The host interface's stop command, else VTU's emulation."""
        return await self._keys.stop(key)

    async def set_node(self, node_id: int, *, is_locked: bool, led_level: int) -> None:
        """Over VTU."""
        await self.vtu.set_node(node_id, is_locked=is_locked, led_level=led_level)

    async def set_led(self, key: KeyInfo, *, on: bool) -> None:
        """Over the host interface."""
        await self.host.set_led(key, on=on)

    async def set_climate(
        self,
        climate: ClimateInfo,
        *,
        on: bool | None = None,
        mode: ACMode | None = None,
        fan: ACFan | None = None,
        setpoint: int | None = None,
    ) -> None:
        """Over the host interface."""
        await self.host.set_climate(climate, on=on, mode=mode, fan=fan, setpoint=setpoint)

    async def run_scenario(self, scenario: ScenarioInfo) -> None:
        """Over the host interface."""
        await self.host.run_scenario(scenario)


def combined_state(states: Iterable[ConnectionState]) -> ConnectionState:
    """Connected while any is; else reconnecting while any tries; else disconnected."""
    found = set(states)
    for state in (ConnectionState.CONNECTED, ConnectionState.RECONNECTING):
        if state in found:
            return state
    return ConnectionState.DISCONNECTED


def _both(first: Unsubscribe, second: Unsubscribe) -> Unsubscribe:
    def unsubscribe() -> None:
        first()
        second()

    return unsubscribe
