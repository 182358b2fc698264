"""The simulated box's behaviour, without sockets or protocol encoding.

What its keys, blinds, dimmers, timers, ACs, scenarios and keypads do, whoever asks (a
client, the wall, a timer).

Blinds travel as motors do: ``blind_travel`` seconds from closed to fully open (0: at once);
a dimmer sent up or down ramps the same way in ``dimmer_ramp`` seconds. On the way, the
position is announced at regular steps and once more on arrival; a new command retargets it,
and one to the position it has reached halts it there.

Every change is announced to the :class:`Listener` objects subscribed (the protocol
front-ends, which turn it into their own pushes), in the order they subscribed, and every
change of state, announced or not, to the watchers (plain callbacks: the tests' waits).
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .house import FULL, Ac, House, Key, KeypadLockedError, Scenario
from .wire import KeyType

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

_LOGGER = logging.getLogger("vbox_simulator")

DEFAULT_BLIND_TRAVEL = 20.0
"""Seconds a blind takes from closed to fully open, or back: what real motors take."""
DEFAULT_DIMMER_RAMP = 5.0
"""Seconds a dimmer going up takes from off to full, or down back."""
BLIND_REPORT_INTERVAL = 1.0
"""The most seconds between two position reports of a travelling blind..."""
BLIND_REPORTS = 10
"""...and the fewest reports over a full travel: a short travel time reports more often."""
PRESS_KINDS = ("short", "long", "release")
TOGGLED_BY_SHORT_PRESS = frozenset(
    {
        KeyType.TOGGLE,
        KeyType.DIMMER,
        KeyType.DIMMER_MW,
        KeyType.TOGGLE_SCENE,
        KeyType.DUAL_POLE,
        KeyType.BOILER,
    }
)
"""Keys that a short press at the wall switches over, as well as reporting the press."""

type Address = tuple[int, int]
"""A key's node and key IDs."""


@dataclass(frozen=True)
class KeyChanged:
    """A key's new state; ``origin`` is what asked for it (``None``: the box itself)."""

    node_id: int
    key: Key
    origin: object | None = None


@dataclass(frozen=True)
class KeyPressed:
    """A press at the wall (``short``, ``long`` or ``release``); ``toggled`` if it switched."""

    node_id: int
    key: Key
    kind: str
    toggled: bool


@dataclass(frozen=True)
class AcChanged:
    """An AC's new state."""

    ac: Ac


type Change = KeyChanged | KeyPressed | AcChanged


class Listener(Protocol):
    """What a protocol front-end implements to hear of the box's changes."""

    async def changed(self, change: Change) -> None:
        """Tell the clients of ``change`` (never raises)."""


