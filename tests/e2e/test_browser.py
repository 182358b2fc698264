"""End to end in a real browser: add Vitrea in Home Assistant's UI, switch a light, automate a
wall key, run the vBox's air conditioner, scenario and LED, and look at it all in English and
in Hebrew.

Home Assistant and the vBox simulator (demo house, both interfaces) run as separate processes
(see conftest); Chromium, driven by Playwright, does what a person would do:

1. Settings -> Devices & services -> Add integration -> Vitrea, fill in the form (the host
   interface's port too), Finish.
2. The entry is loaded and every entity of the house exists (REST), with the host interface's
   climates, scenes, LED switches and "Turns off at" sensors; the integration's page counts
   its devices and entities, the devices page lists the vBox and the light's wall unit by
   their names ("vBox <host>"; the wall unit's room, numbered: "Garden 1"); the light is
   named as its key ("Garden lights", the name of the key's own device).
3. The more-info dialog of a light switches it on: the simulated key is on.
4. The key is switched off at the wall (the simulator's control port): the dialog shows it.
5. Settings -> Automations -> Create automation, in the UI editor: Add trigger -> Device ->
   the satellite node's device, which offers its keys' three presses; "Party" pressed
   briefly; Add action -> Device -> the path lights' key's device, "Turn on". Save.
6. "Party" is pressed briefly at the wall: the light goes on (simulator and Home Assistant)
   and the automation has run once; a long press of the same key does not run it again.
7. Over the host interface: the living room's AC is switched to cool and one degree up in its
   more-info dialog, a scenario of the whole house is run from the vBox's device page (a
   room's scenario is a device of its own in its room), and the "Party" key's LED
   is lit from its node's device page; the simulator does each.
8. As the owner, once with the profile language English and once Hebrew: the devices page,
   the satellite node's device page (its LED switches under Configuration), the vBox's device
   page (its scenes, its firmware), the AC's more-info dialog with its modes and fan speeds,
   the floors with their rooms (Settings -> Areas), the Overview (its garden), the
   automation's trigger list and the logbook, each with what the page must show.
   Then, with the server's language English and then Hebrew too: a long press of "Party", its
   release and a short press are two lines in the logbook, one per press (REST and the page).
   The owner's daily view (``owner_view``), with the server's and the profile's language
   English, then Hebrew (the entry loaded again in that language, as a restart would): the
   Overview (2026: each area's view), where at least 95 % of the lights, switches and covers
   show exactly their key's name in the vBox and no name a word twice in a row or a key's
   name a generated word of another script; the living room's area page, its keys' devices
   by name; the automation editor, a new automation: the press triggers of a wall unit's
   buttons by the keys' names, and "Turn on" on a key's device. The counts in
   ``artifacts/e2e/owner-names-<language>.json``.
9. A second entry, of the same vBox's host interface alone (the config flow's user step with
   no username or password, through the REST API as the dialog does; "localhost", since the
   flow refuses an address already configured), reconfigured once in English and once in
   Hebrew: the integration's page -> the entry's menu -> Reconfigure shows the step of a
   host-only entry (its title, its description with the host interface's port, its fields),
   and a username without a password is refused with the translated error; nothing changes.

Screenshots of each step: ``artifacts/e2e/NN-*.png``. Run alone with
``.venv/bin/pytest tests/e2e -m e2e``: a minute and a half to two minutes, half a minute of
it the entry's first setup.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from scripts.devtools import client, wait_for
from tests.e2e import owner_view
from tests.e2e.support import REPO, Screenshots, Stack

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, ViewportSize

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(400)]

UI_TIMEOUT = 60_000
"""Milliseconds for the page to show something (the first load of the frontend is slow)."""
TABLE_LOADS = 3
"""How many times a table page is loaded until it shows rows or opens a row (see its uses)."""
SETUP_TIMEOUT = 240_000
"""Milliseconds for the flow's last step: the entry's first setup reads the whole house."""
STATE_TIMEOUT = 30.0
"""Seconds for a state to travel between Home Assistant and the simulator."""
VBOX_USERNAME = "admin"
VBOX_PASSWORD = "vitrea"
TRANSLATIONS = REPO / "custom_components" / "vitrea" / "translations"

LIGHT_NODE = 30
LIGHT_KEY = 0
"""The light switched in the test: "Garden lights", a plain on/off key that starts off."""
AUTOMATED_KEY = 1
"""The light the automation turns on, on the same node: "Path lights" (it starts on)."""
BUTTON_NODE = 31
BUTTON_KEY = 2
"""The satellite key whose short press runs the automation: "Party", in the same room."""
PRESSES = ("short_press", "long_press", "release")
"""The device triggers of a button key, in the order the translations list them."""
AUTOMATION_NAME = "Party lights"
AC_ID = 1
"""The AC run in the test: the living room's, of type 2 (off, cool, heat, fan only; low,
medium, high and auto fan), off at 24 degrees to begin with."""
SCENARIO_ID = 3
"""The scenario run from the UI: "leaving home" (יציאה מהבית), of the whole house, so on the
vBox's device (a room's scenario is a device of its own in its room)."""
RAW_CLIMATE_STATES = {"off", "cool", "heat", "fan_only", "dry", "auto", "low", "medium", "high"}
"""Home Assistant's keys of the modes and fan speeds: the UI shows them translated, not so."""
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
"""The page's window, as conftest opens it."""
TALL_VIEWPORT: ViewportSize = {"width": 1280, "height": 1700}
"""For the floors page, which shows both floors and their rooms in it."""
LANGUAGES = ("en", "he")
"""The profile languages the owner looks around in (the server's stays English)."""
HOST_ONLY_HOST = "localhost"
"""The address of the entry of the host interface alone: the same simulator as the first
entry's 127.0.0.1, under another name (the config flow refuses an address in use)."""
RECONFIGURE = "ui.panel.config.integrations.config_entry.reconfigure"
"""The frontend's translation key of an entry's menu item "Reconfigure" (config panel's)."""
CLOSE = "ui.common.close"
"""The frontend's translation key of a dialog's close button ("Close", common)."""


@cache
def strings(language: str) -> dict[str, Any]:
    """The integration's translations into ``language``."""
    loaded: dict[str, Any] = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
    return loaded


