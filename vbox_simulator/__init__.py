"""A simulated Vitrea vBox: the test bed and demo device of the integration.

Asyncio TCP servers speaking the VTU protocol and the host interface from the box's side,
serving a :class:`House` of rooms, nodes and keys through one engine (see docs/simulator.md,
its Layout). Run it with ``python -m vbox_simulator``.

It stands on its own: its codec (:mod:`vbox_simulator.wire`) is written from the protocol
reference, not taken from the client library, and it needs nothing but the standard library.
"""

from .faults import FaultError, Faults
from .house import House, HouseError, Key, Node, Room, generate_house, load_demo_house
from .server import NoClientError, ReceivedRequest, VBoxSimulator

__all__ = [
    "FaultError",
    "Faults",
    "House",
    "HouseError",
    "Key",
    "NoClientError",
    "Node",
    "ReceivedRequest",
    "Room",
    "VBoxSimulator",
    "generate_house",
    "load_demo_house",
]
