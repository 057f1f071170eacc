"""Cycles of synchronous calls between services: `Plan` -> rows with the code and the fix.

Unlike the structural cycles (imports and calls between modules), these follow the classified
dependencies: only queries, commands and the direct writes that commands replace need the
other service running, so only they must be acyclic for the services to deploy apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import Plan
from decompose.render.contract_cards import format_ref
from decompose.render.format import plural
from decompose.render.links import ServiceLink, link_for

FIX_LABELS = {"merge": "merge the services", "event": "turn a link into events"}


@dataclass(frozen=True, slots=True)
class SyncLink:
    """One link of a cycle: who calls whom, how often, and a call behind it."""

    source: ServiceLink
    target: ServiceLink
    weight: str
    evidence: str


@dataclass(frozen=True, slots=True)
class SyncCycle:
    """A cycle, its links in order, and the proposed fix."""

    path: tuple[ServiceLink, ...]  # first service last too
    links: tuple[SyncLink, ...]
    fix: str
    detail: str


def build_sync_cycles(plan: Plan, links: Mapping[str, ServiceLink]) -> tuple[SyncCycle, ...]:
    """Every cycle the plan lists, in its order."""
    found = []
    for c in plan.interfaces.cycles:
        services = c.services
        rows = []
        for k, source in enumerate(services):
            target = services[(k + 1) % len(services)]
            weight = c.weights[k] if k < len(c.weights) else 0
            evidence = format_ref(c.chain[k]) if k < len(c.chain) else ""
            rows.append(
                SyncLink(
                    link_for(source, links),
                    link_for(target, links),
                    plural(weight, "location"),
                    evidence,
                )
            )
        found.append(
            SyncCycle(
                path=tuple(link_for(s, links) for s in (*services, services[0])),
                links=tuple(rows),
                fix=FIX_LABELS.get(c.fix, c.fix),
                detail=c.detail,
            )
        )
    return tuple(found)
