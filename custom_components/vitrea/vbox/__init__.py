"""Asyncio library of the Vitrea vBox: the house it runs, and its app interface (VTU, 11501).

Pure Python, no dependencies. ``House`` is the house as live objects (rooms, nodes, keys,
their state and actions), fed by a link to one interface of the vBox (``VTULink``). Below
it, ``VitreaClient`` is the VTU connection, with ``requests`` and ``responses`` for the
messages.
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
    NoNodesError,
    ProtocolError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)
from .frames import Frame, FrameReader
from .house import House, Key, Node, TopologyChange
from .link import KeyPress, KeyUpdate, Link, NodeUpdate, Press, Update
from .log import ConsoleLogger, Logger, NullLogger
from .topology import KeyInfo, KeyKind, NodeInfo, Topology
from .vtu import VTULink

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
    "House",
    "Key",
    "KeyCategory",
    "KeyInfo",
    "KeyKind",
    "KeyPowerStatus",
    "KeyPress",
    "KeyType",
    "KeyUpdate",
    "LEDBackgroundBrightness",
    "Link",
    "LockStatus",
    "Logger",
    "NoConnectionError",
    "NoNodesError",
    "Node",
    "NodeInfo",
    "NodeType",
    "NodeUpdate",
    "NullLogger",
    "Press",
    "ProtocolError",
    "ProtocolVersion",
    "ResponseCodes",
    "SocketConfig",
    "Topology",
    "TopologyChange",
    "Update",
    "VTULink",
    "VitreaClient",
    "VitreaConnectionError",
    "VitreaError",
    "VitreaTimeoutError",
    "node_model",
    "requests",
    "responses",
]
