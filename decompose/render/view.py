"""View model of the report: `Plan` -> `Report`, plain frozen rows with every number formatted.

The templates only loop over these rows and test their flags, so everything a reader sees is
decided here: order, wording of counts, colours, which lists are long enough to collapse.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from decompose.model.plan import Coupling, Plan, Service, ServiceDependency

# How many classes and vocabulary terms a service card lists before "and N more".
CARD_LIST_LIMIT = 8
# Module couplings past this many rows start collapsed.
COUPLINGS_OPEN_LIMIT = 20
# Golden angle in degrees: consecutive indices get hues far apart, never repeating exactly.
_GOLDEN_ANGLE = 137.508
_SHARED_COLOUR = "hsl(220 9% 46%)"
_SHARED_TINT = "hsl(220 14% 96%)"
_SHARED_ANCHOR = "shared-kernel"


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline number: label, formatted value, an optional note, a warning flag."""

    label: str
    value: str
    note: str = ""
    warn: bool = False


@dataclass(frozen=True, slots=True)
class ServiceLink:
    """A service named from elsewhere in the report, with its colour and card anchor."""

    name: str
    anchor: str
    colour: str
    tint: str


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
    classes_more: int
    terms: tuple[str, ...]
    terms_more: int
    dependencies: tuple[DependencyRow, ...]
    dependents: tuple[DependencyRow, ...]


@dataclass(frozen=True, slots=True)
class SharedRow:
    """A module of the shared kernel and why it is there."""

    module: str
    reason: str


@dataclass(frozen=True, slots=True)
class CouplingRow:
    """One module-to-module dependency crossing a service boundary."""

    source_module: str
    target_module: str
    source: ServiceLink
    target: ServiceLink
    calls: str
    imports: str


@dataclass(frozen=True, slots=True)
class FailureRow:
    """A file the analysis could not read, or read only in part."""

    path: str
    line: str
    reason: str
    stage: str


@dataclass(frozen=True, slots=True)
class Setting:
    """One analysis setting, name and formatted value."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report, ready for a template."""

    target: str
    headline: str
    figures: tuple[Figure, ...]
    services: tuple[ServiceCard, ...]
    shared: tuple[SharedRow, ...]
    shared_summary: str
    dependencies: tuple[DependencyRow, ...]
    couplings: tuple[CouplingRow, ...]
    couplings_title: str  # "3 module couplings cross a service boundary"
    couplings_open: bool
    failures: tuple[FailureRow, ...]
    weights: tuple[Setting, ...]
    settings: tuple[Setting, ...]
    tool_version: str


def build_report(plan: Plan) -> Report:
    """Turn a plan into the rows and formatted figures the report templates show."""
    links = _service_links(plan.services)
    dependencies = _dependency_rows(plan.services, links)
    couplings = tuple(_coupling_row(c, links) for c in sorted(plan.couplings, key=_coupling_key))
    services = [s for s in plan.services if not s.is_shared]
    total_lines = sum(s.lines for s in plan.services)
    return Report(
        target=plan.target,
        headline=_headline(plan, len(services)),
        figures=_figures(plan, len(services)),
        services=tuple(
            _service_card(s, links[s.name], total_lines, dependencies) for s in services
        ),
        shared=tuple(SharedRow(r.module, r.reason) for r in sorted(plan.shared)),
        shared_summary=_shared_summary(plan),
        dependencies=dependencies,
        couplings=couplings,
        couplings_title=(
            f"{plural(len(couplings), 'module coupling')} "
            f"{'crosses' if len(couplings) == 1 else 'cross'} a service boundary"
        ),
        couplings_open=len(couplings) <= COUPLINGS_OPEN_LIMIT,
        failures=tuple(
            FailureRow(f.path, format_int(f.line), f.reason, f.stage) for f in sorted(plan.failures)
        ),
        weights=tuple(Setting(name, format_float(w)) for name, w in sorted(plan.weights)),
        settings=(
            Setting("Algorithm", plan.algorithm),
            Setting("Seed", str(plan.seed)),
            Setting("Tool version", plan.tool_version),
            Setting("Plan format", str(plan.format_version)),
        ),
        tool_version=plan.tool_version,
    )


def format_int(value: int) -> str:
    """An integer with thousands separators: 12345 -> "12,345"."""
    return f"{value:,}"


def format_float(value: float) -> str:
    """A weight or score in at most three significant digits: 0.25 -> "0.25", 1.0 -> "1"."""
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.3g}"


