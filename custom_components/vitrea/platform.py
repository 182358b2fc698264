"""Shared setup of the platforms: entities for today's nodes, and for nodes added later.

Each new entity suggests its entity ID: its device's name and its own, as Home Assistant
2025 derives it (``light.kitchen_spots``). Releases from 2026 put the area first, and the
area of a node is the room its device is named after (``light.kitchen_kitchen_spots``);
the suggestion keeps one form for every release. Entity IDs already in the registry stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_platform
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import slugify

from .const import DOMAIN
from .entity import async_remove_stale_entities
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

    def entities(coordinator: VitreaCoordinator, node: Node) -> Iterable[VitreaNodeEntity]:
        for key in node.keys.values():
            factory = factories.get(key.kind) if key.kind is not None else None
            if factory is not None:
                yield factory(coordinator, key)

    async_setup_node_platform(entry, async_add_entities, entities)


@callback
def async_setup_node_platform(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: NodeEntityFactory,
) -> None:
    """Create the entities ``factory`` makes for every node, now and for new nodes."""
    coordinator = entry.runtime_data
    domain = entity_platform.async_get_current_platform().domain

    @callback
    def add(nodes: Iterable[Node]) -> None:
        new = [entity for node in nodes for entity in factory(coordinator, node)]
        for entity in new:
            _suggest_entity_id(coordinator, domain, entity)
        async_add_entities(new)

    add(coordinator.house.nodes.values())
    entry.async_on_unload(coordinator.async_add_nodes_listener(add))


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
    """Suggest ``<domain>.<device name>_<entity name>`` (see the module's docstring)."""
    hass = coordinator.hass
    device = dr.async_get(hass).async_get(coordinator.device_ids[entity.node.node_id])
    name: str | None = getattr(entity, "_attr_name", None)  # a name from the vBox
    if name is None and entity.translation_key is not None:
        translations = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)
        template = translations.get(
            f"component.{DOMAIN}.entity.{domain}.{entity.translation_key}.name"
        )
        name = template.format(**entity.translation_placeholders) if template else None
    device_name = device.name_by_user or device.name if device is not None else None
    object_id = slugify(" ".join(part for part in (device_name, name) if part))
    if object_id:
        entity.entity_id = f"{domain}.{object_id}"
