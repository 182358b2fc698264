"""The text control interface over TCP: every command, its errors, several clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import TYPE_CHECKING, Any

import pytest
from vitrea_client import KeyPowerStatus, requests

from tests.simulator.sim_support import TIMEOUT, reset
from vbox_simulator.control import ControlServer, send_command
from vbox_simulator.pytest_plugin import until

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from vbox_simulator import VBoxSimulator


class Line:
    """A control connection: one command out, one JSON answer in."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def ask(self, line: str | bytes) -> dict[str, Any]:
        data = line if isinstance(line, bytes) else line.encode()
        self.writer.write(data + b"\n")
        await self.writer.drain()
        async with asyncio.timeout(TIMEOUT):
            return json.loads(await self.reader.readline())

    async def close(self) -> None:
        self.writer.close()
        async with asyncio.timeout(TIMEOUT):
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


@pytest.fixture
async def control(sim: VBoxSimulator) -> AsyncIterator[ControlServer]:
    async with ControlServer(sim) as server:
        yield server


@pytest.fixture
async def line(control: ControlServer) -> AsyncIterator[Line]:
    reader, writer = await asyncio.open_connection("127.0.0.1", control.port)
    connection = Line(reader, writer)
    yield connection
    await connection.close()


async def test_state(line, sim) -> None:
    answer = await line.ask("state")
    assert answer == {"ok": True, "keys": sim.state(led=True), "acs": sim.ac_state()}
    assert answer["keys"][0]["name"] == "תאורת כניסה"
    assert answer["keys"][0]["led"] is False
    assert answer["acs"][0]["name"] == "מזגן סלון"


async def test_state_of_one_node(line, sim) -> None:
    answer = await line.ask("state 1")
    keys = [key for key in sim.state(led=True) if key["node"] == 1]
    assert answer == {"ok": True, "keys": keys, "acs": sim.ac_state()}
    assert [key["key"] for key in answer["keys"]] == list(range(8))


async def test_set_pushes_to_the_client(line, sim, statuses) -> None:
    answer = await line.ask("set 3 0 35")
    assert answer == {
        "ok": True,
        "key": {
            "node": 3,
            "key": 0,
            "type": "dimmer",
            "name": "תאורה ראשית",
            "on": True,
            "level": 35,
        },
    }
    push = await statuses.get()
    assert (push.node_id, push.key_id, push.level) == (3, 0, 35)
    assert (await line.ask("SET 3 0 off"))["key"]["on"] is False
    assert (await statuses.get()).is_off
    assert (await line.ask("set 3 0 ON"))["key"]["level"] == 35
    assert (await statuses.get()).is_on


async def test_press(line, sim, statuses) -> None:
    assert await line.ask("press 1 5 long") == {"ok": True}
    assert (await statuses.get()).power == KeyPowerStatus.LONG
    assert await line.ask("press 1 5 release") == {"ok": True}
    assert (await statuses.get()).is_released


async def test_fault(line, sim, client) -> None:
    answer = await line.ask("fault delay 0.25")
    assert answer["ok"] is True
    assert answer["faults"]["delay"] == 0.25
    answer = await line.ask("fault nack 1")
    assert answer["faults"]["reject"] == "nack"
    assert answer["faults"]["reject_count"] == 1
    assert (await line.ask("fault reset"))["faults"]["delay"] == 0.0
    assert (await line.ask("fault close"))["ok"] is True
    assert not sim.client_connected
    answer = await line.ask("fault close")
    assert answer == {"ok": False, "error": "no client is connected"}


