"""Benchmarks of the integration inside Home Assistant against the vBox simulator (VTU).

Run on demand (not part of the test command), through ``scripts/benchmark`` (which says
which sets there are) or pytest:

    .venv/bin/pytest benchmarks -p no:cacheprovider -s

Each benchmark prints one row, with its spread over several runs and the machine's load;
the whole table, with the machine's details and the command, is written to
``benchmarks/results.md`` (``benchmarks/report.py``). The interfaces side by side are in
``test_side_by_side.py``, upstream on the same work in ``test_upstream.py``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import time
from collections.abc import AsyncIterator
from functools import partial

import pytest
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.report import Load, ms, record, spread
from custom_components.vitrea.config_flow import VitreaConfigFlow
from custom_components.vitrea.const import (
    CONF_HOST_PORT,
    CONF_REQUEST_GAP,
    DEFAULT_REQUEST_GAP,
    DOMAIN,
)
from custom_components.vitrea.vbox import (
    CommandID,
    House,
    KeyInfo,
    KeyKind,
)
from custom_components.vitrea.vbox.topology import STATEFUL_KINDS
from tests.integration.helpers import vtu_client
from vbox_simulator import VBoxSimulator, generate_house, load_demo_house
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, SimFactory, until

SAMPLES = 100
LATENCY_RUNS = int(os.environ.get("VITREA_BENCH_RUNS", "5"))
"""Runs of ``SAMPLES`` each for the latencies: their p50 and p99 are given over the runs."""
CPU_PUSHES = 2000
CPU_ROUNDS = 5


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 of ``samples``."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def latency(runs: list[list[float]]) -> str:
    """p50 and p99 over ``runs`` of ``SAMPLES``, each as min/median/max of the runs."""
    p50s, p99s = zip(*(percentiles(samples) for samples in runs), strict=True)
    return f"p50 {ms(list(p50s))}, p99 {ms(list(p99s))}; {SAMPLES} samples a run"


wait_for = partial(until, timeout=300, interval=0.001)
"""``until``, polling every millisecond: what it waits for is measured."""


def entry_for(
    simulator: VBoxSimulator, gap: float = DEFAULT_REQUEST_GAP, *, interface: str = "vtu"
) -> MockConfigEntry:
    """A config entry for ``simulator`` with the integration's default timing.

    ``interface``: ``vtu``, ``both`` (the host port in the options too) or ``host`` (no
    credentials: the host interface alone).
    """
    first = min(simulator.house.nodes, key=lambda node: node.id)
    vtu = interface != "host"
    credentials = {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD} if vtu else {}
    host = {CONF_HOST_PORT: simulator.host_port} if interface != "vtu" else {}
    return MockConfigEntry(
        domain=DOMAIN,
        minor_version=VitreaConfigFlow.MINOR_VERSION,
        unique_id=first.mac.replace(":", "").lower() if vtu else None,
        data={CONF_HOST: "127.0.0.1", CONF_PORT: simulator.port} | credentials,
        options={CONF_REQUEST_GAP: gap} | host,
    )


def all_known(hass: HomeAssistant, entry: MockConfigEntry) -> bool:
    """Every stateful key's state (and every climate's, where the house has them) is known."""
    return hasattr(entry, "runtime_data") and states_known(entry.runtime_data.house)


def states_known(house: House) -> bool:
    """Every stateful key's state, and every climate's, is known."""
    return all(
        key.is_on is not None for key in house.all_keys() if key.kind in STATEFUL_KINDS
    ) and all(climate.state is not None for climate in house.climates.values())


HOUSES = {
    "demo house (36 nodes, 107 keys)": load_demo_house,
    "generated (64 nodes, 256 keys)": lambda: generate_house(64, 4),
}


@pytest.mark.parametrize("house_name", list(HOUSES))
@pytest.mark.parametrize("service_time", [0.0, 0.02])
async def test_cold_start(
    hass: HomeAssistant, make_sim: SimFactory, house_name: str, service_time: float
) -> None:
    load = Load()
    simulator = await make_sim(HOUSES[house_name](), service_time=service_time)
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    started = time.perf_counter()
    assert await hass.config_entries.async_setup(entry.entry_id)
    entities = time.perf_counter() - started
    await wait_for(lambda: all_known(hass, entry))
    elapsed = time.perf_counter() - started
    requests = len([r for r in simulator.requests if r.command != CommandID.HEARTBEAT])
    floor = requests * (service_time + DEFAULT_REQUEST_GAP)
    record(
        f"cold start, {house_name}, service {service_time * 1000:.0f} ms",
        f"entities after {entities:.2f} s, all states known after {elapsed:.2f} s; "
        f"{requests} requests (floor {floor:.2f} s at a {DEFAULT_REQUEST_GAP * 1000:.0f} ms gap); "
        "one run",
        load,
    )
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.fixture
async def running(
    hass: HomeAssistant, make_sim: SimFactory
) -> AsyncIterator[tuple[VBoxSimulator, MockConfigEntry]]:
    """The demo house set up and settled."""
    simulator = await make_sim(load_demo_house())
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await wait_for(lambda: all_known(hass, entry))
    await hass.async_block_till_done()
    yield simulator, entry
    await hass.config_entries.async_unload(entry.entry_id)


def on_off_light(entry: MockConfigEntry) -> tuple[KeyInfo, str]:
    """An on/off light key of the house and its entity ID (found by the key's node and
    number at the end of its unique ID, whichever identity the entry uses)."""
    coordinator = entry.runtime_data
    key = next(k for k in coordinator.data.topology.all_keys() if k.kind is KeyKind.LIGHT)
    node = coordinator.data.topology.nodes[key.node_id]
    endings = (f"node{key.node_id}_{key.key_id}", f"{getattr(node, 'identifier', '')}_{key.key_id}")
    entity_id = next(
        registered.entity_id
        for registered in er.async_entries_for_config_entry(
            er.async_get(coordinator.hass), entry.entry_id
        )
        if registered.domain == "light" and registered.unique_id.endswith(endings)
    )
    return key, entity_id


async def test_command_latency(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    load = Load()
    _, entity_id = on_off_light(running[1])
    runs = []
    for _ in range(LATENCY_RUNS):
        samples = []
        for index in range(SAMPLES):
            service = "turn_on" if index % 2 == 0 else "turn_off"
            started = time.perf_counter()
            await hass.services.async_call(
                "light", service, {"entity_id": entity_id}, blocking=True
            )
            await wait_for(lambda s=service: hass.states.get(entity_id).state == s[5:])
            samples.append(time.perf_counter() - started)
            await asyncio.sleep(0.15)  # an idle link between commands, as a person would
        runs.append(samples)
    record("command latency on an idle link (action -> ack -> state)", latency(runs), load)


async def test_press_to_state(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    load = Load()
    simulator, entry = running
    key, entity_id = on_off_light(entry)
    runs = []
    for _ in range(LATENCY_RUNS):
        samples = []
        for index in range(SAMPLES):
            on = index % 2 == 0
            started = time.perf_counter()
            await simulator.set_key(key.node_id, key.key_id, on=on)
            await wait_for(lambda o=on: hass.states.get(entity_id).state == ("on" if o else "off"))
            samples.append(time.perf_counter() - started)
        runs.append(samples)
    record("press on the wall -> entity state", latency(runs), load)


async def test_scene_burst(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    load = Load()
    lights = hass.states.async_entity_ids("light")[:20]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            hass.services.async_call("light", "turn_on", {"entity_id": e}, blocking=True)
            for e in lights
        )
    )
    elapsed = time.perf_counter() - started
    record(
        f"burst of {len(lights)} commands (a scene) until all acknowledged",
        f"{elapsed:.2f} s, one run",
        load,
    )


async def test_reconnect(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    load = Load()
    simulator, entry = running
    _, entity_id = on_off_light(entry)
    await simulator.stop()
    await wait_for(lambda: hass.states.get(entity_id).state == "unavailable")
    started = time.perf_counter()
    await simulator.start()
    await wait_for(
        lambda: all(
            hass.states.get(e).state != "unavailable" for e in hass.states.async_entity_ids("light")
        )
    )
    record(
        "reconnect: box back -> all entities available",
        f"{time.perf_counter() - started:.2f} s, one run",
        load,
    )


async def test_cpu_per_pushed_frame(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    """CPU time per key status pushed, in rounds (the median is the figure; the machine is
    shared): every push is counted in at the client and its entity state written."""
    load = Load()
    simulator, entry = running
    keys = [
        key
        for key in entry.runtime_data.house.all_keys()
        # A locked keypad ignores the wall (the demo house has one).
        if key.kind is KeyKind.LIGHT and not simulator.house.node(key.node_id).locked
    ]
    received = 0

    def count(_status: object) -> None:
        nonlocal received
        received += 1

    unsubscribe = vtu_client(entry).on_key_status(count)
    per_frame = []
    full_collections = gc.get_stats()[2]["collections"]
    wall = time.perf_counter()
    for round_ in range(CPU_ROUNDS):
        cpu = time.process_time()
        for index in range(CPU_PUSHES):
            key = keys[index % len(keys)]
            await simulator.set_key(key.node_id, key.key_id, on=(index + round_) % 2 == 0)
        await wait_for(lambda r=round_: received >= (r + 1) * CPU_PUSHES)
        await hass.async_block_till_done()
        per_frame.append((time.process_time() - cpu) / CPU_PUSHES)
    wall = time.perf_counter() - wall
    full_collections = gc.get_stats()[2]["collections"] - full_collections
    unsubscribe()
    record(
        "CPU per pushed frame (simulator and Home Assistant in one process)",
        f"{spread(per_frame, 'µs', 1e6, 0)} rounds of {CPU_PUSHES} pushes "
        f"in {wall:.2f} s; {full_collections} full garbage collections meanwhile",
        load,
    )


OUTAGE = 45.0
"""Seconds the vBox stays away in the outage benchmark: long enough for any backoff to grow."""


def states_match(simulator: VBoxSimulator, entry: MockConfigEntry) -> bool:
    """Every stateful key of the house is on or off as the simulator's is."""
    return all(
        key.is_on == simulator.house.key(key.node_id, key.key_id).on
        for key in entry.runtime_data.house.all_keys()
        if key.kind in STATEFUL_KINDS
    )


