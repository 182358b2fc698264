"""Connection and socket settings.

Each setting is taken from the constructor argument, else from its default. ``from_env()``
also reads the ``VITREA_VBOX_*`` environment variables (named as upstream's:
docs/vtu-protocol.md §13) for the settings not given: nothing else reads the environment.
Durations are seconds in Python and milliseconds in the environment, as upstream documents
them. An invalid value raises ``ValueError`` naming the setting.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from .enums import ProtocolVersion
from .requests import encode_credential

DEFAULT_PORT = 11501
ENV_PREFIX = "VITREA_VBOX_"

type Environ = Mapping[str, str]


def _setting[T](  # noqa: PLR0913
    name: str,
    value: T | None,
    environ: Environ,
    convert: Callable[[str], T],
    default: T | None = None,
    *,
    env_name: str | None = None,
) -> T:
    """The value given, else the environment's, else the default.

    ``name`` is the field; ``env_name`` the upstream key when it differs from the field.
    """
    if value is not None:
        return value
    variable = ENV_PREFIX + (env_name or name).upper()
    raw = environ.get(variable, "").strip()
    if raw:
        try:
            return convert(raw)
        except ValueError as err:
            msg = f"{name}: invalid value {raw!r} in {variable}"
            raise ValueError(msg) from err
    if default is None:
        msg = f"{name} is required (argument or {variable})"
        raise ValueError(msg)
    return default


def _milliseconds(raw: str) -> float:
    return float(raw) / 1000


AUTO_VERSION = "auto"
"""The ``version`` setting that lets the client detect the layout (the default)."""


def _version(raw: str) -> ProtocolVersion | str:
    value = raw.strip().lower()
    if value == AUTO_VERSION:
        return AUTO_VERSION
    try:
        return ProtocolVersion(value)
    except ValueError:
        msg = f"version must be v1, v2 or auto, got {raw!r}"
        raise ValueError(msg) from None


def _boolean(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "on")


def _check(name: str, ok: bool, requirement: str, value: object) -> None:  # noqa: FBT001
    if not ok:
        msg = f"{name} must be {requirement}, got {value!r}"
        raise ValueError(msg)


@dataclass(frozen=True, init=False)
class ConnectionConfig:
    """Where the vBox is and how to log in."""

    host: str
    port: int
    username: str = field(repr=False)
    password: str = field(repr=False)
    version: ProtocolVersion | None
    """The NodeMetaData and KeyParameters layout; ``None``: detected when first needed."""

    def __init__(  # noqa: PLR0913
        self,
        host: str | None = None,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        version: ProtocolVersion | str | None = None,
        *,
        environ: Environ | None = None,
    ) -> None:
        """Resolve every setting; ``environ``: ``VITREA_VBOX_*`` variables to read too."""
        env = {} if environ is None else environ
        values = {
            "host": _setting("host", host, env, str).strip(),
            "port": _setting("port", port, env, int, DEFAULT_PORT),
            "username": _setting("username", username, env, str),
            "password": _setting("password", password, env, str),
            "version": _setting(
                "version",
                None if version is None else _version(version),
                env,
                _version,
                AUTO_VERSION,
            ),
        }
        if values["version"] == AUTO_VERSION:
            values["version"] = None
        for name, value in values.items():
            object.__setattr__(self, name, value)
        _check("host", bool(self.host.strip()), "a host name or address", self.host)
        _check("port", 1 <= self.port <= 65535, "between 1 and 65535", self.port)
        _check("username", bool(self.username), "given", "")
        _check("password", bool(self.password), "given", "")
        encode_credential("username", self.username)
        encode_credential("password", self.password)

    @classmethod
    def from_env(cls, environ: Environ | None = None, **settings: Any) -> Self:
        """Settings from the arguments, then from the environment, then the defaults.

        ``environ`` (``os.environ`` if not given) holds the ``VITREA_VBOX_*`` variables.
        """
        return cls(**settings, environ=os.environ if environ is None else environ)


@dataclass(frozen=True, init=False)
class SocketConfig:
    """Timing of requests, heartbeat and reconnection (durations in seconds)."""

    request_timeout: float
    """How long to wait for the answer to one attempt of a request, and for a TCP connect
    (so also how long a reconnection attempt to a host that does not answer lasts)."""
    request_gap: float
    """Pause between two consecutive exchanges; never applied on an idle link."""
    request_gap_jitter: float
    """Fraction of ``request_gap`` by which each pause varies at random (0-1)."""
    heartbeat_interval: float
    """A heartbeat is sent after this long without any request."""
    max_retries: int
    """Attempts after the first one when a request times out."""
    reconnect: bool
    """Whether a lost connection is re-established automatically."""
    reconnect_min_delay: float
    """Wait from the loss of the connection to the first reconnection attempt (± 20 %);
    doubled after each failed attempt, up to ``reconnect_max_delay``."""
    reconnect_max_delay: float
    """Longest time from the start of one reconnection attempt to the start of the next,
    however long the vBox is away: once the vBox answers again, the connection is back
    within this (and the handshake). The delays are timed from the start of each attempt,
    so a connect that times out (``request_timeout``) does not lengthen them."""
    stability_period: float
    """How long a session must stay up to count as stable. A shorter one counts as a failed
    attempt (the reconnection delays keep growing), and the session after it is announced
    ``CONNECTED`` only once it has stayed up this long (see ``docs/connections.md``)."""
    incomplete_message_timeout: float
    """A frame or line not complete this long after its first byte arrived is dropped, and
    the reader resynchronises on what followed it."""

    def __init__(  # noqa: PLR0913
        self,
        request_timeout: float | None = None,
        request_gap: float | None = None,
        request_gap_jitter: float | None = None,
        heartbeat_interval: float | None = None,
        max_retries: int | None = None,
        *,
        reconnect: bool | None = None,
        reconnect_min_delay: float | None = None,
        reconnect_max_delay: float | None = None,
        stability_period: float | None = None,
        incomplete_message_timeout: float | None = None,
        environ: Environ | None = None,
    ) -> None:
        """Resolve every setting; ``environ``: ``VITREA_VBOX_*`` variables to read too."""
        env = {} if environ is None else environ
        # Upstream's environment names: REQUEST_BUFFER is our gap, SHOULD_RECONNECT our flag.
        values: dict[str, float | bool] = {
            "request_timeout": _setting(
                "request_timeout", request_timeout, env, _milliseconds, 1.0
            ),
            "request_gap": _setting(
                "request_gap", request_gap, env, _milliseconds, 0.25, env_name="request_buffer"
            ),
            "request_gap_jitter": _setting(
                "request_gap_jitter",
                request_gap_jitter,
                env,
                float,
                0.15,
                env_name="request_buffer_variance",
            ),
            "heartbeat_interval": _setting(
                "heartbeat_interval", heartbeat_interval, env, _milliseconds, 3.0
            ),
            "max_retries": _setting("max_retries", max_retries, env, int, 3),
            "reconnect": _setting(
                "reconnect", reconnect, env, _boolean, default=True, env_name="should_reconnect"
            ),
            "reconnect_min_delay": _setting(
                "reconnect_min_delay", reconnect_min_delay, env, _milliseconds, 0.5
            ),
            "reconnect_max_delay": _setting(
                "reconnect_max_delay", reconnect_max_delay, env, _milliseconds, 3.0
            ),
            "stability_period": _setting(
                "stability_period", stability_period, env, _milliseconds, 6.0
            ),
            "incomplete_message_timeout": _setting(
                "incomplete_message_timeout",
                incomplete_message_timeout,
                env,
                _milliseconds,
                5.0,
            ),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        _check("request_timeout", self.request_timeout > 0, "positive", self.request_timeout)
        _check("request_gap", self.request_gap >= 0, "zero or positive", self.request_gap)
        _check(
            "request_gap_jitter",
            0 <= self.request_gap_jitter <= 1,
            "between 0 and 1",
            self.request_gap_jitter,
        )
        _check(
            "heartbeat_interval", self.heartbeat_interval > 0, "positive", self.heartbeat_interval
        )
        _check("max_retries", self.max_retries >= 0, "zero or positive", self.max_retries)
        _check(
            "reconnect_min_delay",
            self.reconnect_min_delay > 0,
            "positive",
            self.reconnect_min_delay,
        )
        _check(
            "reconnect_max_delay",
            self.reconnect_max_delay >= self.reconnect_min_delay,
            "at least reconnect_min_delay",
            self.reconnect_max_delay,
        )
        _check(
            "stability_period",
            self.stability_period >= 0,
            "zero or positive",
            self.stability_period,
        )
        _check(
            "incomplete_message_timeout",
            self.incomplete_message_timeout > 0,
            "positive",
            self.incomplete_message_timeout,
        )

    @classmethod
    def from_env(cls, environ: Environ | None = None, **settings: Any) -> Self:
        """Settings from the arguments, then from the environment, then the defaults.

        ``environ`` (``os.environ`` if not given) holds the ``VITREA_VBOX_*`` variables.
        """
        return cls(**settings, environ=os.environ if environ is None else environ)
