"""Stage 6, derive: facts + resolved calls + `DataGraph` + `ModuleGraph` + `Clustering` -> `Plan`.

Names each domain (a pin's service name, else from its code's vocabulary: class names first,
weighted by size and made distinctive across domains with an IDF factor), counts the
dependencies between services, lists every module-to-module coupling that crosses a boundary,
and turns the clustering's domain numbers into service names in the metrics, the frontier, the
symbol-level splits and the per-module explanations. Then the services' interfaces
(`interfaces`): entity owners, every cross-service dependency classified, operations, events,
cycles, sagas and the migration order.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from decompose import __version__
from decompose.cluster import SELECTION
from decompose.derive.interfaces import build_interfaces
from decompose.derive.naming import domain_words, name_domains
from decompose.derive.ownership import own_entities
from decompose.derive.program import Program
from decompose.extract.resolve import ResolvedCall
from decompose.model import (
    SHARED_DOMAIN,
    SHARED_SERVICE,
    Clustering,
    ConstraintReport,
    Coupling,
    DefinitionKind,
    EdgeKind,
    Explanation,
    Failure,
    FrontierPoint,
    Metrics,
    ModuleEdge,
    ModuleExplanation,
    ModuleFacts,
    ModuleGraph,
    Plan,
    PlanMetrics,
    Service,
    ServiceDependency,
    SharedReason,
    Split,
    Statistics,
    SymbolSplit,
)
from decompose.model.data import APP_CONFIG, PERMISSION, USER_MODEL_LOADER, DataGraph, Entity

_TERMS = 6
_CLASSES = 8
# Calls that run or import code named by a value computed at run time.
_REFLECTION = frozenset(
    {
        "<builtin>.eval",
        "<builtin>.exec",
        "<builtin>.__import__",
        "importlib.import_module",
        "importlib.__import__",
    }
)


def _dynamic_counts(facts: Sequence[ModuleFacts], data: DataGraph) -> dict[str, int]:
    """Dynamic loading sites followed to analysed code, and those the analysis could not."""
    loads = {
        (f.module, d.caller, d.line)
        for f in facts
        for d in f.data.dynamic
        if d.kind not in (APP_CONFIG, USER_MODEL_LOADER, PERMISSION)  # no loading by a name
    }
    followed = {(e.caller_module, e.caller, e.line) for e in data.dynamic_edges} & loads
    reflective = {
        (f.module, c.caller, c.line) for f in facts for c in f.calls if c.callee in _REFLECTION
    }
    return {
        "dynamic_followed": len(followed),
        "dynamic_unfollowed": len((loads - followed) | (reflective - loads)),
    }


def derive_plan(
    *,
    target: str,
    facts: Sequence[ModuleFacts],
    graph: ModuleGraph,
    clustering: Clustering,
    weights: Mapping[str, float],
    failures: Sequence[Failure],
    files: int,
    calls: Sequence[ResolvedCall] = (),
    data: DataGraph | None = None,
) -> Plan:
    """The plan: named services, their dependencies, the couplings and the interfaces."""
    by_module = {f.module: f for f in facts}
    domains = clustering.domains()
    pinned = dict(clustering.names)
    free = {d: [by_module[m] for m in ms] for d, ms in domains.items() if d not in pinned}
    declared_entities = _declared_by_domain(data, clustering) if data else {}
    owned = _entities_by_domain(facts, calls, data, clustering, declared_entities) if data else {}
    declared = {
        d: {q.rpartition(".")[2] for q in qualnames} for d, qualnames in declared_entities.items()
    }
    names = {
        **name_domains(free, reserved=set(pinned.values()), entities=owned, declared=declared),
        **pinned,
    }
    service_of = {m: names[d] for d, ms in domains.items() for m in ms}
    service_of.update({s.module: SHARED_SERVICE for s in clustering.shared})
    couplings = _couplings(graph, service_of)
    members: dict[str, list[str]] = defaultdict(list)
    for module, service in service_of.items():
        members[service].append(module)
    stability = {names[d]: v for d, v in clustering.stability if d in names}
    services = [
        _service(name, sorted(ms), by_module, couplings, stability.get(name))
        for name, ms in sorted(members.items())
    ]
    stats = Statistics(
        files=files,
        modules=len(graph.modules),
        lines=sum(f.lines for f in facts),
        definitions=sum(len(f.definitions) for f in facts),
        calls_internal=graph.calls.internal,
        calls_builtin=graph.calls.builtin,
        calls_external=graph.calls.external,
        calls_unresolved=graph.calls.unresolved,
        modularity=round(clustering.modularity, 4),
        **_dynamic_counts(facts, data or DataGraph()),
    )
    splits = tuple(_split(s, names) for s in clustering.splits)
    symbols = {s: _service_name(d, names) for s, d in clustering.symbols}
    program = Program(facts, calls, data or DataGraph(), service_of, symbols)
    interfaces = build_interfaces(program, services, couplings, splits)
    return Plan(
        target=target,
        tool_version=__version__,
        seed=clustering.seed,
        weights=tuple(sorted(weights.items())),
        algorithm=clustering.algorithm,
        services=tuple(services),
        modules=tuple(sorted(service_of.items())),
        shared=tuple(SharedReason(s.module, s.reason) for s in clustering.shared),
        couplings=tuple(couplings),
        failures=tuple(sorted(failures)),
        statistics=stats,
        module_lines=graph.lines,
        module_edges=_module_edges(graph),
        metrics=_plan_metrics(clustering),
        splits=splits,
        explanations=tuple(_explanation(e, names) for e in clustering.explanations),
        notes=(*graph.notes, *clustering.notes),
        interfaces=interfaces,
    )


def _entities_by_domain(
    facts: Sequence[ModuleFacts],
    calls: Sequence[ResolvedCall],
    data: DataGraph,
    clustering: Clustering,
    declared: Mapping[int, set[str]] | None = None,
) -> dict[int, dict[str, float]]:
    """Per domain, the concrete entities it defines (its modules declare the model), then
    those it only owns (ownership's rule, on domain numbers: it writes them most), aggregate
    roots first within each, then by centrality: the first candidates for the domain's name.
    `declared`: `_declared_by_domain`, when the caller has it already.

    Defined first: a domain that declares models of its own and writes another domain's most
    (a back office with a few tables of its own) is named after its own models."""
    if not data.entities:
        return {}
    domains = clustering.domains()
    label = {d: f"domain-{d}" for d in domains}
    service_of = {m: label[d] for d, ms in domains.items() for m in ms}
    service_of.update({s.module: SHARED_SERVICE for s in clustering.shared})
    symbols = {s: _service_name(d, label) for s, d in clustering.symbols}
    program = Program(facts, calls, data, service_of, symbols)
    domain_of = {name: d for d, name in label.items()}
    abstract = {e.qualname for e in data.entities if e.abstract}
    # central: touched by much code and referred to by other entities' foreign keys
    weight = Counter(a.entity for a in data.accesses)
    weight.update(f.target for e in data.entities for f in e.fields if f.target)
    defined = defaultdict(set, declared or _declared_by_domain(data, clustering))
    owned: dict[int, set[str]] = defaultdict(set)
    for o in own_entities(program):
        if o.owner in domain_of and o.entity not in abstract:
            owned[domain_of[o.owner]].add(o.entity)
    entities = {e.qualname: e for e in data.entities}
    out: dict[int, dict[str, float]] = {}
    for d in sorted(defined.keys() | owned.keys()):
        ranked = _roots_first(owned[d] - defined[d], weight, entities)
        # defined entities rank above every merely owned one (each tier spans less than 2)
        for name, w in _roots_first(defined[d], weight, entities).items():
            ranked[name] = max(ranked.get(name, -math.inf), w + 2.0)
        out[d] = ranked
    return out


def _declared_by_domain(data: DataGraph, clustering: Clustering) -> dict[int, set[str]]:
    """Per domain, the concrete entities its modules declare (qualified names)."""
    home = {m: d for d, ms in clustering.domains().items() for m in ms}
    declared: dict[int, set[str]] = defaultdict(set)
    for entity in data.entities:
        if entity.module in home and not entity.abstract:
            declared[home[entity.module]].add(entity.qualname)
    return declared


def _roots_first(
    qualnames: set[str], centrality: Mapping[str, int], entities: Mapping[str, Entity]
) -> dict[str, float]:
    """Entities by class name, weighed by centrality in (-1, 1), aggregate roots first: an
    entity that is part of another of `qualnames` (`Line.basket`) comes after every one that
    is not. A basket service is named after its basket, not its busier lines.

    A part belongs to one whole: an entity deleted with either of two others
    (`ConditionalOffer` with its condition or its benefit) is what ties them together, the
    root, not a part of both."""
    parts = set()
    for q in qualnames:
        wholes = set()
        for f in entities[q].fields:
            if f.target != q and f.target in qualnames:
                if f.part_of_target:
                    wholes.add(f.target)
                if f.owns:
                    parts.add(f.target)
        if len(wholes) == 1:
            parts.add(q)
    top = max((centrality[q] for q in qualnames), default=0) + 1.0
    weights: dict[str, float] = {}
    for q in sorted(qualnames):
        name = q.rpartition(".")[2]
        weight = centrality[q] / top - (q in parts)
        weights[name] = max(weights.get(name, -math.inf), weight)
    return weights


def _service_name(domain: int | None, names: Mapping[int, str]) -> str:
    return SHARED_SERVICE if domain is None or domain == SHARED_DOMAIN else names[domain]


def _split(split: SymbolSplit, names: Mapping[int, str]) -> Split:
    return Split(
        module=split.module,
        service=_service_name(split.domain, names),
        stays=split.stays,
        moves=tuple(sorted((_service_name(d, names), symbols) for d, symbols in split.moves)),
    )


def _explanation(e: Explanation, names: Mapping[int, str]) -> ModuleExplanation:
    return ModuleExplanation(
        module=e.module,
        service=_service_name(e.domain, names),
        bind_weight=e.bind_weight,
        binds=e.binds,
        rival=None if e.rival is None else _service_name(e.rival, names),
        rival_weight=e.rival_weight,
        pulls=e.pulls,
    )


def _rounded(m: Metrics) -> Metrics:
    def r(x: float) -> float:
        return round(x, 4)

    return Metrics(
        services=m.services,
        modularity=r(m.modularity),
        structural_modularity=r(m.structural_modularity),
        turbomq=r(m.turbomq),
        icp=r(m.icp),
        ifn=r(m.ifn),
        ned=r(m.ned),
        transactions_kept=None if m.transactions_kept is None else r(m.transactions_kept),
    )


def _plan_metrics(clustering: Clustering) -> PlanMetrics | None:
    if clustering.metrics is None:
        return None
    constraints = clustering.constraints
    if constraints is not None:
        constraints = ConstraintReport(
            pins=constraints.pins,
            must_link=constraints.must_link,
            cannot_link=constraints.cannot_link,
            unconstrained=_rounded(constraints.unconstrained),
            moved=constraints.moved,
        )
    return PlanMetrics(
        chosen=_rounded(clustering.metrics),
        frontier=tuple(FrontierPoint(_rounded(p.metrics), p.chosen) for p in clustering.frontier),
        selection=SELECTION,
        transactions_note=clustering.transactions_note,
        constraints=constraints,
    )


def _module_edges(graph: ModuleGraph) -> tuple[ModuleEdge, ...]:
    counts: dict[tuple[str, str], dict[EdgeKind, int]] = defaultdict(lambda: defaultdict(int))
    for edge in graph.edges:
        if edge.kind in (EdgeKind.CALL, EdgeKind.IMPORT, EdgeKind.INHERITANCE):
            counts[(edge.source, edge.target)][edge.kind] += int(edge.weight)
    return tuple(
        ModuleEdge(s, t, k[EdgeKind.CALL], k[EdgeKind.IMPORT], k[EdgeKind.INHERITANCE])
        for (s, t), k in sorted(counts.items())
    )


def _couplings(graph: ModuleGraph, service_of: Mapping[str, str]) -> list[Coupling]:
    counts: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for edge in graph.edges:
        if edge.kind not in (EdgeKind.CALL, EdgeKind.IMPORT):
            continue
        if service_of.get(edge.source) == service_of.get(edge.target):
            continue
        counts[(edge.source, edge.target)][0 if edge.kind is EdgeKind.CALL else 1] += edge.weight
    return sorted(
        Coupling(s, t, service_of[s], service_of[t], int(c), int(i))
        for (s, t), (c, i) in counts.items()
    )


def _service(
    name: str,
    modules: Sequence[str],
    by_module: Mapping[str, ModuleFacts],
    couplings: Sequence[Coupling],
    stability: float | None,
) -> Service:
    is_shared = name == SHARED_SERVICE
    facts = [by_module[m] for m in modules]
    classes = sorted(
        (d for f in facts for d in f.definitions if d.kind is DefinitionKind.CLASS),
        key=lambda d: (-d.size, d.qualname),
    )
    deps: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in couplings:
        if c.source_service == name:
            deps[c.target_service][0] += c.calls
            deps[c.target_service][1] += c.imports
    words = domain_words(facts)
    return Service(
        name=name,
        modules=tuple(modules),
        lines=sum(f.lines for f in facts),
        terms=tuple(sorted(words, key=lambda w: (-words[w], w))[:_TERMS]),
        classes=tuple(d.qualname for d in classes[:_CLASSES]),
        dependencies=tuple(ServiceDependency(t, c, i) for t, (c, i) in sorted(deps.items())),
        is_shared=is_shared,
        stability=None if is_shared or stability is None else round(stability, 4),
    )
