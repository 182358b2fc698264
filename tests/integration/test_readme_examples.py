"""The README's automation examples, as written, in Home Assistant on the demo house."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.vitrea.const import DOMAIN
from tests.integration.helpers import setup_entry
from vbox_simulator import House, VBoxSimulator
from vbox_simulator.pytest_plugin import SimFactory, until

README = Path(__file__).parents[2] / "README.md"
DEMO_HOUSE = Path(__file__).parents[2] / "vbox_simulator" / "demo_house.json"


def examples() -> dict[str, dict[str, Any]]:
    """Each complete automation of the README's "Automation examples", by alias."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Automation examples", 1)[1].split("\n## ", 1)[0]
    found = [
        yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    ]
    return {example["alias"]: example for example in found if "alias" in example}


EXAMPLES = examples()


@pytest.fixture
async def sim(make_sim: SimFactory) -> VBoxSimulator:
    """The demo house, as ``scripts/develop`` runs it."""
    return await make_sim(House.load(DEMO_HOUSE))


@pytest.fixture
async def demo(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, sim: VBoxSimulator
) -> AsyncIterator[VBoxSimulator]:
    """Home Assistant (in English) with the demo house and every README example loaded."""
    assert await async_setup_component(hass, "persistent_notification", {})
    assert await setup_entry(hass, mock_config_entry)
    assert await async_setup_component(hass, "automation", {"automation": list(EXAMPLES.values())})
    await hass.async_block_till_done()
    yield sim
    # Their time triggers stop with them.
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


def named_entities(node: object) -> set[str]:
    """Every entity ID an example's targets name."""
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == "entity_id":
                found |= {value} if isinstance(value, str) else set(value)
            else:
                found |= named_entities(value)
        return found
    if isinstance(node, list):
        return set().union(*map(named_entities, node))
    return set()


def test_the_readme_has_the_examples() -> None:
    assert set(EXAMPLES) == {
        "Garden: All off",
        "Doorbell",
        "Party: blinds half open",
        "Boiler: 45 minutes before the morning showers",
        "Night mode",
    }


async def test_every_entity_the_examples_name_exists(
    hass: HomeAssistant, demo: VBoxSimulator
) -> None:
    named = named_entities(list(EXAMPLES.values()))
    ours = {
        entry.entity_id
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
    }
    assert named
    assert named <= ours, named - ours
    automations = hass.states.async_entity_ids("automation")
    assert len(automations) == len(EXAMPLES)
    assert all(hass.states.get(automation).state == "on" for automation in automations)  # type: ignore[union-attr]


async def test_all_off_key(hass: HomeAssistant, demo: VBoxSimulator) -> None:
    garden = [demo.house.key(30, 0), demo.house.key(30, 1)]
    await demo.set_key(30, 0, on=True)
    await demo.set_key(30, 1, on=True)
    await demo.press(31, 1, "short")
    await until(lambda: not any(key.on for key in garden))


async def test_doorbell(hass: HomeAssistant, demo: VBoxSimulator) -> None:
    await demo.press(1, 4, "short")
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    await until(
        lambda: any(n["message"] == "Someone is at the door" for n in notifications.values())
    )


async def test_party_long_press(hass: HomeAssistant, demo: VBoxSimulator) -> None:
    blind = demo.house.key(26, 0)
    await demo.press(31, 2, "short")  # another trigger
    await demo.press(31, 2, "long")
    await until(lambda: blind.level == 50)


@pytest.mark.parametrize(
    ("alias", "done"),
    [
        ("Boiler: 45 minutes before the morning showers", lambda sim: sim.house.key(21, 0).on),
        (
            "Night mode",
            lambda sim: sim.house.node(19).locked and sim.house.node(19).led.name == "LOW",
        ),
    ],
)
async def test_timed_examples(
    hass: HomeAssistant, demo: VBoxSimulator, alias: str, done: Any
) -> None:
    [automation] = [
        entity
        for entity in hass.states.async_entity_ids("automation")
        if hass.states.get(entity).attributes.get("friendly_name") == alias  # type: ignore[union-attr]
    ]
    await hass.services.async_call(
        "automation", "trigger", {"entity_id": automation, "skip_condition": True}, blocking=True
    )
    await until(lambda: done(demo))
