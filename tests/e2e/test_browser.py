"""End to end in a real browser: add Vitrea in Home Assistant's UI, switch a light both ways.

Home Assistant and the vBox simulator (demo house) run as separate processes (see conftest);
Chromium, driven by Playwright, does what a person would do:

1. Settings -> Devices & services -> Add integration -> Vitrea, fill in the form, Finish.
2. The entry is loaded and every entity of the house exists (REST); the integration's page
   counts its devices and entities, the devices page lists the vBox and the light's node.
3. The more-info dialog of a light switches it on: the simulated key is on.
4. The key is switched off at the wall (the simulator's control port): the dialog shows it.

Screenshots of each step: ``artifacts/e2e/NN-*.png``. Run alone with
``.venv/bin/pytest tests/e2e -m e2e``: under a minute, half of it the entry's first setup.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from scripts.devtools import client
from tests.e2e.support import Screenshots, Stack

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(400)]

UI_TIMEOUT = 60_000
"""Milliseconds for the page to show something (the first load of the frontend is slow)."""
SETUP_TIMEOUT = 240_000
"""Milliseconds for the flow's last step: the entry's first setup reads the whole house."""
STATE_TIMEOUT = 30.0
"""Seconds for a state to travel between Home Assistant and the simulator."""
VBOX_USERNAME = "admin"
VBOX_PASSWORD = "vitrea"

LIGHT_NODE = 30
LIGHT_KEY = 0
"""The light switched in the test: "Garden lights", a plain on/off key that starts off."""


def expected_entity_counts(house: dict[str, Any]) -> Counter[str]:
    """The entities per platform the integration makes of a house (README: "How each key
    appears"); a keypad-lock switch and a backlight select per node, one connectivity sensor.
    """
    counts: Counter[str] = Counter(binary_sensor=1)
    for node in house["nodes"]:
        counts["switch"] += 1  # keypad lock
        counts["select"] += 1  # backlight
        for key in node["keys"]:
            match key["type"], key["category"]:
                case ("dimmer" | "dimmer_mw", _) | ("toggle", "light"):
                    counts["light"] += 1
                case ("toggle" | "dual_pole" | "boiler", _):
                    counts["switch"] += 1
                case ("blind" | "blind_mw", _):
                    counts["cover"] += 1
                case ("push_button" | "satellite", _):
                    counts["event"] += 1
                case ("toggle_scene", _):
                    counts["button"] += 1
    return counts


def wait_for[T](what: str, probe: Callable[[], T], ready: Callable[[T], bool], timeout: float) -> T:
    """Call ``probe`` until ``ready`` accepts its result; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if ready(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: still {value!r} after {timeout:.0f} s")
        time.sleep(0.25)


def control(stack: Stack, line: str) -> dict[str, Any]:
    """One command to the simulator's control interface; its answer, which must be ok.

    A plain socket: Playwright's sync API keeps an event loop marked running in this thread,
    so ``asyncio.run(vbox_simulator.control.send_command(...))`` cannot be used here.
    """
    assert stack.sim.control_port is not None
    with socket.create_connection((stack.sim.host, stack.sim.control_port), timeout=10) as conn:
        conn.sendall(line.encode() + b"\n")
        with conn.makefile("rb") as answers:
            answer: dict[str, Any] = json.loads(answers.readline())
    assert answer["ok"], answer
    return answer


def simulated_key(stack: Stack, node: int, key: int) -> dict[str, Any]:
    """A key as the simulator holds it (``on``, ``level``...)."""
    keys = control(stack, "state")["keys"]
    return next(k for k in keys if k["node"] == node and k["key"] == key)


def vitrea_states(stack: Stack) -> dict[str, dict[str, Any]]:
    """The states of the Vitrea entities, by entity ID."""
    entity_ids = set(client.vitrea_entities(stack.url, stack.token))
    _, states = client.request("GET", f"{stack.url}/api/states", token=stack.token)
    return {state["entity_id"]: state for state in states if state["entity_id"] in entity_ids}


def search_box(page: Page, name: str) -> Locator:
    """A search field: a text box named ``name`` up to 2025; 2026's frontend only shows the
    name as the placeholder of its input (and keeps hidden search fields on the page).
    """
    named = page.get_by_role("textbox", name=name).or_(page.get_by_role("searchbox", name=name))
    field = named.or_(page.locator("input").and_(page.get_by_placeholder(name)))
    return field.filter(visible=True).first


def add_vitrea_in_the_ui(page: Page, stack: Stack, shots: Screenshots) -> None:
    """Settings -> Devices & services -> Add integration -> Vitrea: the form, then Finish."""
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    page.goto(f"{stack.url}/config/integrations/dashboard")
    add = page.get_by_role("button", name="Add integration")
    expect(add).to_be_visible(timeout=UI_TIMEOUT)
    shots.take(page, "integrations-dashboard")

    add.click()
    search_box(page, "Search for a brand name").fill("Vitrea")
    brand = page.locator("dialog-add-integration").get_by_text("Vitrea", exact=True)
    expect(brand).to_be_visible(timeout=UI_TIMEOUT)
    shots.take(page, "brand-search")
    brand.click()

    # The config flow's dialog (its element and heading differ between releases; nothing
    # else on the page has these fields).
    expect(page.get_by_text("Connect to your vBox", exact=True)).to_be_visible(timeout=UI_TIMEOUT)
    page.get_by_role("textbox", name="Host").fill(stack.sim.host)
    page.get_by_role("spinbutton", name="Port").fill(str(stack.sim.port))
    page.get_by_role("textbox", name="Username").fill(VBOX_USERNAME)
    page.get_by_role("textbox", name="Password").fill(VBOX_PASSWORD)
    shots.take(page, "vitrea-form")

    page.get_by_role("button", name="Submit").click()
    # The answer comes once the entry is set up: it lists the devices found, for areas.
    finish = page.get_by_role("button", name="Finish")
    expect(finish).to_be_visible(timeout=SETUP_TIMEOUT)
    # 2025 says so; 2026 goes straight to naming the devices and assigning their areas.
    created = page.get_by_text("Created configuration for Vitrea vBox")
    expect(created.or_(page.get_by_text("Name and assign", exact=True))).to_be_visible()
    shots.take(page, "flow-success")
    finish.click()
    # Finish leads to the integration's page, where the new entry is listed.
    expect(page).to_have_url(re.compile(r"/config/integrations/integration/vitrea\b"))
    expect(page.get_by_text(f"Vitrea vBox ({stack.sim.host})", exact=True)).to_be_visible(
        timeout=UI_TIMEOUT
    )


def test_add_vitrea_and_switch_a_light_in_the_browser(
    stack: Stack, page: Page, screenshots: Screenshots, house: dict[str, Any]
) -> None:
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    light_node = next(node for node in house["nodes"] if node["id"] == LIGHT_NODE)
    light_key = light_node["keys"][LIGHT_KEY]
    assert (light_key["type"], light_key["category"], light_key["on"]) == ("toggle", "light", False)
    light_name: str = light_key["name"]

    # -- 1. add the integration in the UI ------------------------------------------------------
    add_vitrea_in_the_ui(page, stack, screenshots)

    # -- 2. the entry, its entities (REST) and its devices (UI) -----------------------------------
    (entry,) = client.vitrea_entries(stack.url, stack.token)
    client.wait_for_entry(stack.url, stack.token, entry["entry_id"], timeout=STATE_TIMEOUT)
    expected = expected_entity_counts(house)
    states = wait_for(
        "Vitrea entities per platform",
        lambda: vitrea_states(stack),
        # Every entity exists, and every key with a state has been read (in the background).
        lambda states: (
            Counter(e.split(".")[0] for e in states) == expected
            and all(
                state["state"] != "unknown"
                for entity_id, state in states.items()
                if entity_id.split(".")[0] in {"light", "switch", "cover"}
            )
        ),
        STATE_TIMEOUT,
    )
    assert not [e for e, s in states.items() if s["state"] == "unavailable"]

    devices = len(house["nodes"]) + 1  # and the vBox itself
    expect(page.get_by_role("link", name=f"{devices} devices").first).to_be_visible()
    expect(page.get_by_role("link", name=f"{len(states)} entities").first).to_be_visible()
    screenshots.take(page, "vitrea-integration")

    page.goto(f"{stack.url}/config/devices/dashboard?domain=vitrea")
    expect(search_box(page, f"Search {devices} devices")).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_role("rowheader", name="vBox", exact=True)).to_be_visible()
    screenshots.take(page, "vitrea-devices")
    # The table only renders the rows in view: search for the light's node.
    light_device = f"{light_node['type']} ({LIGHT_NODE})"
    search_box(page, f"Search {devices} devices").fill(light_device)
    expect(page.get_by_role("rowheader", name=light_device, exact=True)).to_be_visible()

    # -- 3. switch the light on in its more-info dialog ----------------------------------------
    (light_id,) = (
        entity_id
        for entity_id, state in states.items()
        if entity_id.startswith("light.")
        and state["attributes"]["friendly_name"].endswith(light_name)
    )
    friendly_name = states[light_id]["attributes"]["friendly_name"]
    assert states[light_id]["state"] == "off"

    page.goto(f"{stack.url}/config/entities")
    search_box(page, "Search").fill(light_name)
    # The row is named after the entity: with its device's name up to 2025, without in 2026.
    row = page.get_by_role("rowheader", name=friendly_name, exact=True)
    row.or_(page.get_by_role("rowheader", name=light_name, exact=True)).click()
    more_info = page.locator("ha-more-info-dialog")
    toggle = more_info.get_by_role("switch", name="Toggle")
    expect(toggle).to_be_visible(timeout=UI_TIMEOUT)
    expect(toggle).not_to_be_checked()
    expect(more_info.get_by_text("Off", exact=True)).to_be_visible()
    screenshots.take(page, "light-off")

    toggle.click()
    expect(toggle).to_be_checked(timeout=STATE_TIMEOUT * 1000)
    expect(more_info.get_by_text("On", exact=True)).to_be_visible(timeout=STATE_TIMEOUT * 1000)
    wait_for(
        f"the simulated key {LIGHT_NODE}/{LIGHT_KEY} after the UI switched it on",
        lambda: simulated_key(stack, LIGHT_NODE, LIGHT_KEY)["on"],
        lambda on: on is True,
        STATE_TIMEOUT,
    )
    screenshots.take(page, "light-on-from-the-ui")

    # -- 4. switch it off at the wall: the open dialog follows -----------------------------------
    control(stack, f"set {LIGHT_NODE} {LIGHT_KEY} off")
    expect(toggle).not_to_be_checked(timeout=STATE_TIMEOUT * 1000)
    expect(more_info.get_by_text("Off", exact=True)).to_be_visible(timeout=STATE_TIMEOUT * 1000)
    _, state = client.request("GET", f"{stack.url}/api/states/{light_id}", token=stack.token)
    assert state["state"] == "off"
    screenshots.take(page, "light-off-from-the-wall")
