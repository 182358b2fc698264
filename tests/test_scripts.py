"""The developer scripts: ``scripts/develop``'s command line, ``scripts/wall``, the demo's
config directory, and the simulator stopped and started again while Home Assistant runs.

Real processes throughout (the scripts, the simulator), on free ports of 127.0.0.1; no Home
Assistant: where the launcher watches one, a sleeping process stands in for it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from homeassistant.util.yaml import load_yaml

from scripts.devtools import DevelopError, ProcessDiedError, processes, wait_for, wall
from vbox_simulator import load_demo_house
from vbox_simulator.control import ControlServer
from vbox_simulator.pytest_plugin import SimFactory

REPO = Path(__file__).resolve().parents[1]
RUN_TIMEOUT = 60.0
"""Seconds a script may take before the test gives up on it (a guard, not a measure)."""
COLUMNS = re.compile(r"\s{2,}")
"""What separates the columns of ``scripts/wall state``."""


@pytest.fixture(autouse=True)
def _children_without_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scripts run here start Python elsewhere (copies in temporary directories), where
    pytest-cov's subprocess hook would measure them without the project's coverage settings
    and spoil the run's data; they are not what this module measures."""
    for name in list(os.environ):
        if name.startswith("COV_CORE_"):
            monkeypatch.delenv(name)


