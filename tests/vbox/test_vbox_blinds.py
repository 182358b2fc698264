"""A blind of the house model in motion, over real loopback TCP against a simulator whose
blinds travel: which way it moves, where it is, stop, and moves seen only as reports.

Nothing sleeps to wait: the tests poll conditions, each with a deadline.
"""

from __future__ import annotations

from typing import Any

import pytest
from vitrea_client import CommandID, ConnectionConfig, House, Key, KeyKind, SocketConfig
from vitrea_client.link import KeyUpdate
from vitrea_client.motion import MOTION_TIMEOUT

from tests.demo_blinds import CLOSED, OPEN, PART_WAY, TRAVEL
from tests.vbox.conftest import Ready
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, SimFactory, until

pytestmark = pytest.mark.usefixtures("socket_enabled")

QUIET = 0.6
"""The house's motion timeout: several of the simulator's report intervals."""


@pytest.fixture
async def sim(make_sim: SimFactory) -> VBoxSimulator:
    """The demo house, with blinds that take ``TRAVEL`` seconds from closed to open."""
    return await make_sim(blind_travel=TRAVEL)


def house_of(sim: VBoxSimulator, **options: Any) -> House:
    return House.vtu(
        ConnectionConfig("127.0.0.1", sim.port, USERNAME, PASSWORD),
        SocketConfig(request_gap=0, request_timeout=0.5, max_retries=1),
        motion_timeout=QUIET,
        **options,
    )


@pytest.fixture
async def house(sim: VBoxSimulator, ready: Ready) -> House:
    """Connected and discovered, states read."""
    return await ready(house_of(sim))


def blind_of(house: House, address: tuple[int, int]) -> Key:
    blind = house.key(*address)
    assert blind is not None
    assert blind.kind is KeyKind.COVER
    assert blind.is_blind
    return blind


def record(blind: Key) -> list[tuple[int | None, bool, bool]]:
    """Every state the blind takes: position, opening, closing."""
    heard: list[tuple[int | None, bool, bool]] = []
    blind.on_change(lambda: heard.append((blind.position, blind.is_opening, blind.is_closing)))
    return heard


def moving(blind: Key) -> bool:
    return blind.is_moving


# -- sent by the house ---------------------------------------------------------------------


async def test_a_blind_sent_up_opens_and_its_position_is_the_reported_one(
    house: House, sim: VBoxSimulator
) -> None:
    blind = blind_of(house, CLOSED)
    heard = record(blind)
    assert (blind.position, blind.is_moving) == (0, False)
    await blind.set_position(100)
    # Taken by the vBox, on its way up; the position is still the one reported, not 100.
    assert (blind.is_opening, blind.is_closing, blind.target) == (True, False, 100)
    assert blind.position is not None
    assert blind.position < 100
    assert "opening" in repr(blind)
    await until(lambda: not moving(blind))
    assert (blind.is_on, blind.position, blind.target) == (True, 100, None)
    assert (sim.house.key(*CLOSED).level, sim.house.key(*CLOSED).target) == (100, None)
    # On the way, every state was opening and the positions only went up.
    on_the_way = [state for state in heard if state[0] is not None and 0 < state[0] < 100]
    assert on_the_way
    assert all(opening and not closing for _, opening, closing in on_the_way)
    positions = [position for position, _, _ in heard]
    assert positions == sorted(positions, key=lambda p: p or 0)
    assert heard[-1] == (100, False, False)


async def test_a_blind_sent_down_closes(house: House) -> None:
    blind = blind_of(house, OPEN)
    await blind.turn_off()
    assert (blind.is_closing, blind.is_opening, blind.target) == (True, False, 0)
    assert blind.position == 100
    assert "closing" in repr(blind)
    await until(lambda: blind.position not in (0, 100))
    assert blind.is_closing
    await until(lambda: not moving(blind))
    assert (blind.is_on, blind.position) == (False, 0)
    assert "closing" not in repr(blind)


async def test_a_stopped_blind_stays_part_way_and_stands(house: House, sim: VBoxSimulator) -> None:
    blind = blind_of(house, CLOSED)
    await blind.set_position(100)
    await until(lambda: 0 < (blind.position or 0) < 100)
    assert blind.is_opening
    await blind.stop()
    # It stands where it was stopped (after a step back if it was reported past it meanwhile).
    await until(lambda: not moving(blind))
    key = sim.house.key(*CLOSED)
    assert key.target is None  # the box moves it no further
    assert blind.position == key.level
    assert 0 < key.level < 100
    assert (blind.is_on, blind.target) == (True, None)