@cache
def frontend_strings(language: str, panel: str = "") -> dict[str, str]:
    """The frontend's own translations into ``language`` (flat keys): its common ones, or a
    panel's (``panel``: "config"), as the installed frontend (the one this Home Assistant
    serves) ships them. What it shows is found by its words in the profile's language, none
    written here.
    """
    import hass_frontend  # noqa: PLC0415 - Home Assistant's, in its venv (the test's)

    directory = Path(hass_frontend.where()) / "static" / "translations" / panel
    name = re.compile(rf"{re.escape(language)}-[0-9a-f]+\.json")  # not en-GB's for en
    (path,) = (path for path in directory.iterdir() if name.fullmatch(path.name))
    loaded: dict[str, str] = json.loads(path.read_text("utf-8"))
    return loaded


def node_of(house: dict[str, Any], node_id: int) -> dict[str, Any]:
    """A node of the house's JSON."""
    return next(node for node in house["nodes"] if node["id"] == node_id)


def room_of(house: dict[str, Any], node_id: int) -> str:
    """The name of a node's room in the vBox."""
    room_id = node_of(house, node_id)["room"]
    name: str = next(room["name"] for room in house["rooms"] if room["id"] == room_id)
    return name


def device_name(house: dict[str, Any], node_id: int) -> str:
    """A node's (wall unit's) device name (docs/identity.md, Decision 4): its room's name,
    numbered in the order of the node numbers where the room has several nodes.
    """
    node = node_of(house, node_id)
    room = room_of(house, node_id)
    peers = sorted(other["id"] for other in house["nodes"] if other["room"] == node["room"])
    return room if len(peers) == 1 else f"{room} {peers.index(node_id) + 1}"


def registry(stack: Stack) -> list[dict[str, Any]]:
    """The Vitrea entities of the entity registry (websocket ``config/entity_registry/list``)."""
    (entities,) = client.websocket_commands(
        stack.url, stack.token, [{"type": "config/entity_registry/list"}]
    )
    return [entity for entity in entities if entity["platform"] == client.DOMAIN]


def key_entity(stack: Stack, domain: str, node_id: int, key_id: int, suffix: str = "") -> str:
    """The entity ID of a key's entity of ``domain``, by its unique ID
    (``<box>_node<N>_<K>[suffix]``, docs/identity.md).
    """
    unique_id = re.compile(rf".+_node{node_id}_{key_id}{re.escape(suffix)}")
    (entity_id,) = (
        entity["entity_id"]
        for entity in registry(stack)
        if entity["entity_id"].startswith(f"{domain}.") and unique_id.fullmatch(entity["unique_id"])
    )
    found: str = entity_id
    return found


