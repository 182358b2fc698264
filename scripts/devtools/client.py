"""A small client of Home Assistant's REST and WebSocket APIs, doing what a person does in the UI.

Onboarding, login and tokens, the language, the config flow that adds the Vitrea entry, the
entry's options, and the listing of its entries and entities::

    wait_until_up(url)
    tokens = onboard(url, "demo", "demo")
    entry = add_vitrea_entry(url, tokens.access_token, "127.0.0.1", 11501, "admin", "vitrea")
    wait_for_entry(url, tokens.access_token, entry["entry_id"])
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import DevelopError, ProcessDiedError

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

DOMAIN = "vitrea"
HA_NAME = "Home Assistant"
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
ONBOARDING_USER_TIMEOUT = 600.0
"""Seconds for the onboarding's user step to answer (see :func:`onboard`)."""

# Requests to 127.0.0.1 must never go through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
        DevelopError: the status is not in ``expect`` (``None``: accept any).
        OSError: no answer (connection refused, timeout).

    """
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
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http URLs
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
        msg = f"{method} {url}: HTTP {status}: {body}"
        raise DevelopError(msg)
    return status, body


def wait_until_up(
    url: str,
    *,
    timeout: float = 300.0,
    process: subprocess.Popen[bytes] | None = None,
    log_path: Path | None = None,
) -> None:
    """Wait until Home Assistant's HTTP server answers.

    Raises:
        ProcessDiedError: ``process`` exited meanwhile (its output is in ``log_path``).
        DevelopError: no answer within ``timeout`` seconds.

    """
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError):
            # Not /api/: a request without a token counts as a failed login (a notification).
            request("GET", f"{url}/manifest.json", timeout=5, expect=None)
            return
        if process is not None and process.poll() is not None:
            raise ProcessDiedError(HA_NAME, process.returncode, log_path)
        if time.monotonic() > deadline:
            msg = f"Home Assistant did not answer on {url} within {timeout:.0f} s"
            raise DevelopError(msg)
        time.sleep(0.5)


# -- onboarding and login ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    """What ``/auth/token`` returned, and for which client."""

    url: str
    access_token: str
    refresh_token: str
    expires_in: int
    obtained: float = field(default_factory=time.time)

    @property
    def client_id(self) -> str:
        """The OAuth client: the frontend's URL."""
        return f"{self.url}/"

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


def _exchange_code(url: str, code: str) -> Tokens:
    form = {"grant_type": "authorization_code", "code": code, "client_id": f"{url}/"}
    _, body = request("POST", f"{url}/auth/token", form=form)
    return Tokens(url, body["access_token"], body["refresh_token"], int(body["expires_in"]))


def login(url: str, username: str, password: str) -> Tokens:
    """Log in as the login page does (``/auth/login_flow``) and fetch tokens.

    Raises:
        DevelopError: the credentials were refused.

    """
    client = {"client_id": f"{url}/"}
    start = {
        **client,
        "handler": ["homeassistant", None],
        "redirect_uri": f"{url}/?auth_callback=1",
    }
    _, flow = request("POST", f"{url}/auth/login_flow", json_body=start)
    answer = {**client, "username": username, "password": password}
    _, result = request("POST", f"{url}/auth/login_flow/{flow['flow_id']}", json_body=answer)
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


def onboard(
    url: str,
    username: str = "demo",
    password: str = "demo",  # noqa: S107 - the demo's documented password
    *,
    language: str | None = None,
    steps: Iterable[str] = ONBOARDING_STEPS,
) -> Tokens:
    """Do whatever onboarding steps remain, as the onboarding pages would, and log in.

    The user step creates the owner ``username`` (named "Demo"); ``language`` (default en)
    names the default areas and becomes the system's and the user's language. On an onboarded
    instance this logs in, and sets ``language`` if given. Only the ``steps`` named are done
    (the user step always is): e.g. not ``core_config``, which also adds integrations that
    need the internet (weather, radio, text-to-speech).
    """
    done = onboarding_done(url) | (set(ONBOARDING_STEPS) - {"user", *steps})
    if "user" in done:
        tokens = login(url, username, password)
        if language:
            set_language(url, tokens.access_token, language)
    else:
        language = language or "en"
        owner = {"client_id": f"{url}/", "name": "Demo", "language": language}
        owner |= {"username": username, "password": password}
        # It waits for the person integration: at the first start in a new venv, that is after
        # Home Assistant has installed its packages (a minute or more).
        _, body = request(
            "POST", f"{url}/api/onboarding/users", json_body=owner, timeout=ONBOARDING_USER_TIMEOUT
        )
        tokens = _exchange_code(url, body["auth_code"])
        set_language(url, tokens.access_token, language)
    for step in ("core_config", "analytics"):
        if step not in done:
            request("POST", f"{url}/api/onboarding/{step}", token=tokens.access_token)
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


