"""The reconnection schedule over a long outage, and with a flapping box, on a virtual clock.

The client is the real one; only ``asyncio.open_connection`` is replaced, by a vBox in memory
(the simulator's device logic, :class:`vbox_simulator.box.Box`, without sockets) that can be
away: refusing connections, or unreachable (a connect that never completes, which the
client's connect timeout ends). The event loop's clock is virtual: when nothing is ready it
jumps to the next timer, so ten minutes of outage pass in well under a second and every
instant asserted on is exact, not a wall-clock measurement.
"""

from __future__ import annotations

import asyncio
import itertools
import selectors
from collections.abc import Coroutine
from typing import Any
from unittest.mock import patch

import pytest
from vitrea_client import ConnectionConfig, ConnectionState, SocketConfig, VitreaClient
from vitrea_client.connection import RECONNECT_JITTER, RETURN_CONFIRMATION, reconnect_delay

from vbox_simulator import load_demo_house
from vbox_simulator.box import Box, ClientState
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME
from vbox_simulator.wire import CommandID, DataGramDirection, FrameReader

LOGIN = CommandID.LOGIN
DEFAULTS = SocketConfig(environ={})
"""The library's defaults: the schedule under test."""
EPSILON = 1e-6


class _JumpingSelector(selectors.DefaultSelector):
    """A selector that, instead of blocking, moves the virtual clock on by the timeout."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[Any]:
        events = super().select(0)
        if not events:
            if timeout is None:
                msg = "nothing scheduled and nothing ready: the test would hang"
                raise RuntimeError(msg)
            self.now += timeout
        return events


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose time passes only by waiting, and then at once."""

    def __init__(self) -> None:
        self._selector_clock = _JumpingSelector()
        super().__init__(self._selector_clock)

    def time(self) -> float:
        return self._selector_clock.now


def run_virtually[T](coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro, loop_factory=VirtualTimeLoop)


class MemoryWriter:
    """The client's side of a connection to :class:`AwayBox`; what it writes is answered."""

    def __init__(self, box: Box, reader: asyncio.StreamReader) -> None:
        self._box = box
        self._reader = reader
        self._client = ClientState()
        self._frames = FrameReader()
        self._closing = False
        self.drop_after_login: float | None = None
        """Seconds after acknowledging the login that the box drops the session."""

    def write(self, data: bytes) -> None:
        for frame in self._frames.feed(data):
            if frame.direction == DataGramDirection.OUTGOING and not self._closing:
                self._reader.feed_data(self._box.answer(self._client, frame).reply.to_bytes())
                if self.drop_after_login is not None and frame.command == LOGIN:
                    # It accepts the login, then drops the session.
                    if self.drop_after_login:
                        asyncio.get_running_loop().call_later(self.drop_after_login, self.close)
                    else:
                        self.close()  # with the answer: the login's success comes too late

    async def drain(self) -> None:
        return

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._reader.feed_eof()

    def is_closing(self) -> bool:
        return self._closing

    async def wait_closed(self) -> None:
        return


class AwayBox:
    """A vBox that is there, or away: refusing connections or not answering at all."""

    def __init__(self) -> None:
        self.box = Box(load_demo_house(), username=USERNAME, password=PASSWORD, version="v2")
        self.mode = "up"
        """``up``, ``refused``, ``unreachable`` or ``flapping`` (drops each login)."""
        self.session_length = 0.0
        """How long a session lasts while flapping: 0 drops it before the client saw it
        established, more after."""
        self.attempts: list[tuple[float, str]] = []
        """When each connection was asked for, and what the box was then."""
        self._writer: MemoryWriter | None = None

    async def open_connection(self, *_address: object) -> tuple[asyncio.StreamReader, MemoryWriter]:
        self.attempts.append((asyncio.get_running_loop().time(), self.mode))
        if self.mode == "refused":
            raise ConnectionRefusedError(111, "Connection refused")
        if self.mode == "unreachable":
            await asyncio.Event().wait()  # no SYN-ACK ever comes; the client's timeout ends it
        reader = asyncio.StreamReader()
        self._writer = MemoryWriter(self.box, reader)
        if self.mode == "flapping":
            self._writer.drop_after_login = self.session_length
        return reader, self._writer

    def go(self, mode: str) -> None:
        """Go away (``refused``, ``unreachable``): the connection there was is lost."""
        self.mode = mode
        if self._writer is not None:
            self._writer.close()
            self._writer = None