def slug(name: str) -> str:
    """An entity ID's object ID made of a name with only Latin letters, as Home Assistant's."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def trigger_label(language: str, press: str, entity_name: str) -> str:
    """How the automation editor names a device trigger in ``language``."""
    template: str = strings(language)["device_automation"]["trigger_type"][press]
    return template.format(entity_name=entity_name)


def expected_entity_counts(house: dict[str, Any]) -> Counter[str]:
    """The entities per platform the integration makes of a house (README: "How each key
    appears"); a keypad-lock switch and a backlight select per node, one connectivity sensor;
    and with the host interface (README: "Entities") a climate per unit, a scene per scenario
    and an LED switch per push-button and satellite key; a "Turns off at" sensor per switch
    (enabled by default for switches and boilers only).
    """
    counts: Counter[str] = Counter(binary_sensor=1)
    counts["climate"] = len(house["acs"])
    counts["scene"] = len(house["scenarios"])
    for node in house["nodes"]:
        counts["switch"] += 1  # keypad lock
        counts["select"] += 1  # backlight
        for key in node["keys"]:
            match key["type"], key["category"]:
                case ("dimmer" | "dimmer_mw", _) | ("toggle", "light"):
                    counts["light"] += 1
                case ("toggle" | "dual_pole" | "boiler", _):
                    counts["switch"] += 1
                    counts["sensor"] += 1  # "Turns off at" (an on/off light's is disabled)
                case ("blind" | "blind_mw", _):
                    counts["cover"] += 1
                case ("push_button" | "satellite", _):
                    counts["event"] += 1
                    counts["switch"] += 1  # its LED
                case ("toggle_scene", _):
                    counts["button"] += 1
    return counts


def vitrea_states(stack: Stack) -> dict[str, dict[str, Any]]:
    """The states of the Vitrea entities, by entity ID."""
    entity_ids = set(client.vitrea_entities(stack.url, stack.token))
    _, states = client.request("GET", f"{stack.url}/api/states", token=stack.token)
    return {state["entity_id"]: state for state in states if state["entity_id"] in entity_ids}


def state_of(stack: Stack, entity_id: str) -> dict[str, Any]:
    """An entity's state (REST)."""
    _, state = client.request("GET", f"{stack.url}/api/states/{entity_id}", token=stack.token)
    found: dict[str, Any] = state
    return found


def automation_runs(stack: Stack, automation_id: str) -> int:
    """How many times the automation has run: its traces (websocket ``trace/list``)."""
    (traces,) = client.websocket_commands(
        stack.url,
        stack.token,
        [{"type": "trace/list", "domain": "automation", "item_id": automation_id}],
    )
    return len(traces)


def simulated_ac(stack: Stack, ac_id: int) -> dict[str, Any]:
    """An AC unit as the simulator holds it: ``{id, name, on, mode, fan, setpoint...}``."""
    acs: list[dict[str, Any]] = stack.sim.control("state")["acs"]
    return next(ac for ac in acs if ac["id"] == ac_id)


def host_lines(stack: Stack) -> int:
    """How many lines the simulator's host interface has received (``H:``, ``L:``, ``G:``...)."""
    lines: int = stack.sim.control("stats")["stats"]["host_lines"]
    return lines


def scenario_done(stack: Stack, scenario: dict[str, Any]) -> bool:
    """Whether every key of a scenario is as the scenario sets it, in the simulator."""
    for action in scenario["actions"]:
        key = stack.sim.key_state(action["node"], action["key"])
        if key["on"] != action["on"] or ("level" in action and key["level"] != action["level"]):
            return False
    return True


def device_entry(stack: Stack, name: str) -> dict[str, Any]:
    """A device of the registry, by its name (websocket ``config/device_registry/list``)."""
    (devices,) = client.websocket_commands(
        stack.url, stack.token, [{"type": "config/device_registry/list"}]
    )
    found: dict[str, Any] = next(device for device in devices if device["name"] == name)
    return found


def add_host_only_entry(stack: Stack, host: str) -> dict[str, Any]:
    """Add an entry of the simulator's host interface alone through the config flow (REST),
    as the "Add integration" dialog does with the username and the password left empty: it
    leaves them out (``client.add_vitrea_entry`` sends both). The new entry, set up.
    """
    flows = f"{stack.url}/api/config/config_entries/flow"
    _, form = client.request("POST", flows, token=stack.token, json_body={"handler": client.DOMAIN})
    assert form["step_id"] == "user", form
    fields = {"host": host, "port": stack.sim.port, "host_port": stack.host_port}
    _, result = client.request(
        "POST",
        f"{flows}/{form['flow_id']}",
        token=stack.token,
        json_body=fields,
        timeout=SETUP_TIMEOUT / 1000,
    )
    assert result["type"] == "create_entry", result
    assert result["options"] == {"host_port": stack.host_port}, result
    entry: dict[str, Any] = result["result"]
    return entry


def set_profile_language(stack: Stack, language: str) -> None:
    """Make ``language`` the owner's profile language, as the profile page does (the server's
    language stays as it is).
    """
    value = {"language": language, "number_format": "language", "time_format": "language"}
    value |= {"date_format": "language", "time_zone": "local", "first_weekday": "language"}
    command = {"type": "frontend/set_user_data", "key": "language", "value": value}
    client.websocket_commands(stack.url, stack.token, [command])


# -- finding things on the page ----------------------------------------------------------------


def search_box(page: Page, name: str) -> Locator:
    """A search field: a text box named ``name`` up to 2025; 2026's frontend only shows the
    name as the placeholder of its input (and keeps hidden search fields on the page).
    """
    named = page.get_by_role("textbox", name=name).or_(page.get_by_role("searchbox", name=name))
    field = named.or_(page.locator("input").and_(page.get_by_placeholder(name)))
    return field.filter(visible=True).first


def any_search_box(page: Page) -> Locator:
    """The page's one visible text field, whatever the language (e.g. the devices' search)."""
    field = page.get_by_role("textbox").or_(page.get_by_role("searchbox"))
    return field.filter(visible=True).first


def picker(page: Page, label: str) -> Locator:
    """The field labelled ``label`` ("Trigger", "Action") of the element being edited: a
    select in its card up to 2025; in 2026 a field in the side panel, clicked on its label
    (the panel's subtitle, above it, says the same).
    """
    select = page.get_by_role("combobox", name=label)
    return select.or_(page.get_by_text(label, exact=True).last).first


def picker_showing(page: Page, value: str) -> Locator:
    """The field that shows ``value``, in whatever language: a select in the card (2025) or
    a field in the side panel (2026); the card's heading or the trigger's row, which come
    first, show it too.
    """
    select = page.get_by_role("combobox").filter(has_text=value)
    return select.or_(page.get_by_text(value, exact=True).last).first


def choice(page: Page, text: str, label: str | None = None) -> Locator:
    """An entry of the open picker: an option of the select (2025), or of the list that 2026
    opens as a dialog named after the field (``label``).
    """
    listing = page.get_by_role("dialog", name=label) if label else page.get_by_role("dialog")
    option = page.get_by_role("option", name=text, exact=True)
    return option.or_(listing.get_by_text(text, exact=True)).first


def open_device_page(page: Page, stack: Stack, device: str) -> None:
    """Settings -> Devices, search for ``device`` (in any language) and open its page."""
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    # 2025.4's table has once shown "No data" for good after coming back to it (the devices
    # were there): the page is loaded again then, within the same deadline.
    for attempt in range(1, TABLE_LOADS + 1):
        page.goto(f"{stack.url}/config/devices/dashboard?domain=vitrea")
        try:
            rows = page.get_by_role("rowheader").first
            expect(rows).to_be_visible(timeout=UI_TIMEOUT // TABLE_LOADS)
            break
        except AssertionError:
            if attempt == TABLE_LOADS:
                raise
    # The table only renders the rows in view: search for the device.
    any_search_box(page).fill(device)
    page.get_by_role("rowheader", name=device, exact=True).click()
    expect(page).to_have_url(re.compile(r"/config/devices/device/"))


def open_more_info(page: Page, stack: Stack, name: str) -> Locator:
    """Settings -> Entities, search for the entity named ``name`` and open its more-info
    dialog, which is titled with the name.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    # The table filters as the search is typed and draws its rows again. CI once failed on
    # this page (2025.4, a busy machine; its log kept no error): the page is loaded again if
    # the row or the dialog does not come, within the same deadline.
    more_info = page.locator("ha-more-info-dialog")
    for attempt in range(1, TABLE_LOADS + 1):
        page.goto(f"{stack.url}/config/entities")
        try:
            any_search_box(page).fill(name, timeout=UI_TIMEOUT // TABLE_LOADS)
            row = page.get_by_role("rowheader", name=name, exact=True)
            row = row.or_(page.get_by_role("rowheader").filter(has_text=name)).first
            row.click(timeout=UI_TIMEOUT // TABLE_LOADS)
            title = more_info.get_by_text(name, exact=True).first
            expect(title).to_be_visible(timeout=UI_TIMEOUT // TABLE_LOADS)
            break
        except (AssertionError, PlaywrightTimeout):
            if attempt == TABLE_LOADS:
                raise
    return more_info


def entry_row(page: Page, title: str) -> Locator:
    """An entry's row on its integration's page, by the entry's title: a list item up to
    2025; in 2026 the row above the entry's devices (which its element holds too). Its last
    button opens the entry's menu.
    """
    rows = page.locator("ha-md-list-item, ha-row-item")
    return rows.filter(has=page.get_by_text(title, exact=True))


def field(page: Page, role: Literal["textbox", "spinbutton"], label: str) -> Locator:
    """A field of a form by its label (a required field's has an asterisk)."""
    return page.get_by_role(role, name=re.compile(rf"^{re.escape(label)}\*?$"))


def climate_menus(more_info: Locator) -> Locator:
    """The climate dialog's two menus, whatever the language: the mode's, then the fan's."""
    return more_info.locator("ha-control-select-menu")


def menu_choices(more_info: Locator) -> Locator:
    """The entries of the dialog's open menu: options up to 2025, menu items in 2026."""
    choices = more_info.get_by_role("option").or_(more_info.get_by_role("menuitem"))
    return choices.filter(visible=True)


def add_device_element(page: Page, kind: str, device: str) -> None:
    """In the automation editor: Add ``kind`` (trigger, action) -> Device, then pick the
    device named ``device``.
    """
    page.get_by_role("button", name=f"Add {kind}", exact=True).click()
    # The dialog's element is the same in both releases, its list of building blocks not.
    dialog = page.locator("add-automation-element-dialog")
    dialog.get_by_role("textbox").filter(visible=True).first.fill("Device")
    dialog.get_by_text("Device", exact=True).filter(visible=True).first.click()
    # 2025: a combo box in the new card (the last one); 2026: a field that opens a dialog
    # with a search field and the list.
    devices = page.get_by_role("dialog", name="Device")
    combo_box = page.get_by_role("combobox", name="Device")
    combo_box.or_(page.get_by_text("Select a device")).filter(visible=True).last.click()
    combo_box.or_(devices.get_by_placeholder("Search")).filter(visible=True).last.fill(device)
    option = page.get_by_role("option", name=re.compile(rf"^{re.escape(device)}\b"))
    option.or_(devices.get_by_text(device, exact=True)).filter(visible=True).first.click()


@dataclass(frozen=True)
class Owner:
    """What the owner looks for around the UI: names from the house and the test so far."""

    room: str
    buttons_device: str
    button_key: str
    button_entity: str
    light_key: str
    automation_id: str
    hub_device: str
    firmware: str
    climate: str
    """The living room AC's name: its device's and its climate entity's."""
    scenarios: tuple[str, ...]
    led: str
    """The LED switch of the button key, as the device page lists it ("Party LED")."""
    floors: dict[str, tuple[str, ...]]
    """Each floor's name, and its rooms' (areas')."""

    def trigger_labels(self, language: str) -> list[str]:
        """The names of the button key's three device triggers in ``language``."""
        friendly_name = f"{self.buttons_device} {self.button_key}"
        return [trigger_label(language, press, friendly_name) for press in PRESSES]


# -- the steps ---------------------------------------------------------------------------------


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
    page.get_by_role("spinbutton", name=re.compile(r"^Port\*?$")).fill(str(stack.sim.port))
    # The simulator serves the host interface too: the entry uses both.
    host_port = page.get_by_role("spinbutton", name=re.compile(r"^Host interface port"))
    host_port.fill(str(stack.host_port))
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


def create_press_automation(
    page: Page,
    stack: Stack,
    shots: Screenshots,
    owner: Owner,
    light_device: str,
    light_entity_name: str,
) -> str:
    """Settings -> Automations -> Create automation -> Create new automation, in the UI
    editor: the button key's short press turns the light on. Saved; its ID.
    """
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    page.goto(f"{stack.url}/config/automation/dashboard")
    create = page.get_by_role("button", name="Create automation")
    expect(create).to_be_visible(timeout=UI_TIMEOUT)
    create.click()
    # 2025 lists it as an option; 2026 as a list item that holds its text and its subtitle.
    new = page.get_by_role("option", name=re.compile(r"^Create new automation\b"))
    new.or_(page.get_by_text("Create new automation")).first.click()
    expect(page).to_have_url(re.compile(r"/config/automation/edit/new\b"))

    # When: the key's short press, one of the three triggers of each button key.
    add_device_element(page, "trigger", owner.buttons_device)
    picker(page, "Trigger").click()
    labels = owner.trigger_labels("en")
    for label in labels:
        expect(choice(page, label, "Trigger")).to_be_visible(timeout=UI_TIMEOUT)
    # 2026 lists them in a scrolling dialog with a search field: keep this key's in view.
    narrow = page.get_by_role("dialog", name="Trigger").get_by_placeholder("Search")
    if narrow.count():
        narrow.fill(owner.button_key)
    shots.take(page, "automation-device-triggers")
    choice(page, labels[0], "Trigger").click()
    expect(page.get_by_role("heading", name=labels[0], exact=True)).to_be_visible()

    # Then: the light's device action "Turn on" (Home Assistant's name for it).
    add_device_element(page, "action", light_device)
    picker(page, "Action").click()
    turn_on = f"Turn on {light_entity_name}"
    choice(page, turn_on, "Action").click()
    expect(page.get_by_role("heading", name=turn_on, exact=True)).to_be_visible()

    page.get_by_role("button", name="Save", exact=True).first.click()
    page.get_by_role("textbox", name="Name").fill(AUTOMATION_NAME)
    page.get_by_role("button", name="Save", exact=True).last.click()
    saved = re.compile(r"/config/automation/edit/(?!new\b)([^/?#]+)")
    expect(page).to_have_url(saved, timeout=UI_TIMEOUT)
    expect(page.get_by_text(AUTOMATION_NAME, exact=True).first).to_be_visible()
    shots.take(page, "automation-saved")
    match = saved.search(page.url)
    assert match is not None
    return match.group(1)


def use_the_host_interface(
    page: Page, stack: Stack, shots: Screenshots, owner: Owner, scenario: dict[str, Any]
) -> None:
    """What only the host interface does, from the UI: the AC's mode and target temperature
    in its more-info dialog, a scenario from the vBox's device page, a key's LED from its
    node's device page. The simulator does each.
    """
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    # The AC: off at first; its mode menu lists its type's four modes; Cool switches it on.
    ac = simulated_ac(stack, AC_ID)
    assert (ac["name"], ac["on"]) == (owner.climate, False)
    more_info = open_more_info(page, stack, owner.climate)
    expect(climate_menus(more_info)).to_have_count(2)
    climate_menus(more_info).first.click()
    expect(menu_choices(more_info)).to_have_count(4)  # off, cool, heat, fan only
    menu_choices(more_info).filter(has_text=re.compile(r"^\s*Cool\s*$")).click()
    wait_for(
        f"the simulated AC {AC_ID} after the UI switched it to cool",
        lambda: simulated_ac(stack, AC_ID),
        lambda ac: ac["on"] and ac["mode"] == "cool",
        STATE_TIMEOUT,
    )
    # One degree up, with the keyboard on the dial (its buttons have no names).
    setpoint = ac["setpoint"] + 1
    dial = more_info.get_by_role("slider").first
    dial.focus()
    dial.press("ArrowUp")
    wait_for(
        f"the simulated AC {AC_ID}'s setpoint after the UI raised it",
        lambda: simulated_ac(stack, AC_ID)["setpoint"],
        lambda value: value == setpoint,
        STATE_TIMEOUT,
    )
    expect(more_info.get_by_text(str(setpoint), exact=True)).to_be_visible()
    shots.take(page, "ac-cool-from-the-ui")

    # A scenario, run from the vBox's device page, where the scenes are listed by name: the
    # host interface gets its H:R line, and the simulated keys do as the scenario says.
    open_device_page(page, stack, owner.hub_device)
    rows = page.locator("hui-scene-entity-row")
    expect(rows).to_have_count(len(owner.scenarios), timeout=UI_TIMEOUT)
    first = scenario["actions"][0]
    stack.sim.control(f"set {first['node']} {first['key']} {'off' if first['on'] else 'on'}")
    assert not scenario_done(stack, scenario)
    lines = host_lines(stack)
    rows.filter(has_text=scenario["name"]).get_by_role("button", name="Activate").click()
    wait_for(
        f"the simulated keys after the UI ran the scenario {scenario['id']}",
        lambda: scenario_done(stack, scenario),
        bool,
        STATE_TIMEOUT,
    )
    assert host_lines(stack) > lines
    shots.take(page, "scenario-from-the-ui")

    # The button key's LED, a configuration entity of its node's device: lit from the UI.
    assert stack.sim.key_state(BUTTON_NODE, BUTTON_KEY)["led"] is False
    open_device_page(page, stack, owner.buttons_device)
    page.get_by_role("button", name=f"Turn {owner.buttons_device} {owner.led} on").click()
    wait_for(
        f"the LED of the simulated key {BUTTON_NODE}/{BUTTON_KEY} after the UI lit it",
        lambda: stack.sim.key_state(BUTTON_NODE, BUTTON_KEY)["led"],
        lambda led: led is True,
        STATE_TIMEOUT,
    )
    shots.take(page, "led-on-from-the-ui")


def look_at_the_host_interface(
    page: Page, stack: Stack, shots: Screenshots, owner: Owner, language: str
) -> None:
    """What the host interface adds, in the profile language ``language``: the vBox's device
    page, the AC's dialog and its two menus, the floors (one screenshot each).
    """
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    # The vBox's device page: its firmware, and the scenarios as scenes, by their names.
    open_device_page(page, stack, owner.hub_device)
    expect(page.get_by_text(owner.firmware).first).to_be_visible(timeout=UI_TIMEOUT)
    for scenario in owner.scenarios:
        expect(page.get_by_text(scenario, exact=True).first).to_be_visible()
    shots.take(page, f"{language}-vbox-scenes")

    # The AC's dialog, titled with its name, and its menus of modes and fan speeds, which
    # Home Assistant translates (no raw keys).
    more_info = open_more_info(page, stack, owner.climate)
    shots.take(page, f"{language}-ac")
    for index, (name, count) in enumerate((("modes", 4), ("fans", 4))):
        if index:  # afresh: an open menu covers the other one
            more_info = open_more_info(page, stack, owner.climate)
        climate_menus(more_info).nth(index).click()
        choices = menu_choices(more_info)
        expect(choices).to_have_count(count)
        shown = {text.strip() for text in choices.all_inner_texts()}
        assert len(shown) == count, shown
        assert not shown & RAW_CLIMATE_STATES, shown
        shots.take(page, f"{language}-ac-{name}")

    # Settings -> Areas: the vBox's floors, each with its rooms' areas (a tall window holds
    # both floors).
    page.set_viewport_size(TALL_VIEWPORT)
    page.goto(f"{stack.url}/config/areas/dashboard")
    for floor, rooms in owner.floors.items():
        expect(page.get_by_text(floor, exact=True)).to_be_visible(timeout=UI_TIMEOUT)
        for room in rooms:
            expect(page.get_by_text(room, exact=True).first).to_be_visible()
    shots.take(page, f"{language}-floors")
    page.set_viewport_size(VIEWPORT)


def look_around(page: Page, stack: Stack, shots: Screenshots, owner: Owner, language: str) -> None:
    """With the profile language ``language``: the devices page, the button node's device (its
    LED switches too), what the host interface adds (``look_at_the_host_interface``), the
    Overview's garden, the automation's trigger list, the logbook (one screenshot each).
    Nothing is found by the frontend's own words, which are translated: by names only.
    """
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    set_profile_language(stack, language)
    direction = "rtl" if language == "he" else "ltr"

    page.goto(f"{stack.url}/config/devices/dashboard?domain=vitrea")
    expect(page.locator("html")).to_have_attribute("lang", language, timeout=UI_TIMEOUT)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.get_by_role("rowheader").first).to_be_visible(timeout=UI_TIMEOUT)
    shots.take(page, f"{language}-devices")

    # The device page lists its keys by their own names (the device's is its title), and
    # their LED switches under Configuration.
    open_device_page(page, stack, owner.buttons_device)
    expect(page.get_by_text(owner.button_key, exact=True).first).to_be_visible(timeout=UI_TIMEOUT)
    led = page.get_by_text(owner.led, exact=True).first  # and in the logbook (2026)
    led.scroll_into_view_if_needed()
    expect(led).to_be_visible()
    shots.take(page, f"{language}-device")

    look_at_the_host_interface(page, stack, shots, owner, language)

    # 2025's Overview has a card per area, titled with its name; 2026's a tile per area,
    # which opens the area's view.
    page.goto(f"{stack.url}/")
    tile = page.get_by_role("button", name=owner.room, exact=True)
    title = page.get_by_text(owner.room, exact=True)
    expect(tile.or_(title).first).to_be_visible(timeout=UI_TIMEOUT)
    if tile.count():
        tile.click()
    else:
        title.scroll_into_view_if_needed()
    expect(page.get_by_text(owner.light_key).first).to_be_visible(timeout=UI_TIMEOUT)
    shots.take(page, f"{language}-overview")

    # The automation's trigger, and the list it was picked from, in this language.
    labels = owner.trigger_labels(language)
    page.goto(f"{stack.url}/config/automation/edit/{owner.automation_id}")
    trigger = page.get_by_role("heading", name=labels[0], exact=True)
    expect(trigger).to_be_visible(timeout=UI_TIMEOUT)
    trigger.click()
    picker_showing(page, labels[0]).click()
    for label in labels:
        expect(choice(page, label)).to_be_visible(timeout=UI_TIMEOUT)
    shots.take(page, f"{language}-device-triggers")
    page.keyboard.press("Escape")

    # The logbook: the press (the event entity's line, in this language) and the automation
    # it ran.
    page.goto(f"{stack.url}/logbook")
    message = press_message(stack, owner.button_entity, language, "short_press")
    expect(page.get_by_text(message).first).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_text(AUTOMATION_NAME).first).to_be_visible()
    shots.take(page, f"{language}-logbook")


def reconfigure_host_only(
    page: Page, stack: Stack, shots: Screenshots, title: str, language: str
) -> None:
    """With the profile language ``language``: the integration's page, the menu of the entry
    titled ``title`` (of the host interface alone) -> Reconfigure. The dialog shows the step
    of a host-only entry in this language: its title, its description with the host
    interface's port, its fields as the entry has them; a username without its password is
    refused with the step's error (one screenshot each). The dialog is closed.
    """
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    set_profile_language(stack, language)
    config = strings(language)["config"]
    step = config["step"]["reconfigure_host_only"]

    page.goto(f"{stack.url}/config/integrations/integration/vitrea")
    expect(page.locator("html")).to_have_attribute("lang", language, timeout=UI_TIMEOUT)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "he" else "ltr")
    row = entry_row(page, title)
    expect(row).to_be_visible(timeout=UI_TIMEOUT)
    row.get_by_role("button").last.click()
    reconfigure = frontend_strings(language, "config")[RECONFIGURE]
    page.get_by_role("menuitem", name=reconfigure, exact=True).click()

    # The config flow's dialog (its element differs between releases; nothing else on the
    # page has this title or these fields).
    heading = page.get_by_text(step["title"], exact=True)
    expect(heading).to_be_visible(timeout=UI_TIMEOUT)
    description = step["description"].format(host_port=stack.host_port)
    expect(page.get_by_text(description, exact=True)).to_be_visible()
    labels = step["data"]
    expect(field(page, "textbox", labels["host"])).to_have_value(HOST_ONLY_HOST)
    expect(field(page, "spinbutton", labels["port"])).to_have_value(str(stack.sim.port))
    username = field(page, "textbox", labels["username"])
    expect(username).to_be_empty()
    expect(field(page, "textbox", labels["password"])).to_be_empty()
    shots.take(page, f"{language}-reconfigure-host-only")

    # A username alone, submitted with the Enter key: the step asks for both or neither.
    username.fill(VBOX_USERNAME)
    username.press("Enter")
    error = page.get_by_text(config["error"]["credentials_incomplete"], exact=True)
    expect(error).to_be_visible(timeout=UI_TIMEOUT)
    expect(heading).to_be_visible()
    shots.take(page, f"{language}-reconfigure-credentials-incomplete")

    # Closed with its close button: the Escape key is not heard once the form has been
    # submitted (in 2026, with the focus on the page; in 2025, with it back in a field).
    page.get_by_role("button", name=frontend_strings(language)[CLOSE], exact=True).click()
    expect(heading).to_be_hidden(timeout=UI_TIMEOUT)


