"""The simulator's engine on its own: no sockets, a listener that records what is announced."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from vbox_simulator import load_demo_house
from vbox_simulator.engine import AcChanged, Change, Engine, KeyChanged, KeyPressed
from vbox_simulator.house import HouseError, KeypadLockedError
from vbox_simulator.pytest_plugin import until

DIMMER, BLIND, TOGGLE, BOILER, LOCKED_NODE = (3, 0), (11, 0), (8, 1), (21, 0), 19


class Recorder:
    """A listener keeping every change it hears, in order, under a name."""

    def __init__(self, name: str, heard: list[tuple[str, Change]]) -> None:
        self.name = name
        self.heard = heard

    async def changed(self, change: Change) -> None:
        self.heard.append((self.name, change))


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    engine = Engine(load_demo_house(), blind_travel=0, dimmer_ramp=0)
    yield engine
    await engine.stop()


@pytest.fixture
def heard(engine: Engine) -> list[tuple[str, Change]]:
    heard: list[tuple[str, Change]] = []
    engine.subscribe(Recorder("first", heard))
    engine.subscribe(Recorder("second", heard))
    return heard


def changes(heard: list[tuple[str, Change]], name: str = "first") -> list[Change]:
    return [change for listener, change in heard if listener == name]


def test_options_are_checked() -> None:
    for minute in (0, -1, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="minute"):
            Engine(load_demo_house(), minute=minute)
    with pytest.raises(ValueError, match="blind travel"):
        Engine(load_demo_house(), blind_travel=-1)


async def test_every_listener_hears_every_change_in_subscription_order(engine, heard) -> None:
    key = engine.house.key(*TOGGLE)
    assert await engine.switch_key(TOGGLE[0], key, on=True, origin="a client")
    assert key.on
    change = KeyChanged(TOGGLE[0], key, "a client")
    assert heard == [("first", change), ("second", change)]


async def test_watchers_hear_changes_that_are_not_announced(engine, heard) -> None:
    touched: list[None] = []
    engine.watch(lambda: touched.append(None))
    engine.set_led(engine.house.key(*TOGGLE), on=True)
    assert engine.house.key(*TOGGLE).led
    assert touched == [None]
    assert heard == []


async def test_a_timer_switches_off_and_counts_minutes(engine, heard) -> None:
    engine.minute = 0.05
    key = engine.house.key(*BOILER)
    await engine.switch_key(BOILER[0], key, on=True, timer=0.12)
    assert engine.timed == {BOILER}
    assert engine.timer_minutes_left(*BOILER) == 3  # 0.12 s of 0.05 s minutes, rounded up
    assert engine.timer_minutes_left(*TOGGLE) == 0
    await until(lambda: not key.on)
    assert engine.timed == frozenset()
    assert changes(heard)[-1] == KeyChanged(BOILER[0], key)


async def test_a_new_switch_ends_the_timer(engine, heard) -> None:
    key = engine.house.key(*BOILER)
    await engine.switch_key(BOILER[0], key, on=True, timer=60)
    await engine.switch_key(BOILER[0], key, on=True)
    assert engine.timed == frozenset()
    assert key.on


async def test_a_travelling_blind_is_announced_as_it_goes(engine, heard) -> None:
    engine.blind_travel = 0.5
    key = engine.house.key(*BLIND)
    assert not await engine.switch_key(BLIND[0], key, on=True, level=60)
    assert engine.moving == {BLIND}
    assert key.target == 60
    assert heard == []  # nothing yet: it has not moved
    await until(lambda: key.target is None)
    positions = [change.key.level for change in changes(heard) if isinstance(change, KeyChanged)]
    assert positions == sorted(positions)
    assert key.level == 60
    assert engine.moving == frozenset()


async def test_a_blind_stopped_on_the_way_stays_there(engine, heard) -> None:
    engine.blind_travel = 5.0
    key = engine.house.key(*BLIND)
    await engine.switch_key(BLIND[0], key, on=True)
    await until(lambda: key.level > 0)
    await engine.stop_blind(BLIND[0], key)
    assert engine.moving == frozenset()
    assert key.target is None
    assert changes(heard)[-1] == KeyChanged(BLIND[0], key)


async def test_a_dimmer_ramps_and_stops(engine, heard) -> None:
    engine.dimmer_ramp = 5.0
    key = engine.house.key(*DIMMER)
    await engine.switch_key(DIMMER[0], key, on=False)
    await engine.ramp_dimmer(DIMMER[0], key, up=True)
    assert engine.moving == {DIMMER}
    await until(lambda: key.level > 0)
    await engine.stop_dimmer(DIMMER[0], key)
    assert engine.moving == frozenset()
    level = key.level
    assert 0 < level < 100
    engine.dimmer_ramp = 0
    await engine.ramp_dimmer(DIMMER[0], key, up=True)  # at once
    assert key.level == 100
    assert changes(heard)[-1] == KeyChanged(DIMMER[0], key)


async def test_a_switch_ends_a_dimmers_ramp(engine, heard) -> None:
    engine.dimmer_ramp = 5.0
    key = engine.house.key(*DIMMER)
    await engine.switch_key(DIMMER[0], key, on=False)
    await engine.ramp_dimmer(DIMMER[0], key, up=True)
    await engine.switch_key(DIMMER[0], key, on=True, level=40)
    assert engine.moving == frozenset()
    assert (key.level, key.target) == (40, None)


async def test_the_wall(engine, heard) -> None:
    key = await engine.set_key(*TOGGLE, True)
    assert key.on
    await engine.press(*TOGGLE, "short")  # a toggle switches over
    assert not key.on
    await engine.press(*TOGGLE, "long")
    assert not key.on
    assert changes(heard) == [
        KeyChanged(TOGGLE[0], key),
        KeyPressed(TOGGLE[0], key, "short", toggled=True),
        KeyPressed(TOGGLE[0], key, "long", toggled=False),
    ]
    with pytest.raises(ValueError, match="on or level"):
        await engine.set_key(*TOGGLE)
    with pytest.raises(ValueError, match="between 0 and 100"):
        await engine.set_key(*DIMMER, level=101)
    with pytest.raises(ValueError, match="press kind"):
        await engine.press(*TOGGLE, "double")
    with pytest.raises(KeyError):
        await engine.press(250, 0, "short")


async def test_a_locked_keypad_ignores_the_wall(engine, heard) -> None:
    key_id = engine.house.node(LOCKED_NODE).keys[0].id
    with pytest.raises(KeypadLockedError):
        await engine.set_key(LOCKED_NODE, key_id, on=True)
    with pytest.raises(KeypadLockedError):
        await engine.press(LOCKED_NODE, key_id, "short")
    assert heard == []
    key = engine.house.key(LOCKED_NODE, key_id)
    assert await engine.switch_key(LOCKED_NODE, key, on=True)  # a command still works


async def test_acs(engine, heard) -> None:
    ac = await engine.set_ac(1, on=True, setpoint=22)
    assert (ac.on, ac.setpoint) == (True, 22)
    assert changes(heard) == [AcChanged(ac)]
    with pytest.raises(HouseError):
        await engine.set_ac(1, setpoint=99)
    assert ac.setpoint == 22
    with pytest.raises(KeyError):
        await engine.set_ac(999, on=True)


async def test_a_scenario_switches_its_keys_in_order(engine, heard) -> None:
    scenario = engine.house.scenario(1)
    await engine.run_scenario(scenario)
    announced = [(c.node_id, c.key.id) for c in changes(heard) if isinstance(c, KeyChanged)]
    assert announced == [(action.node, action.key) for action in scenario.actions]
    assert engine.house.key(3, 0).level == 30


async def test_stop_halts_motions_and_timers(engine, heard) -> None:
    engine.blind_travel = 5.0
    blind, boiler = engine.house.key(*BLIND), engine.house.key(*BOILER)
    await engine.switch_key(BLIND[0], blind, on=True)
    await engine.switch_key(BOILER[0], boiler, on=True, timer=60)
    await engine.stop()
    assert (engine.moving, engine.timed) == (frozenset(), frozenset())
    assert blind.target is None
    assert boiler.on  # the timer did not fire