async def outage(
    phases: list[tuple[str, float]], config: SocketConfig = DEFAULTS
) -> tuple[AwayBox, list[tuple[float, ConnectionState]], float]:
    """Connect, let the box be away for each ``(mode, seconds)`` in turn, then come back.

    Returns the box, every connection state with its time, and when the box came back.
    """
    loop = asyncio.get_running_loop()
    box = AwayBox()
    client = VitreaClient(
        ConnectionConfig(
            host="192.0.2.1", username=USERNAME, password=PASSWORD, version="auto", environ={}
        ),
        config,
    )
    states: list[tuple[float, ConnectionState]] = []
    connected = asyncio.Event()

    def record(state: ConnectionState) -> None:
        states.append((loop.time(), state))
        if state is ConnectionState.CONNECTED:
            connected.set()

    client.on_connection_state(record)
    with patch("asyncio.open_connection", box.open_connection):
        await client.connect()
        await asyncio.sleep(config.stability_period + 1.0)  # a stable session before it
        connected.clear()
        for mode, seconds in phases:
            box.go(mode)
            await asyncio.sleep(seconds)
        box.go("up")
        back = loop.time()
        async with asyncio.timeout(3600):  # virtual seconds
            await connected.wait()
        await client.disconnect()
    return box, states, back


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


# -- the schedule itself --------------------------------------------------------------


@pytest.mark.parametrize("factor", [1 - RECONNECT_JITTER, 1.0, 1 + RECONNECT_JITTER])
def test_the_delay_doubles_from_the_minimum_and_never_passes_the_cap(factor: float) -> None:
    with patch("random.uniform", return_value=factor):
        delays = [reconnect_delay(failures, DEFAULTS) for failures in range(10_000)]
    cap = DEFAULTS.reconnect_max_delay
    assert delays[:3] == pytest.approx([0.5 * factor, 1.0 * factor, 2.0 * factor])
    assert delays[3:] == [min(cap * factor, cap)] * (len(delays) - 3)  # no overflow either


def test_the_defaults_retry_every_few_seconds() -> None:
    assert (DEFAULTS.reconnect_min_delay, DEFAULTS.reconnect_max_delay) == (0.5, 3.0)
    assert DEFAULTS.request_timeout < DEFAULTS.reconnect_max_delay  # a connect fits a cycle


# -- the client over a long outage ------------------------------------------------------


