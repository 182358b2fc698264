"""The house as the host interface shows it: key types, AC status lines, database replies.

The numbering and types are docs/host-interface.md's (§9 for what the simulator decides).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import host_wire as wire
from .host_wire import Db
from .house import AC_FANS, AC_MODES, AC_UNITS, GLOBAL_ROOM
from .wire import KeyCategory, KeyType

if TYPE_CHECKING:
    from .host_wire import DbRequest
    from .house import Ac, House, Key

HOST_KEY_TYPES = {
    KeyType.TOGGLE: 1,
    KeyType.DUAL_POLE: 1,
    KeyType.BOILER: 10,
    KeyType.DIMMER: 3,
    KeyType.DIMMER_MW: 3,
    KeyType.BLIND: 4,
    KeyType.BLIND_MW: 4,
    KeyType.PUSH_BUTTON: 2,
    KeyType.SATELLITE: 12,
    KeyType.TOGGLE_SCENE: 14,
    KeyType.THERMOSTAT: 16,
}
"""The host key type (DB reply 06) of each VTU key type; others are 0 (not used)."""
TOGGLE, PUSH_BUTTON, DIMMER, BLIND, BOILER, SATELLITE, SCENE = 1, 2, 3, 4, 10, 12, 14
WITH_STATE = frozenset({TOGGLE, DIMMER, BLIND, BOILER, SCENE})
"""Host key types that report a state (in ``H:NALL:G``) and can be switched."""


def host_key_type(key: Key) -> int:
    """The host key type of a key: toggles of category boiler are boilers (10)."""
    if key.type is KeyType.TOGGLE and key.category is KeyCategory.BOILER:
        return BOILER
    return HOST_KEY_TYPES.get(key.type, 0)


def ac_line(ac: Ac) -> bytes:
    """An AC's ``S:A`` status line."""
    return wire.ac_status(
        ac.id,
        on=ac.on,
        mode=AC_MODES.index(ac.mode),
        fan=AC_FANS.index(ac.fan),
        setpoint=ac.setpoint,
        measured=ac.measured,
        ac_type=ac.type,
        relay=ac.relay,
        unit=AC_UNITS.index(ac.unit),
    )


def database_reply(house: House, request: DbRequest) -> bytes:  # noqa: PLR0911 - one per request
    """The reply to a database request.

    Raises:
        KeyError: it asks for something the house does not have.

    """
    arg = request.arg or 0
    match request.command:
        case Db.FLOORS:
            return wire.floors(floor.id for floor in house.floors)
        case Db.FLOOR:
            floor = house.floor(arg)
            return wire.floor(floor.id, floor.name)
        case Db.ROOMS:
            return wire.rooms(room.id for room in house.rooms)
        case Db.ROOM:
            room = house.room(arg)
            return wire.room(room.id, room.floor, room.name)
        case Db.KEYPADS:
            return wire.keypads((node.id, len(node.keys)) for node in house.nodes)
        case Db.KEY:
            node = house.node(0 if arg == 256 else arg)
            number = request.key or 0
            key = node.key(number - 1)
            room_id = node.room_id if key.room_id is None else key.room_id
            return wire.key(node.id, number, host_key_type(key), room_id, key.name)
        case Db.ACS:
            return wire.acs(ac.id for ac in house.acs)
        case Db.AC:
            ac = house.ac(arg)
            return wire.ac(ac.id, ac.type, ac.room_id, ac.name)
        case Db.SCENARIOS:
            return wire.scenarios(scenario.id for scenario in house.scenarios)
        case Db.SCENARIO:
            scenario = house.scenario(arg)
            room_id = GLOBAL_ROOM if scenario.room_id is None else scenario.room_id
            return wire.scenario(scenario.id, room_id, scenario.name)
