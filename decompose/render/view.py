"""View model of the report: `Plan` -> `Report`, plain frozen rows with every number formatted.

The templates only loop over these rows and test their flags, so everything a reader sees is
decided here: order, wording of counts, colours, layouts, which lists are long enough to
collapse. Each section of the report is one builder (here, or in a module of its own: `cards`,
`context_map`, `cycles`, `matrix`, `module_graph`, `ownership`, `contract_cards`,
`sync_cycles`, `workflows`, `migration`) and one template under
`templates/report/index/`; a section whose data the plan does not carry is None or empty, and
is left out of the page and its navigation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import Plan
from decompose.render.cards import (
    CouplingRow,
    DependencyRow,
    ServiceCard,
    coupling_rows,
    dependency_rows,
    service_card,
)
from decompose.render.context_map import ContextMap, build_context_map
from decompose.render.contract_cards import ContractsSection, build_contracts, interface_alerts
from decompose.render.cycles import Cycle, CycleLink, build_cycles, kernel_leaks, kernel_names
from decompose.render.format import format_float, format_int, format_percent, plural
from decompose.render.links import ServiceLink, link_for, ordered_services, service_links
from decompose.render.matrix import Matrix, build_matrix
from decompose.render.migration import MigrationSection, build_migration
from decompose.render.module_graph import AGGREGATE_LIMIT, build_graph_data, embed_json
from decompose.render.ownership import OwnershipSection, build_ownership
from decompose.render.splits import SplitRow, build_splits
from decompose.render.sync_cycles import (
    SyncBreaks,
    SyncCycle,
    build_sync_breaks,
    build_sync_cycles,
)
from decompose.render.tradeoffs import Tradeoffs, build_tradeoffs
from decompose.render.workflows import SagaCard, build_workflows

__all__ = [
    "CouplingRow",
    "DependencyRow",
    "Figure",
    "GraphView",
    "Report",
    "Section",
    "ServiceCard",
    "ServiceLink",
    "build_report",
]

# Module couplings past this many rows start collapsed; past the second, only the heaviest
# are listed (plan.json has them all, and the matrix and the graph show every one).
COUPLINGS_OPEN_LIMIT = 20
COUPLINGS_LIMIT = 500
# Unresolved call sites from this share of all call sites on raise a warning.
UNRESOLVED_WARNING = 0.10


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline number: label, formatted value, an optional note, a warning flag."""

    label: str
    value: str
    note: str = ""
    warn: bool = False


@dataclass(frozen=True, slots=True)
class Alert:
    """Something to know before trusting the plan, and the section that says more."""

    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the report, for the navigation."""

    anchor: str
    title: str


@dataclass(frozen=True, slots=True)
class SharedRow:
    """A module of the shared kernel and why it is there."""

    module: str
    reason: str


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
class GraphView:
    """The interactive module graph and search: what the page says around the script."""

    summary: str
    aggregate: bool  # opens on the service-level view
    legend: tuple[ServiceLink, ...]
    data: str  # JSON for the script, already safe inside <script type="application/json">


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report, ready for a template."""

    target: str
    headline: str
    figures: tuple[Figure, ...]
    alerts: tuple[Alert, ...]
    notes: tuple[str, ...]  # what the analysis left out and why (signals skipped)
    sections: tuple[Section, ...]
    context_map: ContextMap | None
    services: tuple[ServiceCard, ...]
    tradeoffs: Tradeoffs | None
    shared: tuple[SharedRow, ...]
    shared_summary: str
    splits: tuple[SplitRow, ...]
    cycles: tuple[Cycle, ...]
    kernel_leaks: tuple[CycleLink, ...]  # dependencies of the shared kernel on services
    dependencies: tuple[DependencyRow, ...]
    couplings: tuple[CouplingRow, ...]
    couplings_title: str  # "3 module couplings cross a service boundary"
    couplings_open: bool
    couplings_note: str  # what the list leaves out
    matrix: Matrix | None
    graph: GraphView
    failures: tuple[FailureRow, ...]
    weights: tuple[Setting, ...]
    settings: tuple[Setting, ...]
    tool_version: str
    # the services' interfaces (issue 5); each None or empty when the plan has none
    ownership: OwnershipSection | None = None
    contracts: ContractsSection | None = None
    sync_cycles: tuple[SyncCycle, ...] = ()
    sync_breaks: SyncBreaks | None = None
    workflows: tuple[SagaCard, ...] = ()
    migration: MigrationSection | None = None


