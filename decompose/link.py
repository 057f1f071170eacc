"""Stage 4, link: `ModuleFacts` + resolved calls -> a frozen, typed `ModuleGraph`.

Edges between modules: calls (one per call site), imports, inheritance, semantic similarity
(TF-IDF over the identifiers, strings and docstrings inside the code, never over module or
package names) and package proximity (`path`, the only signal that reads module names).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer

from decompose.extract import CallKind, ResolvedCall, SymbolTable
from decompose.model import CallStats, DefinitionKind, Edge, EdgeKind, ModuleFacts, ModuleGraph

SEMANTIC_NEIGHBOURS = 5
SEMANTIC_MIN_SIMILARITY = 0.15
SEMANTIC_HOPS = 2


def build_graph(
    facts: Sequence[ModuleFacts],
    table: SymbolTable,
    calls: Sequence[ResolvedCall],
    weights: Mapping[str, float],
) -> ModuleGraph:
    """The module graph; signals whose weight is 0 are not computed at all."""
    modules = tuple(sorted(f.module for f in facts))
    edges: list[Edge] = []
    edges += _call_edges(calls)
    edges += _import_edges(facts, table)
    edges += _inheritance_edges(facts, table)
    if weights.get("semantic", 0.0) > 0:
        edges += semantic_edges(facts, _neighbourhoods(modules, edges, SEMANTIC_HOPS))
    if weights.get("path", 0.0) > 0:
        edges += path_edges(modules)
    kinds = Counter(c.kind for c in calls)
    stats = CallStats(
        internal=kinds[CallKind.INTERNAL],
        builtin=kinds[CallKind.BUILTIN],
        external=kinds[CallKind.EXTERNAL],
        unresolved=kinds[CallKind.UNRESOLVED],
    )
    lines = tuple(sorted((f.module, f.lines) for f in facts))
    codeless = tuple(sorted(f.module for f in facts if _is_codeless(f)))
    return ModuleGraph(modules, lines, tuple(sorted(edges)), stats, codeless)


def _is_codeless(facts: ModuleFacts) -> bool:
    """Nothing but a docstring or comments: an empty package marker, say."""
    return not (facts.definitions or facts.imports or facts.calls or facts.assignments)


def _neighbourhoods(
    modules: Sequence[str], edges: Sequence[Edge], hops: int
) -> dict[str, frozenset[str]]:
    """Each module's structural neighbours within `hops` (calls, imports, inheritance)."""
    adjacent: dict[str, set[str]] = {m: set() for m in modules}
    for e in edges:
        adjacent[e.source].add(e.target)
        adjacent[e.target].add(e.source)
    near = {}
    for module in modules:
        seen, frontier = {module}, {module}
        for _ in range(hops):
            frontier = {n for m in frontier for n in adjacent[m]} - seen
            seen |= frontier
        near[module] = frozenset(seen)
    return near


def _counted(pairs: Counter[tuple[str, str]], kind: EdgeKind) -> list[Edge]:
    return [Edge(s, t, kind, float(n)) for (s, t), n in sorted(pairs.items()) if s != t]


def _call_edges(calls: Sequence[ResolvedCall]) -> list[Edge]:
    pairs = Counter(
        (c.caller_module, c.callee_module) for c in calls if c.kind is CallKind.INTERNAL
    )
    return _counted(pairs, EdgeKind.CALL)


def _import_edges(facts: Sequence[ModuleFacts], table: SymbolTable) -> list[Edge]:
    pairs: Counter[tuple[str, str]] = Counter()
    for mod in facts:
        for imp in mod.imports:
            target = imported_module(table, imp.target)
            if target:
                pairs[(mod.module, target)] += 1
    return _counted(pairs, EdgeKind.IMPORT)


def imported_module(table: SymbolTable, target: str) -> str:
    """The analysed module an import target lands in, or "" for external code."""
    if target in table.modules:
        return target
    value = table.evaluate(target)
    if value.kind == "module" and value.name in table.modules:
        return value.name
    if value.kind in ("class", "function"):
        return table.module_of(value.name)
    parent = target.rpartition(".")[0]
    return parent if parent in table.modules else ""


def _inheritance_edges(facts: Sequence[ModuleFacts], table: SymbolTable) -> list[Edge]:
    pairs: Counter[tuple[str, str]] = Counter()
    for mod in facts:
        for d in mod.definitions:
            if d.kind is not DefinitionKind.CLASS:
                continue
            for base in table.mro(d.qualname)[1:]:
                pairs[(mod.module, table.module_of(base))] += 1
    return _counted(pairs, EdgeKind.INHERITANCE)


def semantic_edges(
    facts: Sequence[ModuleFacts], near: Mapping[str, frozenset[str]] | None = None
) -> list[Edge]:
    """Each module to its most similar modules by TF-IDF cosine over its vocabulary.

    With `near`, only modules within a module's structural neighbourhood are candidates:
    similarity then refines structure instead of grouping modules that merely play the same
    framework role (every `apps.py` or `forms.py` of a Django project reads alike).
    """
    ordered = sorted(facts, key=lambda f: f.module)
    docs = [dict(f.vocabulary) for f in ordered]
    if sum(1 for d in docs if d) < 2:
        return []
    counts = DictVectorizer(sort=True).fit_transform(docs)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    similarity = (tfidf @ tfidf.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    edges = []
    for i, mod in enumerate(ordered):
        row = similarity[i]
        # stable order: strongest first, then by module name
        allowed = list(range(len(row)))
        if near is not None:
            allowed = [j for j in allowed if ordered[j].module in near[mod.module]]
        best = sorted(allowed, key=lambda j: (-row[j], ordered[j].module))
        for j in best[:SEMANTIC_NEIGHBOURS]:
            if row[j] >= SEMANTIC_MIN_SIMILARITY:
                sim = round(float(row[j]), 6)
                edges.append(Edge(mod.module, ordered[j].module, EdgeKind.SEMANTIC, sim))
    return edges


def path_edges(modules: Sequence[str]) -> list[Edge]:
    """Package proximity: each module to its package and to the siblings in it."""
    known = set(modules)
    by_parent: dict[str, list[str]] = {}
    for m in modules:
        by_parent.setdefault(m.rpartition(".")[0], []).append(m)
    edges = []
    for parent, children in sorted(by_parent.items()):
        strength = round(1.0 / len(children), 6)
        for child in children:
            if parent in known:
                edges.append(Edge(child, parent, EdgeKind.PATH, 1.0))
            for sibling in children:
                if sibling > child:
                    edges.append(Edge(child, sibling, EdgeKind.PATH, strength))
    return edges
