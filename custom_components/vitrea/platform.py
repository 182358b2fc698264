"""Shared setup of the key platforms: entities for today's nodes and for nodes added later."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from homeassistant.core import callback

if TYPE_CHECKING:
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry, VitreaCoordinator
    from .models import KeyInfo, KeyKind, NodeInfo

type KeyEntityFactory = Callable[[VitreaCoordinator, KeyInfo], Entity]
type NodeEntityFactory = Callable[[VitreaCoordinator, NodeInfo], Iterable[Entity]]


@callback
def async_setup_key_platform(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: dict[KeyKind, KeyEntityFactory],
) -> None:
    """Create an entity for every key whose kind has a factory, now and for new nodes."""

    def entities(node: NodeInfo) -> Iterable[Entity]:
        for key in node.keys:
            factory = factories.get(key.kind) if key.kind is not None else None
            if factory is not None:
                yield factory(coordinator, key)

    coordinator = entry.runtime_data
    async_setup_node_platform(entry, async_add_entities, lambda _, node: entities(node))


@callback
def async_setup_node_platform(
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: NodeEntityFactory,
) -> None:
    """Create the entities ``factory`` makes for every node, now and for new nodes."""
    coordinator = entry.runtime_data

    @callback
    def add(nodes: Iterable[NodeInfo]) -> None:
        async_add_entities(entity for node in nodes for entity in factory(coordinator, node))

    add(coordinator.data.topology.nodes.values())
    entry.async_on_unload(coordinator.async_add_nodes_listener(add))
