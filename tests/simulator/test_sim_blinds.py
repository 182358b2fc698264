"""Blinds that travel: positions pushed on the way, retargeting, stop, the travel time.

The simulator here gives its blinds a short travel time; nothing sleeps to wait: the tests
wait for pushes and states, each with a deadline.
"""

from __future__ import annotations

import math

import pytest
from vitrea_client import KeyPowerStatus, VitreaClient, requests

from tests.demo_blinds import CLOSED, OPEN, PART_WAY, TRAVEL
from tests.simulator.sim_support import PASSWORD, USERNAME, StatusQueue
from vbox_simulator import Key, VBoxSimulator, load_demo_house
from vbox_simulator.engine import BLIND_REPORT_INTERVAL, DEFAULT_BLIND_TRAVEL
from vbox_simulator.house import HouseError
from vbox_simulator.pytest_plugin import SimFactory, until
from vbox_simulator.wire import KeyCategory, KeyType


@pytest.fixture
async def sim(make_sim: SimFactory) -> VBoxSimulator:
    """The demo house, with blinds that take ``TRAVEL`` seconds from closed to open."""
    return await make_sim(blind_travel=TRAVEL)


async def _send(client: VitreaClient, blind: tuple[int, int], position: int) -> None:
    """Send ``blind`` to ``position`` as a client does: on at the position, off for 0."""
    status = KeyPowerStatus.ON if position else KeyPowerStatus.OFF
    request = requests.ToggleKeyStatus(
        node_id=blind[0], key_id=blind[1], status=status, dimmer=position
    )
    assert (await client.send(request)).is_ok


def _state(sim: VBoxSimulator, blind: tuple[int, int]) -> dict[str, object]:
    (state,) = (s for s in sim.state() if (s["node"], s["key"]) == blind)
    return state


async def _positions_until(statuses: StatusQueue, blind: tuple[int, int], end: int) -> list[int]:
    """The positions pushed for ``blind`` until it reports ``end``."""
    positions: list[int] = []
    while not positions or positions[-1] != end:
        push = await statuses.get()
        assert (push.node_id, push.key_id) == blind
        assert push.level is not None
        assert push.is_on == (push.level > 0)
        positions.append(push.level)
    return positions


# -- the house model ------------------------------------------------------------------------


def test_a_blind_is_put_at_once_by_its_commands() -> None:
    key = Key(0, KeyType.BLIND, KeyCategory.UNDEFINED, "b", level=30)
    assert Key.position_for(on=True) == 100
    assert Key.position_for(on=True, level=20) == 20
    assert Key.position_for(on=False, level=20) == 0
    key.target = 80
    key.put(50)
    assert (key.on, key.level, key.target) == (True, 50, 80)  # put keeps the target
    key.put(0)
    assert (key.on, key.level) == (False, 0)
    key.command(on=True, level=70)
    assert (key.on, key.level, key.target) == (True, 70, None)  # a command ends a travel
    assert "target" not in key.to_dict()  # a house file holds no travel
    with pytest.raises(HouseError):
        key.put(101)


# -- travel ---------------------------------------------------------------------------------


async def test_a_blind_travels_and_pushes_its_positions_on_the_way(sim, client, statuses) -> None:
    await _send(client, CLOSED, 100)
    # The command is taken; the blind has not moved yet, and is on its way.
    assert _state(sim, CLOSED) | {"name": ""} == {
        "node": 11,
        "key": 0,
        "type": "blind",
        "name": "",
        "on": False,
        "level": 0,
        "target": 100,
    }
    positions = await _positions_until(statuses, CLOSED, 100)
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert any(0 < position < 100 for position in positions)  # reported on the way
    assert (_state(sim, CLOSED)["level"], _state(sim, CLOSED)["target"]) == (100, None)
    assert sim.engine.moving == frozenset()
    # And down again: off closes it, step by step.
    await _send(client, CLOSED, 0)
    positions = await _positions_until(statuses, CLOSED, 0)
    assert positions == sorted(positions, reverse=True)
    assert any(0 < position < 100 for position in positions)
    assert sim.house.key(*CLOSED).on is False


async def test_a_new_command_on_the_way_retargets(sim, client, statuses) -> None:
    await _send(client, OPEN, 0)
    first = (await statuses.get()).level
    assert first is not None
    assert first < 100
    await _send(client, OPEN, 20)  # further down, but not all the way
    positions = await _positions_until(statuses, OPEN, 20)
    assert positions == sorted(positions, reverse=True)
    assert positions[-1] == 20
    assert _state(sim, OPEN)["target"] is None
    # Sent back up on the way down: it turns round.
    await _send(client, OPEN, 0)
    lowest = (await statuses.get()).level
    assert lowest is not None
    await _send(client, OPEN, 100)
    positions = await _positions_until(statuses, OPEN, 100)
    assert positions == sorted(positions)
    assert positions[0] >= lowest


async def test_the_position_reached_stops_a_travelling_blind(sim, client, statuses) -> None:
    await _send(client, CLOSED, 100)
    push = await statuses.get()
    assert push.level is not None
    assert 0 < push.level < 100
    # A stop as VTU says it: where is it? Then: go there.
    status = await client.send(requests.KeyStatus(node_id=CLOSED[0], key_id=CLOSED[1]))
    reached = status.level
    assert reached is not None
    await _send(client, CLOSED, reached)
    # The halt is pushed (after one more step, and back, if one came in between).
    assert len(await _positions_until(statuses, CLOSED, reached)) <= 2
    assert (_state(sim, CLOSED)["level"], _state(sim, CLOSED)["target"]) == (reached, None)
    assert sim.engine.moving == frozenset()  # nothing moves on: no further push comes
    assert 0 < reached < 100


