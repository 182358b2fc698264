"""The 13 requests a client sends to the vBox (docs/vtu-protocol.md §5), and one more.

``UndecodedKeyParameters`` is how a client tells the V1 and V2 layouts apart.

Each request knows its command, how to encode its payload, and which response answers
it. A request built outside a client carries message ID 1 unless given another, so its
bytes are reproducible; the client gives every request it sends a fresh ID.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar, Self

from . import responses
from .enums import (
    CommandID,
    DataGramDirection,
    KeyPowerStatus,
    LEDBackgroundBrightness,
    LockStatus,
)
from .frames import Frame

MAX_CREDENTIAL_BYTES = 255
"""Login carries each credential's UTF-16LE byte length in one byte."""


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        msg = f"{name} must be between {low} and {high}, got {value}"
        raise ValueError(msg)


def _check_byte(name: str, value: int) -> None:
    _check_range(name, value, 0, 0xFF)


def encode_credential(name: str, value: str) -> bytes:
    """A credential as Login carries it: byte length, then UTF-16LE."""
    data = value.encode("utf-16-le")
    if len(data) > MAX_CREDENTIAL_BYTES:
        msg = f"{name} is too long: at most 127 characters"
        raise ValueError(msg)
    return bytes((len(data),)) + data


@dataclass(frozen=True, kw_only=True)
class Request[R: responses.Response]:
    """A request and how to recognise its answer."""

    command: ClassVar[CommandID]
    reply: ClassVar[type[responses.Response]]
    message_id: int = 1

    def __post_init__(self) -> None:
        """Check the fields; subclasses add their own checks."""
        _check_range("message_id", self.message_id, 1, 0xFF)

    @property
    def name(self) -> str:
        """The request's class name, for logs and errors."""
        return type(self).__name__

    def payload(self) -> bytes:
        """The bytes after the message ID."""
        return b""

    def frame(self) -> Frame:
        """The request as a frame."""
        return Frame(DataGramDirection.OUTGOING, self.command, self.message_id, self.payload())

    def build(self) -> bytes:
        """The whole frame, as sent on the wire."""
        return self.frame().to_bytes()

    def with_message_id(self, message_id: int) -> Self:
        """The same request with another message ID."""
        return dataclasses.replace(self, message_id=message_id)

    def is_answered_by(self, response: responses.Response) -> bool:
        """Whether ``response`` is the answer to this request (same command and message ID)."""
        return type(response) is self.reply and response.message_id == self.message_id

    def describe(self) -> str:
        """A one-line description for logs; never contains a credential."""
        return f"{self.name} #{self.message_id:02x}: {self.build().hex(' ')}"

    def __str__(self) -> str:
        """The description, so that a lazy log line formats it only when it is written."""
        return self.describe()


@dataclass(frozen=True, kw_only=True)
class _AcknowledgedRequest(Request[responses.Acknowledgement]):
    """A request the vBox answers with an acknowledgement carrying the same message ID."""

    reply: ClassVar[type[responses.Response]] = responses.Acknowledgement

    def is_answered_by(self, response: responses.Response) -> bool:
        """Any acknowledgement with this message ID (framed as 0x00 or as this command)."""
        return (
            isinstance(response, responses.Acknowledgement)
            and response.message_id == self.message_id
        )


@dataclass(frozen=True, kw_only=True)
class Heartbeat(_AcknowledgedRequest):
    """Keep-alive."""

    command: ClassVar[CommandID] = CommandID.HEARTBEAT


@dataclass(frozen=True, kw_only=True)
class ToggleHeartbeat(_AcknowledgedRequest):
    """Enable the vBox's heartbeat handling and its unsolicited key-status pushes."""

    command: ClassVar[CommandID] = CommandID.TOGGLE_HEARTBEAT
    enable: bool = True
    unsolicited: bool = True

    def payload(self) -> bytes:
        """``[enable][unsolicited]``."""
        return bytes((self.enable, self.unsolicited))


@dataclass(frozen=True, kw_only=True)
class Login(_AcknowledgedRequest):
    """Authenticate; the vBox answers NACK to wrong credentials."""

    command: ClassVar[CommandID] = CommandID.LOGIN
    username: str = dataclasses.field(repr=False)
    password: str = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        """Check that both credentials fit their one-byte length."""
        super().__post_init__()
        self.payload()

    def payload(self) -> bytes:
        """``[len] username [len] password``, UTF-16LE."""
        return encode_credential("username", self.username) + encode_credential(
            "password", self.password
        )

    def describe(self) -> str:
        """Only the length of the payload: the credentials never reach a log."""
        return f"{self.name} #{self.message_id:02x}: <{len(self.payload())} credential bytes>"


@dataclass(frozen=True, kw_only=True)
class NodeCount(Request[responses.NodeCount]):
    """The list of node IDs."""

    command: ClassVar[CommandID] = CommandID.NODE_COUNT
    reply: ClassVar[type[responses.Response]] = responses.NodeCount


@dataclass(frozen=True, kw_only=True)
class RoomCount(Request[responses.RoomCount]):
    """The list of room IDs."""

    command: ClassVar[CommandID] = CommandID.ROOM_COUNT
    reply: ClassVar[type[responses.Response]] = responses.RoomCount


@dataclass(frozen=True, kw_only=True)
class NodeMetaData(Request[responses.NodeMetaData]):
    """A node's identity, keys, lock, backlight, firmware and room."""

    command: ClassVar[CommandID] = CommandID.NODE_META_DATA
    reply: ClassVar[type[responses.Response]] = responses.NodeMetaData
    node_id: int

    def __post_init__(self) -> None:
        """Check the node ID."""
        super().__post_init__()
        _check_byte("node_id", self.node_id)

    def payload(self) -> bytes:
        """``[node]``."""
        return bytes((self.node_id,))


