"""Connection and socket settings: arguments, environment, defaults, validation."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from vitrea_client.config import (
    DEFAULT_PORT,
    ENV_PREFIX,
    ConnectionConfig,
    SocketConfig,
)
from vitrea_client.enums import ProtocolVersion

CREDENTIALS = {"VITREA_VBOX_USERNAME": "u", "VITREA_VBOX_PASSWORD": "p"}


def test_constants() -> None:
    assert DEFAULT_PORT == 11501
    assert ENV_PREFIX == "VITREA_VBOX_"


# --- ConnectionConfig ------------------------------------------------------------------------


def test_connection_from_arguments() -> None:
    config = ConnectionConfig("10.0.0.1", 1234, "user", "secret", ProtocolVersion.V1, environ={})
    assert config.host == "10.0.0.1"
    assert config.port == 1234
    assert config.username == "user"
    assert config.password == "secret"
    assert config.version is ProtocolVersion.V1


def test_connection_from_keyword_arguments() -> None:
    config = ConnectionConfig(host="vbox.local", username="u", password="p", environ={})
    assert (config.host, config.port, config.version) == ("vbox.local", 11501, None)


def test_connection_from_environment() -> None:
    config = ConnectionConfig(
        environ={
            "VITREA_VBOX_HOST": "10.0.0.5",
            "VITREA_VBOX_USERNAME": "u",
            "VITREA_VBOX_PASSWORD": "p",
            "VITREA_VBOX_PORT": "1234",
            "VITREA_VBOX_VERSION": "v1",
        }
    )
    assert config.host == "10.0.0.5"
    assert config.port == 1234
    assert config.username == "u"
    assert config.password == "p"
    assert config.version is ProtocolVersion.V1


def test_connection_version_from_environment_is_case_insensitive() -> None:
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_VERSION": "V1", **CREDENTIALS}
    assert ConnectionConfig(environ=environ).version is ProtocolVersion.V1


def test_connection_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITREA_VBOX_HOST", "192.168.7.7")
    monkeypatch.setenv("VITREA_VBOX_USERNAME", "envuser")
    monkeypatch.setenv("VITREA_VBOX_PASSWORD", "envpass")
    monkeypatch.delenv("VITREA_VBOX_PORT", raising=False)
    monkeypatch.delenv("VITREA_VBOX_VERSION", raising=False)
    config = ConnectionConfig.from_env()
    assert (config.host, config.port, config.username, config.password) == (
        "192.168.7.7",
        11501,
        "envuser",
        "envpass",
    )
    assert ConnectionConfig.from_env(password="given").password == "given"


def test_connection_reads_no_environment_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITREA_VBOX_PORT", "1234")
    monkeypatch.setenv("VITREA_VBOX_VERSION", "v1")
    config = ConnectionConfig("h", username="u", password="p")
    assert (config.port, config.version) == (11501, None)
    with pytest.raises(ValueError, match="host is required"):
        ConnectionConfig(username="u", password="p")


def test_connection_arguments_beat_environment() -> None:
    environ = {
        "VITREA_VBOX_HOST": "10.0.0.5",
        "VITREA_VBOX_USERNAME": "env-user",
        "VITREA_VBOX_PASSWORD": "env-pass",
        "VITREA_VBOX_PORT": "1234",
        "VITREA_VBOX_VERSION": "v1",
    }
    config = ConnectionConfig(
        "10.0.0.9", 4321, "arg-user", "arg-pass", ProtocolVersion.V2, environ=environ
    )
    assert config.host == "10.0.0.9"
    assert config.port == 4321
    assert config.username == "arg-user"
    assert config.password == "arg-pass"
    assert config.version is ProtocolVersion.V2


def test_connection_defaults() -> None:
    config = ConnectionConfig(host="h", username="u", password="p", environ={})
    assert config.port == 11501
    assert config.version is None  # detected when connecting


@pytest.mark.parametrize("auto", ["auto", " AUTO "])
def test_connection_version_auto_means_detected(auto: str) -> None:
    assert (
        ConnectionConfig("h", username="u", password="p", version=auto, environ={}).version is None
    )
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_VERSION": auto, **CREDENTIALS}
    assert ConnectionConfig(environ=environ).version is None


def test_connection_empty_environment_value_is_unset() -> None:
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_PORT": "", **CREDENTIALS}
    assert ConnectionConfig(environ=environ).port == 11501


@pytest.mark.parametrize("field", ["host", "username", "password"])
def test_connection_missing_required(field: str) -> None:
    values: dict[str, Any] = {"host": "h", "username": "u", "password": "p"}
    del values[field]
    with pytest.raises(
        ValueError, match=rf"^{field} is required \(argument or VITREA_VBOX_{field.upper()}\)$"
    ):
        ConnectionConfig(**values, environ={})


@pytest.mark.parametrize("port", [0, -1, 65536, 70000])
def test_connection_port_out_of_range(port: int) -> None:
    with pytest.raises(ValueError, match=rf"^port must be between 1 and 65535, got {port}$"):
        ConnectionConfig("h", port, "u", "p", environ={})


@pytest.mark.parametrize("port", [1, 65535])
def test_connection_port_limits(port: int) -> None:
    assert ConnectionConfig("h", port, "u", "p", environ={}).port == port


def test_connection_port_out_of_range_from_environment() -> None:
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_PORT": "70000", **CREDENTIALS}
    with pytest.raises(ValueError, match=r"^port must be between 1 and 65535, got 70000$"):
        ConnectionConfig(environ=environ)


def test_connection_bad_port_number_in_environment() -> None:
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_PORT": "eleven", **CREDENTIALS}
    with pytest.raises(ValueError, match=r"^port: invalid value 'eleven' in VITREA_VBOX_PORT$"):
        ConnectionConfig(environ=environ)


def test_connection_bad_version_in_environment() -> None:
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_VERSION": "v3", **CREDENTIALS}
    with pytest.raises(ValueError, match=r"^version: invalid value 'v3' in VITREA_VBOX_VERSION$"):
        ConnectionConfig(environ=environ)


@pytest.mark.parametrize("host", ["", "   "])
def test_connection_blank_host(host: str) -> None:
    with pytest.raises(ValueError, match=r"^host must be a host name or address"):
        ConnectionConfig(host, username="u", password="p", environ={})


@pytest.mark.parametrize("field", ["username", "password"])
def test_connection_empty_credential(field: str) -> None:
    values: dict[str, Any] = {"username": "u", "password": "p", field: ""}
    with pytest.raises(ValueError, match=rf"^{field} must be given"):
        ConnectionConfig("h", **values, environ={})


@pytest.mark.parametrize("field", ["username", "password"])
def test_connection_credential_of_128_characters(field: str) -> None:
    values: dict[str, Any] = {"username": "u", "password": "p", field: "x" * 128}
    with pytest.raises(ValueError, match=rf"^{field} is too long"):
        ConnectionConfig("h", **values, environ={})


def test_connection_credentials_of_127_characters() -> None:
    config = ConnectionConfig("h", username="u" * 127, password="p" * 127, environ={})
    assert len(config.password) == 127


def test_connection_too_long_password_from_environment() -> None:
    environ = {"VITREA_VBOX_HOST": "h", "VITREA_VBOX_USERNAME": "u"}
    environ["VITREA_VBOX_PASSWORD"] = "p" * 128
    with pytest.raises(ValueError, match=r"^password is too long"):
        ConnectionConfig(environ=environ)


def test_connection_repr_hides_credentials() -> None:
    config = ConnectionConfig("10.0.0.1", 1234, "alice-the-user", "hunter2-secret", environ={})
    for text in (repr(config), str(config)):
        assert "alice-the-user" not in text
        assert "hunter2-secret" not in text
        assert "username" not in text
        assert "password" not in text
        assert "10.0.0.1" in text
        assert "1234" in text


def test_connection_is_frozen() -> None:
    config = ConnectionConfig("h", username="u", password="p", environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.host = "other"  # type: ignore[misc]


def test_connection_replace_revalidates() -> None:
    config = ConnectionConfig("h", username="u", password="p", environ={})
    moved = dataclasses.replace(config, host="10.1.1.1")
    assert (moved.host, moved.username, moved.password) == ("10.1.1.1", "u", "p")
    with pytest.raises(ValueError, match=r"^port must be"):
        dataclasses.replace(config, port=0)


def test_socket_replace_revalidates() -> None:
    config = SocketConfig(environ={})
    assert dataclasses.replace(config, max_retries=7).max_retries == 7
    with pytest.raises(ValueError, match=r"^request_gap_jitter must be"):
        dataclasses.replace(config, request_gap_jitter=3)


def test_connection_validation_errors_never_contain_the_password() -> None:
    secret = "s" * 200
    with pytest.raises(ValueError, match="password") as info:
        ConnectionConfig("h", username="u", password=secret, environ={})
    assert secret not in str(info.value)
    assert "sss" not in str(info.value)


# --- SocketConfig ------------------------------------------------------------------------------


def test_socket_defaults() -> None:
    config = SocketConfig(environ={})
    assert config.request_timeout == 1.0
    assert config.request_gap == 0.25
    assert config.request_gap_jitter == 0.15
    assert config.heartbeat_interval == 3.0
    assert config.max_retries == 3
    assert config.reconnect is True
    assert config.reconnect_min_delay == 0.5
    assert config.reconnect_max_delay == 3.0


def test_socket_from_arguments() -> None:
    config = SocketConfig(
        2.0,
        0.1,
        0.5,
        10.0,
        0,
        reconnect=False,
        reconnect_min_delay=1.0,
        reconnect_max_delay=1.0,
        environ={},
    )
    assert (
        config.request_timeout,
        config.request_gap,
        config.request_gap_jitter,
        config.heartbeat_interval,
        config.max_retries,
        config.reconnect,
        config.reconnect_min_delay,
        config.reconnect_max_delay,
    ) == (2.0, 0.1, 0.5, 10.0, 0, False, 1.0, 1.0)


def test_socket_from_environment_in_milliseconds() -> None:
    config = SocketConfig(
        environ={
            "VITREA_VBOX_REQUEST_TIMEOUT": "1500",
            "VITREA_VBOX_REQUEST_BUFFER": "100",
            "VITREA_VBOX_REQUEST_BUFFER_VARIANCE": "0.3",
            "VITREA_VBOX_HEARTBEAT_INTERVAL": "2500",
            "VITREA_VBOX_MAX_RETRIES": "5",
            "VITREA_VBOX_SHOULD_RECONNECT": "false",
            "VITREA_VBOX_RECONNECT_MIN_DELAY": "1000",
            "VITREA_VBOX_RECONNECT_MAX_DELAY": "60000",
        }
    )
    assert config.request_timeout == 1.5
    assert config.request_gap == 0.1
    assert config.request_gap_jitter == 0.3
    assert config.heartbeat_interval == 2.5
    assert config.max_retries == 5
    assert config.reconnect is False
    assert config.reconnect_min_delay == 1.0
    assert config.reconnect_max_delay == 60.0


def test_socket_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITREA_VBOX_HEARTBEAT_INTERVAL", "2500")
    assert SocketConfig.from_env().heartbeat_interval == 2.5
    assert SocketConfig.from_env(heartbeat_interval=9).heartbeat_interval == 9
    assert SocketConfig().heartbeat_interval == 3.0  # no environment unless asked


def test_socket_zero_gap_from_environment_is_accepted() -> None:
    assert SocketConfig(environ={"VITREA_VBOX_REQUEST_BUFFER": "0"}).request_gap == 0.0
    assert SocketConfig(request_gap=0, environ={}).request_gap == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        (" True ", True),
        ("yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("off", False),
        ("maybe", False),
    ],
)
def test_socket_reconnect_boolean_from_environment(raw: str, expected: bool) -> None:
    config = SocketConfig(environ={"VITREA_VBOX_SHOULD_RECONNECT": raw})
    assert config.reconnect is expected


def test_socket_empty_environment_value_is_unset() -> None:
    config = SocketConfig(
        environ={"VITREA_VBOX_SHOULD_RECONNECT": "", "VITREA_VBOX_HEARTBEAT_INTERVAL": ""}
    )
    assert config.reconnect is True
    assert config.heartbeat_interval == 3.0


def test_socket_arguments_beat_environment() -> None:
    environ = {
        "VITREA_VBOX_REQUEST_TIMEOUT": "5000",
        "VITREA_VBOX_REQUEST_BUFFER": "900",
        "VITREA_VBOX_REQUEST_BUFFER_VARIANCE": "0.9",
        "VITREA_VBOX_HEARTBEAT_INTERVAL": "9000",
        "VITREA_VBOX_MAX_RETRIES": "9",
        "VITREA_VBOX_SHOULD_RECONNECT": "true",
        "VITREA_VBOX_RECONNECT_MIN_DELAY": "9000",
        "VITREA_VBOX_RECONNECT_MAX_DELAY": "90000",
    }
    config = SocketConfig(
        request_timeout=2.0,
        request_gap=0.1,
        request_gap_jitter=0.0,
        heartbeat_interval=1.0,
        max_retries=0,
        reconnect=False,
        reconnect_min_delay=0.1,
        reconnect_max_delay=0.2,
        environ=environ,
    )
    assert (
        config.request_timeout,
        config.request_gap,
        config.request_gap_jitter,
        config.heartbeat_interval,
        config.max_retries,
        config.reconnect,
        config.reconnect_min_delay,
        config.reconnect_max_delay,
    ) == (2.0, 0.1, 0.0, 1.0, 0, False, 0.1, 0.2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"request_timeout": 0}, "^request_timeout must be positive, got 0$"),
        ({"request_timeout": -1.0}, "^request_timeout must be positive, got -1.0$"),
        ({"request_gap": -0.1}, "^request_gap must be zero or positive, got -0.1$"),
        ({"request_gap_jitter": 2}, "^request_gap_jitter must be between 0 and 1, got 2$"),
        ({"request_gap_jitter": -0.1}, "^request_gap_jitter must be between 0 and 1, got -0.1$"),
        ({"heartbeat_interval": 0}, "^heartbeat_interval must be positive, got 0$"),
        ({"max_retries": -1}, "^max_retries must be zero or positive, got -1$"),
        ({"reconnect_min_delay": 0}, "^reconnect_min_delay must be positive, got 0$"),
        (
            {"reconnect_min_delay": 5.0, "reconnect_max_delay": 4.0},
            "^reconnect_max_delay must be at least reconnect_min_delay, got 4.0$",
        ),
        (
            {"reconnect_max_delay": 0.1},
            "^reconnect_max_delay must be at least reconnect_min_delay, got 0.1$",
        ),
    ],
)
def test_socket_invalid_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SocketConfig(**kwargs, environ={})


def test_socket_limits_are_accepted() -> None:
    config = SocketConfig(
        request_gap=0,
        request_gap_jitter=1,
        max_retries=0,
        reconnect_min_delay=2.0,
        reconnect_max_delay=2.0,
        environ={},
    )
    assert (config.request_gap_jitter, config.max_retries) == (1, 0)


@pytest.mark.parametrize(
    ("variable", "raw", "message"),
    [
        ("REQUEST_TIMEOUT", "soon", "^request_timeout: invalid value 'soon'"),
        ("HEARTBEAT_INTERVAL", "fast", "^heartbeat_interval: invalid value 'fast'"),
        ("REQUEST_BUFFER", "x", "^request_gap: invalid value 'x' in VITREA_VBOX_REQUEST_BUFFER"),
        ("REQUEST_BUFFER_VARIANCE", "lots", "^request_gap_jitter: invalid value 'lots'"),
        ("MAX_RETRIES", "1.5", "^max_retries: invalid value '1.5' in VITREA_VBOX_MAX_RETRIES$"),
        ("RECONNECT_MIN_DELAY", "?", "^reconnect_min_delay: invalid value"),
        ("RECONNECT_MAX_DELAY", "1e", "^reconnect_max_delay: invalid value"),
    ],
)
def test_socket_bad_number_in_environment(variable: str, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SocketConfig(environ={f"VITREA_VBOX_{variable}": raw})


@pytest.mark.parametrize(
    ("variable", "raw", "field"),
    [
        ("REQUEST_TIMEOUT", "0", "request_timeout"),
        ("REQUEST_BUFFER", "-5", "request_gap"),
        ("REQUEST_BUFFER_VARIANCE", "2", "request_gap_jitter"),
        ("HEARTBEAT_INTERVAL", "-1", "heartbeat_interval"),
        ("MAX_RETRIES", "-2", "max_retries"),
        ("REQUEST_TIMEOUT", "nan", "request_timeout"),
    ],
)
def test_socket_out_of_range_in_environment(variable: str, raw: str, field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field} must be"):
        SocketConfig(environ={f"VITREA_VBOX_{variable}": raw})


def test_socket_is_frozen() -> None:
    config = SocketConfig(environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.max_retries = 1  # type: ignore[misc]
