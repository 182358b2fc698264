"""The vBox simulator and Home Assistant (``hass``) as child processes: start, watch, stop.

Each child runs in a session of its own (Ctrl-C in the terminal reaches only the parent, which
stops them in order) with its output in a log file; on Linux the kernel also sends it SIGTERM
if the parent dies, even by SIGKILL, so that no child outlives it. Either can be started
again (:meth:`Child.restart`): Home Assistant when it asks to, the simulator when the owner
takes the vBox away and brings it back (:class:`Supervisor`).
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
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

from . import DevelopError, ProcessDiedError, wait_for, wall

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import FrameType

REPO = Path(__file__).resolve().parents[2]
INTEGRATION_DIR = REPO / "custom_components" / "vitrea"
CONFIG_TEMPLATE = REPO / "config" / "configuration.yaml"
UI_FILES = {"automations.yaml": "[]\n", "scripts.yaml": "", "scenes.yaml": ""}
"""What the UI's automation, script and scene editors save, as a fresh install creates them
(``configuration.yaml`` includes them)."""
HA_CONSOLE_LOG = "home-assistant.console.log"
"""Home Assistant's console output, in its config directory (it writes its own log too)."""
SIM_LOG = "vbox-simulator.log"
"""The simulator's output (the demo keeps it in the config directory)."""
HA_HOST_ENV = "VITREA_DEV_HA_HOST"
HA_PORT_ENV = "VITREA_DEV_HA_PORT"
"""Read by the configuration.yaml files (``!env_var``): where Home Assistant listens."""
RESTART_EXIT_CODE = 100
"""Home Assistant exits with this when asked to restart (Settings -> Restart)."""
SIM_START_TIMEOUT = 30.0
"""Seconds for the simulator to say it listens."""