def websocket_commands(url: str, token: str, commands: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Send commands over Home Assistant's WebSocket API (from synchronous code).

    Where an event loop already runs in this thread (Playwright's sync API keeps one), the
    commands run in a thread of their own.

    Raises:
        DevelopError: authentication or a command failed.

    """
    session = _websocket_commands(url, token, commands)
    if not _loop_running():
        return asyncio.run(session)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, session).result()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _websocket_commands(
    url: str, token: str, commands: Sequence[Mapping[str, Any]]
) -> list[Any]:
    # Imported here: the package imports only the standard library (`scripts/develop --help`).
    import aiohttp  # noqa: PLC0415

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


def set_language(url: str, token: str, language: str) -> None:
    """Make ``language`` the system's language and the user's (the frontend's) language."""
    user_data = {"language": language, "number_format": "language", "time_format": "language"}
    user_data |= {"date_format": "language", "time_zone": "local", "first_weekday": "language"}
    websocket_commands(
        url,
        token,
        [
            {"type": "config/core/update", "language": language},
            {"type": "frontend/set_user_data", "key": "language", "value": user_data},
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
    host_port: int = 0,
    timeout: float = 300.0,
) -> dict[str, Any]:
    """Add a Vitrea entry through the config flow, as the "Add integration" dialog does.

    ``host_port``: the host interface's port, used if it answers (0: not tried).

    Returns the new entry (``entry_id``, ``title``, ``state``...). Home Assistant answers the
    last step once the entry has been set up, which includes reading the whole house.

    Raises:
        DevelopError: the flow showed an error or aborted (e.g. ``already_configured``).

    """
    flows = f"{url}/api/config/config_entries/flow"
    _, form = request("POST", flows, token=token, json_body={"handler": DOMAIN})
    flow_url = f"{flows}/{form['flow_id']}"
    fields = {"host": host, "port": port, "username": username, "password": password}
    fields["host_port"] = host_port
    _, result = request("POST", flow_url, token=token, json_body=fields, timeout=timeout)
    if result["type"] == "create_entry":
        entry: dict[str, Any] = result["result"]
        return entry
    if result["type"] == "form":
        request("DELETE", flow_url, token=token, expect=None)
        msg = f"the Vitrea config flow refused {host}:{port}: {result.get('errors')}"
    else:
        msg = f"the Vitrea config flow ended with {result['type']}: {result.get('reason')}"
    raise DevelopError(msg)


def wait_for_entry(
    url: str,
    token: str,
    entry_id: str,
    *,
    timeout: float = 300.0,
    process: subprocess.Popen[bytes] | None = None,
) -> dict[str, Any]:
    """Wait until the entry is loaded; the entry.

    Raises:
        DevelopError: it failed to set up, was removed, or is not loaded within ``timeout``
            (60 s if it waits to retry its setup: the vBox is unreachable).
        ProcessDiedError: ``process`` exited meanwhile.

    """
    start = time.monotonic()
    while True:
        entry = next((e for e in vitrea_entries(url, token) if e["entry_id"] == entry_id), None)
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
        waited = time.monotonic() - start
        if waited > timeout or (entry["state"] == "setup_retry" and waited > 60):
            msg = f"the Vitrea entry is still {entry['state']} after {waited:.0f} s"
            if entry.get("reason"):
                msg += f" ({entry['reason']})"
            raise DevelopError(msg)
        time.sleep(0.5)


def set_entry_options(url: str, token: str, entry_id: str, options: Mapping[str, Any]) -> None:
    """Change an entry's options through its options flow (the entry reloads).

    Raises:
        DevelopError: the options flow did not accept them.

    """
    flows = f"{url}/api/config/config_entries/options/flow"
    _, form = request("POST", flows, token=token, json_body={"handler": entry_id})
    fields = form.get("data_schema", [])
    defaults = {field["name"]: field["default"] for field in fields if "default" in field}
    _, result = request(
        "POST", f"{flows}/{form['flow_id']}", token=token, json_body={**defaults, **options}
    )
    if result["type"] != "create_entry":
        msg = f"the options flow refused {dict(options)}: {result.get('errors')}"
        raise DevelopError(msg)


def vitrea_entities(url: str, token: str) -> list[str]:
    """The entity IDs of the Vitrea integration."""
    template = "{{ integration_entities('vitrea') | join(' ') }}"
    _, text = request("POST", f"{url}/api/template", token=token, json_body={"template": template})
    return str(text).split()
