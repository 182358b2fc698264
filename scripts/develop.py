"""Home Assistant with the Vitrea integration on the simulated demo house, in one command.

Run through ``scripts/develop``, which runs ``scripts/setup`` first::

    scripts/develop                          # simulator + Home Assistant on http://127.0.0.1:8123
    scripts/develop --language he            # Hebrew user interface (set at the first start)
    scripts/develop --vbox 192.168.1.23:11501 --username admin --password secret

The first start onboards Home Assistant over REST (user ``demo``, password ``demo``) and adds
the Vitrea entry through the config flow; later starts reuse what ``config/.storage`` holds.
Ctrl-C (or SIGTERM) stops Home Assistant, then the simulator. If either dies, the other is
stopped and the exit status is 1.

The pieces are meant for reuse, e.g. by an end-to-end browser test that runs everything in a
temporary config directory on free ports::

    config = tmp_path / "config"
    prepare_config_dir(config)
    sim = start_simulator(port=0, control_port=0, log_path=tmp_path / "sim.log")
    ha = start_home_assistant(config, port=free_port())
    url = ha.url
    wait_until_up(url, process=ha.process)
    tokens = onboard(url, "demo", "demo")
    entry = add_vitrea_entry(url, tokens.access_token, sim.host, sim.port, "admin", "vitrea")
    wait_for_entry(url, tokens.access_token, entry["entry_id"])
    ...
    stop_process(ha.process)
    stop_process(sim.process)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from types import FrameType

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = REPO / "config"
INTEGRATION_DIR = REPO / "custom_components" / "vitrea"
CONFIG_TEMPLATE = DEFAULT_CONFIG_DIR / "configuration.yaml"

DOMAIN = "vitrea"
DEFAULT_HA_HOST = "127.0.0.1"
DEFAULT_HA_PORT = 8123
DEFAULT_SIM_HOST = "127.0.0.1"
DEFAULT_SIM_PORT = 11501
DEFAULT_CONTROL_PORT = 11600
DEFAULT_VBOX_USERNAME = "admin"
DEFAULT_VBOX_PASSWORD = "vitrea"  # noqa: S105 - the simulator's documented demo password
DEFAULT_HA_USERNAME = "demo"
DEFAULT_HA_PASSWORD = "demo"  # noqa: S105 - the demo's documented password
DEFAULT_HA_NAME = "Demo"
DEFAULT_LANGUAGE = "en"

HA_HOST_ENV = "VITREA_DEV_HA_HOST"
"""Read by config/configuration.yaml (``!env_var``): the address Home Assistant binds."""
HA_PORT_ENV = "VITREA_DEV_HA_PORT"
"""Read by config/configuration.yaml (``!env_var``): the port Home Assistant listens on."""

HA_CONSOLE_LOG = "home-assistant.console.log"
"""Home Assistant's console output, in its config directory (it writes its own log too)."""
SIM_LOG = "vbox-simulator.log"
"""The simulator's output, in the config directory."""
RESTART_EXIT_CODE = 100
"""Home Assistant exits with this when asked to restart (Settings -> Restart)."""
HA_NAME = "Home Assistant"
SIM_NAME = "the vBox simulator"
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
ONBOARDING_USER_TIMEOUT = 600.0
"""Seconds for the onboarding's user step to answer (see :func:`onboard`)."""

_LISTENING = re.compile(
    r"listening on (?P<host>\S+):(?P<port>\d+) \(house: (?P<house>[^)]*)\)"
    r"(?:; control on \S+:(?P<control>\d+))?"
)
# Requests to 127.0.0.1 must never go through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class DevelopError(Exception):
    """Something the demo needs did not work; the message says what."""


class ProcessDiedError(DevelopError):
    """A child process exited while it should be running."""

    def __init__(self, name: str, returncode: int, log_path: Path | None) -> None:
        """Remember which process died, how, and where its output is."""
        where = f"; its output is in {log_path}" if log_path else ""
        super().__init__(f"{name} exited with code {returncode}{where}")
        self.name = name
        self.returncode = returncode
        self.log_path = log_path


class InterruptedByError(Exception):
    """SIGINT or SIGTERM arrived."""

    def __init__(self, signum: int) -> None:
        """Remember the signal."""
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# -- processes -----------------------------------------------------------------------------


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: have the kernel send SIGTERM to the child if this script dies (even by SIGKILL)."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _spawn(
    command: Sequence[str],
    *,
    log_path: Path,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    die_with_parent: bool = True,
) -> subprocess.Popen[bytes]:
    """Start a command in its own session (Ctrl-C in the terminal does not reach it).

    Its standard output and error go to ``log_path``; this script stops it itself, in order.
    With ``die_with_parent`` (Linux), the kernel sends it SIGTERM when the *thread* that started
    it ends: start it from the main thread, or pass False and stop it yourself.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - fixed commands, no shell
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if die_with_parent and sys.platform == "linux" else None,  # noqa: PLW1509 - only a prctl call
        )


def stop_process(
    process: subprocess.Popen[bytes],
    *,
    timeout: float = 60.0,
    force: Callable[[], bool] | None = None,
) -> int:
    """Stop a process started here (and its process group) with SIGTERM, then SIGKILL.

    SIGKILL follows after ``timeout`` seconds, or as soon as ``force()`` returns true (e.g. a
    second Ctrl-C). Returns the exit status.
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
    if path is None:
        return ""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