async def test_a_standing_blind_sent_where_it_is_stands(house: House) -> None:
    blind = blind_of(house, PART_WAY)
    heard = record(blind)
    await blind.set_position(40)
    assert heard[-1] == (40, False, False)
    assert blind.target is None


async def test_stop_of_a_blind_that_reports_no_position(house: House, sim: VBoxSimulator) -> None:
    blind = blind_of(house, PART_WAY)
    sim.house.key(*PART_WAY).level = 0xC8  # its status now carries a byte that is no position
    sim.requests.clear()
    heard = record(blind)
    await blind.stop()
    # Nothing to hold: nothing is sent, and the house counts the blind as standing.
    assert [request.command for request in sim.requests] == [CommandID.KEY_STATUS]
    assert (blind.level, blind.is_moving, blind.target) == (None, False, None)
    assert heard[-1] == (None, False, False)


# -- moved elsewhere: seen only in the reports ---------------------------------------------


async def test_a_move_at_the_wall_is_followed_from_the_reports(
    house: House, sim: VBoxSimulator
) -> None:
    blind = blind_of(house, CLOSED)
    await sim.set_key(*CLOSED, level=60)
    await until(lambda: blind.is_opening)
    assert blind.target is None  # where it goes, nobody told the house
    # The last report (60) looks like any other on the way: quiet, it stands after a while.
    await until(lambda: not moving(blind) and blind.position == 60)
    # Down to an end: closing, then standing as soon as it is reported there.
    await sim.set_key(*CLOSED, on=False)
    await until(lambda: blind.is_closing)
    await until(lambda: blind.position == 0)
    assert not blind.is_moving


async def test_a_blind_stopped_at_the_wall_stands(house: House, sim: VBoxSimulator) -> None:
    blind = blind_of(house, CLOSED)
    await sim.set_key(*CLOSED, on=True)
    await until(lambda: blind.is_opening)
    level = sim.house.key(*CLOSED).level
    await sim.set_key(*CLOSED, level=level)  # the halt reports the position once more
    await until(lambda: not moving(blind))
    assert blind.position == level


async def test_a_blind_sent_elsewhere_meanwhile_follows_its_new_way(
    house: House, sim: VBoxSimulator
) -> None:
    blind = blind_of(house, CLOSED)
    await blind.set_position(100)
    await until(lambda: 0 < (blind.position or 0) < 100)
    await sim.set_key(*CLOSED, on=False)  # turned round at the wall, away from 100
    await until(lambda: blind.is_closing)
    assert blind.target is None
    await until(lambda: blind.position == 0 and not moving(blind))


async def test_a_blind_reported_changed_after_a_while_is_not_moving(house: House) -> None:
    blind = blind_of(house, PART_WAY)
    blind.motion.reported_at = -QUIET  # long ago
    house._handle(KeyUpdate(*PART_WAY, is_on=True, level=70))
    assert (blind.position, blind.is_moving) == (70, False)
    # And a report without a position tells nothing of a motion.
    house._handle(KeyUpdate(*PART_WAY, is_on=True, level=None))
    assert (blind.level, blind.is_moving) == (None, False)


async def test_disconnecting_leaves_no_blind_moving(sim: VBoxSimulator) -> None:
    house = house_of(sim)
    await house.connect()
    await house.discover()
    await house.read_states()
    blind = blind_of(house, CLOSED)
    await blind.set_position(100)
    assert blind.is_moving
    await house.disconnect()
    assert (blind.is_moving, blind.target, blind.motion.timer) == (False, None, None)


# -- from an unknown position --------------------------------------------------------------


async def test_a_blind_whose_position_is_unknown(sim: VBoxSimulator) -> None:
    house = house_of(sim)
    await house.connect()
    await house.discover()  # no states read
    try:
        up, down, half = (blind_of(house, address) for address in (CLOSED, OPEN, PART_WAY))
        assert up.position is None
        await up.set_position(100)  # on its way up, from wherever it is
        assert up.is_opening
        await down.set_position(0)
        assert down.is_closing
        # Part-way: which way is not known until the vBox reports the blind.
        await half.set_position(90)
        assert (half.is_moving, half.target) == (False, 90)
        await until(lambda: half.is_opening)
        await until(lambda: half.position == 90 and not moving(half))
    finally:
        await house.disconnect()


def test_the_default_motion_timeout() -> None:
    assert MOTION_TIMEOUT == 3.0
    house = House.vtu(ConnectionConfig("127.0.0.1", 1, USERNAME, PASSWORD))
    assert house.motion_timeout == MOTION_TIMEOUT
