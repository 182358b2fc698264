"""``python -m vbox_simulator``: as a real process, and its pieces in process."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from pathlib import Path

import pytest
from vitrea_client import (
    ConnectionConfig,
    KeyPowerStatus,
    ProtocolVersion,
    VitreaClient,
    requests,
)

from tests.simulator.sim_support import PASSWORD, TIMEOUT, USERNAME, StatusQueue, socket_config
from vbox_simulator import generate_house
from vbox_simulator.__main__ import (
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    main,
    parse_args,
    serve,
)
from vbox_simulator.control import send_command

ROOT = Path(__file__).resolve().parents[2]
LISTENING = re.compile(
    r"^vBox simulator listening on 127\.0\.0\.1:(\d+) "
    r"\(house: (\d+) rooms, (\d+) nodes, (\d+) keys\)(?:; control on 127\.0\.0\.1:(\d+))?$"
)
STARTUP_TIMEOUT = 30.0


async def _python(*args: str, stderr_path: Path) -> asyncio.subprocess.Process:
    with stderr_path.open("wb") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )


async def test_the_program(tmp_path, port_guard) -> None:
    process = await _python(
        "-m",
        "vbox_simulator",
        "--port",
        "0",
        "--control-port",
        "0",
        "--username",
        USERNAME,
        "--password",
        PASSWORD,
        stderr_path=tmp_path / "stderr",
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(STARTUP_TIMEOUT):
            line = (await process.stdout.readline()).decode().strip()
        match = LISTENING.match(line)
        assert match, (line, (tmp_path / "stderr").read_text())
        port, rooms, nodes, keys, control_port = (int(group) for group in match.groups())
        port_guard.allow(port)  # opened for the test by the program it started
        port_guard.allow(control_port)
        assert (rooms, nodes, keys) == (15, 36, 107)

        client = VitreaClient(
            ConnectionConfig(
                host="127.0.0.1", port=port, username=USERNAME, password=PASSWORD, environ={}
            ),
            socket_config(),
        )
        await client.connect()
        try:
            statuses = StatusQueue(client)
            request = requests.ToggleKeyStatus(
                node_id=3, key_id=0, status=KeyPowerStatus.ON, dimmer=55
            )
            assert (await client.send(request)).is_ok
            assert (await statuses.get()).level == 55

            control = await _python(
                "-m",
                "vbox_simulator.control",
                "--port",
                str(control_port),
                "set",
                "3",
                "0",
                "off",
                stderr_path=tmp_path / "control-stderr",
            )
            async with asyncio.timeout(STARTUP_TIMEOUT):
                out, _ = await control.communicate()
            assert control.returncode == 0
            assert json.loads(out)["key"] == {
                "node": 3,
                "key": 0,
                "type": "dimmer",
                "name": "תאורה ראשית",
                "on": False,
                "level": 0,
            }
            assert (await statuses.get()).is_off
            answer = await send_command("127.0.0.1", control_port, "state")
            assert len(answer["keys"]) == 107
        finally:
            await client.disconnect()
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(TIMEOUT):
            assert await process.wait() == 0
        logged = (tmp_path / "stderr").read_text()
        assert "logged in" in logged
        assert PASSWORD not in logged
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_the_program_stops_on_sigint(tmp_path, port_guard) -> None:
    process = await _python(
        "-m", "vbox_simulator", "--port", "0", "--version", "v1", stderr_path=tmp_path / "stderr"
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(STARTUP_TIMEOUT):
            line = (await process.stdout.readline()).decode().strip()
        match = LISTENING.match(line)
        assert match, line
        assert match.group(5) is None  # no control interface
        port_guard.allow(int(match.group(1)))
        client = VitreaClient(
            ConnectionConfig(
                host="127.0.0.1",
                port=int(match.group(1)),
                username=DEFAULT_USERNAME,
                password=DEFAULT_PASSWORD,
                version=ProtocolVersion.V1,
                environ={},
            ),
            socket_config(),
        )
        await client.connect()
        meta = await client.send(requests.NodeMetaData(node_id=2))
        assert meta.version == "1.74"
        await client.disconnect()
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(TIMEOUT):
            assert await process.wait() == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


class _Out:
    """Stands for standard output; tells when the simulator has printed its line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.printed = asyncio.Event()

    def write(self, text: str) -> None:
        self.lines.append(text)
        self.printed.set()

    def flush(self) -> None:
        pass