# -- the simulator ---------------------------------------------------------------------------


@dataclass
class Simulator:
    """A running vBox simulator."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    control_port: int | None
    username: str
    password: str
    house: str
    log_path: Path


def start_simulator(  # noqa: PLR0913 - every option of the simulator's command line
    *,
    host: str = DEFAULT_SIM_HOST,
    port: int = DEFAULT_SIM_PORT,
    control_port: int | None = DEFAULT_CONTROL_PORT,
    username: str = DEFAULT_VBOX_USERNAME,
    password: str = DEFAULT_VBOX_PASSWORD,
    house: Path | None = None,
    log_path: Path,
    python: str = sys.executable,
    timeout: float = 30.0,
    die_with_parent: bool = True,
) -> Simulator:
    """Start ``python -m vbox_simulator`` and return once it listens.

    Port 0 (for ``port`` or ``control_port``) picks a free port; the actual ports are read from
    the line the simulator prints.

    Raises:
        ProcessDiedError: the simulator exited (bad house file, port in use...).
        DevelopError: it did not report listening within ``timeout`` seconds.

    """
    command = [
        python,
        "-m",
        "vbox_simulator",
        f"--host={host}",
        f"--port={port}",
        f"--username={username}",
        f"--password={password}",
    ]
    if control_port is not None:
        command.append(f"--control-port={control_port}")
    if house is not None:
        command.append(f"--house={house.resolve()}")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = _spawn(command, log_path=log_path, cwd=REPO, env=env, die_with_parent=die_with_parent)
    deadline = time.monotonic() + timeout
    while True:
        match = _LISTENING.search(log_path.read_text(encoding="utf-8", errors="replace"))
        if match:
            return Simulator(
                process=process,
                host=match["host"],
                port=int(match["port"]),
                control_port=int(match["control"]) if match["control"] else None,
                username=username,
                password=password,
                house=match["house"],
                log_path=log_path,
            )
        if process.poll() is not None:
            raise ProcessDiedError(SIM_NAME, process.returncode, log_path)
        if time.monotonic() > deadline:
            stop_process(process)
            msg = f"the vBox simulator did not start within {timeout:.0f} s; see {log_path}"
            raise DevelopError(msg)
        time.sleep(0.1)


# -- Home Assistant --------------------------------------------------------------------------


@dataclass
class HomeAssistant:
    """A running Home Assistant."""

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
    """Give ``config_dir`` a configuration.yaml (copied from ``template``) and the integration.

    Home Assistant loads custom integrations from ``<config>/custom_components`` only, so the
    integration is a symlink there to the sources (committed as such in ``config/``; re-created
    if a checkout turned it into a plain file).

    Raises:
        DevelopError: ``custom_components/vitrea`` there is a real directory or file.

    """
    config_dir.mkdir(parents=True, exist_ok=True)
    configuration = config_dir / "configuration.yaml"
    if not configuration.exists():
        shutil.copyfile(template, configuration)
    link = config_dir / "custom_components" / DOMAIN
    link.parent.mkdir(exist_ok=True)
    if link.is_symlink():
        if link.resolve() == INTEGRATION_DIR.resolve():
            return
        link.unlink()
    elif link.is_file() and link.stat().st_size < 256:  # a symlink checked out as text
        link.unlink()
    elif link.exists():
        msg = f"{link} exists and is not a link to {INTEGRATION_DIR}; move it away"
        raise DevelopError(msg)
    try:
        target = INTEGRATION_DIR.relative_to(config_dir.resolve().parent)
        link.symlink_to(Path("..") / ".." / target)
    except ValueError:  # the config directory is not inside the repository
        link.symlink_to(INTEGRATION_DIR)


def start_home_assistant(  # noqa: PLR0913
    config_dir: Path,
    *,
    port: int = DEFAULT_HA_PORT,
    host: str = DEFAULT_HA_HOST,
    log_path: Path | None = None,
    python: str = sys.executable,
    extra_args: Sequence[str] = (),
    die_with_parent: bool = True,
) -> HomeAssistant:
    """Start ``hass -c config_dir``; it binds ``host:port`` through the yaml's ``!env_var``.

    Returns at once: see :func:`wait_until_up`. The console output goes to
    ``<config>/home-assistant.console.log`` unless ``log_path`` says otherwise.
    """
    config_dir = config_dir.resolve()
    hass = Path(python).parent / "hass"
    entry = [str(hass)] if hass.exists() else [python, "-m", "homeassistant"]
    command = [*entry, "--config", str(config_dir), "--log-no-color", *extra_args]
    env = {**os.environ, HA_HOST_ENV: host, HA_PORT_ENV: str(port)}
    log_path = log_path or config_dir / HA_CONSOLE_LOG
    process = _spawn(
        command, log_path=log_path, cwd=config_dir, env=env, die_with_parent=die_with_parent
    )
    return HomeAssistant(process, config_dir, host, port, log_path, command, env)


# -- HTTP --------------------------------------------------------------------------------------


class HttpError(DevelopError):
    """Home Assistant answered with an unexpected status."""

    def __init__(self, method: str, url: str, status: int, body: Any) -> None:
        """Remember the answer."""
        super().__init__(f"{method} {url}: HTTP {status}: {body}")
        self.status = status
        self.body = body


def request(  # noqa: PLR0913
    method: str,
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    expect: Iterable[int] | None = (200,),
) -> tuple[int, Any]:
    """One HTTP request; the status and the decoded JSON (or text) of the answer.

    Raises:
        HttpError: the status is not in ``expect`` (``None``: accept any).
        OSError: no answer (connection refused, timeout).

    """
    if not url.startswith(("http://", "https://")):
        msg = f"not an HTTP URL: {url}"
        raise ValueError(msg)
    headers = {"Accept": "application/json"}
    data: bytes | None = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - checked above
    try:
        with _OPENER.open(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    body: Any
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode(errors="replace")
    if expect is not None and status not in expect:
        raise HttpError(method, url, status, body)
    return status, body


def wait_until_up(
    url: str,
    *,
    timeout: float = 300.0,
    process: subprocess.Popen[bytes] | None = None,
    log_path: Path | None = None,
) -> float:
    """Wait until Home Assistant's HTTP server answers; the seconds it took.

    Raises:
        ProcessDiedError: ``process`` exited meanwhile.
        DevelopError: no answer within ``timeout`` seconds.

    """
    start = time.monotonic()
    while True:
        with contextlib.suppress(OSError):
            # Not /api/: a request without a token counts as a failed login (a notification).
            request("GET", f"{url}/manifest.json", timeout=5, expect=None)
            return time.monotonic() - start
        if process is not None and process.poll() is not None:
            raise ProcessDiedError(HA_NAME, process.returncode, log_path)
        if time.monotonic() - start > timeout:
            msg = f"Home Assistant did not answer on {url} within {timeout:.0f} s"
            raise DevelopError(msg)
        time.sleep(0.5)


# -- onboarding and login ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    """What ``/auth/token`` returned, and for which client."""

    url: str
    client_id: str
    access_token: str
    refresh_token: str
    expires_in: int
    obtained: float = field(default_factory=time.time)

    def frontend_storage(self) -> dict[str, Any]:
        """The value the frontend keeps in ``localStorage['hassTokens']`` (skips its login)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "token_type": "Bearer",
            "hassUrl": self.url,
            "clientId": self.client_id,
            "expires": int((self.obtained + self.expires_in) * 1000),
        }


