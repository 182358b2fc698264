"""An automation reacting to a press on the wall and driving another key of the house."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.integration.helpers import BELL, TOGGLE_LIGHT, entity_id
from vbox_simulator import VBoxSimulator
from vbox_simulator.pytest_plugin import until


async def test_short_press_switches_a_light_on(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: VBoxSimulator
) -> None:
    bell, lamp = entity_id(hass, BELL), entity_id(hass, TOGGLE_LIGHT)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Bell lights the lamp",
                "triggers": [{"trigger": "state", "entity_id": bell}],
                "conditions": [
                    {
                        "condition": "template",
                        "value_template": (
                            "{{ trigger.to_state.attributes.event_type == 'short_press' }}"
                        ),
                    }
                ],
                "actions": [{"action": "light.turn_on", "target": {"entity_id": lamp}}],
            }
        },
    )
    key = sim.house.key(3, 3)
    await sim.press(1, 2, "long")
    await until(lambda: hass.states.get(bell).attributes.get("event_type") == "long_press")
    await hass.async_block_till_done()
    assert not key.on
    await sim.press(1, 2, "short")
    await until(lambda: key.on)
    await until(lambda: hass.states.get(lamp).state == "on")
