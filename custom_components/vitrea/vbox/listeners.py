"""Lists of callbacks: subscribing to a house's parts, and telling them what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from .link import Unsubscribe
    from .log import Logger


def subscribe[T](listeners: list[T], listener: T) -> Unsubscribe:
    """Add ``listener`` to ``listeners``; the function returned takes it out again."""
    listeners.append(listener)

    def unsubscribe() -> None:
        if listener in listeners:
            listeners.remove(listener)

    return unsubscribe


def notify[*A](log: Logger, listeners: list[Callable[[*A], None]], *args: *A) -> None:
    """Call every listener with ``args``; one that fails is logged and the others still run."""
    for listener in list(listeners):
        try:
            listener(*args)
        except Exception as err:  # noqa: BLE001 - one listener must not stop the others
            log.error("Listener %r failed: %r", listener, err)  # noqa: TRY400