async def test_stats_and_help(line, sim, client) -> None:
    await client.send(requests.NodeCount())
    answer = await line.ask("stats")
    assert answer["ok"] is True
    assert answer["stats"] == {
        "listening": True,
        "client_connected": True,
        "client_logged_in": True,
        "connections": 1,
        "refused_connections": 0,
        "idle_disconnects": 0,
        "logins": 1,
        "failed_logins": 0,
        "requests": 3,
        "pushes": 0,
        "host_listening": True,
        "host_clients": 0,
        "host_connections": 0,
        "host_refused_connections": 0,
        "host_idle_disconnects": 0,
        "host_lines": 0,
        "host_pushes": 0,
    }
    commands = (await line.ask("help"))["commands"]
    assert "state [NODE]" in commands
    assert "outage SECONDS|on|off" in commands
    assert any(command.startswith("fault ") for command in commands)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("", "empty command"),
        ("   ", "empty command"),
        ("dance", "unknown command 'dance'"),
        ("state now", "NODE must be a whole number"),
        ("state 1 2", "usage: state [NODE]"),
        ("state 99", "no node 99"),
        ("stats please", "usage: stats"),
        ("set 3 0", "usage: set NODE KEY"),
        ("set x 0 on", "NODE must be a whole number"),
        ("set 3 y on", "KEY must be a whole number"),
        ("set 3 0 bright", "LEVEL must be a whole number"),
        ("set 3 0 101", "LEVEL must be between 0 and 100"),
        ("set 3 0 -1", "LEVEL must be between 0 and 100"),
        ("set 99 0 on", "no node 99"),
        ("set 3 9 on", "node 3 has no key 9"),
        ("press 1 0", "usage: press"),
        ("press 1 0 double", "short, long or release"),
        ("press 99 0 short", "no node 99"),
        ("fault", "usage: fault NAME"),
        ("fault delay 1 2", "usage: fault NAME"),
        ("fault explode", "unknown fault"),
        ("fault delay", "needs a number of seconds"),
        ("fault nack many", "a whole number"),
        ("fault garbage", "no client is connected"),
        ("outage", "usage: outage SECONDS|on|off"),
        ("outage soon", "outage takes on, off or seconds"),
        ("outage 0", "outage takes on, off or seconds"),
        ("outage nan", "outage takes on, off or seconds"),
        ("outage 86401", "outage takes on, off or seconds"),
    ],
)
async def test_errors(line, command, error) -> None:
    answer = await line.ask(command)
    assert answer["ok"] is False
    assert error in answer["error"]