def _client_id(url: str) -> str:
    return f"{url}/"


def _exchange_code(url: str, code: str) -> Tokens:
    client_id = _client_id(url)
    _, body = request(
        "POST",
        f"{url}/auth/token",
        form={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    )
    return Tokens(
        url=url,
        client_id=client_id,
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        expires_in=int(body["expires_in"]),
    )


def login(url: str, username: str, password: str) -> Tokens:
    """Log in as the login page does (``/auth/login_flow``) and fetch tokens.

    Raises:
        DevelopError: the credentials were refused.

    """
    client_id = _client_id(url)
    _, flow = request(
        "POST",
        f"{url}/auth/login_flow",
        json_body={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{url}/?auth_callback=1",
        },
    )
    _, result = request(
        "POST",
        f"{url}/auth/login_flow/{flow['flow_id']}",
        json_body={"username": username, "password": password, "client_id": client_id},
    )
    if result.get("type") != "create_entry":
        msg = f"Home Assistant refused the login of {username!r}: {result.get('errors')}"
        raise DevelopError(msg)
    return _exchange_code(url, result["result"])


def revoke(tokens: Tokens) -> None:
    """Revoke the refresh token (and so its access tokens), e.g. once a script is done."""
    request("POST", f"{tokens.url}/auth/revoke", form={"token": tokens.refresh_token}, expect=None)


def onboarding_done(url: str) -> set[str]:
    """The onboarding steps done (all of them once onboarding is over)."""
    status, steps = request("GET", f"{url}/api/onboarding", expect=(200, 404))
    if status == 404:  # the onboarding views are gone once every step is done
        return set(ONBOARDING_STEPS)
    return {step["step"] for step in steps if step["done"]}


def onboard(  # noqa: PLR0913
    url: str,
    username: str = DEFAULT_HA_USERNAME,
    password: str = DEFAULT_HA_PASSWORD,
    *,
    name: str = DEFAULT_HA_NAME,
    language: str = DEFAULT_LANGUAGE,
    steps: Iterable[str] = ONBOARDING_STEPS,
) -> Tokens:
    """Do whatever onboarding steps remain, as the onboarding pages would, and log in.

    The user step creates the owner ``username``; ``language`` names the default areas and
    becomes the system's and the user's language. On an onboarded instance this only logs in.
    Only the ``steps`` named are done (the user step always is): e.g. without ``core_config``,
    which also adds integrations that need the internet (weather, radio, text-to-speech).
    """
    done = onboarding_done(url) | (set(ONBOARDING_STEPS) - {"user", *steps})
    if "user" in done:
        tokens = login(url, username, password)
    else:
        _, body = request(
            "POST",
            f"{url}/api/onboarding/users",
            json_body={
                "client_id": _client_id(url),
                "name": name,
                "username": username,
                "password": password,
                "language": language,
            },
            # It waits for the person integration: at the first start in a new venv, that is
            # after Home Assistant has installed its packages (a minute or more).
            timeout=ONBOARDING_USER_TIMEOUT,
        )
        tokens = _exchange_code(url, body["auth_code"])
        set_language(url, tokens.access_token, language)
    if "core_config" not in done:
        request("POST", f"{url}/api/onboarding/core_config", token=tokens.access_token)
    if "analytics" not in done:
        request("POST", f"{url}/api/onboarding/analytics", token=tokens.access_token)
    if "integration" not in done:
        request(
            "POST",
            f"{url}/api/onboarding/integration",
            token=tokens.access_token,
            json_body={"client_id": tokens.client_id, "redirect_uri": f"{url}/?auth_callback=1"},
        )
    confirm_http_config(url, tokens.access_token)
    return tokens


def confirm_http_config(url: str, token: str) -> None:
    """Confirm the HTTP settings (host and port) as an owner confirms them in the dialog.

    From 2026.10 Home Assistant moves ``http:`` of the yaml into its storage as a trial and
    reverts it (restarting) after five minutes unless it is confirmed; until then the UI
    shows a dialog over every page. 2025.4 has no such step. This goes when the oldest
    supported release has it.
    """
    try:
        websocket_commands(url, token, [{"type": "http/config/promote"}])
    except DevelopError as err:
        # unknown_command: a release without the step; not_allowed: nothing to confirm.
        if "unknown_command" not in str(err) and "not_allowed" not in str(err):
            raise


async def async_websocket_commands(
    url: str, token: str, commands: Sequence[Mapping[str, Any]]
) -> list[Any]:
    """Send commands over Home Assistant's WebSocket API; their results.

    Raises:
        DevelopError: authentication or a command failed.

    """
    results: list[Any] = []
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"ws{url.removeprefix('http')}/api/websocket") as ws,
    ):
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": token})
        if (answer := await ws.receive_json())["type"] != "auth_ok":
            msg = f"WebSocket authentication failed: {answer}"
            raise DevelopError(msg)
        for message_id, command in enumerate(commands, start=1):
            await ws.send_json({"id": message_id, **command})
            answer = await ws.receive_json()
            while answer.get("id") != message_id or answer.get("type") != "result":
                answer = await ws.receive_json()
            if not answer["success"]:
                msg = f"{command['type']} failed: {answer.get('error')}"
                raise DevelopError(msg)
            results.append(answer.get("result"))
    return results