# -- the logbook: one line per press -----------------------------------------------------------


def iso_time(moment: datetime) -> str:
    """``moment`` (UTC) as both the logbook's REST API and its page's URL take it."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def logbook_rows(stack: Stack, since: str, entity_id: str | None = None) -> list[dict[str, Any]]:
    """The logbook's rows since ``since`` (ISO time), of ``entity_id`` or all, as the
    logbook's REST API gives them (the same processing as the logbook page's)."""
    query = f"?entity={entity_id}" if entity_id else ""
    _, rows = client.request("GET", f"{stack.url}/api/logbook/{since}{query}", token=stack.token)
    return list(rows)


def logbook_names_the_press(stack: Stack, entity_id: str) -> bool:
    """Whether this Home Assistant's logbook gives an event entity's lines their event type
    (2026.10 does, 2025.4 not): its frontend then writes the press, else "detected an event"
    (docs/presses.md). Read from the entity's last row of the last hour."""
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    rows = logbook_rows(stack, iso_time(hour_ago), entity_id)
    assert rows, f"no logbook line of {entity_id}"
    return "attributes" in rows[-1]


def press_message(stack: Stack, entity_id: str, language: str, press: str) -> str:
    """What the logbook page writes after the key's name for ``press`` with the profile
    language ``language``: the press, as the integration translates the event entity's event
    types, or the frontend's own "detected an event" where the logbook cannot say which."""
    if logbook_names_the_press(stack, entity_id):
        event_types = strings(language)["entity"]["event"]["key_press"]["state_attributes"]
        message: str = event_types["event_type"]["state"][press]
        return message
    return frontend_strings(language)["ui.components.logbook.messages.detected_event_no_type"]


