"""An exchange whose connection is lost while it writes: its error is raised, never lost.

A write that fails loses the connection, which fails what waits for an answer; the exchange
itself raises the write's error and no longer waits. asyncio must not then report the
waiting future's error as "never retrieved" (an ERROR with a traceback in Home Assistant).
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from vitrea_client import (
    ConnectionConfig,
    HostClient,
    VitreaClient,
    VitreaConnectionError,
    requests,
)


def lost_errors(loop: asyncio.AbstractEventLoop) -> list[dict[str, Any]]:
    """Collect what the loop's exception handler is told from now on."""
    reports: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: reports.append(context))
    return reports


@pytest.mark.parametrize("kind", ["vtu", "host"])
async def test_a_failed_exchange_leaves_no_lost_error(kind: str) -> None:
    loop = asyncio.get_running_loop()
    reports = lost_errors(loop)
    future: asyncio.Future[Any] = loop.create_future()
    if kind == "vtu":
        client: VitreaClient | HostClient = VitreaClient(
            ConnectionConfig("127.0.0.1", 1, "user", "password")
        )
        client._pending = (requests.Heartbeat(), future)  # type: ignore[attr-defined]
    else:
        client = HostClient("127.0.0.1", 1)
        client._line_wait = (lambda _: None, future)  # type: ignore[attr-defined]
    client._fail_pending(VitreaConnectionError("socket error: Connection lost"))
    assert future.done()  # failed (a waiter would get the error; none looks)
    client._pending = client._line_wait = None  # type: ignore[union-attr]
    del future
    gc.collect()
    await asyncio.sleep(0)
    assert reports == []
