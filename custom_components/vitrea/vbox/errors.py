"""The exceptions of the protocol core; all derive from :class:`VitreaError`."""

from __future__ import annotations

from .enums import AckType


class VitreaError(Exception):
    """Base of every error raised by the protocol core."""


class ConnectionExistsError(VitreaError):
    """``connect()`` was called on a client that is already connected or connecting."""


class VitreaConnectionError(VitreaError):
    """The vBox cannot be reached, or the connection to it was lost."""


class NoConnectionError(VitreaConnectionError):
    """A request was made while the client is not connected."""


class VitreaTimeoutError(VitreaError, TimeoutError):
    """The vBox did not answer in time."""


class AuthenticationError(VitreaError):
    """The vBox rejected the username or password (Login answered with a NACK)."""


class CommandRejectedError(VitreaError):
    """The vBox answered a request with NACK, ERROR, IN_USE or NOT_AVAILABLE."""

    def __init__(self, request_name: str, ack_type: AckType | int) -> None:
        """Record which request was rejected and how."""
        self.request_name = request_name
        self.ack_type = ack_type
        name = ack_type.name if isinstance(ack_type, AckType) else f"code {ack_type}"
        super().__init__(f"the vBox rejected {request_name}: {name}")


class NoNodesError(VitreaError):
    """The vBox answered, but has no nodes: there is no house to identify or show."""


class ProtocolError(VitreaError):
    """A frame from the vBox does not fit the layout of its command."""


class HostCommandError(VitreaError):
    """The host interface answered a command with an error line (``E:<code>:<text>``)."""

    def __init__(self, code: int | None, text: str = "") -> None:
        """Record the error code (``None`` for a bare ``ERROR``) and the box's text."""
        self.code = code
        self.text = text
        super().__init__(f"the vBox rejected the command: {text or 'error'} (code {code})")


class NotSupportedError(VitreaError):
    """The interface in use, or the vBox's firmware, cannot do what was asked."""


class TimerTooLongError(NotSupportedError):
    """A timer longer than the interface that would run it takes."""

    def __init__(self, seconds: int, maximum: int, interface: str) -> None:
        """Record the timer asked for and the longest ``interface`` takes, in seconds."""
        self.seconds = seconds
        self.maximum = maximum
        super().__init__(
            f"the {interface} takes timers of up to {maximum} s "
            f"({maximum // 60} minutes), not {seconds} s"
        )