def build_report(plan: Plan) -> Report:
    """Turn a plan into the rows, layouts and formatted figures the report templates show."""
    links = service_links(plan.services)
    dependencies = dependency_rows(plan.services, links, kernel_names(plan))
    couplings = coupling_rows(plan.couplings, links, COUPLINGS_LIMIT)
    crossing = len(plan.couplings)
    services = [s for s in plan.services if not s.is_shared]
    total_lines = sum(s.lines for s in plan.services)
    cycles = build_cycles(plan, links)
    leaks = kernel_leaks(plan, links)
    context_map = build_context_map(plan, links)
    matrix = build_matrix(plan, links)
    tradeoffs = build_tradeoffs(plan)
    splits = build_splits(plan, links)
    ownership = build_ownership(plan, links)
    contracts = build_contracts(plan, links)
    migration = build_migration(plan, links)
    return Report(
        target=plan.target,
        headline=_headline(plan, len(services)),
        figures=_figures(plan, len(services)),
        alerts=(
            *_alerts(plan, cycles, leaks),
            *(Alert(text, anchor) for text, anchor in interface_alerts(plan)),
        ),
        notes=plan.notes,
        sections=_sections(
            {
                "context-map": context_map is not None,
                "tradeoffs": tradeoffs is not None,
                "splits": bool(splits),
                "matrix": matrix is not None,
                "data-ownership": ownership is not None,
                "contracts": contracts is not None,
                "sync-cycles": contracts is not None,
                "workflows": contracts is not None,
                "migration": migration is not None,
            }
        ),
        context_map=context_map,
        services=tuple(
            service_card(plan, s, links[s.name], total_lines, dependencies) for s in services
        ),
        tradeoffs=tradeoffs,
        shared=tuple(SharedRow(r.module, r.reason) for r in sorted(plan.shared)),
        shared_summary=_shared_summary(plan),
        splits=splits,
        cycles=cycles,
        kernel_leaks=leaks,
        dependencies=dependencies,
        couplings=couplings,
        couplings_title=(
            f"{plural(crossing, 'module coupling')} "
            f"{'crosses' if crossing == 1 else 'cross'} a service boundary"
        ),
        couplings_open=crossing <= COUPLINGS_OPEN_LIMIT,
        couplings_note=(
            f"The {format_int(len(couplings))} heaviest are listed; plan.json has all "
            f"{format_int(crossing)}."
            if crossing > len(couplings)
            else ""
        ),
        matrix=matrix,
        graph=_graph_view(plan, links),
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
        ownership=ownership,
        contracts=contracts,
        sync_cycles=build_sync_cycles(plan, links),
        sync_breaks=build_sync_breaks(plan, links),
        workflows=build_workflows(plan, links),
        migration=migration,
    )


# Every section in page order; those named in `_sections`' argument appear only with data.
SECTIONS = (
    ("overview", "Overview"),
    ("context-map", "Context map"),
    ("services", "Services"),
    ("tradeoffs", "Trade-offs"),
    ("shared-kernel", "Shared kernel"),
    ("splits", "Splits"),
    ("cycles", "Cycles"),
    ("dependencies", "Dependencies"),
    ("data-ownership", "Data ownership"),
    ("contracts", "Contracts"),
    ("sync-cycles", "Synchronous cycles"),
    ("workflows", "Workflows"),
    ("migration", "Migration plan"),
    ("matrix", "Matrix"),
    ("module-graph", "Module graph"),
    ("module-search", "Search"),
    ("failures", "Parse failures"),
    ("settings", "Settings"),
)


