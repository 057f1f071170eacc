"""Data ownership: `Plan` -> one row per entity with its owner, who else writes or reads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import SHARED_SERVICE, Plan
from decompose.render.format import plural
from decompose.render.links import ServiceLink, link_for

# Past this many entities the table starts collapsed.
OPEN_LIMIT = 40


@dataclass(frozen=True, slots=True)
class OwnershipRow:
    """An entity, the one service owning it, and the others touching it."""

    entity: str  # class name
    qualname: str
    table: str
    owner: ServiceLink
    fields: str  # "12 fields"
    writers: tuple[ServiceLink, ...]  # other services writing it: violations to resolve
    readers: tuple[ServiceLink, ...]
    reason: str
    undecided: bool  # no service touches it: the shared kernel keeps it for now


@dataclass(frozen=True, slots=True)
class OwnershipSection:
    """The data ownership table and what it adds up to."""

    summary: str
    rows: tuple[OwnershipRow, ...]
    open: bool


def build_ownership(plan: Plan, links: Mapping[str, ServiceLink]) -> OwnershipSection | None:
    """Entities by owner (plan order), then by name; None when the plan found no entity."""
    ownership = plan.interfaces.ownership
    if not ownership:
        return None
    order = {s.name: i for i, s in enumerate(plan.services)}
    rows = tuple(
        OwnershipRow(
            entity=o.entity.rsplit(".", 1)[-1],
            qualname=o.entity,
            table=o.table,
            owner=link_for(o.owner, links),
            fields=plural(len(o.fields), "field"),
            writers=tuple(link_for(s, links) for s in o.writers),
            readers=tuple(link_for(s, links) for s in o.readers),
            reason=o.reason,
            undecided=o.owner == SHARED_SERVICE,
        )
        for o in sorted(ownership, key=lambda o: (order.get(o.owner, len(order)), o.entity))
    )
    foreign = sum(1 for o in ownership if o.writers)
    shared = sum(1 for o in ownership if o.readers)
    summary = (
        f"{plural(len(ownership), 'entity', 'entities')}, each owned by exactly one service. "
        f"{plural(foreign, 'entity', 'entities')} {'is' if foreign == 1 else 'are'} also written "
        f"by another service (a violation of share-nothing, listed under Contracts with the "
        f"operation replacing it); {plural(shared, 'entity', 'entities')} "
        f"{'is' if shared == 1 else 'are'} read elsewhere, through a query or a local read model."
    )
    return OwnershipSection(summary, rows, len(rows) <= OPEN_LIMIT)
