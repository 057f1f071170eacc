"""Service cards and dependency tables: `Plan` -> `ServiceCard`, `DependencyRow`, `CouplingRow`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.model.plan import Coupling, Plan, Service, ServiceDependency
from decompose.render.card_interfaces import CardInterface, card_interface
from decompose.render.format import format_int, format_percent, plural
from decompose.render.links import ServiceLink, link_for

# How many classes and vocabulary terms a service card lists before "and N more".
CARD_LIST_LIMIT = 8
# A service whose modules stay together in fewer of the clustering runs than this is flagged.
STABLE = 0.7


@dataclass(frozen=True, slots=True)
class DependencyRow:
    """Calls and imports from one service into another."""

    source: ServiceLink
    target: ServiceLink
    calls: str
    imports: str
    total: str
    counts: str  # "4 calls · 1 import"
    in_cycle: bool  # the target leads back to the source: a cycle to break before extracting


@dataclass(frozen=True, slots=True)
class ServiceCard:
    """Everything the report shows about one proposed service."""

    link: ServiceLink
    lines: str
    share: str  # percentage of all service lines, for the size bar, e.g. "42.5"
    module_count: str
    modules: tuple[str, ...]
    classes: tuple[str, ...]
    # the same as module and class (`views.BasketView`), for a table cell to stay readable
    short_classes: tuple[str, ...]
    classes_more: int
    terms: tuple[str, ...]
    terms_more: int
    dependencies: tuple[DependencyRow, ...]
    dependents: tuple[DependencyRow, ...]
    stability: str  # "94%", or "" when the plan has no stability for it
    unstable: bool  # below STABLE: its modules often end up apart
    interface: CardInterface  # responsibility, entities, operations, events, links


@dataclass(frozen=True, slots=True)
class CouplingRow:
    """One module-to-module dependency crossing a service boundary."""

    source_module: str
    target_module: str
    source: ServiceLink
    target: ServiceLink
    calls: str
    imports: str


def dependency_rows(
    services: Iterable[Service], links: Mapping[str, ServiceLink], kernel: set[str]
) -> tuple[DependencyRow, ...]:
    """Every service-to-service dependency, heaviest first, cycles between services marked.

    Paths through the shared kernel (`kernel`: its names) do not make cycles: it becomes a
    library, and its own dependencies on services are reported apart.
    """
    pairs: dict[tuple[str, str], ServiceDependency] = {}
    for service in services:
        for dep in service.dependencies:
            pairs[(service.name, dep.target)] = dep
    between = {p: d for p, d in pairs.items() if p[0] not in kernel and p[1] not in kernel}
    # Heaviest first: the dependencies that most constrain the cut come first.
    order = sorted(pairs, key=lambda p: (-pairs[p].count, p))
    return tuple(
        DependencyRow(
            source=link_for(source, links),
            target=link_for(target, links),
            calls=format_int(pairs[(source, target)].calls),
            imports=format_int(pairs[(source, target)].imports),
            total=format_int(pairs[(source, target)].count),
            counts=_counts(pairs[(source, target)]),
            in_cycle=(source, target) in between and _reaches(between, target, source),
        )
        for source, target in order
    )


def _reaches(pairs: dict[tuple[str, str], ServiceDependency], start: str, goal: str) -> bool:
    """Whether `goal` is reachable from `start` along service dependencies."""
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for source, target in pairs:
            if source == node and target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def _counts(dep: ServiceDependency) -> str:
    return f"{plural(dep.calls, 'call')} · {plural(dep.imports, 'import')}"


def service_card(
    plan: Plan,
    service: Service,
    link: ServiceLink,
    total_lines: int,
    dependencies: tuple[DependencyRow, ...],
) -> ServiceCard:
    """The card of one service: responsibility, size, data, interface, dependencies, modules."""
    share = 0.0 if total_lines <= 0 else max(0.0, service.lines / total_lines)
    return ServiceCard(
        link=link,
        lines=format_int(service.lines),
        share=f"{min(share, 1.0) * 100:.1f}",
        module_count=plural(len(service.modules), "module"),
        modules=tuple(sorted(service.modules)),
        classes=service.classes[:CARD_LIST_LIMIT],
        short_classes=tuple(".".join(c.split(".")[-2:]) for c in service.classes[:CARD_LIST_LIMIT]),
        classes_more=max(0, len(service.classes) - CARD_LIST_LIMIT),
        terms=service.terms[:CARD_LIST_LIMIT],
        terms_more=max(0, len(service.terms) - CARD_LIST_LIMIT),
        dependencies=tuple(d for d in dependencies if d.source.name == service.name),
        dependents=tuple(d for d in dependencies if d.target.name == service.name),
        stability="" if service.stability is None else format_percent(service.stability),
        unstable=service.stability is not None and service.stability < STABLE,
        interface=card_interface(plan, service),
    )


def coupling_rows(
    couplings: Iterable[Coupling], links: Mapping[str, ServiceLink], limit: int
) -> tuple[CouplingRow, ...]:
    """The `limit` heaviest module couplings across a boundary, grouped by pair of services."""
    heaviest = sorted(couplings, key=lambda c: (-(c.calls + c.imports), _coupling_key(c)))
    return tuple(
        CouplingRow(
            source_module=c.source_module,
            target_module=c.target_module,
            source=link_for(c.source_service, links),
            target=link_for(c.target_service, links),
            calls=format_int(c.calls),
            imports=format_int(c.imports),
        )
        for c in sorted(heaviest[:limit], key=_coupling_key)
    )


def _coupling_key(c: Coupling) -> tuple[str, str, str, str, int, int]:
    return (
        c.source_service,
        c.target_service,
        c.source_module,
        c.target_module,
        c.calls,
        c.imports,
    )