def format_percent(share: float) -> str:
    """A share in [0, 1] as a percentage with one decimal: 0.8734 -> "87.3%"."""
    if not math.isfinite(share):
        return "n/a"
    return f"{share * 100:.1f}%"


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """A count with its noun: 1 -> "1 module", 3 -> "3 modules"."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{format_int(count)} {noun}"


def service_colour(index: int) -> tuple[str, str]:
    """The accent colour and light tint of the service at `index`, as CSS hsl() values."""
    hue = round(index * _GOLDEN_ANGLE) % 360
    return f"hsl({hue} 62% 40%)", f"hsl({hue} 70% 96%)"


def _service_links(services: Iterable[Service]) -> dict[str, ServiceLink]:
    links: dict[str, ServiceLink] = {}
    index = 0
    for service in services:
        if service.is_shared:
            links[service.name] = ServiceLink(
                service.name, _SHARED_ANCHOR, _SHARED_COLOUR, _SHARED_TINT
            )
            continue
        colour, tint = service_colour(index)
        links[service.name] = ServiceLink(service.name, f"service-{index}", colour, tint)
        index += 1
    return links


def _link(name: str, links: dict[str, ServiceLink]) -> ServiceLink:
    # A name the plan has no service for (the shared kernel without a service entry, or a
    # dangling reference) still gets a neutral swatch; only the shared kernel gets an anchor.
    if name in links:
        return links[name]
    anchor = _SHARED_ANCHOR if name == "shared" else ""
    return ServiceLink(name, anchor, _SHARED_COLOUR, _SHARED_TINT)


def _dependency_rows(
    services: Iterable[Service], links: dict[str, ServiceLink]
) -> tuple[DependencyRow, ...]:
    pairs: dict[tuple[str, str], ServiceDependency] = {}
    for service in services:
        for dep in service.dependencies:
            pairs[(service.name, dep.target)] = dep
    # Heaviest first: the dependencies that most constrain the cut come first.
    order = sorted(pairs, key=lambda p: (-pairs[p].count, p))
    return tuple(
        DependencyRow(
            source=_link(source, links),
            target=_link(target, links),
            calls=format_int(pairs[(source, target)].calls),
            imports=format_int(pairs[(source, target)].imports),
            total=format_int(pairs[(source, target)].count),
            counts=_counts(pairs[(source, target)]),
            in_cycle=_reaches(pairs, target, source),
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


def _service_card(
    service: Service,
    link: ServiceLink,
    total_lines: int,
    dependencies: tuple[DependencyRow, ...],
) -> ServiceCard:
    share = 0.0 if total_lines <= 0 else max(0.0, service.lines / total_lines)
    return ServiceCard(
        link=link,
        lines=format_int(service.lines),
        share=f"{min(share, 1.0) * 100:.1f}",
        module_count=plural(len(service.modules), "module"),
        modules=tuple(sorted(service.modules)),
        classes=service.classes[:CARD_LIST_LIMIT],
        classes_more=max(0, len(service.classes) - CARD_LIST_LIMIT),
        terms=service.terms[:CARD_LIST_LIMIT],
        terms_more=max(0, len(service.terms) - CARD_LIST_LIMIT),
        dependencies=tuple(d for d in dependencies if d.source.name == service.name),
        dependents=tuple(d for d in dependencies if d.target.name == service.name),
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


def _coupling_row(c: Coupling, links: dict[str, ServiceLink]) -> CouplingRow:
    return CouplingRow(
        source_module=c.source_module,
        target_module=c.target_module,
        source=_link(c.source_service, links),
        target=_link(c.target_service, links),
        calls=format_int(c.calls),
        imports=format_int(c.imports),
    )


def _headline(plan: Plan, service_count: int) -> str:
    stats = plan.statistics
    text = (
        f"{plural(service_count, 'service')} proposed for "
        f"{plural(stats.modules, 'module')} ({plural(stats.lines, 'line')})"
    )
    if plan.shared:
        text += f", with {plural(len(plan.shared), 'module')} in the shared kernel"
    return text + "."


def _figures(plan: Plan, service_count: int) -> tuple[Figure, ...]:
    s = plan.statistics
    sites = s.calls_internal + s.calls_builtin + s.calls_external + s.calls_unresolved
    return (
        Figure("Files", format_int(s.files)),
        Figure("Modules", format_int(s.modules)),
        Figure("Lines", format_int(s.lines), "non-empty lines of code"),
        Figure("Services", format_int(service_count), _services_note(plan)),
        Figure("Definitions", format_int(s.definitions), "classes, functions and methods"),
        Figure(
            "Call resolution",
            format_percent(s.resolution_rate),
            f"of {plural(sites, 'call site')}: {format_int(s.calls_internal)} internal, "
            f"{format_int(s.calls_builtin)} builtin, {format_int(s.calls_external)} external, "
            f"{format_int(s.calls_unresolved)} unresolved",
        ),
        Figure(
            "Modularity",
            format_float(s.modularity),
            "higher is cleaner; above 0.3 is a clear structure",
        ),
        Figure(
            "Parse failures",
            format_int(len(plan.failures)),
            "files read only in part or not at all" if plan.failures else "every file was read",
            warn=bool(plan.failures),
        ),
    )


def _services_note(plan: Plan) -> str:
    if not plan.shared:
        return "no shared kernel"
    return f"plus a shared kernel of {plural(len(plan.shared), 'module')}"


def _shared_summary(plan: Plan) -> str:
    kernel = [s for s in plan.services if s.is_shared]
    count = plural(len(plan.shared), "module")
    if not kernel:
        return f"{count}, to become a library or layer rather than a service."
    return (
        f"{count}, {plural(sum(k.lines for k in kernel), 'line')}, "
        "to become a library or layer rather than a service."
    )
