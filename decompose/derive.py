"""Stage 6, derive: facts + `ModuleGraph` + `Clustering` -> the `Plan`.

Names each domain from its code's vocabulary (class names first, weighted by size and made
distinctive across domains with an IDF factor), counts the dependencies between services and
lists every module-to-module coupling that crosses a boundary.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from decompose import __version__
from decompose.extract.vocabulary import split_identifier
from decompose.model import (
    SHARED_SERVICE,
    Clustering,
    Coupling,
    DefinitionKind,
    EdgeKind,
    Failure,
    ModuleEdge,
    ModuleFacts,
    ModuleGraph,
    Plan,
    Service,
    ServiceDependency,
    SharedReason,
    Statistics,
)

_TERMS = 6
_CLASSES = 8
_SAFE = re.compile(r"[^a-z0-9]+")


def derive_plan(
    *,
    target: str,
    facts: Sequence[ModuleFacts],
    graph: ModuleGraph,
    clustering: Clustering,
    weights: Mapping[str, float],
    failures: Sequence[Failure],
    files: int,
) -> Plan:
    """The plan: named services, their dependencies and the couplings between them."""
    by_module = {f.module: f for f in facts}
    domains = clustering.domains()
    names = name_domains({d: [by_module[m] for m in ms] for d, ms in domains.items()})
    service_of = {m: names[d] for d, ms in domains.items() for m in ms}
    service_of.update({s.module: SHARED_SERVICE for s in clustering.shared})
    couplings = _couplings(graph, service_of)
    members: dict[str, list[str]] = defaultdict(list)
    for module, service in service_of.items():
        members[service].append(module)
    services = [
        _service(name, sorted(ms), by_module, couplings, name == SHARED_SERVICE)
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
        modularity=clustering.modularity,
    )
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


def name_domains(domains: Mapping[int, Sequence[ModuleFacts]]) -> dict[int, str]:
    """A unique, stable name per domain from its vocabulary (entities and classes first).

    Candidates are the words of the domain's class names, weighted by class size and made
    distinctive by how many other domains' classes use the word; a domain without classes
    falls back on the words of its code. Bigger domains choose first.
    """
    class_words = {d: _class_words(ms) for d, ms in domains.items()}
    code_words = {d: _code_words(ms) for d, ms in domains.items()}
    spread = Counter(w for words in class_words.values() for w in words)
    total = len(domains)
    ranked: dict[int, list[str]] = {}
    for d in domains:
        words = class_words[d] or code_words[d]
        idf = {w: math.log((1 + total) / (1 + spread[w])) + 1 for w in words}
        ranked[d] = sorted(words, key=lambda w: (-words[w] * idf[w], w))
        ranked[d] += sorted(set(code_words[d]) - set(words), key=lambda w: (-code_words[d][w], w))
    names: dict[int, str] = {}
    taken: set[str] = set()
    order = sorted(domains, key=lambda d: (-sum(f.lines for f in domains[d]), d))
    for d in order:
        names[d] = _pick_name(ranked[d], taken, d)
        taken.add(names[d])
    return names


def _class_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    words: dict[str, float] = defaultdict(float)
    for mod in modules:
        for d in mod.definitions:
            if d.kind is DefinitionKind.CLASS:
                for w in split_identifier(d.qualname.rpartition(".")[2]):
                    words[w] += math.log2(1 + d.size)
    return dict(words)


def _code_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    words: dict[str, float] = defaultdict(float)
    for mod in modules:
        for w, n in mod.vocabulary:
            words[w] += math.log2(1 + n)
    return dict(words)


def _domain_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    words = defaultdict(float, _code_words(modules))
    for w, n in _class_words(modules).items():
        words[w] += 3 * n
    return dict(words)


def _pick_name(ranked: Sequence[str], taken: set[str], domain: int) -> str:
    candidates = [_SAFE.sub("-", w).strip("-") for w in ranked]
    candidates = [c for c in candidates if c and c != SHARED_SERVICE]
    for word in candidates:
        if word not in taken:
            return word
    for first in candidates:
        for second in candidates:
            if second != first and f"{first}-{second}" not in taken:
                return f"{first}-{second}"
    return f"domain-{domain + 1}"


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
    is_shared: bool,
) -> Service:
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
    words = _domain_words(facts)
    return Service(
        name=name,
        modules=tuple(modules),
        lines=sum(f.lines for f in facts),
        terms=tuple(sorted(words, key=lambda w: (-words[w], w))[:_TERMS]),
        classes=tuple(d.qualname for d in classes[:_CLASSES]),
        dependencies=tuple(ServiceDependency(t, c, i) for t, (c, i) in sorted(deps.items())),
        is_shared=is_shared,
    )