async def test_serve_in_process_with_a_house_file(tmp_path) -> None:
    path = tmp_path / "house.json"
    path.write_text(json.dumps(generate_house(3, 2).to_dict()), encoding="utf-8")
    args = parse_args(
        ["--port", "0", "--control-port", "0", "--house", str(path), "--version", "v1"]
    )
    out, stop = _Out(), asyncio.Event()
    task = asyncio.create_task(serve(args, stop=stop, out=out, handle_signals=False))
    try:
        async with asyncio.timeout(TIMEOUT):
            await out.printed.wait()
        match = LISTENING.match(out.lines[0].strip())
        assert match
        assert match.group(2, 3, 4) == ("1", "3", "6")
        answer = await send_command("127.0.0.1", int(match.group(5)), "set 1 0 on")
        assert answer["ok"] is True
    finally:
        stop.set()
        async with asyncio.timeout(TIMEOUT):
            await task


async def test_serve_stops_on_a_signal() -> None:
    args = parse_args(["--port", "0"])
    out = _Out()
    task = asyncio.create_task(serve(args, out=out))
    async with asyncio.timeout(TIMEOUT):
        await out.printed.wait()
    signal.raise_signal(signal.SIGTERM)
    async with asyncio.timeout(TIMEOUT):
        await task


def test_parse_args_defaults() -> None:
    args = parse_args([])
    assert (args.host, args.port, args.username, args.password) == (
        "127.0.0.1",
        11501,
        "admin",
        "vitrea",
    )
    assert (args.version, args.control_port, args.house, args.service_time) == ("v2", None, None, 0)
    assert args.idle_timeout == 30.0
    assert args.blind_travel == 20.0  # within what real motors take


async def test_serve_with_a_blind_travel_time() -> None:
    args = parse_args(["--port", "0", "--control-port", "0", "--blind-travel", "60"])
    out, stop = _Out(), asyncio.Event()
    task = asyncio.create_task(serve(args, stop=stop, out=out, handle_signals=False))
    try:
        async with asyncio.timeout(TIMEOUT):
            await out.printed.wait()
        match = LISTENING.match(out.lines[0].strip())
        assert match
        # A blind of the demo house, closed, sent up: a minute to go, on its way.
        answer = await send_command("127.0.0.1", int(match.group(5)), "set 11 0 on")
        assert (answer["key"]["level"], answer["key"]["target"]) == (0, 100)
    finally:
        stop.set()
        async with asyncio.timeout(TIMEOUT):
            await task


def test_main_reports_a_negative_blind_travel_time(capsys) -> None:
    assert main(["--port", "0", "--blind-travel", "-1"]) == 1
    assert "blind travel must be" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["{not json", '{"rooms": []}'])
def test_main_reports_a_bad_house_file(tmp_path, capsys, content) -> None:
    path = tmp_path / "house.json"
    path.write_text(content, encoding="utf-8")
    assert main(["--port", "0", "--house", str(path)]) == 1
    assert capsys.readouterr().err.startswith("vbox_simulator: ")


def test_main_reports_a_missing_house_file(tmp_path, capsys) -> None:
    assert main(["--port", "0", "--house", str(tmp_path / "missing.json"), "-v"]) == 1
    assert "missing.json" in capsys.readouterr().err


async def test_serve_with_a_host_interface() -> None:
    args = parse_args(
        ["--port", "0", "--host-port", "0", "--host-version", "866", "--host-clients", "1"]
    )
    assert parse_args([]).host_port is None
    out, stop = _Out(), asyncio.Event()
    task = asyncio.create_task(serve(args, stop=stop, out=out, handle_signals=False))
    try:
        async with asyncio.timeout(TIMEOUT):
            await out.printed.wait()
        match = re.search(r"; host interface on 127\.0\.0\.1:(\d+)", out.lines[0])
        assert match
        reader, writer = await asyncio.open_connection("127.0.0.1", int(match.group(1)))
        writer.write(b"G:V:S\r\n")
        async with asyncio.timeout(TIMEOUT):
            assert await reader.readline() == b"V:866\r\n"  # G: lines are not echoed
        writer.close()
    finally:
        stop.set()
        async with asyncio.timeout(TIMEOUT):
            await task
