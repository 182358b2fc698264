"""Live smoke test: today's Home Assistant release as a real ``hass``, with the simulator.

No test plugin supports the newest Home Assistant release yet, so the suite cannot run on it;
this test runs it as people do instead. ``scripts/test`` runs it in a stage of its own, with
``VITREA_LIVE_HASS`` naming ``.venv-live/bin/hass`` (role ``live`` of requirements/releases),
and fails if it did not run. Without the variable it is skipped.

``scripts/devtools`` starts the vBox simulator (demo house) and ``hass`` on a temporary
config directory, onboards it and adds the Vitrea entry through the config flow; then:

1. the entry loads;
2. a light, found through the entity registry, switches on then off from Home Assistant, and
   the simulator sees each;
3. a push-button press at the wall (the simulator's control port) reaches its event entity;
4. the vBox goes away as ``scripts/develop`` takes it away (the simulator process stops):
   the light becomes unavailable; started again, the simulator is reconnected to and the
   light is available again;
5. ``home-assistant.log`` holds no ERROR line and no report about the Vitrea integration
   (deprecations, "Detected that custom integration 'vitrea' ...").

The logs are kept in ``artifacts/live/``. Run alone (from the newest release's environment,
e.g. through ``scripts/py314``)::

    VITREA_LIVE_HASS=$PWD/.venv-live/bin/hass .venv-newest/bin/pytest tests/live -m live
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scripts.devtools import DevelopError, ProcessDiedError, client, processes, wait_for
from tests.e2e.support import COVERAGE_VARIABLES, DEMO_HOUSE

pytestmark = [pytest.mark.live, pytest.mark.timeout(900)]

LIVE_HASS = "VITREA_LIVE_HASS"
"""The environment variable naming the ``hass`` executable of the live release."""
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "live"
CONFIGURATION = Path(__file__).with_name("configuration.yaml")
"""Not the demo's (default_config): only what the test needs, see its comments."""
START_TIMEOUT = 300.0
"""Seconds for Home Assistant to answer: its first start in a venv installs the frontend."""
FAILED_START = "Home Assistant core failed to initialize"
"""Home Assistant logs this and keeps running, without ever answering."""
SETUP_TIMEOUT = 300.0
"""Seconds for the config flow and the entry's first setup (it reads the whole house)."""
STATE_TIMEOUT = 30.0
"""Seconds for a state to travel between Home Assistant and the simulator."""
RECONNECT_TIMEOUT = 90.0
"""Seconds for the integration to reconnect to a vBox that came back (its retries back off to
30 s apart)."""
VBOX_USERNAME = "admin"
VBOX_PASSWORD = "vitrea"

LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \S+ (?P<level>[A-Z]+) \(")
"""A record's first line: ``2026-12-01 07:45:02.975+00:00 ERROR (MainThread) [name] ...``."""
VITREA_REPORT = re.compile(r"deprecat|custom integration|report", re.IGNORECASE)
EXPECTED_WARNING = "We found a custom integration vitrea which has not been tested"
"""Home Assistant's loader says this of every custom integration at every start."""


@dataclass
class Live:
    """The running simulator and Home Assistant, and the owner's access token."""

    sim: processes.Simulator
    ha: processes.HomeAssistant
    token: str

    @property
    def url(self) -> str:
        """Home Assistant's URL."""
        return self.ha.url


@pytest.fixture
def hass_python() -> str:
    """The interpreter of the live release's venv (its ``hass`` is next to it)."""
    hass = os.environ.get(LIVE_HASS)
    if not hass:
        pytest.skip(
            f"{LIVE_HASS} is not set: the live smoke test runs in scripts/test, which points it "
            "at .venv-live/bin/hass (Home Assistant of the `live` line of requirements/releases)"
        )
    path = Path(hass)
    if not path.is_file() or path.name != "hass":
        pytest.fail(f"{LIVE_HASS}={hass} is not a hass executable (scripts/setup live makes it)")
    return str(path.parent / "python")


@pytest.fixture
def live(
    socket_enabled: None, hass_python: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Live]:
    """The simulator (demo house) and an onboarded Home Assistant of the live release."""
    for variable in COVERAGE_VARIABLES:  # both processes run unmeasured
        monkeypatch.delenv(variable, raising=False)
    config = tmp_path / "config"
    processes.prepare_config_dir(config, template=CONFIGURATION)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sim: processes.Simulator | None = None
    ha: processes.HomeAssistant | None = None
    try:
        sim = processes.start_simulator(
            port=0, control_port=0, house=DEMO_HOUSE, log_path=tmp_path / processes.SIM_LOG
        )
        ha = processes.start_home_assistant(config, port=processes.free_port(), python=hass_python)
        wait_until_up(ha)
        # Not the core_config step: it adds integrations that need the internet (met.no...).
        tokens = client.onboard(ha.url, steps=("user", "analytics", "integration"))
        yield Live(sim=sim, ha=ha, token=tokens.access_token)
    finally:
        for process in (ha.process if ha else None, sim.process if sim else None):
            if process is not None:
                processes.stop_process(process, timeout=30)
        for log in (
            config / processes.HA_CONSOLE_LOG,
            config / "home-assistant.log",
            tmp_path / processes.SIM_LOG,
        ):
            with contextlib.suppress(OSError):
                shutil.copyfile(log, ARTIFACTS / log.name)


def wait_until_up(ha: processes.HomeAssistant) -> None:
    """Wait until Home Assistant answers; fail as soon as its log says it never will."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            client.wait_until_up(ha.url, timeout=5, process=ha.process, log_path=ha.log_path)
        except ProcessDiedError:
            raise
        except DevelopError:
            if FAILED_START in ha.log_path.read_text(encoding="utf-8", errors="replace"):
                pytest.fail(f"{FAILED_START}:\n{processes.tail(ha.log_path, 40)}")
            if time.monotonic() > deadline:
                raise
        else:
            return


def state(live: Live, entity_id: str) -> dict[str, Any]:
    """An entity's state object (REST)."""
    _, body = client.request("GET", f"{live.url}/api/states/{entity_id}", token=live.token)
    result: dict[str, Any] = body
    return result


def call(live: Live, service: str, entity_id: str) -> None:
    """Call a service (``domain.name``) on an entity, as a dashboard would."""
    domain, name = service.split(".")
    client.request(
        "POST",
        f"{live.url}/api/services/{domain}/{name}",
        token=live.token,
        json_body={"entity_id": entity_id},
    )


def first_key(house: dict[str, Any], wanted: Callable[[dict[str, Any]], bool]) -> tuple[int, int]:
    """The node and key IDs of the first key of the demo house that ``wanted`` accepts."""
    return next(
        (node["id"], key["id"]) for node in house["nodes"] for key in node["keys"] if wanted(key)
    )


def vitrea_entity_ids(live: Live) -> dict[str, str]:
    """The Vitrea entities of the entity registry: entity ID by unique ID.

    Entity IDs differ between releases (newer ones start with the area's name); unique IDs are
    the integration's own: ``<node EUI-64 in lowercase hex>_<key ID>`` for a key.
    """
    (entries,) = client.websocket_commands(
        live.url, live.token, [{"type": "config/entity_registry/list"}]
    )
    return {e["unique_id"]: e["entity_id"] for e in entries if e["platform"] == client.DOMAIN}


def unique_id(house: dict[str, Any], node_id: int, key_id: int) -> str:
    """The unique ID of a key's entity: the vBox's (its lowest node's EUI-64), the node's and
    the key's numbers (docs/identity.md)."""
    first = min(house["nodes"], key=lambda node: node["id"])
    return f"{first['mac'].replace(':', '').lower()}_node{node_id}_{key_id}"


def log_findings(log: str) -> list[str]:
    """The lines of ``home-assistant.log`` that must not be there: ERROR (or worse) records,
    and reports about the Vitrea integration (deprecations, frame helper reports).
    """

    def bad(line: str) -> bool:
        record = LOG_RECORD.match(line)
        if record and record["level"] in {"ERROR", "CRITICAL"}:
            return True
        return bool(
            "vitrea" in line.lower() and VITREA_REPORT.search(line) and EXPECTED_WARNING not in line
        )

    return [line for line in log.splitlines() if bad(line)]


def test_live_release_with_the_simulator(live: Live) -> None:
    house: dict[str, Any] = json.loads(DEMO_HOUSE.read_text(encoding="utf-8"))

    # -- 1. the entry, added through the config flow, loads --------------------------------------
    entry = client.add_vitrea_entry(
        live.url,
        live.token,
        live.sim.host,
        live.sim.port,
        VBOX_USERNAME,
        VBOX_PASSWORD,
        timeout=SETUP_TIMEOUT,
    )
    entry = client.wait_for_entry(
        live.url, live.token, entry["entry_id"], timeout=SETUP_TIMEOUT, process=live.ha.process
    )
    assert entry["state"] == "loaded"

    # -- 2. a light that starts off: on, then off, from Home Assistant -----------------------------
    light_node, light_key = first_key(
        house, lambda k: (k["type"], k["category"], k["on"]) == ("toggle", "light", False)
    )
    button_node, button_key = first_key(house, lambda k: k["type"] == "push_button")
    wanted = {unique_id(house, light_node, light_key), unique_id(house, button_node, button_key)}
    entities = wait_for(
        "the light's and the push button's entities in the entity registry",
        lambda: vitrea_entity_ids(live),
        lambda ids: wanted <= ids.keys(),
        STATE_TIMEOUT,
    )
    light = entities[unique_id(house, light_node, light_key)]
    button = entities[unique_id(house, button_node, button_key)]
    assert light.startswith("light."), light
    assert button.startswith("event."), button

    def light_is(expected: str) -> None:
        """Wait until both the simulator and Home Assistant hold the light ``expected``."""
        wait_for(
            f"the simulated key {light_node}/{light_key} (expected {expected})",
            lambda: "on" if live.sim.key_state(light_node, light_key)["on"] else "off",
            lambda now: now == expected,
            STATE_TIMEOUT,
        )
        wait_for(
            f"{light} (expected {expected})",
            lambda: state(live, light)["state"],
            lambda now: now == expected,
            STATE_TIMEOUT,
        )

    light_is("off")  # read from the vBox in the background after the setup
    call(live, "light.turn_on", light)
    light_is("on")
    call(live, "light.turn_off", light)
    light_is("off")

    # -- 3. a press at the wall reaches the push button's event entity ---------------------------
    before = state(live, button)
    assert before["state"] != "unavailable"
    live.sim.control(f"press {button_node} {button_key} short")
    after = wait_for(
        f"{button} after a short press at the wall",
        lambda: state(live, button),
        lambda now: now["state"] not in (before["state"], "unavailable"),
        STATE_TIMEOUT,
    )
    assert after["attributes"]["event_type"] == "short_press"

    # -- 4. the vBox goes away and comes back, as scripts/develop's SIGUSR1 does it ---------------
    processes.stop_process(live.sim.process, timeout=30)
    wait_for(
        f"{light} while the simulator is stopped",
        lambda: state(live, light)["state"],
        lambda now: now == "unavailable",
        STATE_TIMEOUT,
    )
    live.sim.restart()
    wait_for(
        f"{light} once the simulator is back",
        lambda: state(live, light)["state"],
        lambda now: now == "off",
        RECONNECT_TIMEOUT,
    )

    # -- 5. Home Assistant's log, including its shutdown -----------------------------------------
    processes.stop_process(live.ha.process, timeout=60)
    log = (live.ha.config_dir / "home-assistant.log").read_text(encoding="utf-8", errors="replace")
    findings = log_findings(log)
    assert not findings, "home-assistant.log:\n" + "\n".join(findings)


def test_log_findings() -> None:
    """What the log check finds, in the formats of both releases (no Home Assistant needed)."""
    bad = [
        "2025-04-30 10:00:00.123 ERROR (MainThread) [homeassistant.setup] Setup failed",
        "2026-12-01 07:45:02.975+00:00 ERROR (MainThread) [haffmpeg.core] FFmpeg fails",
        (
            "2026-12-01 07:45:03.000+00:00 WARNING (MainThread) [homeassistant.helpers.frame] "
            "Detected that custom integration 'vitrea' calls a deprecated method"
        ),
    ]
    fine = [
        "Traceback (most recent call last):",
        (
            "2026-12-01 07:45:04.000+00:00 WARNING (SyncWorker_0) [homeassistant.loader] "
            "We found a custom integration vitrea which has not been tested by Home Assistant."
        ),
        "2026-12-01 07:45:05.000+00:00 DEBUG (MainThread) [custom_components.vitrea] ok",
        "2026-12-01 07:45:06.000+00:00 INFO (MainThread) [homeassistant.setup] ERROR-free",
    ]
    assert log_findings("\n".join(fine + bad + fine)) == bad