def websocket_commands(url: str, token: str, commands: Sequence[Mapping[str, Any]]) -> list[Any]:
    """:func:`async_websocket_commands` for code without an event loop."""
    return asyncio.run(async_websocket_commands(url, token, commands))


def set_language(url: str, token: str, language: str) -> None:
    """Make ``language`` the system's language and the user's (the frontend's) language."""
    websocket_commands(
        url,
        token,
        [
            {"type": "config/core/update", "language": language},
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": {
                    "language": language,
                    "number_format": "language",
                    "time_format": "language",
                    "date_format": "language",
                    "time_zone": "local",
                    "first_weekday": "language",
                },
            },
        ],
    )


# -- the Vitrea entry --------------------------------------------------------------------------


def vitrea_entries(url: str, token: str) -> list[dict[str, Any]]:
    """The Vitrea config entries, as the integrations page lists them."""
    _, entries = request(
        "GET", f"{url}/api/config/config_entries/entry?domain={DOMAIN}", token=token
    )
    return [entry for entry in entries if entry["domain"] == DOMAIN]


def add_vitrea_entry(  # noqa: PLR0913, PLR0917 - the flow's four fields
    url: str,
    token: str,
    host: str,
    port: int,
    username: str,
    password: str,
    *,
    timeout: float = 300.0,
) -> dict[str, Any]:
    """Add a Vitrea entry through the config flow, as the "Add integration" dialog does.

    Returns the new entry (``entry_id``, ``title``, ``state``...). Home Assistant answers the
    last step once the entry has been set up, which includes reading the whole house.

    Raises:
        DevelopError: the flow showed an error or aborted (e.g. ``already_configured``).

    """
    _, form = request(
        "POST",
        f"{url}/api/config/config_entries/flow",
        token=token,
        json_body={"handler": DOMAIN},
    )
    flow_url = f"{url}/api/config/config_entries/flow/{form['flow_id']}"
    _, result = request(
        "POST",
        flow_url,
        token=token,
        json_body={"host": host, "port": port, "username": username, "password": password},
        timeout=timeout,
    )
    if result["type"] == "create_entry":
        entry: dict[str, Any] = result["result"]
        return entry
    if result["type"] == "form":
        request("DELETE", flow_url, token=token, expect=None)
        msg = f"the Vitrea config flow refused {host}:{port}: {result.get('errors')}"
    else:
        msg = f"the Vitrea config flow ended with {result['type']}: {result.get('reason')}"
    raise DevelopError(msg)