async def _refused(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        return True
    writer.close()
    return False


async def test_outage_until_off(line, sim, client) -> None:
    assert await line.ask("outage on") == {"ok": True, "listening": False, "back_in": None}
    assert not sim.client_connected
    assert await _refused(sim.port)
    # The box goes on inside, and this interface stays: the wall and the stats still answer.
    assert (await line.ask("set 3 0 30"))["key"]["level"] == 30
    assert (await line.ask("stats"))["stats"]["listening"] is False
    assert await line.ask("outage off") == {"ok": True, "listening": True, "back_in": None}
    assert not await _refused(sim.port)
    assert await line.ask("outage off") == {"ok": True, "listening": True, "back_in": None}


async def test_outage_for_seconds(line, sim) -> None:
    assert await line.ask("outage 3600") == {"ok": True, "listening": False, "back_in": 3600.0}
    assert await line.ask("outage 0.05") == {"ok": True, "listening": False, "back_in": 0.05}
    await until(lambda: sim.running)  # the later outage replaced the first
    assert not await _refused(sim.port)
    assert await line.ask("outage 3600") == {"ok": True, "listening": False, "back_in": 3600.0}
    assert await line.ask("outage off") == {"ok": True, "listening": True, "back_in": None}


async def test_the_end_of_an_outage_with_the_port_taken(line, sim, caplog) -> None:
    await line.ask("outage 0.05")
    with socket.create_server(("127.0.0.1", sim.port)):  # someone else listens there meanwhile
        await until(lambda: "cannot listen again" in caplog.text)
        assert not sim.running
        answer = await line.ask("outage off")
        assert answer["ok"] is False
        assert f"the vBox cannot listen again on port {sim.port}" in answer["error"]
    assert (await line.ask("outage off"))["listening"] is True


async def test_stopping_the_interface_ends_a_timed_outage_timer(control, line, sim) -> None:
    await line.ask("outage 3600")
    await control.stop()
    assert control._outage_end is None
    assert not sim.running


async def test_invalid_utf8_is_an_unknown_command(line) -> None:
    answer = await line.ask(b"\xff\xfe")
    assert answer["ok"] is False


async def test_several_control_clients(control, line, sim) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", control.port)
    other = Line(reader, writer)
    try:
        assert (await other.ask("set 1 1 on"))["ok"] is True
        state = await line.ask("state")
        assert next(k for k in state["keys"] if (k["node"], k["key"]) == (1, 1))["on"] is True
        assert (await other.ask("state"))["ok"] is True
    finally:
        await other.close()
    assert (await line.ask("state"))["ok"] is True


async def test_a_line_too_long_ends_the_connection(line) -> None:
    answer = await line.ask("state " + "x" * 70_000)
    assert answer == {"ok": False, "error": "line too long"}
    assert await line.reader.read() == b""


async def test_a_reset_control_connection(control, line) -> None:
    assert (await line.ask("state"))["ok"] is True
    tasks = set(control._tasks)
    reader, writer = await asyncio.open_connection("127.0.0.1", control.port)
    other = Line(reader, writer)
    assert (await other.ask("state"))["ok"] is True
    (task,) = control._tasks - tasks
    reset(writer)
    await other.close()
    async with asyncio.timeout(TIMEOUT):
        await task  # the server side of the connection ends without an error
    assert (await line.ask("state"))["ok"] is True


async def test_stop_disconnects_control_clients(sim) -> None:
    server = ControlServer(sim)
    await server.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    connection = Line(reader, writer)
    assert (await connection.ask("state"))["ok"] is True
    await server.stop()
    await server.stop()  # stopping twice is harmless
    async with asyncio.timeout(TIMEOUT):
        assert await reader.read() == b""
    await connection.close()


async def test_send_command(control) -> None:
    answer = await send_command("127.0.0.1", control.port, "press 1 4 short")
    assert answer == {"ok": True}


async def test_send_command_gives_up_on_a_silent_server(monkeypatch) -> None:
    monkeypatch.setattr("vbox_simulator.control.SEND_TIMEOUT", 0.1)
    with (
        socket.create_server(("127.0.0.1", 0)) as silent,  # listens, never answers
        pytest.raises(TimeoutError, match=r"no answer within 0\.1 s"),
    ):
        await send_command("127.0.0.1", silent.getsockname()[1], "state")


async def test_control_client_command_line(control, sim, capsys) -> None:
    from vbox_simulator.control import main  # noqa: PLC0415

    status = await asyncio.to_thread(main, ["--port", str(control.port), "set", "1", "1", "on"])
    assert status == 0
    assert json.loads(capsys.readouterr().out)["key"]["on"] is True
    status = await asyncio.to_thread(main, ["--port", str(control.port), "set", "1", "99", "on"])
    assert status == 1
    assert json.loads(capsys.readouterr().out) == {"ok": False, "error": "node 1 has no key 99"}


async def test_control_client_cannot_connect(sim, capsys) -> None:
    from vbox_simulator.control import main  # noqa: PLC0415

    server = ControlServer(sim)
    await server.start()
    port = server.port
    await server.stop()
    status = await asyncio.to_thread(main, ["--port", str(port), "state"])
    assert status == 2
    assert "cannot reach the control interface" in capsys.readouterr().err


async def test_ac_and_host_fault_commands(line, sim) -> None:
    answer = await line.ask("ac 1 on mode=heat fan=high setpoint=26 measured=22")
    assert answer["ok"] is True
    assert answer["ac"] | {"name": ""} == {
        "id": 1,
        "type": 2,
        "room": 1,
        "name": "",
        "on": True,
        "mode": "heat",
        "fan": "high",
        "setpoint": 26,
        "measured": 22,
        "unit": "c",
        "relay": True,
    }
    assert (await line.ask("ac 1 off"))["ac"]["on"] is False
    for bad in (
        "ac 1",
        "ac 1 mode",
        "ac 1 colour=red",
        "ac 9 on",
        "ac 1 setpoint=99",
        "ac 4 fan=low",
    ):
        assert (await line.ask(bad))["ok"] is False, bad
    answer = await line.ask("host-fault error 2 3")
    assert answer["host_faults"]["error"] == 2
    assert answer["host_faults"]["error_count"] == 3
    assert (await line.ask("host-fault reset"))["host_faults"]["error"] is None
    assert (await line.ask("host-fault"))["ok"] is False
    assert (await line.ask("host-fault nack"))["ok"] is False
    commands = (await line.ask("help"))["commands"]
    assert any(command.startswith("host-fault") for command in commands)
    assert any(command.startswith("ac ID") for command in commands)
