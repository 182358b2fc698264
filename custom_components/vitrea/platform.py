"""Shared setup of the platforms: entities for today's nodes, and for nodes added later."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from homeassistant.core import callback

if TYPE_CHECKING:
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .vbox import Key, KeyKind, Node

type KeyEntityFactory = Callable[[VitreaCoordinator, Key], Entity]
type NodeEntityFactory = Callable[[VitreaCoordinator, Node], Iterable[Entity]]


@callback
def async_setup_key_platform(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: dict[KeyKind, KeyEntityFactory],
) -> None:
    """Create an entity for every key whose kind has a factory, now and for new nodes."""

    def entities(coordinator: VitreaCoordinator, node: Node) -> Iterable[Entity]:
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

    @callback
    def add(nodes: Iterable[Node]) -> None:
        async_add_entities(entity for node in nodes for entity in factory(coordinator, node))

    add(coordinator.house.nodes.values())
    entry.async_on_unload(coordinator.async_add_nodes_listener(add))