def wait_for_entry(  # noqa: PLR0913
    url: str,
    token: str,
    entry_id: str,
    *,
    timeout: float = 300.0,
    retry_timeout: float = 60.0,
    process: subprocess.Popen[bytes] | None = None,
) -> dict[str, Any]:
    """Wait until the entry is loaded; the entry.

    Raises:
        DevelopError: it failed to set up, was removed, or is not loaded within ``timeout``
            (``retry_timeout`` if it is waiting to retry its setup: the vBox is unreachable).
        ProcessDiedError: ``process`` exited meanwhile.

    """
    start = time.monotonic()
    deadline = start + timeout
    while True:
        entries = {entry["entry_id"]: entry for entry in vitrea_entries(url, token)}
        entry = entries.get(entry_id)
        if entry is None:
            msg = f"the Vitrea entry {entry_id} is gone"
            raise DevelopError(msg)
        if entry["state"] == "loaded":
            return entry
        if entry["state"] in ("setup_error", "migration_error", "failed_unload"):
            msg = f"the Vitrea entry failed: {entry['state']} {entry.get('reason') or ''}"
            raise DevelopError(msg)
        if process is not None and process.poll() is not None:
            raise ProcessDiedError(HA_NAME, process.returncode, None)
        now = time.monotonic()
        if now > deadline or (entry["state"] == "setup_retry" and now - start > retry_timeout):
            msg = f"the Vitrea entry is still {entry['state']} after {now - start:.0f} s"
            if entry.get("reason"):
                msg += f" ({entry['reason']})"
            raise DevelopError(msg)
        time.sleep(0.5)


def set_entry_options(url: str, token: str, entry_id: str, options: Mapping[str, Any]) -> None:
    """Change an entry's options through its options flow (the entry reloads).

    Raises:
        DevelopError: the options flow did not accept them.

    """
    _, form = request(
        "POST",
        f"{url}/api/config/config_entries/options/flow",
        token=token,
        json_body={"handler": entry_id},
    )
    defaults = {
        field["name"]: field["default"]
        for field in form.get("data_schema", [])
        if "default" in field
    }
    _, result = request(
        "POST",
        f"{url}/api/config/config_entries/options/flow/{form['flow_id']}",
        token=token,
        json_body={**defaults, **options},
    )
    if result["type"] != "create_entry":
        msg = f"the options flow refused {dict(options)}: {result.get('errors')}"
        raise DevelopError(msg)


def vitrea_entities(url: str, token: str) -> list[str]:
    """The entity IDs of the Vitrea integration."""
    _, text = request(
        "POST",
        f"{url}/api/template",
        token=token,
        json_body={"template": "{{ integration_entities('vitrea') | join(' ') }}"},
    )
    return str(text).split()


# -- the command -------------------------------------------------------------------------------