@pytest.mark.parametrize("away", ["stopped", "silent"])
@pytest.mark.timeout(OUTAGE + 300)
async def test_outage_recovery(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry], away: str
) -> None:
    """The vBox away for ``OUTAGE`` seconds, then back: how soon the house is too.

    ``stopped``: nothing listens (every connection refused), then it listens again.
    ``silent``: the box accepts connections but answers nothing (every handshake times
    out), then answers again. Meanwhile every stateful key is switched over at the wall,
    unseen, so "all states read" is when the house shows the box's states again.
    """
    load = Load()
    simulator, entry = running
    _, entity_id = on_off_light(entry)
    if away == "stopped":
        await simulator.stop()
    else:
        await simulator.inject("silent")
    await wait_for(lambda: hass.states.get(entity_id).state == "unavailable")
    for key in entry.runtime_data.house.all_keys():
        if key.kind in STATEFUL_KINDS:
            box_key = simulator.house.key(key.node_id, key.key_id)
            box_key.command(on=not box_key.on)
    await asyncio.sleep(OUTAGE)
    started = time.perf_counter()
    if away == "stopped":
        await simulator.start()
    else:
        await simulator.inject("recover")
    await wait_for(lambda: vtu_client(entry).connected)
    connected = time.perf_counter() - started
    await wait_for(lambda: states_match(simulator, entry))
    known = time.perf_counter() - started
    await hass.async_block_till_done()
    record(
        f"outage of {OUTAGE:.0f} s ({away}): the vBox back -> connected, all states read",
        f"connected after {connected:.2f} s, all states read after {known:.2f} s; one run",
        load,
    )
