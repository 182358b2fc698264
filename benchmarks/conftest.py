"""What every benchmark shares: Home Assistant's custom integrations and sockets on, the
event loop out of asyncio's debug mode, a full garbage collection before each, and the
results table written at the end."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from benchmarks.report import write_results


@pytest.fixture(autouse=True)
def _environment(enable_custom_integrations: None, socket_enabled: None) -> None:
    """Custom integrations on, loopback TCP allowed."""


@pytest.fixture(autouse=True)
def enable_event_loop_debug(event_loop: asyncio.AbstractEventLoop) -> None:
    """The event loop as Home Assistant runs it, without asyncio's debug mode (overrides
    the test plugin's fixture, which turns it on: it records where every callback and
    future was made, and warns of every step over 100 ms, doubling the CPU per pushed
    frame)."""
    event_loop.set_debug(False)


@pytest.fixture(autouse=True)
def garbage_collection() -> None:
    """Collect garbage before every benchmark (overrides Home Assistant's test plugin).

    The plugin collects once per module: the garbage of every earlier benchmark (its Home
    Assistant, simulator and house, in reference cycles that only the cycle collector
    frees) would stay, and the full collection it brings on (150-200 ms of CPU at this heap
    size) would be charged to whichever benchmark it falls in. The CPU per pushed frame,
    2000 pushes in 0.2-0.3 s of CPU, measured 75 µs more whenever one did.
    """
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _write_results() -> Iterator[None]:
    yield
    write_results()
