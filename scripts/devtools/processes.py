"""The vBox simulator and Home Assistant (``hass``) as child processes: start, watch, stop.

Each child runs in a session of its own (Ctrl-C in the terminal reaches only the parent, which
stops them in order) with its output in a log file; on Linux the kernel also sends it SIGTERM
if the parent dies, even by SIGKILL, so that no child outlives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from . import DevelopError, ProcessDiedError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import FrameType

REPO = Path(__file__).resolve().parents[2]
INTEGRATION_DIR = REPO / "custom_components" / "vitrea"
CONFIG_TEMPLATE = REPO / "config" / "configuration.yaml"
HA_CONSOLE_LOG = "home-assistant.console.log"
"""Home Assistant's console output, in its config directory (it writes its own log too)."""
SIM_LOG = "vbox-simulator.log"
"""The simulator's output (the demo keeps it in the config directory)."""
HA_HOST_ENV = "VITREA_DEV_HA_HOST"
HA_PORT_ENV = "VITREA_DEV_HA_PORT"
"""Read by the configuration.yaml files (``!env_var``): where Home Assistant listens."""
RESTART_EXIT_CODE = 100
"""Home Assistant exits with this when asked to restart (Settings -> Restart)."""

_LISTENING = re.compile(
    r"listening on (?P<host>\S+):(?P<port>\d+) \(house: (?P<house>[^)]*)\)"
    r"(?:; control on \S+:(?P<control>\d+))?"
)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM to the child when the thread that started it ends (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _spawn(
    command: Sequence[str], *, log_path: Path, cwd: Path, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """Start a command in its own session, its output in ``log_path`` (started afresh)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - fixed commands, no shell
            list(command),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509 - only a prctl call
        )


def stop_process(
    process: subprocess.Popen[bytes],
    *,
    timeout: float = 60.0,
    force: Callable[[], bool] | None = None,
) -> int:
    """Stop a child (and its process group) with SIGTERM, then SIGKILL; its exit status.

    SIGKILL follows after ``timeout`` seconds, or as soon as ``force()`` is true (e.g. after a
    second Ctrl-C).
    """
    if process.poll() is not None:
        return process.returncode
    _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (force and force()):
        with contextlib.suppress(subprocess.TimeoutExpired):
            return process.wait(timeout=0.2)
    _signal_group(process, signal.SIGKILL)
    return process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(process.pid, signum)  # the group of the session it leads
    except ProcessLookupError:
        return
    except PermissionError:
        process.send_signal(signum)


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


def tail(path: Path | None, lines: int = 25) -> str:
    """The last lines of a log file, or an empty string."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if path else ""
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Simulator:
    """A running vBox simulator."""

    NAME: ClassVar[str] = "the vBox simulator"
    process: subprocess.Popen[bytes]
    host: str
    port: int
    control_port: int | None
    username: str
    password: str
    house: str
    log_path: Path


def start_simulator(  # noqa: PLR0913 - the simulator's command line
    *,
    host: str = "127.0.0.1",
    port: int = 11501,
    control_port: int | None = 11600,
    username: str = "admin",
    password: str = "vitrea",  # noqa: S107 - the simulator's documented demo password
    house: Path | None = None,
    log_path: Path,
    timeout: float = 30.0,
) -> Simulator:
    """Start ``python -m vbox_simulator`` and return once it listens.

    Port 0 (``port`` or ``control_port``) picks a free port: the ports are read from the line
    the simulator prints.

    Raises:
        ProcessDiedError: the simulator exited (bad house file, port in use...).
        DevelopError: it did not report listening within ``timeout`` seconds.

    """
    command = [sys.executable, "-m", "vbox_simulator", f"--host={host}", f"--port={port}"]
    command += [f"--username={username}", f"--password={password}"]
    if control_port is not None:
        command.append(f"--control-port={control_port}")
    if house is not None:
        command.append(f"--house={house.resolve()}")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = _spawn(command, log_path=log_path, cwd=REPO, env=env)
    deadline = time.monotonic() + timeout
    while not (match := _LISTENING.search(log_path.read_text("utf-8", errors="replace"))):
        if process.poll() is not None:
            raise ProcessDiedError(Simulator.NAME, process.returncode, log_path)
        if time.monotonic() > deadline:
            stop_process(process)
            msg = f"{Simulator.NAME} did not start within {timeout:.0f} s; see {log_path}"
            raise DevelopError(msg)
        time.sleep(0.1)
    control_port = int(match["control"]) if match["control"] else None
    host, port = match["host"], int(match["port"])
    return Simulator(
        process, host, port, control_port, username, password, match["house"], log_path
    )


@dataclass
class HomeAssistant:
    """A running Home Assistant."""

    NAME: ClassVar[str] = "Home Assistant"
    process: subprocess.Popen[bytes]
    config_dir: Path
    host: str
    port: int
    log_path: Path
    command: list[str] = field(repr=False)
    env: dict[str, str] = field(repr=False)

    @property
    def url(self) -> str:
        """Where the frontend and the API answer."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    def restart(self) -> None:
        """Start the process again (after it exited to be restarted)."""
        self.process = _spawn(
            self.command, log_path=self.log_path, cwd=self.config_dir, env=self.env
        )


def prepare_config_dir(config_dir: Path, *, template: Path = CONFIG_TEMPLATE) -> None:
    """Give ``config_dir`` a configuration.yaml (a copy of ``template``) and the integration.

    Home Assistant loads custom integrations from ``<config>/custom_components`` only: the
    integration is a symlink there to the sources (``config/`` has it committed).

    Raises:
        DevelopError: ``custom_components/vitrea`` there is not such a link.

    """
    config_dir.mkdir(parents=True, exist_ok=True)
    if not (config_dir / "configuration.yaml").exists():
        shutil.copyfile(template, config_dir / "configuration.yaml")
    link = config_dir / "custom_components" / "vitrea"
    link.parent.mkdir(exist_ok=True)
    if link.is_symlink() and link.resolve() == INTEGRATION_DIR.resolve():
        return
    if link.exists() and not link.is_symlink():
        msg = f"{link} exists and is not a link to {INTEGRATION_DIR}; move it away"
        raise DevelopError(msg)
    link.unlink(missing_ok=True)
    link.symlink_to(INTEGRATION_DIR)


def start_home_assistant(
    config_dir: Path, *, port: int = 8123, host: str = "127.0.0.1", python: str = sys.executable
) -> HomeAssistant:
    """Start ``hass`` (next to ``python``) on ``config_dir``, listening on ``host:port``.

    Returns at once (see ``client.wait_until_up``); the console output goes to
    ``<config>/home-assistant.console.log``.
    """
    config_dir = config_dir.resolve()
    hass = Path(python).parent / "hass"
    entry = [str(hass)] if hass.exists() else [python, "-m", "homeassistant"]
    command = [*entry, "--config", str(config_dir), "--log-no-color"]
    env = {**os.environ, HA_HOST_ENV: host, HA_PORT_ENV: str(port)}
    log_path = config_dir / HA_CONSOLE_LOG
    process = _spawn(command, log_path=log_path, cwd=config_dir, env=env)
    return HomeAssistant(process, config_dir, host, port, log_path, command, env)


def supervise(ha: HomeAssistant, sim: Simulator | None, *, follow: Path | None = None) -> None:
    """Watch both until one exits, restarting Home Assistant when it asks to.

    With ``follow``, what is appended to that file (Home Assistant's log) is copied to the
    standard output.

    Raises:
        ProcessDiedError: one of them exited.

    """
    offset = follow.stat().st_size if follow and follow.exists() else 0
    while True:
        if sim is not None and (code := sim.process.poll()) is not None:
            raise ProcessDiedError(sim.NAME, code, sim.log_path)
        code = ha.process.poll()
        if code == RESTART_EXIT_CODE:
            print("develop: Home Assistant asked to be restarted: starting it again", flush=True)
            ha.restart()
            offset = 0
        elif code is not None:
            raise ProcessDiedError(ha.NAME, code, ha.log_path)
        if follow is not None:
            offset = _copy_new(follow, offset)
        time.sleep(0.5)


def stop_all(children: Sequence[Simulator | HomeAssistant]) -> None:
    """Stop children, the last started first; a second SIGINT or SIGTERM meanwhile kills them."""
    signals: list[int] = []

    def force(signum: int, _frame: FrameType | None) -> None:
        if not signals:
            print("\nA second signal: killing instead of waiting.", flush=True)
        signals.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, force)
    for child in reversed(children):
        if child.process.poll() is None:
            print(f"develop: stopping {child.NAME} (pid {child.process.pid})...", flush=True)
        stop_process(child.process, force=lambda: bool(signals))


def _copy_new(path: Path, offset: int) -> int:
    """Copy what ``path`` holds past ``offset`` (all of it if the file is new) to stdout."""
    try:
        with path.open("rb") as log:
            if log.seek(0, os.SEEK_END) < offset:  # a new file: start over
                offset = 0
            log.seek(offset)
            chunk = log.read()
    except OSError:
        return offset
    sys.stdout.write(chunk.decode("utf-8", errors="replace"))
    sys.stdout.flush()
    return offset + len(chunk)
