"""The vendor's own host-interface client (PyPI ``vitrea-host`` 0.2.3) against the simulator.

The simulator follows the vendor's reading of the host interface where the spec is silent
(``docs/host-interface.md``); this test holds it to that. ``vendor_session.py`` runs in a
Python that has the vendor's library: this one if it is installed here, else a scratch venv
made for the session, into which pip installs it from PyPI. The test is skipped only if PyPI
cannot be reached; any other failure to install it fails the test.

What must hold: the vendor's version check passes every time (:data:`TRIES`); its
``connect()`` (the database, then a status of every key and AC) finishes without waiting
its poll timeout out; every command its models drive is answered as they expect; presses at
the wall reach its push-button and satellite models as they read them.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import SimFactory

pytestmark = pytest.mark.interop

VENDOR = "vitrea-host"
VENDOR_VERSION = "0.2.3"
PIN = f"{VENDOR}=={VENDOR_VERSION}"
SESSION = Path(__file__).with_name("vendor_session.py")
TRIES = 30
"""How many times the vendor's version check runs."""
VENDOR_POLL_TIMEOUT = 30.0
"""Seconds the vendor's ``poll_state`` waits for every key and AC to report."""
PHASE_TIMEOUT = 60.0
INSTALL_TIMEOUT = 240.0


def _pypi_unreachable(python: str) -> str | None:
    """Why PyPI cannot be reached from here, or ``None`` if it can."""
    probe = "import socket; socket.create_connection(('pypi.org', 443), timeout=10).close()"
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed probe
        [python, "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    if result.returncode == 0:
        return None
    return (result.stderr.strip().splitlines() or ["no connection"])[-1]


@pytest.fixture(scope="session")
def vendor_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Python with the vendor's library: this one, or a scratch venv with it installed."""
    try:
        if importlib.metadata.version(VENDOR) == VENDOR_VERSION:
            return sys.executable
    except importlib.metadata.PackageNotFoundError:
        pass
    venv = tmp_path_factory.mktemp("vitrea-host-venv")
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "venv", str(venv)],
        check=True,
        capture_output=True,
        timeout=INSTALL_TIMEOUT,
    )
    python = str(venv / "bin" / "python")
    install = subprocess.run(  # noqa: S603 - the scratch venv's pip, a pinned package
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PIN],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if install.returncode != 0:
        reason = _pypi_unreachable(python)
        if reason is not None:
            pytest.skip(f"PyPI cannot be reached ({reason}): {VENDOR} cannot be installed")
        pytest.fail(f"pip could not install {PIN}:\n{install.stderr}")
    return python


async def _phase(process: asyncio.subprocess.Process, name: str) -> dict[str, Any]:
    """The next report of the vendor's session, which must be of phase ``name``."""
    assert process.stdout is not None
    async with asyncio.timeout(PHASE_TIMEOUT):
        line = await process.stdout.readline()
    if not line:
        assert process.stderr is not None
        errors = (await process.stderr.read()).decode(errors="replace")
        pytest.fail(f"the vendor's session ended before its {name} report:\n{errors}")
    report: dict[str, Any] = json.loads(line) if line.startswith(b"{") else {"line": line}
    assert report.get("phase") == name, report
    assert report["problems"] == [], report["problems"]
    return report


async def _ready(process: asyncio.subprocess.Process) -> None:
    assert process.stdout is not None
    async with asyncio.timeout(PHASE_TIMEOUT):
        assert await process.stdout.readline() == b"READY\n"


async def test_the_vendor_client_works_with_the_simulator(
    make_sim: SimFactory, vendor_python: str
) -> None:
    sim = await make_sim(dimmer_ramp=10.0)  # 10 % a second: time to stop it
    process = await asyncio.create_subprocess_exec(
        vendor_python,
        str(SESSION),
        "127.0.0.1",
        str(sim.host_port),
        str(TRIES),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _session(sim, process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _session(sim: VBoxSimulator, process: asyncio.subprocess.Process) -> None:
    checks = (await _phase(process, "version"))["checks"]
    passed = sum(1 for check in checks if check.get("supported") and check["version"] == "9.66")
    print(f"vendor version check: {passed} of {len(checks)} passed")  # noqa: T201
    assert passed == TRIES, checks

    connect = await _phase(process, "connect")
    print(f"vendor connect(): {connect['seconds']:.2f} s")  # noqa: T201
    assert connect["polls"] == [True], "its poll of every key waited its timeout out"
    assert connect["seconds"] < VENDOR_POLL_TIMEOUT
    house_keys = sum(len(node.keys) for node in sim.house.nodes)
    assert (connect["keys"], connect["acs"]) == (house_keys, len(sim.house.acs))

    steps = (await _phase(process, "commands"))["steps"]
    assert [step for step in steps if not step["ok"]] == [], steps
    dimmer = next(step for step in steps if step["step"] == "dimmer stays where it stopped")
    node_id, number = dimmer["address"]
    stopped = sim.house.key(node_id, number - 1)
    assert (stopped.target, stopped.level) == (None, dimmer["level"])  # it stands there
    addresses = next(step for step in steps if step["step"] == "addresses")
    button, satellite = addresses["push_button"], addresses["satellite"]
    assert sim.house.key(button[0], button[1] - 1).led
    assert sim.house.key(satellite[0], satellite[1] - 1).led

    await _ready(process)
    await sim.press(button[0], button[1] - 1, "short")
    for press in ("short", "long", "release"):
        await sim.press(satellite[0], satellite[1] - 1, press)
    assert process.stdin is not None
    process.stdin.write(b"pressed\n")
    await process.stdin.drain()
    history = (await _phase(process, "presses"))["history"]
    assert history[f"{button[0]}/{button[1]}"] == [True, False]  # O, then F
    seen = history[f"{satellite[0]}/{satellite[1]}"]
    assert [value for value in seen if value != "Release"] == ["Short", "Long"], seen
    assert seen[-1] == "Release", seen
    assert set(history) == {f"{button[0]}/{button[1]}", f"{satellite[0]}/{satellite[1]}"}

    async with asyncio.timeout(PHASE_TIMEOUT):
        assert await process.wait() == 0
