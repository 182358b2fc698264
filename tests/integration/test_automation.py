"""An automation reacting to a press on the wall and driving another key of the house."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.integration.helpers import until
from vbox_simulator import VBoxSimulator

BELL = "event.vt_mw4_sr4_st4_10a_1_p_mvn"
LAMP = "light.vt_mw4_ud2_sr2_10a_3_lamp"


async def test_short_press_switches_a_light_on(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, simulator: VBoxSimulator
) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Bell lights the lamp",
                "triggers": [{"trigger": "state", "entity_id": BELL}],
                "conditions": [
                    {
                        "condition": "template",
                        "value_template": (
                            "{{ trigger.to_state.attributes.event_type == 'short_press' }}"
                        ),
                    }
                ],
                "actions": [{"action": "light.turn_on", "target": {"entity_id": LAMP}}],
            }
        },
    )
    lamp = simulator.house.key(3, 3)
    await simulator.press(1, 2, "long")
    await until(lambda: hass.states.get(BELL).attributes.get("event_type") == "long_press")
    await hass.async_block_till_done()
    assert not lamp.on
    await simulator.press(1, 2, "short")
    await until(lambda: lamp.on)
    await until(lambda: hass.states.get(LAMP).state == "on")
