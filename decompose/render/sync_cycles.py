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
CYCLES_OPEN = 5  # a list of more cycles than this starts collapsed


@dataclass(frozen=True, slots=True)
class SyncLink:
    """One link of a cycle: who calls whom, how often, and a call behind it."""

    source: ServiceLink
    target: ServiceLink
    weight: str
    evidence: str


@dataclass(frozen=True, slots=True)
class SyncBreak:
    """A link to turn into events: with all of them turned, no cycle is left."""

    source: ServiceLink
    target: ServiceLink
    weight: str
    cycles: str  # "in 12 of the cycles listed"
    detail: str


@dataclass(frozen=True, slots=True)
class SyncBreaks:
    """The links whose turning into events breaks every cycle, and how the list reads."""

    title: str  # "Break them all: 3 links to turn into events"
    lead: str
    rows: tuple[SyncBreak, ...]
    cycles_title: str  # the summary of the collapsible list of every cycle
    cycles_open: bool  # a short list of cycles starts open


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


def build_sync_breaks(plan: Plan, links: Mapping[str, ServiceLink]) -> SyncBreaks | None:
    """The links whose turning into events breaks every cycle, most cycles first."""
    breaks, cycles = plan.interfaces.breaks, plan.interfaces.cycles
    if not cycles:
        return None
    rows = tuple(
        SyncBreak(
            link_for(b.source, links),
            link_for(b.target, links),
            plural(b.weight, "location"),
            f"{b.cycles} of {len(cycles)}",
            b.detail,
        )
        for b in breaks
    )
    these = "this link" if len(rows) == 1 else "these links"
    return SyncBreaks(
        title=f"Break them all: {plural(len(rows), 'link')} to turn into events",
        lead=(
            f"Cycles share links. With {these} turned into events, the synchronous calls "
            "between services form no cycle at all; every other link can stay a call."
        ),
        rows=rows,
        cycles_title=(f"Every cycle ({len(cycles)}), with a call behind each link and its own fix"),
        cycles_open=len(cycles) <= CYCLES_OPEN,
    )
