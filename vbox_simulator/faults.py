"""The faults a simulated vBox can be told to show, and how they are named.

Lasting faults live in :class:`Faults`; one-off actions (close the connection, send garbage,
send a stray frame) are carried out by the server at once. :func:`parse_fault` turns the
words of a control command into a :class:`FaultCommand`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .wire import AckType

ACTIONS = frozenset({"close", "garbage", "stray"})
"""Faults carried out once, at once."""
REJECTIONS = {"nack": AckType.NACK, "in_use": AckType.IN_USE, "error": AckType.ERROR}
"""Faults that answer commands with an acknowledgement of this type instead of doing them."""
COUNTED = frozenset({*REJECTIONS, "corrupt"})
"""Faults that take an optional count: how many times they act before they end by themselves."""
SWITCHES = frozenset({"silent", "split", "merge"})
"""Faults that stay on until ``recover`` (silent only) or ``reset``."""
NAMES = (
    "close",
    "silent",
    "recover",
    "garbage [BYTES]",
    "split",
    "merge",
    "delay SECONDS",
    "nack [COUNT]",
    "in_use [COUNT]",
    "error [COUNT]",
    "stray",
    "corrupt [COUNT]",
    "reset",
)
"""Every fault with its argument, for help texts."""
MAX_GARBAGE = 4096
MAX_DELAY = 3600.0
MAX_COUNT = 1_000_000


class FaultError(ValueError):
    """A fault name or argument is invalid."""


@dataclass
class Faults:
    """Every lasting fault of the simulator; the default is a healthy box."""

    silent: bool = False
    """Neither answer nor push; the socket stays open."""
    split: bool = False
    """Write every frame byte by byte."""
    merge: bool = False
    """Write a reply and the pushes it causes in one write."""
    delay: float = 0.0
    """Seconds added before every reply."""
    reject: AckType | None = None
    """Answer commands other than Heartbeat with this acknowledgement instead of doing them."""
    reject_count: int | None = None
    """How many more commands to reject; ``None`` until reset."""
    corrupt: bool = False
    """Send frames with a wrong checksum (replies and pushes alike)."""
    corrupt_count: int | None = None
    """How many more frames to corrupt; ``None`` until reset."""

    def take_rejection(self) -> AckType | None:
        """The rejection for the next command, if any, counting it."""
        reject = self.reject
        if reject is not None and self.reject_count is not None:
            self.reject_count -= 1
            if self.reject_count <= 0:
                self.reject, self.reject_count = None, None
        return reject

    def take_corruption(self) -> bool:
        """Whether to corrupt the next frame sent, counting it."""
        corrupt = self.corrupt
        if corrupt and self.corrupt_count is not None:
            self.corrupt_count -= 1
            if self.corrupt_count <= 0:
                self.corrupt, self.corrupt_count = False, None
        return corrupt

    def as_dict(self) -> dict[str, object]:
        """The faults as JSON."""
        return {
            "silent": self.silent,
            "split": self.split,
            "merge": self.merge,
            "delay": self.delay,
            "reject": self.reject.name.lower() if self.reject is not None else None,
            "reject_count": self.reject_count,
            "corrupt": self.corrupt,
            "corrupt_count": self.corrupt_count,
        }


@dataclass(frozen=True)
class FaultCommand:
    """A parsed fault: its name and numeric argument, if it takes one."""

    name: str
    argument: float | None = None


def _number(name: str, raw: str | None, *, integer: bool) -> float | None:
    if raw is None:
        return None
    low, high = (1, MAX_GARBAGE if name == "garbage" else MAX_COUNT) if integer else (0, MAX_DELAY)
    try:
        value: float | None = int(raw) if integer else float(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        kind = "a whole number" if integer else "a number of seconds"
        msg = f"fault {name} needs {kind} between {low} and {high:g}"
        raise FaultError(msg)
    return float(value)


def parse_fault(name: str, argument: str | None = None) -> FaultCommand:
    """Check a fault name and its argument.

    Raises:
        FaultError: unknown fault, or a missing, extra or invalid argument.

    """
    name = name.lower().replace("-", "_")
    if name == "delay":
        if argument is None:
            msg = "fault delay needs a number of seconds"
            raise FaultError(msg)
        return FaultCommand(name, _number(name, argument, integer=False))
    if name in COUNTED or name == "garbage":
        return FaultCommand(name, _number(name, argument, integer=True))
    if name in ACTIONS | SWITCHES | {"recover", "reset"}:
        if argument is not None:
            msg = f"fault {name} takes no argument"
            raise FaultError(msg)
        return FaultCommand(name)
    msg = f"unknown fault {name!r}; faults: {', '.join(NAMES)}"
    raise FaultError(msg)
