"""Asyncio library of the Vitrea vBox: the house it runs, and both its network interfaces.

Pure Python, no dependencies. ``House`` is the house as live objects (rooms, nodes, keys,
air conditioners, scenarios, their state and actions), fed by a link to the vBox: the app
interface VTU (port 11501, ``VTULink``), the host interface (port 11502, ``HostLink``), or
both (``DualLink``). Below them, ``VitreaClient`` is the VTU connection, with ``requests``
and ``responses`` for its messages, and ``HostClient`` the host interface's, with ``host``
for its lines and frames.
"""

from . import host, requests, responses
from .client import VitreaClient
from .config import AUTO_VERSION, ConnectionConfig, SocketConfig
from .connection import ConnectionState
from .dual_link import DualLink
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
    HostCommandError,
    NoConnectionError,
    NoNodesError,
    NotSupportedError,
    ProtocolError,
    TimerTooLongError,
    VitreaConnectionError,
    VitreaError,
    VitreaTimeoutError,
)
from .frames import Frame, FrameReader
from .host import ACFan, ACMode, ACType, TemperatureUnit, Version, VersionSupport
from .host_client import HOST_PORT, HostClient
from .host_link import HostLink, firmware_text
from .house import Climate, House, Node, Scenario, TopologyChange
from .key import Key
from .link import (
    ClimateUpdate,
    Interface,
    KeyPress,
    KeyUpdate,
    Link,
    NodeUpdate,
    Press,
    Update,
)
from .log import ConsoleLogger, Logger, NullLogger
from .topology import (
    UNREAD_CATEGORY,
    ClimateInfo,
    KeyInfo,
    KeyKind,
    NodeInfo,
    ScenarioInfo,
    Topology,
)
from .vtu import VTULink

__all__ = [
    "AUTO_VERSION",
    "HOST_PORT",
    "UNREAD_CATEGORY",
    "ACFan",
    "ACMode",
    "ACType",
    "AckType",
    "AuthenticationError",
    "Climate",
    "ClimateInfo",
    "ClimateUpdate",
    "CommandID",
    "CommandRejectedError",
    "ConnectionConfig",
    "ConnectionExistsError",
    "ConnectionState",
    "ConsoleLogger",
    "DataGramDirection",
    "DualLink",
    "Frame",
    "FrameReader",
    "HostClient",
    "HostCommandError",
    "HostLink",
    "House",
    "Interface",
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
    "NotSupportedError",
    "NullLogger",
    "Press",
    "ProtocolError",
    "ProtocolVersion",
    "ResponseCodes",
    "Scenario",
    "ScenarioInfo",
    "SocketConfig",
    "TemperatureUnit",
    "TimerTooLongError",
    "Topology",
    "TopologyChange",
    "Update",
    "VTULink",
    "Version",
    "VersionSupport",
    "VitreaClient",
    "VitreaConnectionError",
    "VitreaError",
    "VitreaTimeoutError",
    "firmware_text",
    "host",
    "node_model",
    "requests",
    "responses",
]
