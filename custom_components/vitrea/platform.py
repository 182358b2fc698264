"""Shared setup of the platforms: entities for today's nodes and keys, and for later ones.

Each new entity suggests its entity ID: its wall unit's name and its own, as Home Assistant
2025 derives it (``switch.kitchen_keypad_lock``); a key with a device of its own, its room's
name and the key's (``light.kitchen_spots``), and for another entity of the key its own name
after them (``sensor.kitchen_spots_turns_off_at``). Releases from 2026 put the area first; the
suggestion keeps one form for every release. Entity IDs already in the registry stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_platform
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import slugify

from .const import DOMAIN
from .devices import has_key_device
from .entity import VitreaKeyEntity, async_remove_stale_entities
from .vbox import Interface

if TYPE_CHECKING:
    from homeassistant.helpers.entity import EntityDescription
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .entity import VitreaNodeEntity
    from .vbox import Key, KeyKind, Node

type KeyEntityFactory = Callable[[VitreaCoordinator, Key], VitreaNodeEntity]
type NodeEntityFactory = Callable[[VitreaCoordinator, Node], Iterable[VitreaNodeEntity]]


@callback
def async_setup_key_platform(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: dict[KeyKind, KeyEntityFactory],
) -> None:
    """Create an entity for every key whose kind has a factory, now and for new nodes."""
    coordinator = entry.runtime_data

    def entities(keys: Iterable[Key]) -> list[VitreaNodeEntity]:
        return [
            factory(coordinator, key)
            for key in keys
            if key.kind is not None and (factory := factories.get(key.kind)) is not None
        ]

    add = _adder(entry, async_add_entities)
    add(entities(coordinator.house.all_keys()))
    entry.async_on_unload(
        coordinator.async_add_new_keys_listener(lambda _, keys: add(entities(keys)))
    )


@callback
def async_setup_node_platform(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: NodeEntityFactory,
) -> None:
    """Create the entities ``factory`` makes for every node, now and for new nodes."""
    coordinator = entry.runtime_data

    def entities(nodes: Iterable[Node]) -> list[VitreaNodeEntity]:
        return [entity for node in nodes for entity in factory(coordinator, node)]

    add = _adder(entry, async_add_entities)
    add(entities(coordinator.house.nodes.values()))
    entry.async_on_unload(
        coordinator.async_add_new_keys_listener(lambda nodes, _: add(entities(nodes)))
    )


def _adder(
    entry: VitreaConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> Callable[[list[VitreaNodeEntity]], None]:
    """What adds the platform's entities, now or later, each with the entity ID it suggests."""
    domain = entity_platform.async_get_current_platform().domain

    @callback
    def add(entities: list[VitreaNodeEntity]) -> None:
        for entity in entities:
            _suggest_entity_id(entry.runtime_data, domain, entity)
        async_add_entities(entities)

    return add


@callback
def async_setup_node_settings(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: NodeEntityFactory,
    descriptions: Iterable[EntityDescription],
) -> None:
    """The nodes' settings (keypad lock, backlight), which only VTU serves.

    An entry without VTU gets none, and forgets those it had before this was so.
    """
    if Interface.VTU in entry.runtime_data.house.interfaces:
        async_setup_node_platform(entry, async_add_entities, factory)
        return
    suffixes = tuple(f"_{description.key}" for description in descriptions)
    async_remove_stale_entities(
        entry.runtime_data.hass,
        entry,
        entity_platform.async_get_current_platform().domain,
        (),
        owned=lambda unique_id: unique_id.endswith(suffixes),
    )


def _suggest_entity_id(
    coordinator: VitreaCoordinator, domain: str, entity: VitreaNodeEntity
) -> None:
    """Suggest ``<domain>.<wall unit>_<name>`` or ``<domain>.<room>_<key>[_<name>]``.

    See the module's docstring.
    """
    hass = coordinator.hass
    translations = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)

    def translated(translation_key: str | None, placeholders: Mapping[str, str]) -> str | None:
        template = translations.get(f"component.{DOMAIN}.entity.{domain}.{translation_key}.name")
        return template.format(**placeholders) if template else None

    def own_name() -> str | None:
        return getattr(entity, "_attr_name", None) or translated(
            entity.translation_key, entity.translation_placeholders
        )

    if isinstance(entity, VitreaKeyEntity) and has_key_device(entity.key.kind):
        key = entity.key
        parts = [
            key.room,
            key.name or f"key {key.key_id + 1}",  # as "Key 3" reads in English
            None if entity.describes_key else own_name(),  # a key's timer, say
        ]
    else:
        device = dr.async_get(hass).async_get(coordinator.device_ids[entity.node.node_id])
        parts = [device.name_by_user or device.name if device is not None else None, own_name()]
    object_id = slugify(" ".join(part for part in parts if part))
    if object_id:
        entity.entity_id = f"{domain}.{object_id}"
