"""The host interface (port 11502) as a :class:`~.link.Link` of the house model.

It reads the house from the vBox's database (VTH frames), asks for every state at once
(``H:NALL:G``), turns actions into command lines on a :class:`~.host_client.HostClient`,
and the status lines the box sends into updates. The client stays reachable as
``link.client``.

What this link decides where the sources are open: the numbering of keys
(docs/host-interface.md §6), what each key type becomes (§5.1), what the database lacks,
bulk states, what answers a command, timers, dimmers and push buttons (§7.3), and the order
of it all (§8).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import host
from .enums import KeyCategory, KeyType
from .errors import HostCommandError, NoNodesError, NotSupportedError, TimerTooLongError
from .host import commands
from .link import (
    ClimateUpdate,
    Discovery,
    Interface,
    KeyPress,
    KeyUpdate,
    Press,
    Unsubscribe,
    Update,
)
from .log import LOGGER, Logger
from .topology import ClimateInfo, KeyInfo, KeyKind, NodeInfo, ScenarioInfo, Topology

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .connection import ConnectionState
    from .enums import ProtocolVersion
    from .errors import VitreaError
    from .host_client import HostClient

H = host.HostKeyType
KEY_TYPES: dict[int, tuple[KeyType, KeyCategory]] = {
    H.TOGGLE: (KeyType.TOGGLE, KeyCategory.UNDEFINED),
    H.HEATER: (KeyType.TOGGLE, KeyCategory.UNDEFINED),
    H.TOGGLE_MW: (KeyType.TOGGLE, KeyCategory.UNDEFINED),
    H.BOILER: (KeyType.BOILER, KeyCategory.BOILER),
    H.DIMMER: (KeyType.DIMMER, KeyCategory.LIGHT),
    H.BLIND_UP: (KeyType.BLIND, KeyCategory.UNDEFINED),
    H.BLIND_UP_DOWN: (KeyType.BLIND, KeyCategory.UNDEFINED),
    H.BLIND_MW: (KeyType.BLIND_MW, KeyCategory.UNDEFINED),
    H.PUSH_BUTTON: (KeyType.PUSH_BUTTON, KeyCategory.UNDEFINED),
    H.SATELLITE: (KeyType.SATELLITE, KeyCategory.SCENARIO),
    H.SCENE: (KeyType.TOGGLE_SCENE, KeyCategory.SCENARIO),
    H.THERMOSTAT: (KeyType.THERMOSTAT, KeyCategory.UNDEFINED),
}
"""The VTU type and category each host key type is read as."""
UNUSABLE = (KeyType.NOT_ACTIVE, KeyCategory.UNDEFINED)
PRESSES: dict[host.KeyState | str, Press] = {
    host.KeyState.SHORT: Press.SHORT,
    host.KeyState.LONG: Press.LONG,
    host.KeyState.RELEASE: Press.RELEASE,
}
BUTTON_PRESSES: dict[host.KeyState | str, Press] = {
    host.KeyState.ON: Press.SHORT,
    host.KeyState.OFF: Press.RELEASE,
}
MAX_TIMER_MINUTES = host.MAX_MINUTES


MAX_TIMER = MAX_TIMER_MINUTES * 60
"""The longest timer the host interface takes, in seconds (VTU takes up to 65,535)."""


def timer_minutes(seconds: int) -> int:
    """A timer in whole minutes, as the host interface takes it: rounded up, at least 1.

    Raises:
        TimerTooLongError: longer than :data:`MAX_TIMER`.

    """
    if seconds > MAX_TIMER:
        raise TimerTooLongError(seconds, MAX_TIMER, "host interface")
    return max(math.ceil(seconds / 60), 1)


class HostLink:
    """A house's link over the host interface."""

    def __init__(self, client: HostClient, *, logger: Logger | None = None) -> None:
        """Use ``client``; nothing is sent before :meth:`connect`."""
        self.client = client
        self._log: Logger = logger or LOGGER
        self.firmware: host.Version | None = None
        """The vBox's firmware version, read at each connection."""
        self._kinds: dict[tuple[int, int], KeyKind | None] = {}
        self._polling = False
        self._held: set[tuple[int, int]] = set()
        """The push buttons last reported down (``O``), by node and key."""

    @property
    def connected(self) -> bool:
        """Connected, and the session acknowledged."""
        return self.client.connected

    @property
    def interfaces(self) -> dict[Interface, ConnectionState]:
        """The host interface, in the state its connection last announced."""
        return {Interface.HOST: self.client.state}

    @property
    def last_error(self) -> VitreaError | None:
        """Why the connection was last lost or could not be re-established."""
        return self.client.last_error

    @property
    def supports_leds(self) -> bool:
        """Firmware 9 or later (or 0) takes LED commands (docs/host-interface.md §2)."""
        return self.firmware is not None and self.firmware.supports_led_commands

    @property
    def protocol_version(self) -> ProtocolVersion | None:
        """None: layouts are VTU's."""
        return None

    def assume_version(self, version: ProtocolVersion | str | None) -> None:
        """Nothing to assume: layouts are VTU's."""

    def diagnostics(self) -> dict[str, dict[str, Any]]:
        """The connection, the vBox's firmware, and the bad input counted."""
        client = self.client
        return {
            Interface.HOST.value: {
                "port": client.port,
                "state": client.state,
                "connected": client.connected,
                "last_error": None if client.last_error is None else str(client.last_error),
                "firmware": firmware_text(self.firmware),
                "supports_leds": self.supports_leds,
                "malformed_messages": client.malformed,
            }
        }

    async def connect(self) -> None:
        """Connect, start the session and read the firmware version."""
        await self.client.connect()
        try:
            self.firmware = await self.client.version()
        except BaseException:
            await self.client.disconnect()
            raise

    async def disconnect(self) -> None:
        """Disconnect and stop reconnecting."""
        await self.client.disconnect()

    def on_connection_state(self, listener: Callable[[ConnectionState], None]) -> Unsubscribe:
        """The client's connection states."""
        return self.client.on_connection_state(listener)

    def on_update(self, listener: Callable[[Update], None]) -> Unsubscribe:
        """Every key and AC status line, and every press, as updates."""

        def translate(message: host.LineMessage) -> None:
            update = self._update_of(message)
            if update is not None:
                listener(update)

        return self.client.on_message(translate)

    def _update_of(self, message: host.LineMessage) -> Update | None:
        if isinstance(message, host.ACStatus):
            return ClimateUpdate(
                message.ac,
                message.is_on,
                message.mode,
                message.fan,
                message.setpoint,
                message.temperature,
                message.unit,
                message.relay_on,
            )
        if isinstance(message, host.KeyStatus):
            return self._key_update(message)
        return None

    def _key_update(self, message: host.KeyStatus) -> Update | None:
        node_id, key_id = message.node, message.key - 1
        kind = self._kinds.get((node_id, key_id))
        press = PRESSES.get(message.state)
        if press is None and kind is KeyKind.BUTTON:
            press = BUTTON_PRESSES.get(message.state)
            if press is not None and not self._button_moved((node_id, key_id), press):
                return None  # it stands as it stood: no press
        if press is not None:
            if self._polling:
                return None  # a polled button reports how it stands, not a press
            return KeyPress(node_id, key_id, press)
        if message.state in (host.KeyState.DIMMER, host.KeyState.BLIND):
            level = message.level
            return None if level is None else KeyUpdate(node_id, key_id, level > 0, level)
        if message.is_on is None:
            self._log.debug("Status %s of key %d/%d ignored", message.state, node_id, key_id)
            return None
        level = 100 if message.is_on else 0
        return KeyUpdate(node_id, key_id, message.is_on, level, message.timer_minutes)

    def _button_moved(self, address: tuple[int, int], press: Press) -> bool:
        """Note a push button down (``O``) or up (``F``); whether that is a change."""
        down = press is Press.SHORT
        if (address in self._held) == down:
            return False
        if down:
            self._held.add(address)
        else:
            self._held.discard(address)
        return True

    async def read_identity(self) -> str:
        """The host interface tells no hardware identity.

        Raises:
            NotSupportedError: always.

        """
        msg = "the host interface tells no hardware identity; it needs the app interface"
        raise NotSupportedError(msg)

    async def discover_quickly(self) -> Discovery:
        """All of :meth:`discover`: this interface alone is the quickest there is."""
        return await self.discover()

    async def discover(self) -> Discovery:
        """Floors, rooms, keypads and their keys, ACs and scenarios: one request apiece."""
        read = self.client.read
        floors = {
            floor_id: (await read(commands.floor_params(floor_id))).name
            for floor_id in (await read(commands.floor_numbers())).floors
        }
        rooms, room_floors = {}, {}
        for room_id in (await read(commands.room_numbers())).rooms:
            room = await read(commands.room_params(room_id))
            rooms[room_id], room_floors[room_id] = room.name, room.floor
        nodes = {}
        for keypad, count in (await read(commands.keypad_numbers())).keypads:
            keys = [await read(commands.key_params(keypad, key)) for key in range(1, count + 1)]
            nodes[keypad] = _node(keypad, keys)
        climates = {}
        for ac_id in (await read(commands.ac_numbers())).acs:
            ac = await read(commands.ac_params(ac_id))
            climates[ac_id] = ClimateInfo(ac_id, int(ac.ac_type), ac.room, ac.name)
        scenarios = {}
        for scenario_id in (await read(commands.scenario_numbers())).scenarios:
            params = await read(commands.scenario_params(scenario_id))
            home = None if params.is_global or params.room not in rooms else params.room
            scenarios[scenario_id] = ScenarioInfo(scenario_id, home, params.name)
        if not nodes:
            msg = "the vBox has no keypads"
            raise NoNodesError(msg)
        topology = Topology(rooms, nodes, floors, room_floors, climates, scenarios)
        self.learn(topology)
        return Discovery(topology, {})

    def learn(self, topology: Topology) -> None:
        """Know the kinds of the keys (push buttons report presses as states)."""
        self._kinds = {key.address: key.kind for key in topology.all_keys()}

    async def read_states(self, keys: Iterable[KeyInfo]) -> None:  # noqa: ARG002 - all at once
        """Every key's and AC's state at once: ``H:NALL:G``, fenced by a version query."""
        self._polling = True
        try:
            await self.client.send(host.status_all())
            self.firmware = await self.client.version()
        finally:
            self._polling = False

    async def switch(
        self, key: KeyInfo, *, on: bool, level: int | None = None, timer: int | None = None
    ) -> int | None:
        """One command line, by the key's kind; the timer in the whole minutes it takes."""
        node, number = key.node_id, key.key_id + 1
        minutes = 0
        if key.kind is KeyKind.DIMMER:
            if not on:
                command = commands.dim(node, number, 0)
            elif level:
                command = commands.dim(node, number, level)
            else:
                command = commands.dim_recall(node, number)
        elif key.kind is KeyKind.COVER:
            command = commands.blind(node, number, (level or 100) if on else 0)
        elif on:
            minutes = timer_minutes(timer) if timer else 0
            command = commands.key_on(node, number, minutes)
        else:
            command = commands.key_off(node, number)
        await self.client.command(command)
        return minutes * 60 or None

    async def stop(self, key: KeyInfo) -> int | None:
        """``B:255``: the blind stops wherever it is; its position arrives as an update."""
        await self.client.command(commands.blind_stop(key.node_id, key.key_id + 1))
        return None

    async def set_node(self, node_id: int, *, is_locked: bool, led_level: int) -> None:  # noqa: ARG002
        """Not over the host interface.

        Raises:
            NotSupportedError: always.

        """
        msg = "keypad lock and backlight need the app interface (port 11501)"
        raise NotSupportedError(msg)

    async def set_led(self, key: KeyInfo, *, on: bool) -> None:
        """``L:Nnnn:k:O|F``.

        Raises:
            NotSupportedError: the firmware takes no LED commands.

        """
        if not self.supports_leds:
            version = self.firmware.digits if self.firmware else "unknown"
            msg = f"LED indicators need vBox firmware 9 or later (this one is {version})"
            raise NotSupportedError(msg)
        await self.client.command(commands.led(key.node_id, key.key_id + 1, on=on))

    async def set_climate(
        self,
        climate: ClimateInfo,
        *,
        on: bool | None = None,
        mode: host.ACMode | None = None,
        fan: host.ACFan | None = None,
        setpoint: int | None = None,
    ) -> None:
        """One line per change: power, mode, fan, set-point."""
        ac = climate.climate_id
        changes = [
            *([] if on is None else [commands.ac_power(ac, on=on)]),
            *([] if mode is None else [commands.ac_mode(ac, mode)]),
            *([] if fan is None else [commands.ac_fan(ac, fan)]),
            *([] if setpoint is None else [commands.ac_setpoint(ac, setpoint)]),
        ]
        for command in changes:
            await self.client.command(command)

    async def run_scenario(self, scenario: ScenarioInfo) -> None:
        """``H:Rssss``; the box answers whether it ran.

        Raises:
            HostCommandError: the box did not run it.

        """
        scenario_id = scenario.scenario_id
        result = await self.client.command(commands.run_scenario(scenario_id))
        if not result.ok:
            raise HostCommandError(None, f"scenario {scenario_id} did not run")


def _node(node_id: int, keys: list[host.KeyParams]) -> NodeInfo:
    """A node as the host database describes it: no EUI-64, model or firmware.

    Its room is its first key's; a key in another room has that as its own.
    """
    room = keys[0].room if keys else 0
    infos = tuple(
        KeyInfo(
            node_id,
            key.key - 1,
            int(kind),
            int(category),
            key.name,
            None if key.room == room else key.room,
        )
        for key in keys
        for kind, category in (KEY_TYPES.get(int(key.key_type), UNUSABLE),)
    )
    return NodeInfo(node_id, "", 0, "", room, infos)


def firmware_text(version: host.Version | None) -> str | None:
    """A firmware version as the vendor writes it, e.g. ``"8.66"``."""
    return None if version is None else f"{version.major}.{version.minor:02d}"