@pytest.mark.parametrize(
    "phases",
    [
        [("unreachable", 600.0)],  # a box without power: every connect times out
        [("refused", 600.0)],  # a box whose service is down: refused at once
        [("unreachable", 300.0), ("refused", 300.0)],  # a power cut, then the box boots
    ],
    ids=["unreachable", "refused", "unreachable-then-refused"],
)
def test_a_long_outage_is_retried_every_few_seconds_and_ends_within_the_cap(
    phases: list[tuple[str, float]],
) -> None:
    box, states, back = run_virtually(outage(phases))
    cap = DEFAULTS.reconnect_max_delay
    starts = [at for at, _ in box.attempts]
    assert starts[0] == 0.0  # the first connect, before the outage
    lost = next(at for at, state in states if state is ConnectionState.DISCONNECTED)
    retries = [lost, *starts[1:]]
    # Never hammering: the first retry after 0.5 s (+-20 %), then 1 s, 2 s, then the cap.
    assert gaps(retries)[:3] == pytest.approx([0.5, 1.0, 2.0], rel=RECONNECT_JITTER)
    assert min(gaps(retries)) >= (1 - RECONNECT_JITTER) * DEFAULTS.reconnect_min_delay
    assert all(gap >= (1 - RECONNECT_JITTER) * cap - EPSILON for gap in gaps(retries)[3:])
    # However long the outage, however each attempt fails: an attempt at least every `cap`.
    assert max(gaps(retries)) <= cap + EPSILON
    assert len(retries) - 1 >= sum(seconds for _, seconds in phases) / cap
    failed = [mode for _, mode in box.attempts[1:-1]]
    assert set(failed) == {mode for mode, _ in phases}
    # The box back: the next attempt is within the cap, and it connects.
    assert box.attempts[-1][1] == "up"
    assert back < starts[-1] <= back + cap + EPSILON
    connected = states[-2]
    assert connected[1] is ConnectionState.CONNECTED
    # The cap, the handshake's request gap, then the session's first second (a normal
    # return is announced once it has lasted RETURN_CONFIRMATION).
    assert connected[0] - back <= cap + 1.0 + RETURN_CONFIRMATION
    assert [state for _, state in states[:3]] == [
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
        ConnectionState.RECONNECTING,
    ]
    assert states[-1][1] is ConnectionState.DISCONNECTED  # disconnect() at the end


def test_a_connect_timeout_does_not_lengthen_the_cycle() -> None:
    """The delays are timed from each attempt's start: a slow failure waits less after."""
    slow = SocketConfig(request_timeout=2.5, environ={})
    box, _, _ = run_virtually(outage([("unreachable", 120.0)], slow))
    capped = gaps([at for at, _ in box.attempts[1:-1]])[3:]
    assert capped
    assert max(capped) <= slow.reconnect_max_delay + EPSILON  # not 2.5 s + the delay


def test_an_attempt_longer_than_the_cap_is_followed_at_once() -> None:
    slow = SocketConfig(request_timeout=5.0, environ={})
    box, _, _ = run_virtually(outage([("unreachable", 60.0)], slow))
    retries = [at for at, _ in box.attempts[1:]]
    assert len(retries) > 10
    assert gaps(retries) == pytest.approx([slow.request_timeout] * (len(retries) - 1))


# -- a box that accepts each login and drops it at once ----------------------------------


async def flapping(
    seconds: float, then_up: float = 0.0, session_length: float = 0.01
) -> tuple[AwayBox, list[tuple[float, ConnectionState]], VitreaClient]:
    """Connect, then let the box drop the session and every later one at once for
    ``seconds``, then stay up for ``then_up`` seconds. Returns the box, the states
    announced with their times, and the client (disconnected)."""
    loop = asyncio.get_running_loop()
    box = AwayBox()
    box.session_length = session_length
    client = VitreaClient(
        ConnectionConfig(
            host="192.0.2.1", username=USERNAME, password=PASSWORD, version="v2", environ={}
        ),
        DEFAULTS,
    )
    states: list[tuple[float, ConnectionState]] = []
    client.on_connection_state(lambda state: states.append((loop.time(), state)))
    with patch("asyncio.open_connection", box.open_connection):
        await client.connect()
        box.go("flapping")
        await asyncio.sleep(seconds)
        box.mode = "up"
        await asyncio.sleep(then_up)
        await client.disconnect()
    return box, states, client