def press_long_and_short(stack: Stack, entity: str) -> tuple[str, dict[str, Any]]:
    """A long press of the button key at the wall, its release, then a short press; the
    time before them (ISO) and the state of the key's event entity ``entity`` after them.

    The short press waits for the long press to be seen: the entity's state is the time of
    its last event, to the millisecond, and an event in the same millisecond as the one
    before it changes no state (so the logbook has no line of it).
    """
    since = iso_time(datetime.now(UTC))
    state = state_of(stack, entity)
    for kind, press, wall in (
        ("long", "long_press", ("long",)),
        ("short", "short_press", ("release", "short")),
    ):
        before = state["state"]
        for action in wall:  # the short press comes last: once seen, the release was too
            stack.sim.control(f"press {BUTTON_NODE} {BUTTON_KEY} {action}")
        state = wait_for(
            f"{entity} after the {kind} press",
            lambda: state_of(stack, entity),
            lambda state, before=before, press=press: (
                state["state"] != before and state["attributes"].get("event_type") == press
            ),
            STATE_TIMEOUT,
        )
    return since, state


def one_logbook_line_per_press(page: Page, stack: Stack, shots: Screenshots, owner: Owner) -> None:
    """With the server's and the profile's language English, then Hebrew: a long press of the
    button key at the wall, its release and a short press are two lines in the logbook, the
    key's event entity's (REST: its rows since the presses, none of the integration's own;
    the page, filtered to the key: one line per press, in this language). One screenshot per
    language. The server's language is English again afterwards.
    """
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    entity = owner.button_entity
    for language in LANGUAGES:
        client.set_language(stack.url, stack.token, language)
        set_profile_language(stack, language)
        since, short = press_long_and_short(stack, entity)
        rows = wait_for(
            f"the logbook's line of the short press of {entity}",
            lambda since=since: logbook_rows(stack, since),
            lambda rows, short=short: any(row.get("state") == short["state"] for row in rows),
            STATE_TIMEOUT,
        )
        ours = [row for row in rows if row.get("domain") == "vitrea"]
        assert ours == [], "the integration writes no line of its own"
        lines = [row for row in rows if row.get("entity_id") == entity]
        assert len(lines) == 2, lines  # the long press and the short press; no release
        assert {row["name"] for row in lines} == {short["attributes"]["friendly_name"]}
        if logbook_names_the_press(stack, entity):
            presses = [row["attributes"]["event_type"] for row in lines]
            assert sorted(presses) == ["long_press", "short_press"], lines

        messages = [press_message(stack, entity, language, press) for press in PRESSES[:2]]
        # 2025.4's page has once drawn both lines without their message, for good, right
        # after the profile's language changed: the page is loaded again then, within the
        # same deadline.
        for attempt in range(1, TABLE_LOADS + 1):
            page.goto(f"{stack.url}/logbook?entity_id={entity}&start_date={since}")
            expect(page.locator("html")).to_have_attribute("lang", language, timeout=UI_TIMEOUT)
            try:
                for message in set(messages):
                    count = messages.count(message)  # 2025.4 writes both as "detected an event"
                    expect(page.get_by_text(message)).to_have_count(
                        count, timeout=UI_TIMEOUT // TABLE_LOADS
                    )
                break
            except AssertionError:
                if attempt == TABLE_LOADS:
                    raise
        shots.take(page, f"{language}-logbook-one-line-per-press")
    client.set_language(stack.url, stack.token, "en")


