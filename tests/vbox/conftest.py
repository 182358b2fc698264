"""Fixtures of the library's tests.

``sim`` and ``make_sim`` are the simulator's pytest plugin's (``vbox_simulator.pytest_plugin``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from vitrea_client import House

type Ready = Callable[[House], Awaitable[House]]
"""The ``ready`` fixture: ``await ready(house)`` is the house, connected and discovered."""


@pytest.fixture
async def ready() -> AsyncIterator[Ready]:
    """Connect a house, discover it and read its states; each one made ready is disconnected
    afterwards.
    """
    started: list[House] = []

    async def start(house: House) -> House:
        await house.connect()
        await house.discover()
        await house.read_states()
        started.append(house)
        return house

    yield start
    for house in started:
        await house.disconnect()