def _sections(optional: Mapping[str, bool]) -> tuple[Section, ...]:
    return tuple(Section(anchor, title) for anchor, title in SECTIONS if optional.get(anchor, True))


def _graph_view(plan: Plan, links: Mapping[str, ServiceLink]) -> GraphView:
    data = build_graph_data(plan, links)
    modules, edges = len(data["modules"]), len(data["edges"])
    aggregate = bool(data["aggregate"])
    summary = (
        f"{plural(modules, 'module')} and {plural(edges, 'dependency', 'dependencies')}, "
        "coloured by service."
    )
    if aggregate:
        summary += (
            f" With more than {format_int(AGGREGATE_LIMIT)} modules the graph opens on the "
            "services; switch to modules to see every one."
        )
    legend = tuple(link_for(s.name, links) for s in ordered_services(plan.services) if s.modules)
    return GraphView(summary, aggregate, legend, embed_json(data))


def _alerts(
    plan: Plan, cycles: tuple[Cycle, ...], leaks: tuple[CycleLink, ...]
) -> tuple[Alert, ...]:
    found: list[Alert] = []
    if plan.failures:
        found.append(
            Alert(
                f"{plural(len(plan.failures), 'file')} could not be read in full: "
                "their code is missing from the analysis.",
                "failures",
            )
        )
    s = plan.statistics
    sites = s.calls_internal + s.calls_builtin + s.calls_external + s.calls_unresolved
    if sites and s.calls_unresolved / sites >= UNRESOLVED_WARNING:
        found.append(
            Alert(
                f"{format_percent(s.calls_unresolved / sites)} of call sites "
                f"({format_int(s.calls_unresolved)} of {format_int(sites)}) could not be "
                "resolved statically (dynamic dispatch, untyped parameters, metaprogramming): "
                "dependencies behind them are missing from the plan.",
                "overview",
            )
        )
    if s.dynamic_unfollowed:
        found.append(
            Alert(
                f"{plural(s.dynamic_unfollowed, 'place')} load or run code by a name computed "
                "at run time (eval, exec, import_module, get_model, import_string...) that the "
                "analysis could not follow: dependencies behind them are missing from the plan.",
                "overview",
            )
        )
    if cycles:
        caught = len({link.source.name for c in cycles for link in c.links})
        found.append(
            Alert(
                f"{plural(caught, 'service')} depend on each other in "
                f"{plural(len(cycles), 'cycle')}: break them before extracting.",
                "cycles",
            )
        )
    if leaks:
        found.append(
            Alert(
                f"The shared kernel imports code of {plural(len(leaks), 'service')} "
                f"({', '.join(leak.target.name for leak in leaks)}): a library must not; "
                "each import becomes a call to that service's API, or the importing module "
                "leaves the kernel.",
                "cycles",
            )
        )
    return tuple(found)


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
        Figure("Modules", format_int(s.modules), f"in {plural(s.files, 'file')}"),
        Figure("Lines", format_int(s.lines), "non-empty lines of code"),
        Figure("Services", format_int(service_count), _services_note(plan)),
        Figure("Definitions", format_int(s.definitions), "classes, functions and methods"),
        Figure(
            "Call resolution",
            format_percent(s.resolution_rate),
            f"of {plural(sites, 'call site')}: {format_int(s.calls_internal)} internal, "
            f"{format_int(s.calls_builtin)} builtin, {format_int(s.calls_external)} external, "
            f"{format_int(s.calls_unresolved)} unresolved",
            warn=bool(sites) and s.calls_unresolved / sites >= UNRESOLVED_WARNING,
        ),
        Figure(
            "Modularity",
            format_float(s.modularity),
            "higher is cleaner; above 0.3 is a clear structure",
        ),
        Figure(
            "Dynamic code",
            format_int(s.dynamic_unfollowed),
            (
                f"places load or run code by a computed name the analysis could not follow; "
                f"{format_int(s.dynamic_followed)} followed"
            ),
            warn=bool(s.dynamic_unfollowed),
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