def _run(*command: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the repository's scripts
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


# -- scripts/develop: the command line before anything is installed --------------------------


@pytest.fixture
def develop_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the launcher in a repository without venvs, whose ``scripts/setup`` only notes
    that it ran (and fails); the launcher, and where the note goes.
    """
    scripts = tmp_path / "repo" / "scripts"
    scripts.mkdir(parents=True)
    for name in ("develop", "develop.py"):
        shutil.copy2(REPO / "scripts" / name, scripts / name)
    shutil.copytree(
        REPO / "scripts" / "devtools",
        scripts / "devtools",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    note = tmp_path / "setup-ran"
    setup = scripts / "setup"
    setup.write_text(f'#!/usr/bin/env bash\necho "$@" >{note}\nexit 3\n', encoding="utf-8")
    setup.chmod(0o755)
    return scripts / "develop", note


def test_develop_help_installs_nothing(develop_copy: tuple[Path, Path]) -> None:
    develop, note = develop_copy
    result = _run(develop, "--help", cwd=develop.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: scripts/develop")
    assert "kill -USR1 PID" in result.stdout
    assert not note.exists()
    assert not (develop.parents[1] / ".venv").exists()


def test_develop_tells_a_mistake_before_installing(develop_copy: tuple[Path, Path]) -> None:
    develop, note = develop_copy
    result = _run(develop, "--port", "eighty")
    assert result.returncode == 2
    assert "argument --port: invalid int value: 'eighty'" in result.stderr
    assert not note.exists()


def test_develop_sets_up_oldest_only_after_reading_its_command_line(
    develop_copy: tuple[Path, Path],
) -> None:
    develop, note = develop_copy
    result = _run(develop, "--port", "8124")
    assert result.returncode == 1
    assert note.read_text(encoding="utf-8") == "oldest\n"
    assert "scripts/setup oldest failed (exit status 3)" in result.stdout


# -- the demo's config directory -----------------------------------------------------------


def test_the_demo_config_keeps_what_the_ui_saves(tmp_path: Path) -> None:
    config = tmp_path / "config"
    processes.prepare_config_dir(config)
    assert (config / "automations.yaml").read_text(encoding="utf-8") == "[]\n"
    assert (config / "scripts.yaml").read_text(encoding="utf-8") == ""
    assert (config / "scenes.yaml").read_text(encoding="utf-8") == ""
    # Home Assistant's own loader reads the copy of config/configuration.yaml, includes and all.
    loaded = load_yaml(config / "configuration.yaml")
    assert isinstance(loaded, dict)
    assert (loaded["automation"], loaded["script"], loaded["scene"]) == ([], {}, {})
    # What the UI saved is never overwritten.
    saved = "- id: '1'\n  alias: Saved in the UI\n"
    (config / "automations.yaml").write_text(saved, encoding="utf-8")
    processes.prepare_config_dir(config)
    assert (config / "automations.yaml").read_text(encoding="utf-8") == saved


@pytest.mark.skipif(shutil.which("git") is None, reason="no git here")
def test_git_clean_resets_what_the_ui_saved() -> None:
    """``git clean -fdX config/`` (the README's reset) removes the UI's files: they are ignored."""
    names = [f"config/{name}" for name in processes.UI_FILES]
    result = _run("git", "check-ignore", *names)
    if result.returncode == 128:  # not a git checkout (a copy of the sources)
        pytest.skip(result.stderr.strip())
    assert result.stdout.split() == names
    assert _run("git", "check-ignore", "config/configuration.yaml").returncode == 1


# -- scripts/wall --------------------------------------------------------------------------


async def _wall(*args: str) -> tuple[int, str, str]:
    """Run ``scripts/wall`` without blocking the event loop (the simulator runs in it)."""
    process = await asyncio.create_subprocess_exec(
        REPO / "scripts" / "wall",
        *args,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(RUN_TIMEOUT):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
async def control_port(make_sim: SimFactory) -> AsyncIterator[int]:
    """The control port of a simulator of the demo house."""
    sim = await make_sim()
    async with ControlServer(sim) as server:
        yield server.port


async def test_wall_state_is_one_key_per_line(control_port: int) -> None:
    status, out, _ = await _wall("--port", str(control_port), "state")
    assert status == 0
    rows = [COLUMNS.split(line) for line in out.splitlines()]
    assert rows[0] == ["node/key", "name", "kind", "state", "level"]
    assert len(rows) == 1 + 107
    by_key = {row[0]: row[1:] for row in rows[1:]}
    assert by_key["1/0"] == ["תאורת כניסה", "toggle", "on"]
    assert by_key["1/4"] == ["פעמון", "push_button", "-"]  # pressed, never switched
    dimmer = load_demo_house().key(3, 0)
    assert by_key["3/0"] == [
        dimmer.name,
        "dimmer",
        "on" if dimmer.on else "off",
        f"{dimmer.level} %",
    ]


async def test_wall_state_of_one_node_and_as_json(control_port: int) -> None:
    status, out, _ = await _wall("--port", str(control_port), "state", "1")
    assert status == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [f"1/{key}" for key in range(8)]
    status, out, _ = await _wall("--port", str(control_port), "state", "1", "--json")
    answer = json.loads(out)
    assert answer["ok"] is True
    assert [key["name"] for key in answer["keys"]][:2] == ["תאורת כניסה", "תאורת חוץ"]


async def test_wall_set_and_press(control_port: int) -> None:
    status, out, _ = await _wall("--port", str(control_port), "set", "3", "0", "40")
    assert status == 0
    assert COLUMNS.split(out.splitlines()[1])[-3:] == ["dimmer", "on", "40 %"]
    status, out, _ = await _wall("--port", str(control_port), "press", "1", "0", "short")
    assert (status, out) == (0, "pressed 1/0: short\n")


async def test_wall_errors(control_port: int) -> None:
    assert await _wall("--port", str(control_port), "state", "99") == (
        1,
        "",
        "scripts/wall: no node 99\n",
    )
    server = socket.create_server(("127.0.0.1", 0))  # listens, answers nothing: then closed
    port = server.getsockname()[1]
    server.close()
    status, _, err = await _wall("--port", str(port), "state")
    assert status == wall.UNREACHABLE
    assert f"nothing answers on 127.0.0.1:{port}" in err


async def test_wall_help_lists_the_commands() -> None:
    for args in ((), ("help",), ("--help",)):
        status, out, _ = await _wall(*args)
        assert status == 0, args
        assert out.startswith("usage: scripts/wall")
        assert "  state [NODE]  " in out
        assert "  outage SECONDS|on|off  " in out


def test_wall_answers_for_people() -> None:
    assert (
        "30 s have passed"
        in wall.answer_lines(["outage", "30"], {"ok": True, "listening": False, "back_in": 30.0})[0]
    )
    assert (
        "outage off"
        in wall.answer_lines(["outage", "on"], {"ok": True, "listening": False, "back_in": None})[0]
    )
    assert (
        "listens again"
        in wall.answer_lines(["outage", "off"], {"ok": True, "listening": True, "back_in": None})[0]
    )
    stats = {"ok": True, "stats": {"listening": True, "connections": 2, "reject": None}}
    assert wall.answer_lines(["stats"], stats) == ["listening: yes", "connections: 2", "reject: -"]
    assert wall.answer_lines(["fault", "reset"], {"ok": True}) == ["ok"]
    blind = {"node": 11, "key": 0, "type": "blind", "name": "x", "on": True, "level": 30}
    assert wall.key_lines([{**blind, "target": 80}])[1].endswith("open   30 %, moving to 80 %")


# -- the simulator away and back while Home Assistant runs ---------------------------------


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def _stand_in(tmp_path: Path) -> processes.HomeAssistant:
    """A sleeping process where the launcher watches Home Assistant."""
    return processes.HomeAssistant.start(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        log_path=tmp_path / "stand-in.log",
        cwd=tmp_path,
        env=dict(os.environ),
        config_dir=tmp_path,
        host="127.0.0.1",
        port=0,
    )


class Demo:
    """The simulator, a stand-in for Home Assistant, and the launcher's supervision of both."""

    def __init__(self, tmp_path: Path) -> None:
        self.sim = processes.start_simulator(port=0, control_port=0, log_path=tmp_path / "sim.log")
        self.ha = _stand_in(tmp_path)
        self.switches = processes.SignalFlag(signal.SIGUSR1)
        self.supervisor = processes.Supervisor(
            self.ha, self.sim, switch=self.switches.take, how="`kill -USR1 1`"
        )

    def switch(self) -> None:
        """What ``kill -USR1 <launcher>`` does, and the launcher's next look."""
        os.kill(os.getpid(), signal.SIGUSR1)
        self.supervisor.check()


@pytest.fixture
def demo(socket_enabled: None, tmp_path: Path) -> Iterator[Demo]:
    """The processes of scripts/develop, without Home Assistant; all stopped afterwards."""
    previous = signal.getsignal(signal.SIGUSR1)
    started: list[processes.Child] = []
    try:
        demo = Demo(tmp_path)
        started += [demo.sim, demo.ha]
        yield demo
    finally:
        signal.signal(signal.SIGUSR1, previous)
        processes.stop_all(started)
    assert not any(child.running for child in started)


def test_sigusr1_stops_the_simulator_and_starts_it_again(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = demo.sim
    port, control_port = sim.port, sim.control_port
    demo.supervisor.check()
    assert sim.process.poll() is None

    demo.switch()  # the simulator stops, Home Assistant runs on
    assert not sim.running
    assert _refused(port)
    demo.supervisor.check()  # stopped as asked: nothing more to say
    out = capsys.readouterr().out
    assert "stopping the vBox simulator" in out
    assert "`kill -USR1 1` starts it again" in out
    assert "exited" not in out
    assert demo.ha.running

    demo.switch()  # started again, on the same ports, its output appended to its log
    assert (sim.running, sim.port, sim.control_port) == (True, port, control_port)
    assert sim.key_state(1, 0)["name"] == "תאורת כניסה"
    assert "the vBox simulator is back" in capsys.readouterr().out
    assert sim.log_path.read_text(encoding="utf-8").count("); control on ") == 2  # 2 starts
    with pytest.raises(DevelopError, match="no node 99"):
        sim.control("state 99")
    with pytest.raises(DevelopError, match="node 1 has no key 99"):
        sim.key_state(1, 99)


def test_a_killed_simulator_leaves_home_assistant_running(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = demo.sim
    sim.process.kill()
    wait_for("the killed simulator", lambda: sim.running, lambda running: not running, 30)
    demo.supervisor.check()
    out = capsys.readouterr().out
    assert "the vBox simulator exited with code -9; Home Assistant runs on without it" in out
    assert demo.ha.running

    # Its port taken meanwhile: it cannot start; said so, and the next signal tries again.
    with socket.create_server(("127.0.0.1", sim.port)):
        demo.switch()
    assert not sim.running
    assert "did not start" in capsys.readouterr().out
    demo.switch()
    assert sim.control("stats")["stats"]["listening"] is True

    # Home Assistant's exit is what ends the demo.
    demo.ha.process.kill()
    wait_for("the stand-in", lambda: demo.ha.running, lambda running: not running, 30)
    with pytest.raises(ProcessDiedError, match="Home Assistant exited with code -9"):
        demo.supervisor.check()


def test_the_control_helpers(socket_enabled: None, tmp_path: Path) -> None:
    sim = processes.start_simulator(port=0, control_port=None, log_path=tmp_path / "sim.log")
    try:
        with pytest.raises(DevelopError, match="has no control port"):
            sim.control("state")
        with pytest.raises(DevelopError, match="has no control port"):
            sim.key_state(1, 0)
    finally:
        processes.stop_all([sim])


def test_module_coverage_names_each_module_below_its_minimum(tmp_path: Path) -> None:
    """scripts/module_coverage.py: 95 % a module, 100 % the config flow."""

    def module(percent: float) -> dict[str, dict[str, float]]:
        return {"summary": {"percent_covered": percent}}

    files = {
        "custom_components/vitrea/light.py": module(95.0),
        "custom_components/vitrea/cover.py": module(94.9),
        "custom_components/vitrea/config_flow.py": module(99.9),
    }
    report = tmp_path / "coverage.json"
    report.write_text(json.dumps({"files": files, "totals": {"percent_covered": 96.6}}))
    script = [sys.executable, str(REPO / "scripts" / "module_coverage.py"), str(report)]
    short = subprocess.run(script, capture_output=True, text=True, check=False)  # noqa: S603
    assert (short.returncode, short.stdout.splitlines()) == (
        1,
        [
            "custom_components/vitrea/config_flow.py: 99.90 % < 100 %",
            "custom_components/vitrea/cover.py: 94.90 % < 95 %",
            "3 modules, 96.60 % together; 2 below minimum",
        ],
    )
    files |= {"custom_components/vitrea/config_flow.py": module(100.0)}
    del files["custom_components/vitrea/cover.py"]
    report.write_text(json.dumps({"files": files, "totals": {"percent_covered": 97.5}}))
    fine = subprocess.run(script, capture_output=True, text=True, check=False)  # noqa: S603
    assert (fine.returncode, fine.stdout) == (0, "2 modules, 97.50 % together; 0 below minimum\n")
