"""Dependency cycles between services: `Plan` -> `Cycle` rows with the module couplings behind
every link of a cycle, the links to break first.

A group of services caught in cycles may hold a hundred links; the ones to break are a minimal
feedback arc set on their weights (`decompose.digraph.feedback_links`): with them gone no cycle
is left, and each of them is needed. They are listed first; past `OTHERS_OPEN` the other links
start folded.

The shared kernel takes no part in cycles: it becomes a library every service may use, so a
dependency of the kernel on a service is a problem of its own (`kernel_leaks`), to be fixed by
moving code, not a cycle between services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from decompose.digraph import feedback_links, shortest_path, strongly_connected
from decompose.model.plan import SHARED_SERVICE, Coupling, Plan
from decompose.render.format import format_counts, plural
from decompose.render.links import ServiceLink, link_for

# Module couplings listed under each link of a cycle before "and N more".
STEP_LIMIT = 3
OTHERS_OPEN = 6  # a cycle's links that can stay are listed open up to this many


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
    to_break: bool


@dataclass(frozen=True, slots=True)
class Cycle:
    """Services that depend on each other, directly or around a loop."""

    title: str
    path: tuple[ServiceLink, ...]  # a shortest loop through the lightest link to break
    links: tuple[CycleLink, ...]  # the links to break, lightest first
    others: tuple[CycleLink, ...]  # the links that can stay, heaviest first
    others_title: str
    others_open: bool
    advice: str


def kernel_names(plan: Plan) -> set[str]:
    """Names of the shared kernel, with or without a service entry in the plan."""
    return {s.name for s in plan.services if s.is_shared} | {SHARED_SERVICE}


def kernel_leaks(plan: Plan, links: Mapping[str, ServiceLink]) -> tuple[CycleLink, ...]:
    """Services whose code the shared kernel imports, heaviest first: a library imports none.
    Calls alone are the library calling its users back (a hook a page overrides, a handler
    registered with it), as the kernel's own rule counts them: no dependency."""
    kernel = kernel_names(plan)
    couplings: dict[tuple[str, str], list[Coupling]] = defaultdict(list)
    for c in plan.couplings:
        couplings[(c.source_service, c.target_service)].append(c)
    rows = [
        (dep.count, service.name, dep.target, dep.calls, dep.imports)
        for service in plan.services
        if service.name in kernel
        for dep in service.dependencies
        if dep.target not in kernel and dep.imports > 0
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
    breaking = feedback_links({p: sum(weight[p]) for p in pairs})
    first = sorted(breaking, key=lambda p: (sum(weight[p]), p))
    local = {s: {t for t in adjacency.get(s, ()) if t in inside} for s in members}
    loop = (first[0][0], *shortest_path(local, first[0][1], first[0][0]))
    others = [p for p in sorted(pairs, key=lambda p: (-sum(weight[p]), p)) if p not in breaking]
    title = " ⇄ ".join(members) if len(members) == 2 else ", ".join(members)
    return Cycle(
        title=title,
        path=tuple(link_for(s, links) for s in loop),
        links=tuple(_cycle_link(p, weight[p], couplings.get(p, []), links, True) for p in first),
        others=tuple(_cycle_link(p, weight[p], couplings.get(p, []), links, False) for p in others),
        others_title=f"The other {plural(len(others), 'link')}, which can stay",
        others_open=len(others) <= OTHERS_OPEN,
        advice=_advice(first, weight),
    )


def _cycle_link(
    pair: tuple[str, str],
    counts: tuple[int, int],
    couplings: list[Coupling],
    links: Mapping[str, ServiceLink],
    to_break: bool,
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
        to_break=to_break,
    )


def _advice(
    breaking: list[tuple[str, str]], weight: Mapping[tuple[str, str], tuple[int, int]]
) -> str:
    references = plural(sum(sum(weight[p]) for p in breaking), "reference")
    if len(breaking) == 1:
        ((source, target),) = breaking
        return (
            f"Break the link {source} → {target} "
            f"({format_counts(*weight[(source, target)])}): move the code behind it into "
            f"{target}, or replace it with events that {target} publishes and {source} "
            f"consumes. {references} to change."
        )
    return (
        f"Break these {len(breaking)} links and no cycle is left among these services: move "
        "the code behind each into its target, or replace it with events the target "
        f"publishes. {references} to change; every other link can stay."
    )