class _Signals:
    """SIGINT/SIGTERM: the first one interrupts, the next ones (while stopping) force."""

    def __init__(self) -> None:
        self.count = 0
        self.stopping = False

    def install(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.count += 1
        if not self.stopping:
            raise InterruptedByError(signum)
        if self.count == 2:  # the second signal
            print("\nA second signal: killing instead of waiting.", flush=True)

    def force(self) -> bool:
        return self.count > 1


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        return text, DEFAULT_SIM_PORT
    try:
        return host, int(port)
    except ValueError:
        msg = f"expected HOST:PORT, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line of ``scripts/develop``."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description=(
            "Start the vBox simulator with the demo house and Home Assistant with the Vitrea "
            "integration on it; onboard Home Assistant and add the entry on the first run."
        ),
    )
    ha = parser.add_argument_group("Home Assistant")
    ha.add_argument("--config", type=Path, default=DEFAULT_CONFIG_DIR, help="config directory")
    ha.add_argument("--port", type=int, default=DEFAULT_HA_PORT, help="HTTP port (8123)")
    ha.add_argument(
        "--listen", default=DEFAULT_HA_HOST, help="address to bind (127.0.0.1; 0.0.0.0 for all)"
    )
    ha.add_argument("--ha-username", default=DEFAULT_HA_USERNAME, help="owner login (demo)")
    ha.add_argument("--ha-password", default=DEFAULT_HA_PASSWORD, help="owner password (demo)")
    ha.add_argument(
        "--language",
        help="UI language, e.g. en or he: set at onboarding (default en), or changed later",
    )
    ha.add_argument(
        "--request-gap",
        type=float,
        help="set the entry's request_gap option (seconds between requests to the vBox)",
    )
    ha.add_argument(
        "--follow", action="store_true", help="show Home Assistant's log here once started"
    )
    ha.add_argument(
        "--start-timeout",
        type=float,
        default=600.0,
        help="seconds to wait for Home Assistant (the first start installs the frontend)",
    )
    vbox = parser.add_argument_group("vBox")
    vbox.add_argument(
        "--vbox",
        type=_host_port,
        metavar="HOST:PORT",
        help="use this real vBox instead of starting the simulator",
    )
    vbox.add_argument("--username", default=DEFAULT_VBOX_USERNAME, help="vBox login (admin)")
    vbox.add_argument("--password", default=DEFAULT_VBOX_PASSWORD, help="vBox password (vitrea)")
    vbox.add_argument("--sim-port", type=int, default=DEFAULT_SIM_PORT, help="simulator port")
    vbox.add_argument(
        "--control-port", type=int, default=DEFAULT_CONTROL_PORT, help="simulator control port"
    )
    vbox.add_argument("--house", type=Path, help="house JSON for the simulator (demo house)")
    return parser.parse_args(argv)


def _say(text: str) -> None:
    print(f"develop: {text}", flush=True)


def _display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


def lock_config_dir(config_dir: Path) -> IO[bytes]:
    """Hold ``<config>/.develop.lock`` while the returned file is open.

    Raises:
        DevelopError: another scripts/develop holds it (it runs on the same config directory).

    """
    lock = (config_dir / ".develop.lock").open("wb")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        msg = f"another scripts/develop is running on {_display(config_dir)}"
        raise DevelopError(msg) from None
    return lock


def _check_ports(args: argparse.Namespace) -> None:
    wanted = [(args.listen, args.port, "Home Assistant (--port)")]
    if args.vbox is None:
        wanted.append((DEFAULT_SIM_HOST, args.sim_port, "the simulator (--sim-port)"))
        wanted.append((DEFAULT_SIM_HOST, args.control_port, "the control port (--control-port)"))
    busy = [
        f"{host}:{port} for {what}" for host, port, what in wanted if not port_is_free(host, port)
    ]
    if busy:
        msg = "already in use: " + ", ".join(busy) + " (is scripts/develop running already?)"
        raise DevelopError(msg)


def _ensure_entry(
    args: argparse.Namespace, url: str, token: str, vbox: tuple[str, int]
) -> tuple[dict[str, Any], bool]:
    """The Vitrea entry (added now if there is none) and whether it was added now."""
    host, port = vbox
    entries = vitrea_entries(url, token)
    if not entries:
        _say(f"adding the Vitrea entry for {host}:{port} (reads the whole house)...")
        entry = add_vitrea_entry(url, token, host, port, args.username, args.password)
        return entry, True
    entry = entries[0]
    _say(f"reusing the Vitrea entry {entry['title']!r}")
    if len(entries) > 1:
        _say(f"note: there are {len(entries)} Vitrea entries; watching the first")
    return entry, False


