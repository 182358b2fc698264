"""One key of a house: what it is, its last known state, and its actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .listeners import notify, subscribe
from .motion import FULLY_OPEN, BlindMotion, position_of
from .topology import KeyInfo, KeyKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from .house import House
    from .link import Press, Unsubscribe

type Listener = Callable[[], None]
type PressListener = Callable[[Press], None]

TIMED_KINDS = frozenset({KeyKind.LIGHT, KeyKind.SWITCH, KeyKind.BOILER})
"""The kinds the vBox switches off by a timer (docs/host-interface.md §7.3, decision 12)."""
MINUTE = timedelta(minutes=1)


class Key:
    """One key of a node: what it is, its last known state, and what it can be told to do.

    The state is what the vBox reports. A command the vBox acknowledged sets the state of a
    light or switch at once (later reports correct it), but never a blind's: its motor takes
    seconds, so a blind keeps the position last reported, and ``target`` and the direction
    tell where it is going. Its position changes only as the vBox reports it.

    A blind (kind ``COVER``) knows whether it moves and which way (``is_opening``,
    ``is_closing``): towards the ``target`` it was sent to, or, for a move the vBox reports
    without one (started at the wall), the way consecutive reported positions go (reported
    less than ``House.motion_timeout`` seconds apart). It counts as standing again once a
    report shows it at its target (or, without one, at an end or unchanged), once it is
    stopped, when no report has come for ``House.motion_timeout`` seconds, and when the
    house disconnects.

    A key switched on for a while knows when the vBox will switch it off (``timer_ends``):
    from the minutes left that the host interface reports, or, where no report tells it
    (VTU's), from the timer the key was switched on with here.
    """

    def __init__(self, house: House, info: KeyInfo) -> None:
        """A key of ``house``; its state is unknown until the vBox reports it."""
        self._house = house
        self.info = info
        self.is_on: bool | None = None
        """On or off; ``None`` while unknown (and always for keys without a state)."""
        self.level: int | None = None
        """Dimmer level or blind position, 0-100; ``None`` while unknown or without one."""
        self.motion = BlindMotion(lambda: house.motion_timeout, self._motion_timed_out)
        """A blind's motion (a key of another kind never moves)."""
        self.led_on: bool | None = None
        """The LED indicator as last switched from here (the vBox never reports it)."""
        self.timer_ends: datetime | None = None
        """When the vBox will switch the key off by a timer (UTC); ``None`` without one."""
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
    def room(self) -> str | None:
        """The name of the key's room: its own where the host database gives one, or its node's."""
        room_id = self.info.room_id
        if room_id is None:
            return self._house.nodes[self.node_id].room
        return self._house.rooms.get(room_id)

    @property
    def name(self) -> str:
        """The key's name in the vBox (may be empty)."""
        return self.info.name

    @property
    def kind(self) -> KeyKind | None:
        """What the key does."""
        return self.info.kind

    @property
    def takes_timer(self) -> bool:
        """The vBox can switch it on for a while (``turn_on(timer=...)``)."""
        return self.kind in TIMED_KINDS

    @property
    def is_blind(self) -> bool:
        """A blind: its level is its position."""
        return self.kind is KeyKind.COVER

    @property
    def position(self) -> int | None:
        """A blind's position as last reported (0 while reported off); ``None`` if unknown."""
        return position_of(is_on=self.is_on, level=self.level)

    @property
    def target(self) -> int | None:
        """Where a blind was sent and has not been reported at yet; else ``None``."""
        return self.motion.target

    @property
    def is_opening(self) -> bool:
        """A blind on its way up."""
        return self.motion.direction > 0

    @property
    def is_closing(self) -> bool:
        """A blind on its way down."""
        return self.motion.direction < 0

    @property
    def is_moving(self) -> bool:
        """A blind on its way up or down."""
        return self.motion.direction != 0

    def on_change(self, listener: Listener) -> Unsubscribe:
        """Call ``listener`` when the key's state changes."""
        return subscribe(self._listeners, listener)

    def on_press(self, listener: PressListener) -> Unsubscribe:
        """Call ``listener`` with each press at the wall (short, long, release)."""
        return subscribe(self._press_listeners, listener)

    async def turn_on(self, level: int | None = None, *, timer: int | None = None) -> None:
        """Switch on: a dimmer at ``level``, a blind to position ``level``.

        ``timer``: seconds after which the vBox switches the key off again (a key that
        ``takes_timer``; the host interface rounds it up to whole minutes). Without one, a
        timer still running ends.

        Raises:
            TimerTooLongError: longer than the interface in use takes.

        """
        taken = await self._house.link.switch(self.info, on=True, level=level, timer=timer)
        if self.is_blind:
            self._head_for(level or FULLY_OPEN)
        else:
            self.timer_ends = None if not taken else _now() + timedelta(seconds=taken)
            self._set(is_on=True, level=level or self.level)

    async def turn_off(self) -> None:
        """Switch off (close a blind)."""
        await self._house.link.switch(self.info, on=False)
        if self.is_blind:
            self._head_for(0)
        else:
            self.timer_ends = None
            self._set(is_on=False, level=self.level)

    async def set_position(self, position: int) -> None:
        """Send a blind to ``position`` (0 closed, 100 open); it reports its way there."""
        if position > 0:
            await self.turn_on(position)
        else:
            await self.turn_off()

    async def stop(self) -> None:
        """Stop a moving blind where it is; its position arrives as an update.

        Afterwards it stands, or heads back for the position it was told to hold if it has
        been reported past it meanwhile.
        """
        held = await self._house.link.stop(self.info)
        if held is None:
            self.motion.stand()
            notify(self._house.log, self._listeners)
        else:
            self._head_for(held)

    async def set_led(self, on: bool) -> None:  # noqa: FBT001 - the one setting
        """Switch the key's LED indicator (host interface, firmware 9 or later)."""
        await self._house.link.set_led(self.info, on=on)
        self.led_on = on
        notify(self._house.log, self._listeners)

    def report(self, *, is_on: bool, level: int | None, timer_minutes: int | None = None) -> None:
        """The state the vBox reports; a blind's motion follows from its position.

        ``timer_minutes``: the minutes left on the key's timer, 0 for none, ``None`` where
        the report does not tell (the end known stays). A key reported off has no timer.
        """
        if self.is_blind:
            self.motion.report(self.position, position_of(is_on=is_on, level=level))
        if not is_on:
            self.timer_ends = None
        elif timer_minutes is not None:
            self.timer_ends = self._end_in(timer_minutes)
        self._set(is_on=is_on, level=level)

    def _end_in(self, minutes: int) -> datetime | None:
        """The end of a timer reported with ``minutes`` left (0: none).

        An end already known within the minute before the one reported stays (the report
        counts whole minutes, the end known may be to the second); otherwise the end is
        ``minutes`` from now, as it is the moment a timer is set.
        """
        if minutes <= 0:
            return None
        latest = _now() + minutes * MINUTE
        known = self.timer_ends
        if known is not None and latest - MINUTE < known <= latest:
            return known
        return latest

    def pressed(self, press: Press) -> None:
        """A press at the wall the vBox reports."""
        notify(self._house.log, self._press_listeners, press)

    def _set(self, *, is_on: bool, level: int | None) -> None:
        self.is_on, self.level = is_on, level
        notify(self._house.log, self._listeners)

    def _head_for(self, target: int) -> None:
        """Follow a blind the vBox has taken a command to go to ``target``."""
        self.motion.head_for(self.position, target)
        notify(self._house.log, self._listeners)

    def _motion_timed_out(self) -> None:
        self._house.log.debug(
            "Blind %d/%d reported nothing for %g s: it stands",
            self.node_id,
            self.key_id,
            self._house.motion_timeout,
        )
        notify(self._house.log, self._listeners)

    def __repr__(self) -> str:
        """``Key(1/0 'Spots' dimmer on 60)``, ``Key(4/1 'Blind' cover on 40 opening)``."""
        state = "unknown" if self.is_on is None else ("on" if self.is_on else "off")
        level = "" if self.level is None else f" {self.level}"
        motion = " opening" if self.is_opening else " closing" if self.is_closing else ""
        return f"Key({self.node_id}/{self.key_id} {self.name!r} {self.kind} {state}{level}{motion})"


def _now() -> datetime:
    return datetime.now(UTC)
