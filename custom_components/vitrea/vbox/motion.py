"""A blind's motion, as the house follows it from the vBox's position reports.

The vBox reports where a blind is, never whether it moves: the motion is judged from the
target it was sent to, or, for a move started at the wall, from the way consecutive reports
go (see ``Key``'s docstring in ``key.py`` for the rules).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

FULLY_OPEN = 100
"""A blind's position when fully open (0 is closed)."""
MOTION_TIMEOUT = 3.0
"""Seconds without a position report after which a moving blind counts as standing."""


def position_of(*, is_on: bool | None, level: int | None) -> int | None:
    """A blind's position: 0 when off, else its level (``None``: unknown)."""
    return 0 if is_on is False else level


class BlindMotion:
    """Which way a blind moves, and the position it was sent to."""

    def __init__(self, timeout: Callable[[], float], timed_out: Callable[[], None]) -> None:
        """Motion that ends ``timeout()`` seconds after the last report (then ``timed_out()``)."""
        self._timeout = timeout
        self._timed_out = timed_out
        self.direction = 0
        """+1 while the blind opens, -1 while it closes, 0 while it stands."""
        self.target: int | None = None
        """The position the blind was sent to and has not been reported at yet."""
        self.timer: asyncio.TimerHandle | None = None
        """Ends the motion if no report comes in time."""
        self.reported_at: float | None = None
        """When the blind's state was last reported (event loop time)."""

    def report(self, before: int | None, now: int | None) -> None:
        """Judge the motion by a reported position ``now`` after ``before``.

        Without a target, a change is a move only if ``before`` was reported less than the
        motion timeout ago (a change seen after a while, e.g. read after a reconnection, is
        where the blind went meanwhile).
        """
        time = asyncio.get_running_loop().time()
        last, self.reported_at = self.reported_at, time
        recent = last is not None and time - last < self._timeout()
        if now is None:
            return  # a report without a position tells nothing of the motion
        moved = 0 if before is None else (now > before) - (now < before)
        target = self.target
        if target is not None:
            if now == target:
                self.stand()
            elif moved and moved != (target > now) - (target < now):
                self.target = None  # moving away from its target: sent elsewhere meanwhile
                self._move(moved)
            else:
                self._move((target > now) - (target < now))
        elif moved and recent and 0 < now < FULLY_OPEN:
            self._move(moved)
        else:  # unchanged, at an end, or changed a while ago
            self.stand()

    def head_for(self, position: int | None, target: int) -> None:
        """Follow a blind at ``position`` the vBox has taken a command to go to ``target``."""
        if position is None and target in (0, FULLY_OPEN):
            position = FULLY_OPEN - target  # from an unknown position: on its way to that end
        if position == target:
            self.stand()
        elif position is None:  # part-way, from an unknown position: which way, unknown yet
            self.stand()
            self.target = target
        else:
            self.target = target
            self._move(1 if target > position else -1)

    def stand(self) -> None:
        """The blind stands: no direction, no target."""
        self.direction = 0
        self.target = None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _move(self, direction: int) -> None:
        """Moving that way (+1 up, -1 down) until a report or the motion timeout says not."""
        self.direction = direction
        if self.timer is not None:
            self.timer.cancel()
        self.timer = asyncio.get_running_loop().call_later(self._timeout(), self._expire)

    def _expire(self) -> None:
        self.timer = None
        self.stand()
        self._timed_out()
