"""Benchmarks of the integration inside Home Assistant against the vBox simulator.

Run on demand (not part of the test command):

    .venv/bin/pytest benchmarks -p no:cacheprovider -s
    .venv/bin/pytest benchmarks -p no:cacheprovider -s -k interfaces   # VTU, host, both

Each benchmark prints one row; the whole table, with the machine's details, is written
to ``benchmarks/results.md`` for copying into ``docs/performance.md``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import platform
import statistics
import time
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path

import pytest
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import (
    CONF_HOST_PORT,
    CONF_REQUEST_GAP,
    DEFAULT_HEARTBEAT_INTERVAL,
    DEFAULT_REQUEST_GAP,
    DEFAULT_REQUEST_TIMEOUT,
    DOMAIN,
)
from custom_components.vitrea.vbox import (
    CommandID,
    ConnectionConfig,
    House,
    KeyInfo,
    KeyKind,
    SocketConfig,
)
from custom_components.vitrea.vbox.topology import STATEFUL_KINDS
from tests.integration.helpers import vtu_client
from vbox_simulator import VBoxSimulator, generate_house, load_demo_house
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, SimFactory, until

RESULTS = Path(__file__).parent / "results.md"
ROWS: list[str] = []
SAMPLES = 100
CPU_PUSHES = 2000
CPU_ROUNDS = 5


@pytest.fixture(autouse=True)
def _environment(enable_custom_integrations: None, socket_enabled: None) -> None:
    """Custom integrations on, loopback TCP allowed."""


@pytest.fixture(autouse=True)
def garbage_collection() -> None:
    """Collect garbage before every benchmark (overrides Home Assistant's test plugin).

    The plugin collects once per module, and the benchmarks are one module: the garbage of
    every earlier benchmark (its Home Assistant, simulator and house, in reference cycles
    that only the cycle collector frees) would stay, and the full collection it brings on
    (150-200 ms of CPU at this heap size) would be charged to whichever benchmark it falls
    in. The CPU per pushed frame, 2000 pushes in 0.2-0.3 s of CPU, measured 75 µs more
    whenever one did.
    """
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _write_results() -> Iterator[None]:
    yield
    if not ROWS:
        return
    machine = (
        f"{platform.node()}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {machine}.\n\n"
        "| benchmark | result |\n|---|---|\n"
    )
    RESULTS.write_text(header + "\n".join(ROWS) + "\n", encoding="utf-8")
    print("\n" + header + "\n".join(ROWS))


def record(name: str, result: str) -> None:
    """Add a row to the results table."""
    ROWS.append(f"| {name} | {result} |")
    print(f"\n{name}: {result}")


def percentiles(samples: list[float]) -> str:
    """p50 / p99 in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


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
        minor_version=2,
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
        f"{requests} requests (floor {floor:.2f} s at a {DEFAULT_REQUEST_GAP * 1000:.0f} ms gap)",
    )
    await hass.config_entries.async_unload(entry.entry_id)


async def test_warm_start(hass: HomeAssistant, make_sim: SimFactory) -> None:
    simulator = await make_sim(load_demo_house())
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await wait_for(lambda: all_known(hass, entry))
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    simulator.requests.clear()
    started = time.perf_counter()
    setup = asyncio.create_task(hass.config_entries.async_setup(entry.entry_id))
    await wait_for(
        lambda: (
            bool(hass.states.async_entity_ids("light"))
            and hass.states.get(hass.states.async_entity_ids("light")[0]).state != "unavailable"
        )
    )
    entities = time.perf_counter() - started
    async with asyncio.timeout(300):
        await setup
    await wait_for(lambda: all_known(hass, entry))
    known = time.perf_counter() - started
    record(
        "warm start (stored topology), demo house",
        f"entities after {entities:.2f} s, all states known after {known:.2f} s",
    )
    await hass.async_block_till_done()
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
    """An on/off light key of the house and its entity ID."""
    coordinator = entry.runtime_data
    key = next(k for k in coordinator.data.topology.all_keys() if k.kind is KeyKind.LIGHT)
    unique_id = f"{coordinator.data.topology.nodes[key.node_id].identifier}_{key.key_id}"
    entity_id = er.async_get(coordinator.hass).async_get_entity_id("light", DOMAIN, unique_id)
    assert entity_id is not None
    return key, entity_id