@pytest.mark.parametrize("session_length", [0.0, 0.01, 2.0], ids=["with-the-ack", "10ms", "2s"])
@pytest.mark.parametrize("factor", [1 - RECONNECT_JITTER, 1.0, 1 + RECONNECT_JITTER])
def test_a_box_that_drops_every_login_is_tried_on_the_growing_delays(
    factor: float, session_length: float
) -> None:
    """Each session cut short counts as a failed attempt: 20 s of it with the defaults
    give at most 10 connections (not one every 0.5 s), even with the shortest jitter."""
    with patch("random.uniform", return_value=factor):
        box, states, _ = run_virtually(flapping(20.0, session_length=session_length))
    assert box.attempts[0] == (0.0, "up")
    assert all(mode == "flapping" for _, mode in box.attempts[1:])
    assert len(box.attempts) <= 10
    lost = states[1][0]
    retries = [lost, *(at for at, _ in box.attempts[1:])]
    cap = min(3.0 * factor, DEFAULTS.reconnect_max_delay)
    # The session cut short was a failure: 1 s, not 0.5 s; then 2 s, then the cap (after
    # the loss of a session that was established, or the start of an attempt that failed).
    delays = [1.0 * factor, 2.0 * factor] + [cap] * (len(retries) - 3)
    assert all(gap >= delay - EPSILON for gap, delay in zip(gaps(retries), delays, strict=True))
    if session_length == 0.0:  # every attempt failed: timed from each attempt's start
        assert gaps(retries) == pytest.approx(delays)
    # The listeners saw the first session, then one loss: no flap per attempt.
    assert [state for _, state in states] == [
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
        ConnectionState.RECONNECTING,
        ConnectionState.DISCONNECTED,  # disconnect() at the end
    ]


def test_after_flapping_a_session_is_announced_once_it_has_stayed_up() -> None:
    """The probation: the session that lasts is announced after ``stability_period``."""
    box, states, client = run_virtually(flapping(10.0, then_up=30.0))
    stable_start = box.attempts[-1][0]
    assert box.attempts[-1][1] == "up"
    assert [state for _, state in states] == [
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
    ]
    announced = states[3][0]
    assert stable_start + DEFAULTS.stability_period <= announced
    assert announced <= stable_start + DEFAULTS.stability_period + 1.0  # the handshake
    assert client.state is ConnectionState.DISCONNECTED


def test_a_stable_session_starts_the_delays_over() -> None:
    """Flapping, then stable for a while, then lost: the first retry is quick again."""

    async def flapping_then_stable_then_lost() -> tuple[AwayBox, float]:
        loop = asyncio.get_running_loop()
        box = AwayBox()
        client = VitreaClient(
            ConnectionConfig(
                host="192.0.2.1", username=USERNAME, password=PASSWORD, version="v2", environ={}
            ),
            DEFAULTS,
        )
        with patch("asyncio.open_connection", box.open_connection):
            await client.connect()
            box.go("flapping")
            await asyncio.sleep(10.0)
            box.mode = "up"
            await asyncio.sleep(30.0)  # stable
            box.go("refused")
            lost = loop.time()
            await asyncio.sleep(0.7)
            box.go("up")
            await asyncio.sleep(5.0)
            assert client.state is ConnectionState.CONNECTED
            await client.disconnect()
        return box, lost

    with patch("random.uniform", return_value=1.0):
        box, lost = run_virtually(flapping_then_stable_then_lost())
    after = [at - lost for at, _ in box.attempts if at > lost]
    assert after[:2] == pytest.approx([0.5, 1.5])  # 0.5 s, then 1 s: the schedule from the start


def test_a_box_that_turns_to_dropping_every_login_is_one_loss_to_the_listeners() -> None:
    """After a long-lived session the first reconnection is not on probation, yet a session
    dropped within RETURN_CONFIRMATION is not announced: one loss, no flap."""

    async def scenario() -> tuple[AwayBox, list[ConnectionState]]:
        box = AwayBox()
        box.session_length = 0.01
        client = VitreaClient(
            ConnectionConfig(
                host="192.0.2.1", username=USERNAME, password=PASSWORD, version="v2", environ={}
            ),
            DEFAULTS,
        )
        states: list[ConnectionState] = []
        client.on_connection_state(states.append)
        with patch("asyncio.open_connection", box.open_connection):
            await client.connect()
            await asyncio.sleep(DEFAULTS.stability_period + 60.0)  # long-lived
            box.go("flapping")
            await asyncio.sleep(20.0)
            await client.disconnect()
        return box, states

    box, states = run_virtually(scenario())
    assert len(box.attempts) - 1 <= 10
    assert states == [
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
        ConnectionState.RECONNECTING,
        ConnectionState.DISCONNECTED,
    ]