class Engine:
    """The behaviour of one simulated box: its house, motions, timers and announcements."""

    def __init__(
        self,
        house: House,
        *,
        blind_travel: float = DEFAULT_BLIND_TRAVEL,
        dimmer_ramp: float = DEFAULT_DIMMER_RAMP,
        minute: float = 60.0,
    ) -> None:
        """An engine for ``house``; nothing runs until a key moves or a timer starts.

        Raises:
            ValueError: a negative ``blind_travel`` or a ``minute`` not above 0.

        """
        if not 0 < minute < math.inf:
            msg = f"minute must be a positive number of seconds, got {minute!r}"
            raise ValueError(msg)
        self.house = house
        self.minute = minute
        """Seconds of one minute of a timer (a host timer is given in minutes)."""
        self.blind_travel = blind_travel
        self.dimmer_ramp = dimmer_ramp
        """Seconds a dimmer going up takes from off to full, or down back (0: at once)."""
        self._listeners: list[Listener] = []
        self._watchers: list[Callable[[], None]] = []
        self._timers: dict[Address, asyncio.Task[None]] = {}
        self._timer_ends: dict[Address, float] = {}
        """When each running timer switches its key off (event-loop time)."""
        self._motions: dict[Address, asyncio.Task[None]] = {}

    @property
    def blind_travel(self) -> float:
        """Seconds a blind takes from closed to fully open, 0 for at once (settable).

        Raises:
            ValueError: set to a negative (or not a) number of seconds.

        """
        return self._blind_travel

    @blind_travel.setter
    def blind_travel(self, seconds: float) -> None:
        if not 0 <= seconds < math.inf:  # nor NaN
            msg = f"blind travel must be a number of seconds, 0 or more, got {seconds!r}"
            raise ValueError(msg)
        self._blind_travel = float(seconds)

    @property
    def moving(self) -> frozenset[Address]:
        """The blinds travelling and dimmers going up or down."""
        return frozenset(self._motions)

    @property
    def timed(self) -> frozenset[Address]:
        """The keys whose timer runs."""
        return frozenset(self._timers)

    # -- announcements ---------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Announce every change to ``listener`` (after those subscribed before)."""
        self._listeners.append(listener)

    def watch(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every change of state, announced or not."""
        self._watchers.append(callback)

    def touched(self) -> None:
        """Tell the watchers that the state changed."""
        for callback in self._watchers:
            callback()

    async def _announce(self, change: Change) -> None:
        self.touched()
        for listener in self._listeners:
            await listener.changed(change)

    # -- switching -------------------------------------------------------------------

    async def switch_key(  # noqa: PLR0913 - a command's fields, and who gave it
        self,
        node_id: int,
        key: Key,
        *,
        on: bool,
        level: int = 0,
        timer: float = 0.0,
        origin: object | None = None,
    ) -> bool:
        """Switch a key as the box does for any command; whether it was announced now.

        A blind is sent to its position (it may travel: not announced now, its positions are
        as it goes); other keys switch at once, with a timer of ``timer`` seconds when
        switched on. Any running timer or motion of the key ends.
        """
        self._cancel_timer(node_id, key.id)
        if key.is_blind:
            if not self._send_blind(node_id, key, key.position_for(on=on, level=level)):
                return False
        else:
            self._halt(node_id, key.id)
            key.command(on=on, level=level)
            if key.on and timer > 0:
                self._start_timer(node_id, key.id, timer)
        await self._announce(KeyChanged(node_id, key, origin))
        return True

    async def stop_blind(self, node_id: int, key: Key) -> None:
        """Halt a blind where it is (if it travels) and announce its position."""
        self._send_blind(node_id, key, key.level)
        await self._announce(KeyChanged(node_id, key))

    async def ramp_dimmer(self, node_id: int, key: Key, *, up: bool) -> None:
        """Send a dimmer up (to full) or down (to off) at ``dimmer_ramp`` speed.

        Its levels are announced as it goes (at once when ``dimmer_ramp`` is 0). Any timer of
        the key ends.
        """
        self._cancel_timer(node_id, key.id)
        target = FULL if up else 0
        if self.dimmer_ramp == 0 or target == key.level:
            self._halt(node_id, key.id)
            key.command(on=up, level=target)
            await self._announce(KeyChanged(node_id, key))
            return
        _LOGGER.info(
            "Dimmer %d/%d going %s from %d", node_id, key.id, "up" if up else "down", key.level
        )
        self._move(node_id, key, target)

    async def stop_dimmer(self, node_id: int, key: Key) -> None:
        """Halt a dimmer where it is (if it goes up or down) and announce its level."""
        if self._halt(node_id, key.id):
            _LOGGER.info("Dimmer %d/%d stopped at %d", node_id, key.id, key.level)
        await self._announce(KeyChanged(node_id, key))

    async def run_scenario(self, scenario: Scenario) -> None:
        """Switch the scenario's keys, in order."""
        _LOGGER.info("Scenario %d (%s) runs", scenario.id, scenario.name)
        for action in scenario.actions:
            key = self.house.key(action.node, action.key)
            await self.switch_key(action.node, key, on=action.on, level=action.level or 0)

    def set_led(self, key: Key, *, on: bool) -> None:
        """Light a key's LED, or put it out (nothing is announced: the box never reports it)."""
        key.led = on
        self.touched()

    # -- the wall --------------------------------------------------------------------

    async def set_key(
        self,
        node_id: int,
        key_id: int,
        on: bool | None = None,  # noqa: FBT001 - as VBoxSimulator.set_key
        level: int | None = None,
    ) -> Key:
        """Change a key as someone at the wall does, and announce it; the key.

        ``level`` alone switches a dimmer or blind to that level (0 is off); ``on`` alone
        switches on (a dimmer at its last level, a blind fully open) or off. A blind travels.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: the node's keypad is locked (nothing changes).
            ValueError: neither ``on`` nor ``level`` given, or a level outside 0-100.

        """
        key = self.wall_key(node_id, key_id)
        if on is None and level is None:
            msg = "set_key needs on or level"
            raise ValueError(msg)
        if level is not None and not 0 <= level <= FULL:
            msg = f"level must be between 0 and 100, got {level}"
            raise ValueError(msg)
        switch_on = bool(level) if on is None else on
        await self.switch_key(node_id, key, on=switch_on, level=level or 0)
        _LOGGER.info("Key %d/%d set at the wall: %s", node_id, key_id, key_state(node_id, key))
        return key

    async def press(self, node_id: int, key_id: int, kind: str) -> None:
        """Press a key at the wall: ``short``, ``long`` or ``release``, and announce it.

        A short press of a toggle, dimmer or boiler key also switches it over.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: the node's keypad is locked (nothing is announced).
            ValueError: unknown kind of press.

        """
        key = self.wall_key(node_id, key_id)
        if kind not in PRESS_KINDS:
            msg = f"press kind must be short, long or release, got {kind!r}"
            raise ValueError(msg)
        toggles = kind == "short" and key.type in TOGGLED_BY_SHORT_PRESS
        if toggles:
            self._halt(node_id, key_id)
            key.command(on=not key.on)
            self._cancel_timer(node_id, key_id)
        _LOGGER.info("Key %d/%d pressed: %s", node_id, key_id, kind)
        await self._announce(KeyPressed(node_id, key, kind, toggles))

    def wall_key(self, node_id: int, key_id: int) -> Key:
        """A key someone at the wall uses.

        Raises:
            KeyError: no such node or key.
            KeypadLockedError: its node's keypad is locked.

        """
        key = self.house.key(node_id, key_id)
        if self.house.node(node_id).locked:
            _LOGGER.info("Key %d/%d at the wall ignored: the keypad is locked", node_id, key_id)
            msg = f"node {node_id} is locked: its keypad ignores the wall"
            raise KeypadLockedError(msg)
        return key

    # -- ACs -------------------------------------------------------------------------

    async def set_ac(  # noqa: PLR0913 - every setting of the unit
        self,
        ac_id: int,
        *,
        on: bool | None = None,
        mode: str | None = None,
        fan: str | None = None,
        setpoint: int | None = None,
        measured: int | None = None,
    ) -> Ac:
        """Change an AC at the unit itself (or its thermometer) and announce it; the AC.

        Raises:
            KeyError: no such AC.
            HouseError: a value the unit does not take (nothing changes).

        """
        ac = self.house.ac(ac_id)
        ac.change(on=on, mode=mode, fan=fan, setpoint=setpoint, measured=measured)
        _LOGGER.info("AC %d set at the unit: %s", ac_id, ac_state(ac))
        await self.ac_changed(ac)
        return ac

    async def ac_changed(self, ac: Ac) -> None:
        """Announce an AC's new state (after a command changed it)."""
        await self._announce(AcChanged(ac))

    # -- blinds and dimmers in motion ------------------------------------------------

    def _send_blind(self, node_id: int, key: Key, target: int) -> bool:
        """Send a blind to ``target``; whether its state is to be announced now.

        It goes there at once when blinds take no time. Sent to the position it has reached,
        a travelling blind halts there and one that stands stays. Otherwise it starts
        travelling, or a travelling one heads for the new target.
        """
        if self.blind_travel == 0 or target == key.level:
            if self._halt(node_id, key.id):
                _LOGGER.info("Blind %d/%d halted at %d", node_id, key.id, key.level)
            key.command(on=target > 0, level=target)
            return True
        _LOGGER.info("Blind %d/%d travelling from %d to %d", node_id, key.id, key.level, target)
        self._move(node_id, key, target)
        return False

    def _move(self, node_id: int, key: Key, target: int) -> None:
        """Head a blind or dimmer for ``target`` (starting its motion if it stands)."""
        key.target = target
        if (node_id, key.id) not in self._motions:
            self._motions[node_id, key.id] = _spawn(
                self._travel(node_id, key), f"travel {node_id}/{key.id}"
            )
        self.touched()

    def _travel_time(self, key: Key | None) -> float:
        """Seconds a full travel of ``key`` takes: a dimmer's, else a blind's."""
        return self.dimmer_ramp if key is not None and key.is_dimmer else self.blind_travel

    def report_interval(self, key: Key | None = None) -> float:
        """Seconds between two reports of a moving ``key`` (a blind if ``None``)."""
        return min(BLIND_REPORT_INTERVAL, self._travel_time(key) / BLIND_REPORTS)

    async def _travel(self, node_id: int, key: Key) -> None:
        """Move a blind (or dimmer) towards its target at its speed until it is there.

        Its position is announced after every step and on arrival. The target may change on
        the way (a new command); the travel speed too.
        """
        loop = asyncio.get_running_loop()
        position, last = float(key.level), loop.time()
        target = key.target
        try:
            while target is not None:
                await asyncio.sleep(self.report_interval(key))
                target = key.target
                if target is None:  # put somewhere at once meanwhile (Key.command)
                    return
                if round(position) != key.level:  # moved by other means meanwhile
                    position = float(key.level)
                now = loop.time()
                travel = self._travel_time(key)
                step = FULL if travel == 0 else (now - last) * FULL / travel
                last = now
                if target > position:
                    position = min(position + step, target)
                else:
                    position = max(position - step, target)
                if round(position) == target:
                    position = target
                    key.target = None
                    _LOGGER.info("Key %d/%d arrived at %d", node_id, key.id, target)
                key.put(round(position))
                await self._announce(KeyChanged(node_id, key))
                target = key.target  # a new command may have come meanwhile
        finally:
            if self._motions.get((node_id, key.id)) is asyncio.current_task():
                del self._motions[node_id, key.id]

    def _halt(self, node_id: int, key_id: int) -> asyncio.Task[None] | None:
        """End a blind's (or dimmer's) travel where it is; its task, if it was travelling."""
        task = self._motions.pop((node_id, key_id), None)
        if task is not None:
            task.cancel()
            self.house.key(node_id, key_id).target = None
        return task

    # -- timers ----------------------------------------------------------------------

    def _start_timer(self, node_id: int, key_id: int, seconds: float) -> None:
        self._timer_ends[node_id, key_id] = asyncio.get_running_loop().time() + seconds
        self._timers[node_id, key_id] = _spawn(
            self._auto_off(node_id, key_id, seconds), f"auto-off {node_id}/{key_id}"
        )

    def _cancel_timer(self, node_id: int, key_id: int) -> None:
        task = self._timers.pop((node_id, key_id), None)
        self._timer_ends.pop((node_id, key_id), None)
        if task is not None:
            task.cancel()

    def timer_minutes_left(self, node_id: int, key_id: int) -> int:
        """The minutes (of ``minute`` seconds, rounded up) until a key's timer ends; 0 without."""
        end = self._timer_ends.get((node_id, key_id))
        if end is None:
            return 0
        left = end - asyncio.get_running_loop().time()
        return max(1, math.ceil(left / self.minute - 1e-9))

    async def _auto_off(self, node_id: int, key_id: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        del self._timers[node_id, key_id]
        del self._timer_ends[node_id, key_id]
        key = self.house.key(node_id, key_id)
        key.command(on=False)
        _LOGGER.info("Key %d/%d switched off by its %g s timer", node_id, key_id, seconds)
        await self._announce(KeyChanged(node_id, key))

    async def stop(self) -> None:
        """Halt every motion where it is and cancel every timer: they stop with the box."""
        tasks = [task for address in list(self._motions) if (task := self._halt(*address))]
        tasks += self._timers.values()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._timers.clear()
        self._timer_ends.clear()


def key_state(node_id: int, key: Key) -> dict[str, Any]:
    """A key as JSON: ``{node, key, type, name, on, level}``; a blind's also ``target``."""
    state: dict[str, Any] = {
        "node": node_id,
        "key": key.id,
        "type": key.type.name.lower(),
        "name": key.name,
        "on": key.on,
        "level": key.level,
    }
    if key.is_blind:
        state["target"] = key.target
    return state


def ac_state(ac: Ac) -> dict[str, Any]:
    """An AC as JSON, with ``relay``."""
    return ac.to_dict() | {"relay": ac.relay}


def _spawn(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(coro, name=f"vbox simulator {name}")