def test_add_vitrea_and_switch_a_light_in_the_browser(  # noqa: PLR0915 - one story, step by step
    stack: Stack, page: Page, screenshots: Screenshots, house: dict[str, Any]
) -> None:
    from playwright.sync_api import expect  # noqa: PLC0415 - skipped without playwright

    light_node = node_of(house, LIGHT_NODE)
    light_key = light_node["keys"][LIGHT_KEY]
    assert (light_key["type"], light_key["category"], light_key["on"]) == ("toggle", "light", False)
    light_name: str = light_key["name"]
    automated_key = light_node["keys"][AUTOMATED_KEY]
    assert (automated_key["type"], automated_key["category"]) == ("toggle", "light")
    button_key = node_of(house, BUTTON_NODE)["keys"][BUTTON_KEY]
    assert button_key["type"] == "satellite"
    assert node_of(house, BUTTON_NODE)["room"] == light_node["room"]
    light_device = device_name(house, LIGHT_NODE)
    buttons_device = device_name(house, BUTTON_NODE)
    hub_device: str = strings("en")["device"]["hub"]["name"].format(host=stack.sim.host)

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
                if entity_id.split(".")[0] in {"light", "switch", "cover", "climate"}
                # An LED's state is assumed: the vBox never reports it.
                and not state["attributes"].get("assumed_state")
            )
        ),
        STATE_TIMEOUT,
    )
    assert not [e for e, s in states.items() if s["state"] == "unavailable"]

    # The host interface is in use: the simulator has a host client, the vBox's device shows
    # its firmware.
    assert stack.sim.control("stats")["stats"]["host_clients"] == 1
    firmware = device_entry(stack, hub_device)["sw_version"]
    assert firmware == "9.66"  # the simulator's "966"
    (registered,) = client.websocket_commands(
        stack.url, stack.token, [{"type": "config/device_registry/list"}]
    )
    devices = sum(entry["entry_id"] in device["config_entries"] for device in registered)
    # The vBox, its wall units and ACs, a device per key that drives something, and one per
    # scenario of a room (docs/identity.md).
    assert devices > len(house["nodes"]) + len(house["acs"]) + 1
    expect(page.get_by_role("link", name=f"{devices} devices").first).to_be_visible()
    # The entities, those disabled by default too (an on/off light's "Turns off at" sensor).
    entities = sum(e["config_entry_id"] == entry["entry_id"] for e in registry(stack))
    assert entities > len(states)
    expect(page.get_by_role("link", name=f"{entities} entities").first).to_be_visible()
    screenshots.take(page, "vitrea-integration")

    page.goto(f"{stack.url}/config/devices/dashboard?domain=vitrea")
    search = search_box(page, f"Search {devices} devices")
    expect(search).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_role("rowheader").first).to_be_visible()
    screenshots.take(page, "vitrea-devices")
    # The table only renders the rows in view: search for the hub, then the light's node.
    for name in (hub_device, light_device):
        search.fill(name)
        expect(page.get_by_role("rowheader", name=name, exact=True)).to_be_visible()

    # -- 3. switch the light on in its more-info dialog ----------------------------------------
    light_id = key_entity(stack, "light", LIGHT_NODE, LIGHT_KEY)
    friendly_name = states[light_id]["attributes"]["friendly_name"]
    assert friendly_name == light_name  # the key's device's name: the key's
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
        lambda: stack.sim.key_state(LIGHT_NODE, LIGHT_KEY)["on"],
        lambda on: on is True,
        STATE_TIMEOUT,
    )
    screenshots.take(page, "light-on-from-the-ui")

    # -- 4. switch it off at the wall: the open dialog follows -----------------------------------
    stack.sim.control(f"set {LIGHT_NODE} {LIGHT_KEY} off")
    expect(toggle).not_to_be_checked(timeout=STATE_TIMEOUT * 1000)
    expect(more_info.get_by_text("Off", exact=True)).to_be_visible(timeout=STATE_TIMEOUT * 1000)
    assert state_of(stack, light_id)["state"] == "off"
    screenshots.take(page, "light-off-from-the-wall")

    # -- 5. an automation in the UI editor: the wall key's short press turns a light on ----------
    (ac,) = (ac for ac in house["acs"] if ac["id"] == AC_ID)
    assert (ac["type"], ac["on"], ac["mode"]) == (2, False, "cool")  # as AC_ID says
    rooms = {room["id"]: room for room in house["rooms"]}
    used = {node["room"] for node in house["nodes"]} | {ac["room"] for ac in house["acs"]}
    owner = Owner(
        room=room_of(house, LIGHT_NODE),
        buttons_device=buttons_device,
        button_key=button_key["name"],
        button_entity=key_entity(stack, "event", BUTTON_NODE, BUTTON_KEY),
        light_key=automated_key["name"],
        automation_id="",
        hub_device=hub_device,
        firmware=firmware,
        climate=ac["name"],
        scenarios=tuple(s["name"] for s in house["scenarios"] if s["room"] is None),
        led=strings("en")["entity"]["switch"]["led"]["name"].format(key=button_key["name"]),
        floors={
            floor["name"]: tuple(
                rooms[room]["name"] for room in sorted(used) if rooms[room]["floor"] == floor["id"]
            )
            for floor in house["floors"]
        },
    )
    automated_id = key_entity(stack, "light", LIGHT_NODE, AUTOMATED_KEY)
    automation_id = create_press_automation(
        page,
        stack,
        screenshots,
        owner,
        automated_key["name"],
        states[automated_id]["attributes"]["friendly_name"],
    )
    automation = wait_for(
        f"the automation {automation_id}'s entity",
        lambda: next(
            (
                state
                for state in client.request("GET", f"{stack.url}/api/states", token=stack.token)[1]
                if state["entity_id"].startswith("automation.")
                and state["attributes"].get("id") == automation_id
            ),
            None,
        ),
        lambda state: state is not None and state["state"] == "on",
        STATE_TIMEOUT,
    )
    assert automation is not None
    assert automation["attributes"]["last_triggered"] is None
    assert automation_runs(stack, automation_id) == 0

    # -- 6. press the key at the wall: the light goes on, the automation ran once -----------------
    stack.sim.control(f"set {LIGHT_NODE} {AUTOMATED_KEY} off")
    wait_for(
        f"{automated_id} after the wall switched it off",
        lambda: state_of(stack, automated_id)["state"],
        lambda state: state == "off",
        STATE_TIMEOUT,
    )
    stack.sim.control(f"press {BUTTON_NODE} {BUTTON_KEY} short")
    wait_for(
        f"the simulated key {LIGHT_NODE}/{AUTOMATED_KEY} after the press",
        lambda: stack.sim.key_state(LIGHT_NODE, AUTOMATED_KEY)["on"],
        lambda on: on is True,
        STATE_TIMEOUT,
    )
    wait_for(
        f"{automated_id} after the press",
        lambda: state_of(stack, automated_id)["state"],
        lambda state: state == "on",
        STATE_TIMEOUT,
    )
    assert state_of(stack, automation["entity_id"])["attributes"]["last_triggered"] is not None
    assert automation_runs(stack, automation_id) == 1
    # A long press of the same key is another trigger: the automation does not run for it.
    stack.sim.control(f"press {BUTTON_NODE} {BUTTON_KEY} long")
    wait_for(
        f"{owner.button_entity} after the long press",
        lambda: state_of(stack, owner.button_entity)["attributes"].get("event_type"),
        lambda event_type: event_type == "long_press",
        STATE_TIMEOUT,
    )
    assert automation_runs(stack, automation_id) == 1

    # -- 7. the host interface: the AC, a scenario, an LED -----------------------------------
    (scenario,) = (s for s in house["scenarios"] if s["id"] == SCENARIO_ID)
    use_the_host_interface(page, stack, screenshots, owner, scenario)
    climate_id = next(
        e for e, s in states.items() if s["attributes"]["friendly_name"] == ac["name"]
    )
    climate = state_of(stack, climate_id)
    assert (climate["state"], climate["attributes"]["temperature"]) == ("cool", ac["setpoint"] + 1)
    scene_id = next(
        e
        for e, s in states.items()
        if s["attributes"]["friendly_name"] == f"{hub_device} {scenario['name']}"
    )
    assert state_of(stack, scene_id)["state"] not in {"unknown", "unavailable"}  # when it ran
    led_id = next(
        e
        for e, s in states.items()
        if s["attributes"]["friendly_name"] == f"{buttons_device} {owner.led}"
    )
    assert state_of(stack, led_id)["state"] == "on"

    # -- 8. the owner looks around, in English and in Hebrew -----------------------------------
    owner = replace(owner, automation_id=automation_id)
    for language in LANGUAGES:
        look_around(page, stack, screenshots, owner, language)

    one_logbook_line_per_press(page, stack, screenshots, owner)

    # -- 8b. the owner's daily view, with the server's and the profile's language the same ------
    for language in LANGUAGES:
        client.set_language(stack.url, stack.token, language)
        set_profile_language(stack, language)
        if language != "en":
            # Home Assistant names entities in its language as the entry sets up (in English
            # here): the entry is loaded again, as a restart in this language would.
            reload = f"{stack.url}/api/config/config_entries/entry/{entry['entry_id']}/reload"
            client.request("POST", reload, token=stack.token, timeout=SETUP_TIMEOUT / 1000)
            client.wait_for_entry(stack.url, stack.token, entry["entry_id"], timeout=STATE_TIMEOUT)
        owner_view.walk(page, stack, screenshots, house, language, screenshots.directory)
    client.set_language(stack.url, stack.token, "en")

    # -- 9. an entry of the host interface alone, reconfigured ---------------------------------
    host_only = add_host_only_entry(stack, HOST_ONLY_HOST)
    title = f"Vitrea vBox ({HOST_ONLY_HOST})"
    assert host_only["title"] == title
    client.wait_for_entry(stack.url, stack.token, host_only["entry_id"], timeout=STATE_TIMEOUT)
    for language in LANGUAGES:
        reconfigure_host_only(page, stack, screenshots, title, language)
    # The refused form changed nothing: both entries are loaded, with their titles.
    entries = {e["title"]: e["state"] for e in client.vitrea_entries(stack.url, stack.token)}
    assert entries == {f"Vitrea vBox ({stack.sim.host})": "loaded", title: "loaded"}