async def test_command_latency(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    _, entity_id = on_off_light(running[1])
    samples = []
    for index in range(SAMPLES):
        service = "turn_on" if index % 2 == 0 else "turn_off"
        started = time.perf_counter()
        await hass.services.async_call("light", service, {"entity_id": entity_id}, blocking=True)
        await wait_for(lambda s=service: hass.states.get(entity_id).state == s[5:])
        samples.append(time.perf_counter() - started)
        await asyncio.sleep(0.15)  # an idle link between commands, as a person would
    record("command latency on an idle link (action -> ack -> state)", percentiles(samples))


async def test_press_to_state(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    simulator, entry = running
    key, entity_id = on_off_light(entry)
    samples = []
    for index in range(SAMPLES):
        on = index % 2 == 0
        started = time.perf_counter()
        await simulator.set_key(key.node_id, key.key_id, on=on)
        await wait_for(lambda o=on: hass.states.get(entity_id).state == ("on" if o else "off"))
        samples.append(time.perf_counter() - started)
    record("press on the wall -> entity state", percentiles(samples))


async def test_scene_burst(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    lights = hass.states.async_entity_ids("light")[:20]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            hass.services.async_call("light", "turn_on", {"entity_id": e}, blocking=True)
            for e in lights
        )
    )
    elapsed = time.perf_counter() - started
    record(f"burst of {len(lights)} commands (a scene) until all acknowledged", f"{elapsed:.2f} s")


async def test_reconnect(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
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
        "reconnect: box back -> all entities available", f"{time.perf_counter() - started:.2f} s"
    )


async def test_cpu_per_pushed_frame(
    hass: HomeAssistant, running: tuple[VBoxSimulator, MockConfigEntry]
) -> None:
    """CPU time per key status pushed, in rounds (the median is the figure; the machine is
    shared): every push is counted in at the client and its entity state written."""
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
        f"{statistics.median(per_frame) * 1e6:.0f} µs, median of {CPU_ROUNDS} rounds "
        f"({min(per_frame) * 1e6:.0f}-{max(per_frame) * 1e6:.0f} µs) of {CPU_PUSHES} pushes "
        f"in {wall:.2f} s; {full_collections} full garbage collections meanwhile",
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
        f"connected after {connected:.2f} s, all states read after {known:.2f} s",
    )


# -- the interfaces side by side: VTU only, host only, both ------------------------------------

ROUNDS = 3
INTERFACES = ("vtu", "host", "both")
UPSTREAM_COLD_START = 67.7
"""Upstream vitrea-client's discovery of the demo house against the simulator (its pacing)."""


def spread(samples: list[float]) -> str:
    """Median and range of ``ROUNDS`` timings."""
    return f"{statistics.median(samples):.2f} s ({min(samples):.2f}-{max(samples):.2f})"


def faster(seconds: list[float]) -> str:
    """How many times upstream's cold start the median of ``seconds`` is."""
    ratio = UPSTREAM_COLD_START / statistics.median(seconds)
    return f"upstream's {UPSTREAM_COLD_START} s is {ratio:.1f}x"


def library_house(simulator: VBoxSimulator, interface: str) -> House:
    """The library's house over one interface or both, with the integration's timing."""
    assert simulator.host_port is not None
    connection = ConnectionConfig("127.0.0.1", simulator.port, USERNAME, PASSWORD)
    socket = SocketConfig(
        request_gap=DEFAULT_REQUEST_GAP,
        request_timeout=DEFAULT_REQUEST_TIMEOUT,
        heartbeat_interval=DEFAULT_HEARTBEAT_INTERVAL,
    )
    if interface == "vtu":
        return House.vtu(connection, socket)
    if interface == "host":
        return House.host("127.0.0.1", simulator.host_port, socket)
    return House.dual(connection, simulator.host_port, socket)


SERVICES = {"0": (0.0, 0.0), "20": (0.02, 0.0), "20+host20": (0.02, 0.02)}
"""The simulator's ``service_time`` (VTU's) and its host interface's ``delay`` (host faults).

The simulator applies ``service_time`` to VTU only; "20+host20" slows the host interface
as much, before each line or database frame it answers.
"""


def service_label(service: str) -> str:
    """``service 20 ms``, ``service 20 ms, host 20 ms``."""
    vtu, host = SERVICES[service]
    return f"service {vtu * 1000:.0f} ms" + (f", host {host * 1000:.0f} ms" if host else "")


def interface_cases(interfaces: tuple[str, ...]) -> list[tuple[str, str]]:
    """(service, interface) pairs: every one, but VTU alone once at 20 ms (no host there)."""
    return [
        (service, interface)
        for service, (_, host) in SERVICES.items()
        for interface in interfaces
        if not (host and interface == "vtu")
    ]


async def interface_sim(make_sim: SimFactory, service: str) -> VBoxSimulator:
    """The demo house, answering after the ``SERVICES[service]`` times."""
    vtu, host = SERVICES[service]
    simulator = await make_sim(load_demo_house(), service_time=vtu)
    simulator.host_faults.delay = host
    return simulator