def stored_entry_data(config_dir: Path, entry_id: str) -> dict[str, Any] | None:
    """An entry's data as Home Assistant stored it (the REST API never shows entry data)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        stored = json.loads((config_dir / ".storage" / "core.config_entries").read_text("utf-8"))
        for entry in stored["data"]["entries"]:
            if entry["entry_id"] == entry_id:
                data: dict[str, Any] = entry["data"]
                return data
    return None


def _wall_examples(control_port: int, *, demo_house: bool) -> list[str]:
    """Commands that act at the walls of the simulated house, with what they do."""
    wall = "scripts/wall"
    if control_port != DEFAULT_CONTROL_PORT:
        wall += f" --port {control_port}"
    examples = (
        [
            ("press 1 0 short", "entrance light: a short press toggles it"),
            ("press 1 4 short", "the doorbell push button (an event entity)"),
            ("set 3 0 40", "living-room main dimmer to 40 %"),
            ("set 3 0 off", ""),
        ]
        if demo_house
        else [
            ("press NODE KEY short", "also long, release"),
            ("set NODE KEY on", "also off, or a level 0-100"),
        ]
    )
    examples.append(("state", "every key, as JSON"))
    width = max(len(command) for command, _ in examples)
    lines = [
        f"    {wall} {command:<{width}}  # {comment}".rstrip(" #") for command, comment in examples
    ]
    lines.append(f"    (or .venv/bin/python -m vbox_simulator.control --port {control_port} ...)")
    return lines


def _banner(  # noqa: PLR0913
    args: argparse.Namespace,
    *,
    ha: HomeAssistant,
    sim: Simulator | None,
    vbox: tuple[str, int],
    entry: dict[str, Any] | None,
    entities: list[str],
    seconds: float,
) -> str:
    config = _display(ha.config_dir)
    lines = [
        "",
        "=" * 78,
        f"  Home Assistant   {ha.url}   (ready after {seconds:.0f} s)",
        f"  Log in as        {args.ha_username} / {args.ha_password}",
    ]
    if entry is not None:
        counts = Counter(entity.split(".", 1)[0] for entity in entities)
        summary = ", ".join(f"{count} {domain}" for domain, count in sorted(counts.items()))
        lines.append(f"  Vitrea entry     {entry['title']}: {entry['state']}")
        lines.append(f"                   {len(entities)} entities ({summary})")
    else:
        lines.append("  Vitrea entry     not loaded (see the log)")
    if sim is not None:
        lines += [
            f"  vBox simulator   {sim.host}:{sim.port}, login {sim.username} / {sim.password}",
            f"                   house: {sim.house}",
        ]
        if sim.control_port is not None:
            lines.append(
                f"  Wall control     {sim.host}:{sim.control_port}; from a second terminal:"
            )
            lines += _wall_examples(sim.control_port, demo_house=args.house is None)
    else:
        lines.append(
            f"  vBox             {vbox[0]}:{vbox[1]} (given with --vbox; no simulator started)"
        )
    logs = f"{config}/home-assistant.log"
    if sim is not None:
        logs += f", {_display(sim.log_path)}"
    lines += [
        f"  Logs             {logs}",
        (
            f"  Start over       stop, then: git clean -fdX {config}/"
            if ha.config_dir == DEFAULT_CONFIG_DIR.resolve()
            else f"  Start over       stop, then delete {config}"
        ),
        "  Stop             Ctrl-C",
        "=" * 78,
        "",
    ]
    return "\n".join(lines)


class _Follower:
    """Copies what is appended to a log file to standard output."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def pump(self, out: IO[str]) -> None:
        try:
            with self.path.open("rb") as log:
                if log.seek(0, os.SEEK_END) < self.offset:  # a new file: start over
                    self.offset = 0
                log.seek(self.offset)
                chunk = log.read()
        except OSError:
            return
        self.offset += len(chunk)
        if chunk:
            out.write(chunk.decode("utf-8", errors="replace"))
            out.flush()


def _supervise(ha: HomeAssistant, sim: Simulator | None, follower: _Follower | None) -> None:
    """Watch both processes until one exits; restart Home Assistant when it asks to."""
    while True:
        if sim is not None and sim.process.poll() is not None:
            raise ProcessDiedError(SIM_NAME, sim.process.returncode, sim.log_path)
        code = ha.process.poll()
        if code == RESTART_EXIT_CODE:
            _say("Home Assistant asked to be restarted: starting it again")
            ha.restart()
            if follower is not None:
                follower.offset = 0
        elif code is not None:
            raise ProcessDiedError(HA_NAME, code, ha.log_path)
        if follower is not None:
            follower.pump(sys.stdout)
        time.sleep(0.5)


@dataclass
class _Running:
    """What was started, to be stopped in order: Home Assistant, then the simulator."""

    ha: HomeAssistant | None = None
    sim: Simulator | None = None
    lock: IO[bytes] | None = None

    def stop(self, force: Callable[[], bool]) -> None:
        for name, process in (
            ("Home Assistant", self.ha.process if self.ha else None),
            ("the vBox simulator", self.sim.process if self.sim else None),
        ):
            if process is None:
                continue
            if process.poll() is None:
                _say(f"stopping {name} (pid {process.pid})...")
            stop_process(process, force=force)
        if self.lock is not None:
            self.lock.close()


