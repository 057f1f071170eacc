"""Dependency cycles between services: `Plan` -> `Cycle` rows with the module couplings behind
every link of a cycle and the lightest link to break first.

The shared kernel takes no part in cycles: it becomes a library every service may use, so a
dependency of the kernel on a service is a problem of its own (`kernel_leaks`), to be fixed by
moving code, not a cycle between services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from decompose.digraph import shortest_path, strongly_connected
from decompose.model.plan import SHARED_SERVICE, Coupling, Plan
from decompose.render.format import format_counts, plural
from decompose.render.links import ServiceLink, link_for

# Module couplings listed under each link of a cycle before "and N more".
STEP_LIMIT = 3


@dataclass(frozen=True, slots=True)
class ChainStep:
    """One module-to-module coupling behind a service dependency."""

    source_module: str
    target_module: str
    counts: str


@dataclass(frozen=True, slots=True)
class CycleLink:
    """One service dependency inside a cycle."""

    source: ServiceLink
    target: ServiceLink
    counts: str
    steps: tuple[ChainStep, ...]
    steps_more: int
    lightest: bool


@dataclass(frozen=True, slots=True)
class Cycle:
    """Services that depend on each other, directly or around a loop."""

    title: str
    path: tuple[ServiceLink, ...]  # a shortest loop through the lightest link, first one last too
    links: tuple[CycleLink, ...]
    advice: str


def kernel_names(plan: Plan) -> set[str]:
    """Names of the shared kernel, with or without a service entry in the plan."""
    return {s.name for s in plan.services if s.is_shared} | {SHARED_SERVICE}


def kernel_leaks(plan: Plan, links: Mapping[str, ServiceLink]) -> tuple[CycleLink, ...]:
    """Dependencies of the shared kernel on services, heaviest first: a library has none."""
    kernel = kernel_names(plan)
    couplings: dict[tuple[str, str], list[Coupling]] = defaultdict(list)
    for c in plan.couplings:
        couplings[(c.source_service, c.target_service)].append(c)
    rows = [
        (dep.count, service.name, dep.target, dep.calls, dep.imports)
        for service in plan.services
        if service.name in kernel
        for dep in service.dependencies
        if dep.target not in kernel and dep.count > 0
    ]
    return tuple(
        _cycle_link((s, t), (c, i), couplings.get((s, t), []), links, False)
        for _, s, t, c, i in sorted(rows, key=lambda r: (-r[0], r[1:]))
    )


def build_cycles(plan: Plan, links: Mapping[str, ServiceLink]) -> tuple[Cycle, ...]:
    """Every group of services caught in a dependency cycle, biggest first."""
    kernel = kernel_names(plan)
    weight: dict[tuple[str, str], tuple[int, int]] = {}
    adjacency: dict[str, set[str]] = defaultdict(set)
    for service in plan.services:
        if service.name in kernel:
            continue
        for dep in service.dependencies:
            if dep.target != service.name and dep.target not in kernel and dep.count > 0:
                weight[(service.name, dep.target)] = (dep.calls, dep.imports)
                adjacency[service.name].add(dep.target)
    nodes = {s for pair in weight for s in pair}
    components = [c for c in strongly_connected(nodes, adjacency) if len(c) > 1]
    couplings: dict[tuple[str, str], list[Coupling]] = defaultdict(list)
    for c in plan.couplings:
        couplings[(c.source_service, c.target_service)].append(c)
    cycles = [_cycle(c, weight, adjacency, couplings, links) for c in components]
    return tuple(sorted(cycles, key=lambda c: (-len(c.links), c.title)))


def _cycle(
    members: tuple[str, ...],
    weight: Mapping[tuple[str, str], tuple[int, int]],
    adjacency: Mapping[str, set[str]],
    couplings: Mapping[tuple[str, str], list[Coupling]],
    links: Mapping[str, ServiceLink],
) -> Cycle:
    inside = set(members)
    pairs = sorted(p for p in weight if p[0] in inside and p[1] in inside)
    lightest = min(pairs, key=lambda p: (sum(weight[p]), p))
    local = {s: {t for t in adjacency.get(s, ()) if t in inside} for s in members}
    loop = (lightest[0], *shortest_path(local, lightest[1], lightest[0]))
    rows = [
        _cycle_link(p, weight[p], couplings.get(p, []), links, p == lightest)
        for p in sorted(pairs, key=lambda p: (-sum(weight[p]), p))
    ]
    title = " ⇄ ".join(members) if len(members) == 2 else ", ".join(members)
    return Cycle(
        title=title,
        path=tuple(link_for(s, links) for s in loop),
        links=tuple(rows),
        advice=_advice(lightest, weight[lightest]),
    )


def _cycle_link(
    pair: tuple[str, str],
    counts: tuple[int, int],
    couplings: list[Coupling],
    links: Mapping[str, ServiceLink],
    lightest: bool,
) -> CycleLink:
    ranked = sorted(
        couplings, key=lambda c: (-(c.calls + c.imports), c.source_module, c.target_module)
    )
    return CycleLink(
        source=link_for(pair[0], links),
        target=link_for(pair[1], links),
        counts=format_counts(*counts),
        steps=tuple(
            ChainStep(c.source_module, c.target_module, format_counts(c.calls, c.imports))
            for c in ranked[:STEP_LIMIT]
        ),
        steps_more=max(0, len(ranked) - STEP_LIMIT),
        lightest=lightest,
    )


def _advice(pair: tuple[str, str], counts: tuple[int, int]) -> str:
    source, target = pair
    weight = format_counts(*counts)
    return (
        f"Start with the lightest link, {source} → {target} ({weight}): move the code behind "
        f"it into {target}, or replace it with events that {target} publishes and {source} "
        f"consumes. {plural(sum(counts), 'reference')} to change."
    )
