"""Load: the vBox pushes key statuses as fast as it can, and at 1,000 per second, for 10 s.

Home Assistant must end with every state right, keep its event loop responsive, and give
back the memory the burst used. Marked ``load`` (about 25 s); the test command runs it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import tracemalloc

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.devices import key_unique_id
from custom_components.vitrea.vbox import KeyKind
from tests.integration.helpers import Entity, entity_id, vtu_client
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until

pytestmark = pytest.mark.load

DURATION = 10.0
MAX_STALL = 0.5
"""The event loop may be busy for a moment, never for half a second."""
MEMORY_SLACK = 2_000_000
"""Bytes the burst may leave behind (caches warming up), far below what it allocated."""


class StallMeter:
    """Measures the longest time the event loop could not run a 1 ms ticker."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last)
            last = now

    def __enter__(self) -> StallMeter:  # noqa: PYI034
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def push_for(sim: VBoxSimulator, keys: list[tuple[int, int]], rate: float | None) -> int:
    """Toggle ``keys`` round-robin for DURATION seconds, at ``rate`` per second or flat out."""
    started = time.perf_counter()
    count = 0
    while (elapsed := time.perf_counter() - started) < DURATION:
        if rate is not None and count > elapsed * rate:
            await asyncio.sleep(count / rate - elapsed)
            continue
        node_id, key_id = keys[count % len(keys)]
        await sim.set_key(node_id, key_id, on=(count // len(keys)) % 2 == 0)
        count += 1
        if rate is None and count % 50 == 0:
            await asyncio.sleep(0)  # the simulator shares the loop: let Home Assistant read
    return count


@pytest.mark.parametrize("rate", [None, 1000.0], ids=["flat-out", "1000-per-second"])
async def test_push_storm(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: VBoxSimulator,
    rate: float | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Both sides log every frame at debug/info level, and pytest keeps every record: that
    # would be the test's memory, not the integration's.
    caplog.set_level(logging.WARNING, logger="vbox_simulator")
    caplog.set_level(logging.WARNING, logger="custom_components.vitrea")
    coordinator = loaded_entry.runtime_data
    lights = [k for k in coordinator.data.topology.all_keys() if k.kind is KeyKind.LIGHT]
    keys = [(key.node_id, key.key_id) for key in lights]
    entity_ids = {
        key: entity_id(hass, Entity("light", key_unique_id(coordinator.box_id, *key)))
        for key in keys
    }
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    with StallMeter() as stalls:
        pushed = await push_for(sim, keys, rate)
        # Every key's final state, as the simulator has it, reaches Home Assistant.
        await until(
            lambda: all(
                hass.states.get(entity_ids[(n, k)]).state
                == ("on" if sim.house.key(n, k).on else "off")
                for n, k in keys
            ),
            timeout=30,
        )
    await hass.async_block_till_done()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()

    tracemalloc.stop()
    print(  # noqa: T201 - the measurement, for the record
        f"\n{pushed} pushes ({pushed / DURATION:.0f}/s), "
        f"worst stall {stalls.worst * 1000:.1f} ms, "
        f"memory +{(current - baseline) / 1e6:.2f} MB after, peak +{(peak - baseline) / 1e6:.2f} MB"
    )
    if rate is not None:
        assert pushed >= 0.9 * rate * DURATION
    assert stalls.worst < MAX_STALL
    assert current - baseline < MEMORY_SLACK
    assert vtu_client(loaded_entry).connected