@dataclass(frozen=True, kw_only=True)
class RoomMetaData(Request[responses.RoomMetaData]):
    """A room's name."""

    command: ClassVar[CommandID] = CommandID.ROOM_META_DATA
    reply: ClassVar[type[responses.Response]] = responses.RoomMetaData
    room_id: int

    def __post_init__(self) -> None:
        """Check the room ID."""
        super().__post_init__()
        _check_byte("room_id", self.room_id)

    def payload(self) -> bytes:
        """``[room]``."""
        return bytes((self.room_id,))


@dataclass(frozen=True, kw_only=True)
class _KeyRequest[R: responses.Response](Request[R]):
    """A request about one key of one node."""

    node_id: int
    key_id: int

    def __post_init__(self) -> None:
        """Check the node and key IDs."""
        super().__post_init__()
        _check_byte("node_id", self.node_id)
        _check_byte("key_id", self.key_id)

    def payload(self) -> bytes:
        """``[node][key]``."""
        return bytes((self.node_id, self.key_id))


@dataclass(frozen=True, kw_only=True)
class KeyStatus(_KeyRequest[responses.KeyStatus]):
    """The current state of a key."""

    command: ClassVar[CommandID] = CommandID.KEY_STATUS
    reply: ClassVar[type[responses.Response]] = responses.KeyStatus

    def is_answered_by(self, response: responses.Response) -> bool:
        """A 0x29 frame for this node and key, whatever its message ID.

        A push for another key never answers it (docs/vtu-protocol.md §14.3).
        """
        return (
            isinstance(response, responses.KeyStatus)
            and response.node_id == self.node_id
            and response.key_id == self.key_id
            and not response.is_press
        )


@dataclass(frozen=True, kw_only=True)
class KeyParameters(_KeyRequest[responses.KeyParameters]):
    """A key's name and category."""

    command: ClassVar[CommandID] = CommandID.KEY_PARAMETERS
    reply: ClassVar[type[responses.Response]] = responses.KeyParameters


@dataclass(frozen=True, kw_only=True)
class ToggleKeyStatus(_KeyRequest[responses.Acknowledgement], _AcknowledgedRequest):
    """Switch a key: on/off, a dimmer level (0-100) and a timer (16 bits)."""

    command: ClassVar[CommandID] = CommandID.TOGGLE_KEY_STATUS
    status: KeyPowerStatus
    dimmer: int = 0
    timer: int = 0

    def __post_init__(self) -> None:
        """Check the dimmer level and the timer."""
        super().__post_init__()
        _check_byte("status", self.status)
        _check_range("dimmer", self.dimmer, 0, 100)
        _check_range("timer", self.timer, 0, 0xFFFF)

    def payload(self) -> bytes:
        """``[node][key][status][dimmer][timer high][timer low]``."""
        return bytes((self.node_id, self.key_id, self.status, self.dimmer)) + self.timer.to_bytes(
            2, "big"
        )


@dataclass(frozen=True, kw_only=True)
class ToggleNodeStatus(_AcknowledgedRequest):
    """Lock or unlock a node's keypad and set its backlight level."""

    command: ClassVar[CommandID] = CommandID.TOGGLE_NODE_STATUS
    node_id: int
    lock: LockStatus
    led: LEDBackgroundBrightness

    def __post_init__(self) -> None:
        """Check the node ID, lock and backlight level."""
        super().__post_init__()
        _check_byte("node_id", self.node_id)
        _check_byte("lock", self.lock)
        _check_byte("led", self.led)

    def payload(self) -> bytes:
        """``[node][lock][led]``."""
        return bytes((self.node_id, self.lock, self.led))


@dataclass(frozen=True, kw_only=True)
class _UndecodedRequest(Request[responses.GenericResponse]):
    """A request whose reply is kept as it came: a generic response of the same command."""

    reply: ClassVar[type[responses.Response]] = responses.GenericResponse

    def is_answered_by(self, response: responses.Response) -> bool:
        """A frame of this command with this message ID."""
        return (
            isinstance(response, responses.GenericResponse)
            and response.command == self.command
            and response.message_id == self.message_id
        )


@dataclass(frozen=True, kw_only=True)
class NodeStatus(_UndecodedRequest):
    """A node's status; the reply's layout is unknown, so it comes as a generic response."""

    command: ClassVar[CommandID] = CommandID.NODE_STATUS
    node_id: int

    def __post_init__(self) -> None:
        """Check the node ID."""
        super().__post_init__()
        _check_byte("node_id", self.node_id)

    def payload(self) -> bytes:
        """``[node][00]``."""
        return bytes((self.node_id, 0))


@dataclass(frozen=True, kw_only=True)
class UndecodedKeyParameters(_KeyRequest[responses.GenericResponse], _UndecodedRequest):
    """KeyParameters, answered undecoded while the protocol version is not known yet.

    The client sends it to tell the V1 and V2 layouts apart
    (:func:`responses.key_parameters_layouts`).
    """

    command: ClassVar[CommandID] = CommandID.KEY_PARAMETERS


@dataclass(frozen=True, kw_only=True)
class InternalUnitStatuses(Request[responses.InternalUnitStatuses]):
    """Ask for the internal unit statuses."""

    command: ClassVar[CommandID] = CommandID.INTERNAL_UNIT_STATUSES
    reply: ClassVar[type[responses.Response]] = responses.InternalUnitStatuses
