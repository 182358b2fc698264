"""The faults a simulated vBox can be told to show, and how they are named.

Lasting faults live in :class:`Faults` (the VTU port) and :class:`HostFaults` (the host
interface, each its own instance); one-off actions (close the connection, send garbage,
send a stray frame) are carried out by the server at once. :func:`parse_fault` turns the
words of a control command into a :class:`FaultCommand`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .wire import AckType

ACTIONS = frozenset({"close", "garbage", "stray"})
"""Faults carried out once, at once."""
REJECTIONS = {"nack": AckType.NACK, "in_use": AckType.IN_USE, "error": AckType.ERROR}
"""Faults that answer commands with an acknowledgement of this type instead of doing them."""
COUNTED = frozenset({*REJECTIONS, "corrupt"})
"""Faults that take an optional count: how many times they act before they end by themselves."""
SWITCHES = frozenset({"silent", "split", "merge", "drop"})
"""Faults that stay on until ``recover`` (silent only) or ``reset``."""
NAMES = (
    "close",
    "drop",
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
HOST_NAMES = (
    "close",
    "drop",
    "silent",
    "recover",
    "garbage [BYTES]",
    "split",
    "merge",
    "delay SECONDS",
    "error CODE [COUNT]",
    "stray",
    "reset",
)
"""Every fault of the host interface with its arguments, for help texts."""
MAX_GARBAGE = 4096
MAX_DELAY = 3600.0
MAX_COUNT = 1_000_000


class FaultError(ValueError):
    """A fault name or argument is invalid."""


@dataclass
class _Lasting:
    """The lasting faults both interfaces know."""

    silent: bool = False
    """Neither answer nor push; the socket stays open."""
    split: bool = False
    """Write every frame (or line) byte by byte."""
    merge: bool = False
    """Write a reply and the pushes it causes in one write."""
    delay: float = 0.0
    """Seconds added before every reply."""
    drop: bool = False
    """Close each connection as soon as its login (VTU) or greeting (host) is acknowledged."""

    def as_dict(self) -> dict[str, object]:
        """The faults as JSON."""
        return asdict(self)

    def _count_one(self, fault: str, *, healthy: object) -> None:
        """Count one use of the counted ``fault``; its last use sets it back to ``healthy``."""
        count = getattr(self, f"{fault}_count")
        if count is None:
            return
        if count <= 1:
            setattr(self, fault, healthy)
            setattr(self, f"{fault}_count", None)
        else:
            setattr(self, f"{fault}_count", count - 1)


@dataclass
class HostFaults(_Lasting):
    """Every lasting fault of the host interface; the default is a healthy box."""

    error: int | None = None
    """Answer commands with ``E:<error>:...`` instead of doing them."""
    error_count: int | None = None
    """How many more commands to answer so; ``None`` until reset."""

    def take_error(self) -> int | None:
        """The error code for the next command, if any, counting it."""
        code = self.error
        if code is not None:
            self._count_one("error", healthy=None)
        return code


@dataclass
class Faults(_Lasting):
    """Every lasting fault of the VTU port; the default is a healthy box."""

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
        if reject is not None:
            self._count_one("reject", healthy=None)
        return reject

    def take_corruption(self) -> bool:
        """Whether to corrupt the next frame sent, counting it."""
        corrupt = self.corrupt
        if corrupt:
            self._count_one("corrupt", healthy=False)
        return corrupt

    def as_dict(self) -> dict[str, object]:
        """The faults as JSON: a rejection by its name."""
        return super().as_dict() | {
            "reject": self.reject.name.lower() if self.reject is not None else None
        }


@dataclass(frozen=True)
class FaultCommand:
    """A parsed fault: its name and numeric argument, if it takes one."""

    name: str
    argument: float | None = None
    count: int | None = None
    """The second argument, where a fault takes two (host ``error CODE COUNT``)."""


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


MAX_ERROR_CODE = 999


def parse_host_fault(name: str, *arguments: str) -> FaultCommand:
    """Check a fault of the host interface and its arguments (see :data:`HOST_NAMES`).

    Raises:
        FaultError: unknown fault, or missing, extra or invalid arguments.

    """
    name = name.lower().replace("-", "_")
    if name != "error":
        if name not in {entry.split()[0] for entry in HOST_NAMES} or len(arguments) > 1:
            msg = f"unknown host fault {name!r} or wrong arguments; faults: {', '.join(HOST_NAMES)}"
            raise FaultError(msg)
        return parse_fault(name, arguments[0] if arguments else None)
    if not 1 <= len(arguments) <= 2:
        msg = "host fault error needs a CODE and takes a COUNT"
        raise FaultError(msg)
    code = arguments[0]
    if not code.isdigit() or not 0 <= int(code) <= MAX_ERROR_CODE:
        msg = f"host fault error needs a CODE between 0 and {MAX_ERROR_CODE}, got {code!r}"
        raise FaultError(msg)
    count = _number(name, arguments[1], integer=True) if len(arguments) > 1 else None
    return FaultCommand(name, int(code), None if count is None else int(count))