def _sign_in(args: argparse.Namespace, url: str) -> Tokens:
    """Onboard on the first start, else log in; apply ``--language`` if given."""
    if onboarding_done(url) != set(ONBOARDING_STEPS):
        language = args.language or DEFAULT_LANGUAGE
        _say(f"onboarding: owner {args.ha_username!r}, language {language}")
        return onboard(url, args.ha_username, args.ha_password, language=language)
    tokens = login(url, args.ha_username, args.ha_password)
    if args.language:
        set_language(url, tokens.access_token, args.language)
        _say(f"language set to {args.language}")
    return tokens


def _vitrea_entry(
    args: argparse.Namespace, ha: HomeAssistant, token: str, vbox: tuple[str, int]
) -> dict[str, Any] | None:
    """The loaded Vitrea entry (added first if there is none), or None if it does not load."""
    entry, added = _ensure_entry(args, ha.url, token, vbox)
    try:
        if args.request_gap is not None:
            _say(f"setting the entry's request_gap to {args.request_gap} s (reloads it)")
            set_entry_options(ha.url, token, entry["entry_id"], {"request_gap": args.request_gap})
        entry = wait_for_entry(ha.url, token, entry["entry_id"], process=ha.process)
    except ProcessDiedError:
        raise
    except DevelopError as err:
        _say(f"warning: {err}; Home Assistant keeps running, see its log")
        return None
    data = stored_entry_data(ha.config_dir, entry["entry_id"]) or {}
    address = f"{data.get('host')}:{data.get('port')}"
    if not added and data and address != f"{vbox[0]}:{vbox[1]}":
        _say(
            f"warning: the existing entry talks to {address}, not {vbox[0]}:{vbox[1]}; "
            "reconfigure it in Settings -> Devices & services, or start over"
        )
    return entry


def _bring_up(args: argparse.Namespace, running: _Running) -> None:
    started = time.monotonic()
    config_dir: Path = args.config.resolve()
    prepare_config_dir(config_dir)
    running.lock = lock_config_dir(config_dir)
    _check_ports(args)
    first_start = not (config_dir / ".storage").exists()

    sim: Simulator | None = None
    if args.vbox is None:
        sim = start_simulator(
            port=args.sim_port,
            control_port=args.control_port,
            username=args.username,
            password=args.password,
            house=args.house,
            log_path=config_dir / SIM_LOG,
        )
        running.sim = sim
        vbox = (sim.host, sim.port)
        _say(f"vBox simulator listening on {sim.host}:{sim.port} ({sim.house})")
    else:
        vbox = args.vbox
        _say(f"using the vBox at {vbox[0]}:{vbox[1]}; no simulator")

    ha = start_home_assistant(config_dir, port=args.port, host=args.listen)
    running.ha = ha
    _say(f"Home Assistant starting from {_display(config_dir)} (pid {ha.process.pid})")
    if first_start:
        _say("first start here: Home Assistant may install packages from PyPI (a minute or two)")
    wait_until_up(ha.url, timeout=args.start_timeout, process=ha.process, log_path=ha.log_path)
    _say(f"Home Assistant answers on {ha.url} after {time.monotonic() - started:.0f} s")

    tokens = _sign_in(args, ha.url)
    entry = _vitrea_entry(args, ha, tokens.access_token, vbox)
    entities = vitrea_entities(ha.url, tokens.access_token) if entry is not None else []
    print(
        _banner(
            args,
            ha=ha,
            sim=sim,
            vbox=vbox,
            entry=entry,
            entities=entities,
            seconds=time.monotonic() - started,
        ),
        flush=True,
    )
    revoke(tokens)  # the browser logs in by itself; no need to leave a session behind
    follower = _Follower(ha.config_dir / "home-assistant.log") if args.follow else None
    _supervise(ha, sim, follower)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo until Ctrl-C; the exit status."""
    args = parse_args(argv)
    signals = _Signals()
    signals.install()
    running = _Running()
    status = 0
    try:
        _bring_up(args, running)
    except InterruptedByError as err:
        print()
        _say(f"{err}: stopping")
    except ProcessDiedError as err:
        _say(f"error: {err}")
        if err.log_path is not None and (last := tail(err.log_path)):
            print(f"--- the end of {_display(err.log_path)} ---\n{last}\n---", flush=True)
        status = 1
    except (DevelopError, OSError) as err:
        _say(f"error: {err}")
        status = 1
    finally:
        signals.stopping = True
        running.stop(signals.force)
    if running.ha or running.sim:
        _say("stopped" if status == 0 else "stopped everything after the error above")
    return status


if __name__ == "__main__":
    sys.exit(main())