_LISTENING = re.compile(
    r"listening on (?P<host>\S+):(?P<port>\d+) \(house: (?P<house>[^)]*)\)"
    r"(?:; host interface on \S+:(?P<host_port>\d+))?"
    r"(?:; control on \S+:(?P<control>\d+))?"
)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM to the child when the thread that started it ends (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _spawn(
    command: Sequence[str], *, log_path: Path, cwd: Path, env: dict[str, str], append: bool = False
) -> subprocess.Popen[bytes]:
    """Start a command in its own session, its output in ``log_path`` (afresh, or appended)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab" if append else "wb") as log:
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
class Child:
    """A child process of :func:`_spawn`, and how to start it again."""

    NAME: ClassVar[str] = "a child process"
    process: subprocess.Popen[bytes]
    log_path: Path
    command: list[str] = field(repr=False)
    env: dict[str, str] = field(repr=False)
    cwd: Path = field(repr=False)

    @classmethod
    def start(
        cls, command: list[str], *, log_path: Path, cwd: Path, env: dict[str, str], **fields: Any
    ) -> Self:
        """Start ``command`` (see :func:`_spawn`); ``fields`` are the subclass's own."""
        process = _spawn(command, log_path=log_path, cwd=cwd, env=env)
        return cls(process=process, log_path=log_path, command=command, env=env, cwd=cwd, **fields)

    @property
    def running(self) -> bool:
        """Whether the process has not exited."""
        return self.process.poll() is None

    def restart(self) -> None:
        """Start the process again (once it has exited), its output appended to its log."""
        self.process = _spawn(
            self.command, log_path=self.log_path, cwd=self.cwd, env=self.env, append=True
        )


@dataclass
class Simulator(Child):
    """A running vBox simulator."""

    NAME: ClassVar[str] = "the vBox simulator"
    host: str
    port: int
    control_port: int | None
    username: str
    password: str
    house: str
    """What it serves, as it says: ``15 rooms, 36 nodes, 107 keys``."""
    host_port: int | None = None
    """Its host interface's port; ``None`` without one."""

    def restart(self, timeout: float = SIM_START_TIMEOUT) -> None:
        """Start it again, on the same ports, and return once it listens.

        The house is read afresh from its file: keys are as they were at the first start.

        Raises:
            ProcessDiedError: it exited (a port taken meanwhile...).
            DevelopError: it did not say it listens within ``timeout`` seconds.

        """
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        super().restart()
        self._wait_until_listening(offset, timeout)

    def _wait_until_listening(self, offset: int, timeout: float) -> re.Match[str]:
        """The line that says where it listens, once it comes past ``offset`` of the log."""

        def listening() -> re.Match[str] | None:
            if self.process.poll() is not None:
                raise ProcessDiedError(self.NAME, self.process.returncode, self.log_path)
            with self.log_path.open("rb") as log:
                log.seek(offset)
                return _LISTENING.search(log.read().decode("utf-8", errors="replace"))

        try:
            match = wait_for(f"{self.NAME} listening", listening, bool, timeout, interval=0.1)
        except ProcessDiedError:
            raise
        except DevelopError:
            stop_process(self.process)
            msg = f"{self.NAME} did not start within {timeout:.0f} s; see {self.log_path}"
            raise DevelopError(msg) from None
        return cast("re.Match[str]", match)  # what `bool` accepted

    def control(self, line: str) -> dict[str, Any]:
        """One command to its control interface (``scripts/wall``); the answer, which is ok.

        Raises:
            DevelopError: it refused the command, or it has no control port.
            OSError: no answer.

        """
        return wall.control(self.host, self._control_port(), line)

    def key_state(self, node: int, key: int) -> dict[str, Any]:
        """A key as it holds it: ``{node, key, type, name, on, level}`` (raises as ``control``)."""
        return wall.key_state(self.host, self._control_port(), node, key)

    def _control_port(self) -> int:
        if self.control_port is None:
            msg = f"{self.NAME} has no control port"
            raise DevelopError(msg)
        return self.control_port


def _simulator_command(  # noqa: PLR0913 - the simulator's command line
    *,
    host: str,
    port: int,
    control_port: int | None,
    username: str,
    password: str,
    house: Path | None,
    host_port: int | None = None,
) -> list[str]:
    command = [sys.executable, "-m", "vbox_simulator", f"--host={host}", f"--port={port}"]
    if host_port is not None:
        command.append(f"--host-port={host_port}")
    command += [f"--username={username}", f"--password={password}"]
    if control_port is not None:
        command.append(f"--control-port={control_port}")
    if house is not None:
        command.append(f"--house={house}")
    return command


def start_simulator(  # noqa: PLR0913 - the simulator's command line
    *,
    host: str = "127.0.0.1",
    port: int = 11501,
    control_port: int | None = 11600,
    username: str = "admin",
    password: str = "vitrea",  # noqa: S107 - the simulator's documented demo password
    house: Path | None = None,
    host_port: int | None = None,
    log_path: Path,
    timeout: float = SIM_START_TIMEOUT,
) -> Simulator:
    """Start ``python -m vbox_simulator`` and return once it listens.

    Port 0 (``port`` or ``control_port``) picks a free port: the ports are read from the line
    the simulator prints, and a restart asks for the same ones again.

    Raises:
        ProcessDiedError: the simulator exited (bad house file, port in use...).
        DevelopError: it did not report listening within ``timeout`` seconds.

    """
    house = house.resolve() if house is not None else None
    command = _simulator_command(
        host=host,
        port=port,
        control_port=control_port,
        house=house,
        host_port=host_port,
        username=username,
        password=password,
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    sim = Simulator.start(
        command,
        log_path=log_path,
        cwd=REPO,
        env=env,
        host=host,
        port=port,
        control_port=control_port,
        house="",
        username=username,
        password=password,
    )
    match = sim._wait_until_listening(0, timeout)  # noqa: SLF001 - its own class, being made
    sim.host, sim.port, sim.house = match["host"], int(match["port"]), match["house"]
    sim.control_port = int(match["control"]) if match["control"] else None
    sim.host_port = int(match["host_port"]) if match["host_port"] else None
    sim.command = _simulator_command(
        host=sim.host,
        port=sim.port,
        control_port=sim.control_port,
        house=house,
        host_port=sim.host_port,
        username=username,
        password=password,
    )
    return sim


@dataclass
class HomeAssistant(Child):
    """A running Home Assistant."""

    NAME: ClassVar[str] = "Home Assistant"
    config_dir: Path
    host: str
    port: int

    @property
    def url(self) -> str:
        """Where the frontend and the API answer."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"


def prepare_config_dir(config_dir: Path, *, template: Path = CONFIG_TEMPLATE) -> None:
    """Give ``config_dir`` a configuration.yaml, the UI's files and the integration.

    Each only if missing: configuration.yaml is a copy of ``template``; the files the UI saves
    automations, scripts and scenes in (:data:`UI_FILES`) start empty. Home Assistant loads
    custom integrations from ``<config>/custom_components`` only: the integration is a symlink
    there to the sources (``config/`` has it committed).

    Raises:
        DevelopError: ``custom_components/vitrea`` there is not such a link.

    """
    config_dir.mkdir(parents=True, exist_ok=True)
    if not (config_dir / "configuration.yaml").exists():
        shutil.copyfile(template, config_dir / "configuration.yaml")
    for name, empty in UI_FILES.items():
        if not (config_dir / name).exists():
            (config_dir / name).write_text(empty, encoding="utf-8")
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
    return HomeAssistant.start(
        command,
        log_path=config_dir / HA_CONSOLE_LOG,
        cwd=config_dir,
        env=env,
        config_dir=config_dir,
        host=host,
        port=port,
    )


def _say(text: str) -> None:
    print(f"develop: {text}", flush=True)


class SignalFlag:
    """Notes that a signal came, instead of its default action, until :meth:`take`."""

    def __init__(self, signum: int) -> None:
        """Catch ``signum`` from now on."""
        self.signum = signum
        self._came = False
        signal.signal(signum, self._note)

    def _note(self, _signum: int, _frame: FrameType | None) -> None:
        self._came = True

    def take(self) -> bool:
        """Whether the signal came since the last call."""
        came, self._came = self._came, False
        return came


class Supervisor:
    """Watches Home Assistant and the simulator: the demo lasts as long as Home Assistant.

    Home Assistant is started again when it asks to (Settings -> Restart). The simulator may
    stop while Home Assistant runs on, as a vBox may go away: whenever ``switch()`` is true
    (scripts/develop: a SIGUSR1 came) it is stopped if it runs, else started again. ``how``
    names the way to ask for that, in what is printed. With ``follow``, what is appended to
    that file (Home Assistant's log) is copied to the standard output.
    """

    def __init__(
        self,
        ha: HomeAssistant,
        sim: Simulator | None,
        *,
        switch: Callable[[], bool] = lambda: False,
        how: str = "",
        follow: Path | None = None,
    ) -> None:
        """Watch ``ha`` and ``sim`` (``None``: a real vBox) from now on."""
        self.ha = ha
        self.sim = sim
        self.switch = switch
        self.how = how
        self.follow = follow
        self._offset = follow.stat().st_size if follow and follow.exists() else 0
        self._sim_running = sim is not None and sim.running

    def run(self, interval: float = 0.5) -> None:
        """:meth:`check` every ``interval`` seconds, until it raises."""
        while True:
            self.check()
            time.sleep(interval)

    def check(self) -> None:
        """Look at both once: act on ``switch()``, report what stopped, restart what asks to.

        Raises:
            ProcessDiedError: Home Assistant exited (and did not ask to be restarted).

        """
        if self.sim is not None:
            self._check_simulator(self.sim)
        code = self.ha.process.poll()
        if code == RESTART_EXIT_CODE:
            _say("Home Assistant asked to be restarted: starting it again")
            self.ha.restart()
            self._offset = 0
        elif code is not None:
            raise ProcessDiedError(self.ha.NAME, code, self.ha.log_path)
        if self.follow is not None:
            self._offset = _copy_new(self.follow, self._offset)

    def _check_simulator(self, sim: Simulator) -> None:
        again = f"; {self.how} starts it again" if self.how else ""
        if self.switch():
            if sim.running:
                _say(f"stopping {sim.NAME} (pid {sim.process.pid}): the vBox is away{again}")
                stop_process(sim.process)
            else:
                self._restart_simulator(sim)
        elif self._sim_running and not sim.running:
            _say(
                f"{sim.NAME} exited with code {sim.process.returncode}; Home Assistant runs on "
                f"without it{again} (its output: {sim.log_path})"
            )
        self._sim_running = sim.running

    def _restart_simulator(self, sim: Simulator) -> None:
        _say(f"starting {sim.NAME} again on {sim.host}:{sim.port}...")
        try:
            sim.restart()
        except DevelopError as err:
            tries = f"; {self.how} tries again" if self.how else ""
            _say(f"{sim.NAME} did not start: {err}{tries}")
            return
        _say(
            f"{sim.NAME} is back (pid {sim.process.pid}): Home Assistant reconnects by itself "
            "(within a few seconds)"
        )


def stop_all(children: Sequence[Child]) -> None:
    """Stop children, the last started first; a second SIGINT or SIGTERM meanwhile kills them."""
    signals: list[int] = []

    def force(signum: int, _frame: FrameType | None) -> None:
        if not signals:
            print("\nA second signal: killing instead of waiting.", flush=True)
        signals.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, force)
    for child in reversed(children):
        if child.running:
            _say(f"stopping {child.NAME} (pid {child.process.pid})...")
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
