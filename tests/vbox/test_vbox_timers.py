"""Timers: a key switched on for a while knows when the vBox will switch it off.

Real loopback TCP to the simulator over each interface and both: the end as the host
interface reports it (minutes left), as set from here (VTU reports none), cleared when the
key goes off early or by its timer, and the longest timer each interface takes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from vitrea_client import (
    ConnectionConfig,
    House,
    KeyKind,
    NotSupportedError,
    SocketConfig,
    TimerTooLongError,
    host,
)
from vitrea_client.key import TIMED_KINDS

from tests.vbox.conftest import Ready
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, until

pytestmark = pytest.mark.usefixtures("socket_enabled")

SOCKET = {"request_gap": 0, "request_timeout": 0.5, "max_retries": 1, "stability_period": 0.0}
BOILER = (21, 0)
SWITCH = (1, 1)
"""A toggle: a switch over the host interface, a light or switch with VTU."""
DIMMER = (3, 2)


def host_house(sim: VBoxSimulator) -> House:
    assert sim.host_port is not None
    return House.host("127.0.0.1", sim.host_port, SocketConfig(**SOCKET))


def vtu_house(sim: VBoxSimulator) -> House:
    return House.vtu(
        ConnectionConfig("127.0.0.1", sim.port, USERNAME, PASSWORD), SocketConfig(**SOCKET)
    )


def dual_house(sim: VBoxSimulator) -> House:
    assert sim.host_port is not None
    return House.dual(
        ConnectionConfig("127.0.0.1", sim.port, USERNAME, PASSWORD),
        sim.host_port,
        SocketConfig(**SOCKET),
    )


@pytest.fixture
async def over_host(sim: VBoxSimulator, ready: Ready) -> House:
    return await ready(host_house(sim))


@pytest.fixture
async def over_vtu(sim: VBoxSimulator, ready: Ready) -> House:
    return await ready(vtu_house(sim))


@pytest.fixture
async def dual(sim: VBoxSimulator) -> AsyncIterator[House]:
    house = dual_house(sim)
    await house.connect()
    await house.discover()
    await house.read_states()
    yield house
    await house.disconnect()


def key_of(house: House, address: tuple[int, int]) -> Any:
    key = house.key(*address)
    assert key is not None
    return key


def ends_within(end: datetime | None, before: datetime, after: datetime, seconds: float) -> bool:
    """``end`` is ``seconds`` after some moment between ``before`` and ``after``."""
    span = timedelta(seconds=seconds)
    return end is not None and before + span <= end <= after + span


async def switch_elsewhere(sim: VBoxSimulator, address: tuple[int, int], seconds: float) -> None:
    """Another client (or the vBox's own app) switches a key on for ``seconds``."""
    await sim.engine.switch_key(address[0], sim.house.key(*address), on=True, timer=seconds)


# -- the host interface reports the minutes left --------------------------------------------


async def test_a_boiler_on_for_five_minutes_knows_its_end(
    over_host: House, sim: VBoxSimulator
) -> None:
    boiler = key_of(over_host, BOILER)
    assert boiler.timer_ends is None
    before = datetime.now(UTC)
    await boiler.turn_on(timer=300)
    after = datetime.now(UTC)
    assert sim.host_server.received.count(host.key_on(21, 1, 5)) == 1
    assert ends_within(boiler.timer_ends, before, after, 300)
    told = boiler.timer_ends
    await over_host.read_states()  # "o:005" again (or 4 by then): the end stays as it was
    await until(lambda: sim.host_server.received.count(host.status_all()) == 2)
    assert boiler.timer_ends == told


async def test_the_end_clears_when_the_key_goes_off_early(
    over_host: House, sim: VBoxSimulator
) -> None:
    boiler = key_of(over_host, BOILER)
    await boiler.turn_on(timer=300)
    assert boiler.timer_ends is not None
    await sim.set_key(*BOILER, on=False)  # at the wall
    await until(lambda: boiler.is_on is False)
    assert boiler.timer_ends is None
    await boiler.turn_on(timer=300)
    await boiler.turn_off()  # from here
    assert boiler.timer_ends is None


async def test_a_timer_set_elsewhere_is_seen_and_ends(make_sim: Any, ready: Ready) -> None:
    sim = await make_sim(minute=0.2)
    house = await ready(host_house(sim))
    switch = key_of(house, SWITCH)
    changes: list[datetime | None] = []
    switch.on_change(lambda: changes.append(switch.timer_ends))
    before = datetime.now(UTC)
    await switch_elsewhere(sim, SWITCH, 2 * sim.minute)  # "O:002"
    await until(lambda: switch.timer_ends is not None)
    assert ends_within(switch.timer_ends, before, datetime.now(UTC), 120)
    await until(lambda: switch.is_on is False)  # the simulator's minutes are short
    assert switch.timer_ends is None
    assert changes[-1] is None


async def test_switched_on_again_without_a_timer_the_end_clears(over_host: House) -> None:
    switch = key_of(over_host, SWITCH)
    before = datetime.now(UTC)
    await switch.turn_on(timer=90)  # two minutes, rounded up, as the box takes it
    assert ends_within(switch.timer_ends, before, datetime.now(UTC), 120)
    await switch.turn_on()
    assert switch.timer_ends is None


async def test_reports_keep_an_end_they_agree_with(over_host: House) -> None:
    """A report counts whole minutes: an end known to the second within the minute before
    stays; one outside it, or none, gives way to the report's."""
    boiler = key_of(over_host, BOILER)
    now = datetime.now(UTC)
    boiler.timer_ends = known = now + timedelta(minutes=4, seconds=30)
    boiler.report(is_on=True, level=100, timer_minutes=5)
    assert boiler.timer_ends == known
    boiler.report(is_on=True, level=100, timer_minutes=None)  # VTU's: tells nothing
    assert boiler.timer_ends == known
    boiler.report(is_on=True, level=100, timer_minutes=10)
    assert ends_within(boiler.timer_ends, now, datetime.now(UTC), 600)
    boiler.report(is_on=True, level=100, timer_minutes=0)
    assert boiler.timer_ends is None
    boiler.report(is_on=True, level=100, timer_minutes=3)
    boiler.report(is_on=False, level=0, timer_minutes=None)
    assert boiler.timer_ends is None


def test_status_lines_tell_the_minutes_left() -> None:
    parsed = [
        host.parse_line(line)
        for line in (b"S:N021:1:o:045", b"S:N001:2:O:003", b"S:N001:2:O", b"S:N021:1:o:000")
    ]
    assert [status.timer_minutes for status in parsed] == [45, 3, 0, 0]  # type: ignore[union-attr]
    for line in (b"S:N021:1:f", b"S:N001:2:F", b"S:N003:1:D:050", b"S:N005:1:S"):
        assert host.parse_line(line).timer_minutes is None  # type: ignore[union-attr]


# -- VTU reports no timer: the end is the one set here ----------------------------------------


async def test_over_vtu_the_end_is_the_timer_set(over_vtu: House, sim: VBoxSimulator) -> None:
    boiler = key_of(over_vtu, BOILER)
    before = datetime.now(UTC)
    await boiler.turn_on(timer=125)  # VTU takes seconds
    after = datetime.now(UTC)
    assert ends_within(boiler.timer_ends, before, after, 125)
    told = boiler.timer_ends
    await over_vtu.read_states()  # reported on: the end stays
    assert boiler.timer_ends == told
    await sim.set_key(*BOILER, on=False)
    await until(lambda: boiler.is_on is False)
    assert boiler.timer_ends is None


# -- limits ----------------------------------------------------------------------------------


async def test_each_interface_refuses_a_timer_longer_than_it_takes(
    over_host: House, over_vtu: House, sim: VBoxSimulator
) -> None:
    with pytest.raises(TimerTooLongError, match="120 minutes") as caught:
        await key_of(over_host, BOILER).turn_on(timer=7201)
    assert (caught.value.seconds, caught.value.maximum) == (7201, 7200)
    assert isinstance(caught.value, NotSupportedError)
    await key_of(over_host, BOILER).turn_on(timer=7200)
    assert sim.host_server.received.count(host.key_on(21, 1, 120)) == 1
    with pytest.raises(TimerTooLongError) as caught:
        await key_of(over_vtu, BOILER).turn_on(timer=0x10000)
    assert caught.value.maximum == 0xFFFF


async def test_with_both_a_long_timer_goes_over_vtu_and_its_end_stays(
    dual: House, sim: VBoxSimulator
) -> None:
    """Three hours is beyond the host interface: VTU runs it, and the host interface's
    report of the minutes left agrees with the end set."""
    boiler = key_of(dual, BOILER)
    before = datetime.now(UTC)
    await boiler.turn_on(timer=3 * 3600)
    after = datetime.now(UTC)
    assert ends_within(boiler.timer_ends, before, after, 3 * 3600)
    told = boiler.timer_ends
    await dual.read_states()  # "o:180" over the host interface
    await until(lambda: sim.host_server.received.count(host.status_all()) == 2)
    assert boiler.timer_ends == told
    with pytest.raises(TimerTooLongError):
        await boiler.turn_on(timer=0x10000)


def test_the_kinds_a_timer_switches_off() -> None:
    assert frozenset({KeyKind.LIGHT, KeyKind.SWITCH, KeyKind.BOILER}) == TIMED_KINDS


async def test_which_keys_take_a_timer(over_vtu: House) -> None:
    assert key_of(over_vtu, BOILER).takes_timer
    assert key_of(over_vtu, SWITCH).takes_timer
    assert not key_of(over_vtu, DIMMER).takes_timer
