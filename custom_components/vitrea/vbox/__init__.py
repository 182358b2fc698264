"""Asyncio client of the Vitrea vBox VTU protocol (TCP port 11501).

Pure Python, no dependencies. See ``VitreaClient`` for the connection, ``requests`` and
``responses`` for the messages.
"""

from . import requests, responses
from .client import ConnectionState, VitreaClient
from .config import AUTO_VERSION, ConnectionConfig, SocketConfig
from .enums import (
    AckType,
    CommandID,
    DataGramDirection,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    LockStatus,
    NodeType,
    ProtocolVersion,
    ResponseCodes,
    node_model,
)
from .errors import (
    AuthenticationError,
    CommandRejectedError,
    ConnectionExistsError,
    NoConnectionError,
    ProtocolError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)
from .frames import Frame, FrameReader
from .log import ConsoleLogger, Logger, NullLogger

__all__ = [
    "AUTO_VERSION",
    "AckType",
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
    "requests",
    "responses",
]
