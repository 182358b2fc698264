"""Pytest fixtures for tests against the simulator, shared by every test folder.

The repository's root ``conftest.py`` loads this module as a plugin, so the test folders and
the benchmarks all start simulators the same way. It needs pytest and the simulator alone
(not Home Assistant, not the integration). Nothing else in the package imports it.

* ``make_sim``: ``await make_sim(house, **options)`` starts a :class:`VBoxSimulator` on
  127.0.0.1: ``house`` (the demo house unless given), with :class:`VBoxSimulator`'s
  keyword options (``version``, ``username``, ``password``, ``idle_timeout``,
  ``service_time``, ``blind_travel``...). Every simulator it started stops after the test.
  Its blinds move at once (``blind_travel`` :data:`BLIND_TRAVEL`, 0) unless told otherwise:
  a test of travelling blinds gives a short travel time, e.g. ``blind_travel=2.0``. Every
  simulator also serves the host interface on a free port (``host_port`` 0; ``sim.host_port``
  tells which) unless given ``host_port=None``.
* ``sim``: a started V2 simulator of the demo house. A folder's conftest may override it
  (the integration tests use a smaller house).
* ``sim_credentials``: the username and password that ``make_sim`` gives a simulator unless
  told others; :data:`USERNAME` and :data:`PASSWORD` unless a folder's conftest overrides
  it.
* :func:`until`: waits for a condition, with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from .house import House, load_demo_house
from .server import VBoxSimulator

USERNAME = "admin"
PASSWORD = "s3cret-פסוורד"  # noqa: S105 - a test login
"""The default credentials of a simulator started by ``make_sim`` (not ASCII: the protocol
sends them as UTF-16)."""

BLIND_TRAVEL = 0.0
"""The ``blind_travel`` of a simulator started by ``make_sim`` unless told another: at once."""

type SimFactory = Callable[..., Awaitable[VBoxSimulator]]
"""The ``make_sim`` fixture: ``(house=None, **options) -> started simulator``."""


async def until(
    predicate: Callable[[], object],
    timeout: float = 10.0,  # noqa: ASYNC109 - the deadline of the polling
    *,
    interval: float = 0.01,
) -> None:
    """Check ``predicate`` every ``interval`` seconds; return once it is truthy.

    Raises:
        TimeoutError: it was still falsy after ``timeout`` seconds.
    """
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - a condition of anything, not an event
            await asyncio.sleep(interval)


@pytest.fixture
def sim_credentials() -> tuple[str, str]:
    """The username and password of the simulators ``make_sim`` starts unless told others."""
    return USERNAME, PASSWORD


@pytest.fixture
async def make_sim(
    request: pytest.FixtureRequest, sim_credentials: tuple[str, str]
) -> AsyncIterator[SimFactory]:
    """Start simulators on 127.0.0.1 (the demo house unless given); all stop afterwards."""
    # pytest-socket, where installed (with Home Assistant's test plugin), blocks TCP.
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")
    username, password = sim_credentials
    started: list[VBoxSimulator] = []

    async def make(house: House | None = None, **options: Any) -> VBoxSimulator:
        defaults: dict[str, Any] = {"username": username, "password": password}
        options = defaults | {"blind_travel": BLIND_TRAVEL, "host_port": 0} | options
        sim = VBoxSimulator(load_demo_house() if house is None else house, **options)
        await sim.start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        await sim.stop()


@pytest.fixture
async def sim(make_sim: SimFactory) -> VBoxSimulator:
    """A started V2 simulator of the demo house."""
    return await make_sim()
