"""What the house model needs from an interface of the vBox, and what an interface reports.

The vBox has two network interfaces: the app interface VTU (port 11501, :mod:`.vtu`) and the
host interface (port 11502, :mod:`.host_link`); :mod:`.dual_link` uses both at once. A
:class:`Link` is one of them seen from the house: it reads the topology and the states,
carries out actions, and reports what the vBox pushes as :data:`Update` values, in the
model's own terms (no frames, no command lines). Keys are numbered from 0, as VTU does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .connection import ConnectionState
    from .enums import ProtocolVersion
    from .errors import VitreaError
    from .host import ACFan, ACMode, TemperatureUnit, Version
    from .topology import ClimateInfo, KeyInfo, ScenarioInfo, Topology

type Unsubscribe = Callable[[], None]


class Interface(StrEnum):
    """A network interface of the vBox."""

    VTU = "vtu"
    """The app interface (port 11501, with a login)."""
    HOST = "host"
    """The host interface (port 11502)."""


class Press(StrEnum):
    """What a press at the wall does to a push button or satellite key."""

    SHORT = "short_press"
    LONG = "long_press"
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class KeyUpdate:
    """A key's state as the vBox reports it: on or off, and its level (0-100) if it has one."""

    node_id: int
    key_id: int
    is_on: bool
    level: int | None
    timer_minutes: int | None = None
    """Minutes left on the timer that will switch the key off (0: none runs); ``None`` where
    the report tells nothing about timers (VTU's)."""


@dataclass(frozen=True, slots=True)
class KeyPress:
    """A press (or release) of a key at the wall."""

    node_id: int
    key_id: int
    press: Press


@dataclass(frozen=True, slots=True)
class NodeUpdate:
    """A node's keypad lock and backlight level (an ``LEDBackgroundBrightness`` value)."""

    node_id: int
    is_locked: bool
    led_level: int


@dataclass(frozen=True, slots=True)
class ClimateUpdate:
    """An air conditioner's or floor heating's state; ``None`` where the vBox says unknown."""

    climate_id: int
    is_on: bool
    mode: ACMode | None
    fan: ACFan | None
    setpoint: int | None
    temperature: int | None
    """The measured temperature."""
    unit: TemperatureUnit | None
    relay_on: bool | None
    """Whether the unit's relay is on (it heats or cools right now)."""


type Update = KeyUpdate | KeyPress | NodeUpdate | ClimateUpdate


@dataclass(frozen=True, slots=True)
class Discovery:
    """What reading the house gives: the topology, and each node's lock and backlight."""

    topology: Topology
    nodes: dict[int, NodeUpdate]


class Link(Protocol):
    """One interface of a vBox, as the house model uses it.

    Every method that talks to the vBox raises a ``VitreaError`` when it cannot.
    """

    @property
    def connected(self) -> bool:
        """Connected (and logged in, where the interface has a login)."""

    @property
    def interfaces(self) -> dict[Interface, ConnectionState]:
        """Each interface this link uses, and the state it last announced.

        An interface counts as up only once announced ``CONNECTED``: a link on probation
        after a short-lived session is not (see ``docs/connections.md``).
        """

    @property
    def last_error(self) -> VitreaError | None:
        """Why the connection was last lost or could not be made."""

    async def connect(self) -> None:
        """Open the connection; afterwards it is kept up until :meth:`disconnect`."""

    async def disconnect(self) -> None:
        """Close the connection and stop keeping it up."""

    def on_connection_state(self, listener: Callable[[ConnectionState], None]) -> Unsubscribe:
        """Call ``listener`` when the connection state changes."""

    def on_update(self, listener: Callable[[Update], None]) -> Unsubscribe:
        """Call ``listener`` with every state, press and node setting the vBox reports."""

    def learn(self, topology: Topology) -> None:
        """Know the house in use, discovered or restored (to read what the vBox reports)."""

    async def read_identity(self) -> str:
        """The house's hardware identity (see ``Topology.identity``), in few requests.

        Raises:
            NoNodesError: the vBox has no nodes.

        """

    async def discover(self) -> Discovery:
        """Read every room, node and key."""

    async def discover_quickly(self) -> Discovery:
        """What the quickest interface tells: all of :meth:`discover` but, with both, toggles'.

        Their category is :data:`~.topology.UNREAD_CATEGORY` until :meth:`discover`.
        """

    async def read_states(self, keys: Iterable[KeyInfo]) -> None:
        """Ask for the states of ``keys``; they arrive as updates.

        A key that cannot be read is skipped; a lost connection raises.
        """

    @property
    def supports_leds(self) -> bool:
        """Whether :meth:`set_led` can work (the host interface on firmware 9 or later)."""

    @property
    def firmware(self) -> Version | None:
        """The vBox's own firmware version, where an interface tells it (the host interface)."""

    @property
    def protocol_version(self) -> ProtocolVersion | None:
        """VTU's NodeMetaData and KeyParameters layout in use (``None`` without VTU)."""

    def assume_version(self, version: ProtocolVersion | str | None) -> None:
        """Take VTU's layout as an earlier run detected it (nothing without VTU)."""

    def diagnostics(self) -> dict[str, dict[str, Any]]:
        """Each interface's connection, settings and counters, by interface name."""

    async def switch(
        self, key: KeyInfo, *, on: bool, level: int | None = None, timer: int | None = None
    ) -> int | None:
        """Switch ``key`` on (at ``level``; a dimmer without one at its last) or off.

        ``timer``: seconds after which the vBox switches it off again. Returns the timer as
        the vBox took it, in seconds (the host interface's are whole minutes), or ``None``.

        Raises:
            TimerTooLongError: ``timer`` is longer than the interface takes.

        """

    async def stop(self, key: KeyInfo) -> int | None:
        """Stop a moving blind where it is.

        The position it was told to hold, where the interface names one (``None`` where the
        vBox stops it wherever it is): the house follows the blind there.
        """

    async def set_node(self, node_id: int, *, is_locked: bool, led_level: int) -> None:
        """Set a node's keypad lock and backlight level, both at once."""

    async def set_led(self, key: KeyInfo, *, on: bool) -> None:
        """Switch a key's LED indicator on or off."""

    async def set_climate(
        self,
        climate: ClimateInfo,
        *,
        on: bool | None = None,
        mode: ACMode | None = None,
        fan: ACFan | None = None,
        setpoint: int | None = None,
    ) -> None:
        """Change what is given of an air conditioner or floor heating, in that order."""

    async def run_scenario(self, scenario: ScenarioInfo) -> None:
        """Run a scenario of the vBox."""