def requests_made(simulator: VBoxSimulator) -> tuple[int, int]:
    """VTU requests (without heartbeats) and host lines and frames received; then cleared."""
    vtu = len([r for r in simulator.requests if r.command != CommandID.HEARTBEAT])
    host = len(simulator.host_server.received)
    simulator.requests.clear()
    simulator.host_server.received.clear()
    return vtu, host


def counted(requests: list[tuple[int, int]]) -> str:
    """The requests of the rounds (the same in each, or their range)."""
    vtu, host = (sorted({r[i] for r in requests}) for i in (0, 1))
    return (
        f"{'-'.join(map(str, (vtu[0], vtu[-1]) if len(vtu) > 1 else vtu))} VTU requests, "
        f"{'-'.join(map(str, (host[0], host[-1]) if len(host) > 1 else host))} host lines"
    )


@pytest.mark.parametrize(("service", "interface"), interface_cases(INTERFACES))
@pytest.mark.timeout(900)
async def test_interfaces_library(make_sim: SimFactory, service: str, interface: str) -> None:
    """The library alone: cold start, then a restart from the cached house, ``ROUNDS`` times.

    Cold start: connect, discover, read the states until every one is known. Restart: a new
    house restored from the first one's ``as_dict()`` (the VTU layout assumed, as the
    integration keeps it), connect, read the states until every one is known.
    """
    cold, restart, cold_requests, restart_requests = [], [], [], []
    for _ in range(ROUNDS):
        gc.collect()
        simulator = await interface_sim(make_sim, service)
        house = library_house(simulator, interface)
        started = time.perf_counter()
        await house.connect()
        await house.discover()
        await house.read_states()
        await wait_for(lambda h=house: states_known(h))
        cold.append(time.perf_counter() - started)
        cold_requests.append(requests_made(simulator))
        cached = house.as_dict()  # with VTU's layout, which restore() assumes
        await house.disconnect()
        await asyncio.sleep(0.2)  # the box sees the old connections close
        requests_made(simulator)
        house = library_house(simulator, interface)
        house.restore(cached)
        started = time.perf_counter()
        await house.connect()
        await house.read_states()
        await wait_for(lambda h=house: states_known(h))
        restart.append(time.perf_counter() - started)
        restart_requests.append(requests_made(simulator))
        await house.disconnect()
    record(
        f"library, {interface}, {service_label(service)}: cold start",
        f"all states known after {spread(cold)}, median {ROUNDS} rounds; "
        f"{counted(cold_requests)}; {faster(cold)}",
    )
    record(
        f"library, {interface}, {service_label(service)}: restart (cached house)",
        f"all states known after {spread(restart)}; {counted(restart_requests)}",
    )


@pytest.mark.parametrize(("service", "interface"), interface_cases(INTERFACES))
@pytest.mark.timeout(900)
async def test_interfaces_integration(
    hass: HomeAssistant, make_sim: SimFactory, service: str, interface: str
) -> None:
    """Home Assistant: a cold start, then a warm start of the same entry, ``ROUNDS`` times."""
    timings: dict[str, list[float]] = {"entities": [], "states": [], "warm": [], "warm_states": []}
    requests, warm_requests = [], []
    for _ in range(ROUNDS):
        gc.collect()
        simulator = await interface_sim(make_sim, service)
        entry = entry_for(simulator, interface=interface)
        entry.add_to_hass(hass)
        started = time.perf_counter()
        assert await hass.config_entries.async_setup(entry.entry_id)
        timings["entities"].append(time.perf_counter() - started)
        await wait_for(lambda e=entry: all_known(hass, e))
        timings["states"].append(time.perf_counter() - started)
        requests.append(requests_made(simulator))
        await hass.async_block_till_done()
        assert await hass.config_entries.async_unload(entry.entry_id)
        await asyncio.sleep(0.2)
        requests_made(simulator)
        started = time.perf_counter()
        assert await hass.config_entries.async_setup(entry.entry_id)
        timings["warm"].append(time.perf_counter() - started)
        await wait_for(lambda e=entry: all_known(hass, e))
        timings["warm_states"].append(time.perf_counter() - started)
        warm_requests.append(requests_made(simulator))
        await hass.async_block_till_done()
        assert await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()
    name = f"integration, {interface}, {service_label(service)}"
    record(
        f"{name}: cold start",
        f"entities after {spread(timings['entities'])}, all states known after "
        f"{spread(timings['states'])}; {counted(requests)}; {faster(timings['states'])}",
    )
    record(
        f"{name}: warm start (stored topology)",
        f"entities after {spread(timings['warm'])}, all states known after "
        f"{spread(timings['warm_states'])}; {counted(warm_requests)} until then",
    )
