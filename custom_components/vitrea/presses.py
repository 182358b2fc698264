"""Presses at the wall as Home Assistant events.

Every press of a push-button or satellite key is fired on the bus as ``vitrea_key_press``,
once, as the vBox reports it (a reload, restart or reconnection fires none). Device triggers
(``device_trigger.py``) read it; YAML automations can use it as an event trigger. The event
entities (``event.py``) show the same presses, the release excepted, and write the logbook's
line of each: this event has none (``docs/presses.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN
from .devices import key_unique_id
from .vbox import KeyKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import CALLBACK_TYPE

    from .vbox import Key, Node, Press

EVENT_KEY_PRESS: Final = f"{DOMAIN}_key_press"
"""Data: ``device_id`` (the node's device), ``entity_id`` (the key's event entity, if it has
one), ``node_id``, ``key_id`` (as the vBox numbers them, from 0), ``name`` (the key's name in
the vBox) and ``type`` (``short_press``, ``long_press`` or ``release``)."""


@callback
def async_fire_presses(
    hass: HomeAssistant, nodes: Iterable[Node], box_id: str, device_ids: dict[int, str]
) -> list[CALLBACK_TYPE]:
    """Fire :data:`EVENT_KEY_PRESS` for each press of a button key of ``nodes``.

    ``box_id`` and ``device_ids`` (each node's device registry ID) name the event's entity
    and device.

    Returns the unsubscribe callbacks.
    """

    def follow(node: Node, key: Key) -> CALLBACK_TYPE:
        @callback
        def fire(press: Press) -> None:
            hass.bus.async_fire(
                EVENT_KEY_PRESS,
                {
                    "device_id": device_ids[node.node_id],
                    "entity_id": er.async_get(hass).async_get_entity_id(
                        "event", DOMAIN, key_unique_id(box_id, node.node_id, key.key_id)
                    ),
                    "node_id": node.node_id,
                    "key_id": key.key_id,
                    "name": key.name,
                    "type": press.value,
                },
            )

        return key.on_press(fire)

    return [
        follow(node, key)
        for node in nodes
        for key in node.keys.values()
        if key.kind is KeyKind.BUTTON
    ]
