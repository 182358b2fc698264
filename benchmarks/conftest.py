"""What every benchmark shares: Home Assistant's custom integrations and sockets on, a full
garbage collection before each, and the results table written at the end."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from benchmarks.report import write_results


@pytest.fixture(autouse=True)
def _environment(enable_custom_integrations: None, socket_enabled: None) -> None:
    """Custom integrations on, loopback TCP allowed."""


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
