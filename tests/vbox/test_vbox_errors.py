"""Exceptions of the protocol core and the package's public names."""

from __future__ import annotations

import pytest
import vitrea_client as vbox
from vitrea_client.enums import AckType
from vitrea_client.errors import (
    AuthenticationError,
    CommandRejectedError,
    ConnectionExistsError,
    NoConnectionError,
    ProtocolError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (ConnectionExistsError, (VitreaError,)),
        (VitreaConnectionError, (VitreaError,)),
        (NoConnectionError, (VitreaConnectionError, VitreaError)),
        (VitreaTimeoutError, (VitreaError, TimeoutError)),
        (AuthenticationError, (VitreaError,)),
        (CommandRejectedError, (VitreaError,)),
        (ProtocolError, (VitreaError,)),
    ],
)
def test_hierarchy(cls: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    for base in bases:
        assert issubclass(cls, base)
    assert issubclass(cls, Exception)


def test_vitrea_error_is_not_a_builtin_connection_error() -> None:
    assert not issubclass(VitreaConnectionError, ConnectionError)
    assert not issubclass(ProtocolError, ValueError)


def test_command_rejected_with_ack_type() -> None:
    error = CommandRejectedError("ToggleKeyStatus", AckType.IN_USE)
    assert str(error) == "the vBox rejected ToggleKeyStatus: IN_USE"
    assert error.request_name == "ToggleKeyStatus"
    assert error.ack_type is AckType.IN_USE


def test_command_rejected_with_unknown_code() -> None:
    error = CommandRejectedError("Login", 9)
    assert str(error) == "the vBox rejected Login: code 9"
    assert error.ack_type == 9


def test_timeout_error_is_caught_as_builtin_timeout() -> None:
    with pytest.raises(TimeoutError):
        raise VitreaTimeoutError


def test_package_exports() -> None:
    assert sorted(vbox.__all__) == sorted(
        [
            "AUTO_VERSION",
            "AckType",
            "House",
            "Interface",
            "Key",
            "Node",
            "TopologyChange",
            "KeyPress",
            "KeyUpdate",
            "Link",
            "NodeUpdate",
            "Press",
            "Update",
            "KeyInfo",
            "KeyKind",
            "NodeInfo",
            "Topology",
            "UNREAD_CATEGORY",
            "VTULink",
            "NoNodesError",
            "TimerTooLongError",
            "AuthenticationError",
            "CommandID",
            "CommandRejectedError",
            "ConnectionConfig",
            "ConnectionExistsError",
            "ConnectionState",
            "ConsoleLogger",
            "DataGramDirection",
            "Frame",
            "FrameReader",
            "KeyCategory",
            "KeyPowerStatus",
            "KeyType",
            "LEDBackgroundBrightness",
            "LockStatus",
            "Logger",
            "NoConnectionError",
            "NodeType",
            "NullLogger",
            "ProtocolError",
            "ProtocolVersion",
            "ResponseCodes",
            "SocketConfig",
            "VitreaClient",
            "VitreaConnectionError",
            "VitreaError",
            "VitreaTimeoutError",
            "node_model",
            "ACFan",
            "ACMode",
            "ACType",
            "TemperatureUnit",
            "Version",
            "VersionSupport",
            "firmware_text",
            "HOST_PORT",
            "HostClient",
            "HostLink",
            "DualLink",
            "Climate",
            "Scenario",
            "ClimateUpdate",
            "ClimateInfo",
            "ScenarioInfo",
            "HostCommandError",
            "NotSupportedError",
            "host",
            "requests",
            "responses",
        ]
    )
    for name in vbox.__all__:
        assert getattr(vbox, name) is not None
    assert vbox.ResponseCodes is vbox.CommandID
    assert vbox.requests.NodeCount(message_id=0x33).build() == bytes.fromhex(
        "56 54 55 3E 24 00 02 33 96"
    )