async def test_a_standing_blind_sent_where_it_is_reports_it(sim, client, statuses) -> None:
    await _send(client, PART_WAY, 40)
    push = await statuses.get()
    assert (push.node_id, push.key_id, push.is_on, push.level) == (*PART_WAY, True, 40)
    assert sim.engine.moving == frozenset()


async def test_a_blind_moved_at_the_wall_travels_and_can_be_stopped_there(
    sim, client, statuses
) -> None:
    state = await sim.set_key(*CLOSED, level=60)
    assert (state["level"], state["target"]) == (0, 60)
    first = (await statuses.get()).level
    assert first is not None
    assert 0 < first <= 60
    # Stopped at the wall where it is: the position is pushed again, and it stands.
    level = sim.house.key(*CLOSED).level
    state = await sim.set_key(*CLOSED, level=level)
    assert (state["level"], state["target"]) == (level, None)
    while (push := await statuses.get()).level != level:  # the pushes up to the halt
        assert push.level is not None
        assert push.level < level
    assert sim.engine.moving == frozenset()
    assert (await sim.set_key(*CLOSED, on=True))["target"] == 100
    assert (await _positions_until(statuses, CLOSED, 100))[-1] == 100


async def test_a_blind_put_elsewhere_on_the_way_goes_on_from_there(sim, client, statuses) -> None:
    await _send(client, CLOSED, 100)
    await statuses.get()
    sim.house.key(*CLOSED).put(80)  # moved by other means, still heading for 100
    positions = await _positions_until(statuses, CLOSED, 100)
    assert positions == sorted(positions)
    assert not any(50 <= position <= 80 for position in positions)  # on from 80: 90, 100
    # Put somewhere at once (a command of the house model): the travel ends there.
    await _send(client, CLOSED, 0)
    sim.house.key(*CLOSED).command(on=True, level=55)
    await until(lambda: not sim.engine.moving)
    assert (sim.house.key(*CLOSED).level, sim.house.key(*CLOSED).target) == (55, None)


async def test_the_travel_time_can_change_on_the_way(sim, client, statuses) -> None:
    await _send(client, CLOSED, 100)
    await statuses.get()
    sim.blind_travel = 0  # no more time: the next step gets there
    await _positions_until(statuses, CLOSED, 100)
    # Blinds that take no time are there at once, with the push that says so.
    await _send(client, CLOSED, 30)
    push = await statuses.get()
    assert (push.level, sim.house.key(*CLOSED).level) == (30, 30)
    assert sim.engine.moving == frozenset()


async def test_stopping_the_box_halts_its_blinds(sim, client, statuses) -> None:
    await _send(client, CLOSED, 100)
    await statuses.get()
    await sim.set_key(*OPEN, on=False)  # not started yet when the box stops
    await sim.stop()
    assert sim.engine.moving == frozenset()
    assert sim.house.key(*CLOSED).target is None
    assert sim.house.key(*OPEN).target is None
    assert 0 < sim.house.key(*CLOSED).level < 100


async def test_a_blind_travels_without_a_client(sim) -> None:
    await sim.set_key(*PART_WAY, on=False)
    await sim.wait_until(lambda: sim.house.key(*PART_WAY).target is None)
    assert sim.house.key(*PART_WAY).level == 0
    assert sim.pushes == 0


async def test_a_client_without_pushes_reads_the_position_on_the_way(sim, raw) -> None:
    box = await raw(sim)
    await box.login(unsolicited=False)
    await box.exchange(
        requests.ToggleKeyStatus(node_id=11, key_id=0, status=KeyPowerStatus.ON, dimmer=100)
    )
    await sim.wait_until(lambda: 0 < sim.house.key(*CLOSED).level < 100)
    status = await box.exchange(requests.KeyStatus(node_id=11, key_id=0))
    assert 0 < status.level < 100  # type: ignore[attr-defined]
    assert sim.pushes == 0


# -- the travel time ------------------------------------------------------------------------


def test_the_travel_time_of_a_box_and_its_reports() -> None:
    sim = VBoxSimulator(load_demo_house(), username=USERNAME, password=PASSWORD)
    assert sim.blind_travel == DEFAULT_BLIND_TRAVEL == 20.0
    assert sim.engine.report_interval() == BLIND_REPORT_INTERVAL == 1.0  # 5 % a step
    sim.blind_travel = 2.5
    assert sim.engine.report_interval() == 0.25  # ten reports over a full travel
    for wrong in (-1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="blind travel must be"):
            sim.blind_travel = wrong
    with pytest.raises(ValueError, match="blind travel must be"):
        VBoxSimulator(load_demo_house(), username="u", password="p", blind_travel=-0.5)
    assert sim.blind_travel == 2.5


async def test_the_plugin_gives_blinds_that_move_at_once(make_sim: SimFactory) -> None:
    sim = await make_sim()
    assert sim.blind_travel == 0
    assert (await sim.set_key(*CLOSED, level=50))["level"] == 50
