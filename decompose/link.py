"""Stage 4, link: `ModuleFacts` + resolved calls + `History` -> a frozen, typed `ModuleGraph`.

Edges between modules, one kind per signal (the kind's name is the signal's weight name):
- structural, always built (derive reports them whatever their weight): calls (one per call
  site), imports, inheritance;
- similarities, built only when their weight is above 0: semantic (TF-IDF over the identifiers,
  strings and docstrings inside the code, never over module or package names), git co-change
  (code-maat's coupling degree), shared authors, and package proximity (`path`, the only signal
  that reads module names).

The same code one level down: top-level symbols (classes with their methods, functions, and each
module's own top-level code) with the calls, inheritance and scoped imports between them.

The data graph's signals (entity reads and writes, composition between entities, transactions,
signal and task edges, loading by name) come from `data_edges`. A new signal slots in as one
more producer called from `build_graph` when its weight is above 0, one more `EdgeKind` (named
like the signal) and one more default weight in `config`; `cluster` scales and combines every
kind alike.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from decompose.extract import CallKind, ResolvedCall, SymbolTable
from decompose.model import (
    STRUCTURAL,
    CallStats,
    DefinitionKind,
    Edge,
    EdgeKind,
    ModuleFacts,
    ModuleGraph,
    Symbol,
    SymbolKind,
)
from decompose.model.data import PERMISSION, AccessMode, DataGraph
from decompose.model.history import History

SEMANTIC_NEIGHBOURS = 5
SEMANTIC_MIN_SIMILARITY = 0.15
SEMANTIC_HOPS = 1
COCHANGE_MAX_FILES = 30  # code-maat's default: bigger commits are reformats, not features
COCHANGE_MIN_SHARED = 2  # commits two modules must share before their coupling counts
COCHANGE_MIN_DEGREE = 0.3  # code-maat's default minimum coupling degree
AUTHORS_NEIGHBOURS = 5
AUTHORS_MIN_SIMILARITY = 0.2
COMMUNITY_SEED = 0  # structural communities only weigh words: a fixed seed keeps them stable


def build_graph(
    facts: Sequence[ModuleFacts],
    table: SymbolTable,
    calls: Sequence[ResolvedCall],
    weights: Mapping[str, float],
    history: History | None = None,
    cochange_max_files: int = COCHANGE_MAX_FILES,
    data: DataGraph | None = None,
) -> ModuleGraph:
    """The module graph; similarity signals whose weight is 0 are not computed at all."""
    modules = tuple(sorted(f.module for f in facts))
    known = frozenset(modules)
    loaded = {(d.caller_module, d.target_module) for d in data.dynamic_edges} if data else set()
    imports = _import_counts(facts, table)
    imported = set(imports) | loaded
    edges = _within(
        known, [*_call_edges(calls, table, imported), *_counted(imports, EdgeKind.IMPORT)]
    )
    edges += _within(known, _inheritance_edges(facts, table))
    if data is not None:
        edges += _within(known, data_edges(data))
    near = _neighbourhoods(modules, edges, SEMANTIC_HOPS)
    notes: list[str] = []
    if weights.get("semantic", 0.0) > 0:
        edges += semantic_edges(facts, near, structural_communities(modules, edges))
    if weights.get("cochange", 0.0) > 0 or weights.get("authors", 0.0) > 0:
        edges += _git_edges(facts, near, weights, history, cochange_max_files, notes)
    if weights.get("path", 0.0) > 0:
        edges += path_edges(modules)
    kinds = Counter(c.kind for c in calls)
    stats = CallStats(
        internal=kinds[CallKind.INTERNAL],
        builtin=kinds[CallKind.BUILTIN],
        external=kinds[CallKind.EXTERNAL],
        unresolved=kinds[CallKind.UNRESOLVED],
    )
    symbols = symbols_of(facts)
    return ModuleGraph(
        modules=modules,
        lines=tuple(sorted((f.module, f.lines) for f in facts)),
        edges=tuple(sorted(edges)),
        calls=stats,
        codeless=tuple(sorted(f.module for f in facts if _is_codeless(f))),
        symbols=symbols,
        symbol_edges=symbol_edges(facts, table, calls, symbols),
        notes=tuple(notes),
        transactions=transaction_modules(data, known) if data is not None else (),
    )


def _within(known: frozenset[str], edges: Iterable[Edge]) -> list[Edge]:
    """Edges between analysed modules only (a fact naming anything else is dropped)."""
    return [e for e in edges if e.source in known and e.target in known]


def _is_codeless(facts: ModuleFacts) -> bool:
    """Nothing but a docstring or comments (an empty package marker, say), or a package's
    `__init__` that only imports (`from mezzanine import __version__`, re-exports): it defines,
    runs and binds nothing of its own, so it follows its package instead of being clustered."""
    if facts.definitions or facts.calls:
        return False
    imported = {f"{facts.module}.{i.alias}" for i in facts.imports}
    if any(name not in imported for name, _ in facts.assignments):
        return False
    return not facts.imports or facts.is_package


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


def _call_edges(
    calls: Sequence[ResolvedCall], table: SymbolTable, imported: set[tuple[str, str]]
) -> list[Edge]:
    """One edge per internal call site, from the caller's module to the callee's.

    A call of a function whose module the caller's module never imports (nor loads by name)
    reached it as a value: a callback, a handler in a registry, a route table. The module that
    handed the function over depends on the one calling it back, not the other way round, so
    the edge runs from the callee's module to the caller's: a router or signal dispatcher does
    not depend on every handler it calls.
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for c in calls:
        if c.kind is not CallKind.INTERNAL:
            continue
        source, target = c.caller_module, c.callee_module
        if (
            source != target
            and table.kinds.get(c.callee) is DefinitionKind.FUNCTION
            and not _imports(source, target, imported)
        ):
            source, target = target, source
        pairs[(source, target)] += 1
    return _counted(pairs, EdgeKind.CALL)


def _imports(source: str, target: str, imported: set[tuple[str, str]]) -> bool:
    """Does `source` import `target` or a package above it (`import pkg` then `pkg.mod.f()`)?"""
    parts = target.split(".")
    return any((source, ".".join(parts[:end])) in imported for end in range(len(parts), 0, -1))


def _import_counts(facts: Sequence[ModuleFacts], table: SymbolTable) -> Counter[tuple[str, str]]:
    """(importer, imported module) -> import statements; a module reached only through a
    package the importer imports (`signals.event.created.send(...)` after `from app.core
    import signals`) counts once: the package's `__init__` re-exporting it is no dependency
    of its own."""
    pairs: Counter[tuple[str, str]] = Counter()
    for mod in facts:
        for imp in mod.imports:
            target = imported_module(table, imp.target)
            if target:
                pairs[(mod.module, target)] += 1
    for mod in facts:
        for site in mod.sites:
            target = _submodule(table, site.callee)
            if target and target != mod.module and (mod.module, target) not in pairs:
                pairs[(mod.module, target)] = 1
    return pairs


def _submodule(table: SymbolTable, dotted: str) -> str:
    """The analysed module a qualified name is taken from, through the deepest module it
    runs through (`pkg.sub.signal.send` after `import pkg`: `pkg.sub`), "" if none."""
    if dotted.startswith(("?", "<")):
        return ""
    parts = dotted.split(".")
    for end in range(len(parts) - 1, 0, -1):
        if ".".join(parts[:end]) in table.modules:
            return imported_module(table, ".".join([*parts[:end], parts[end].removesuffix("()")]))
    return ""


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
    facts: Sequence[ModuleFacts],
    near: Mapping[str, frozenset[str]] | None = None,
    community: Mapping[str, int] | None = None,
) -> list[Edge]:
    """Each module to its most similar modules by TF-IDF cosine over its vocabulary.

    With `near`, only modules within a module's structural neighbourhood are candidates:
    similarity then refines structure instead of grouping modules that merely play the same
    framework role (every `apps.py` or `forms.py` of a Django project reads alike). With
    `community` (structural communities), each word is weighted by its concentration: the
    largest share of the modules using it that fall in one community. A domain's words
    concentrate in its code; framework-role words (`sender`, `queryset`, `cleaned`) spread
    over every community and fade.
    """
    ordered = sorted(facts, key=lambda f: f.module)
    docs = [dict(f.vocabulary) for f in ordered]
    if sum(1 for d in docs if d) < 2:
        return []
    vectorizer = DictVectorizer(sort=True)
    counts = vectorizer.fit_transform(docs)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    if community is not None:
        groups = [community.get(f.module, -1) for f in ordered]
        tfidf = normalize(tfidf @ sparse.diags(_concentration(counts, groups)))
    return _nearest(
        [f.module for f in ordered],
        tfidf,
        near,
        EdgeKind.SEMANTIC,
        SEMANTIC_NEIGHBOURS,
        SEMANTIC_MIN_SIMILARITY,
    )


def _concentration(counts: Any, groups: Sequence[int]) -> NDArray[np.float64]:
    """Per word, the largest share of the (grouped) documents using it that share one group."""
    present = (counts > 0).astype(np.float64).tocsc()
    labels = np.asarray(groups, dtype=np.int64)
    grouped = labels >= 0
    if not grouped.any():
        return np.ones(present.shape[1])
    onehot = sparse.csr_matrix(
        (np.ones(int(grouped.sum())), (np.flatnonzero(grouped), labels[grouped])),
        shape=(len(labels), int(labels.max()) + 1),
    )
    per_group = (onehot.T @ present).toarray()  # groups x words
    total = per_group.sum(axis=0)
    share = np.divide(per_group.max(axis=0), total, out=np.ones_like(total), where=total > 0)
    return np.asarray(share, dtype=np.float64)


def structural_communities(modules: Sequence[str], edges: Sequence[Edge]) -> dict[str, int]:
    """Louvain communities of the dependency graph (fixed seed); singletons left out."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(modules))
    for edge in sorted(edges):
        if edge.kind in STRUCTURAL:
            old = graph.get_edge_data(edge.source, edge.target, {"weight": 0.0})["weight"]
            graph.add_edge(edge.source, edge.target, weight=old + 1.0 + math.log(edge.weight))
    found = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    ordered = sorted((sorted(c) for c in found if len(c) > 1), key=lambda c: c[0])
    return {m: i for i, members in enumerate(ordered) for m in members}


def _nearest(
    names: Sequence[str],
    vectors: Any,
    near: Mapping[str, frozenset[str]] | None,
    kind: EdgeKind,
    neighbours: int,
    minimum: float,
) -> list[Edge]:
    """Each row to its `neighbours` most similar rows (cosine of L2-normalised sparse rows)."""
    similarity = (vectors @ vectors.T).tocsr()
    index = {name: i for i, name in enumerate(names)}
    edges = []
    for i, name in enumerate(names):
        row = similarity.getrow(i)
        allowed = {index[n] for n in near[name] if n in index} if near is not None else None
        scored = [
            (-float(v), names[j])
            for j, v in zip(row.indices, row.data, strict=True)
            if j != i and v >= minimum and (allowed is None or j in allowed)
        ]
        for negative, other in sorted(scored)[:neighbours]:
            edges.append(Edge(name, other, kind, round(-negative, 6)))
    return edges


def _git_edges(
    facts: Sequence[ModuleFacts],
    near: Mapping[str, frozenset[str]],
    weights: Mapping[str, float],
    history: History | None,
    max_files: int,
    notes: list[str],
) -> list[Edge]:
    """Co-change and shared-author edges, or a note saying why there are none."""
    if history is None or not history.available:
        why = history.note if history is not None else "no history was read"
        notes.append(f"git co-change and shared authors skipped: {why}")
        return []
    module_of = {f.path: f.module for f in facts}
    kept = [c for c in history.commits if c.size <= max_files]
    read, ignored = len(history.commits), len(history.commits) - len(kept)
    notes.append(
        f"git history: {read} commit{'' if read == 1 else 's'} read, {ignored} ignored for "
        f"touching more than {max_files} files"
    )
    changes = [sorted({module_of[p] for p in c.files if p in module_of}) for c in kept]
    edges: list[Edge] = []
    if weights.get("cochange", 0.0) > 0:
        edges += cochange_edges(changes)
    if weights.get("authors", 0.0) > 0:
        authored = [(c.author, module_of[p]) for c in kept for p in c.files if p in module_of]
        edges += author_edges(authored, near)
    return edges


def cochange_edges(changes: Sequence[Sequence[str]]) -> list[Edge]:
    """code-maat's coupling degree: shared commits over the mean commit count of the pair."""
    revisions: Counter[str] = Counter()
    shared: Counter[tuple[str, str]] = Counter()
    for modules in changes:
        revisions.update(modules)
        for i, a in enumerate(modules):
            for b in modules[i + 1 :]:
                shared[(a, b)] += 1
    edges = []
    for (a, b), n in sorted(shared.items()):
        degree = n / ((revisions[a] + revisions[b]) / 2)
        if n >= COCHANGE_MIN_SHARED and degree >= COCHANGE_MIN_DEGREE:
            edges.append(Edge(a, b, EdgeKind.COCHANGE, round(degree, 6)))
    return edges


def author_edges(
    authored: Sequence[tuple[str, str]], near: Mapping[str, frozenset[str]] | None = None
) -> list[Edge]:
    """Modules whose commits come from the same people (TF-IDF over authors, cosine)."""
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for author, module in authored:
        per_module[module][author] += 1
    names = sorted(per_module)
    if len(names) < 2:
        return []
    counts = DictVectorizer(sort=True).fit_transform([dict(per_module[m]) for m in names])
    vectors = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    scoped = None if near is None else {m: near.get(m, frozenset()) for m in names}
    return _nearest(
        names, vectors, scoped, EdgeKind.AUTHORS, AUTHORS_NEIGHBOURS, AUTHORS_MIN_SIMILARITY
    )


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


# -- symbols ---------------------------------------------------------------------------------


def symbols_of(facts: Sequence[ModuleFacts]) -> tuple[Symbol, ...]:
    """Every module's top-level classes and functions, and its own top-level code."""
    symbols = []
    for mod in facts:
        top = [d for d in mod.definitions if d.qualname.rpartition(".")[0] == mod.module]
        own = max(mod.lines - sum(d.size for d in top), 0)
        symbols.append(Symbol(mod.module, mod.module, SymbolKind.MODULE, own))
        for d in top:
            kind = SymbolKind.CLASS if d.kind is DefinitionKind.CLASS else SymbolKind.FUNCTION
            symbols.append(Symbol(d.qualname, mod.module, kind, d.size))
    return tuple(sorted(symbols))


class _SymbolIndex:
    """Maps any qualified name inside a module to the top-level symbol holding it."""

    def __init__(self, symbols: Sequence[Symbol]) -> None:
        self.known = {s.qualname for s in symbols}

    def top(self, qualname: str, module: str) -> str:
        if not module or module not in self.known:
            return ""
        if qualname == module or not qualname.startswith(module + "."):
            return module
        head = qualname[len(module) + 1 :].split(".")[0]
        candidate = f"{module}.{head}"
        return candidate if candidate in self.known else module


def symbol_edges(
    facts: Sequence[ModuleFacts],
    table: SymbolTable,
    calls: Sequence[ResolvedCall],
    symbols: Sequence[Symbol],
) -> tuple[Edge, ...]:
    """Calls, inheritance and scoped imports between top-level symbols (and module code)."""
    index = _SymbolIndex(symbols)
    pairs: dict[EdgeKind, Counter[tuple[str, str]]] = defaultdict(Counter)
    for call in calls:
        if call.kind is CallKind.INTERNAL:
            source = index.top(call.caller, call.caller_module)
            target = index.top(call.callee, call.callee_module)
            pairs[EdgeKind.CALL][(source, target)] += 1
    for mod in facts:
        for imp in mod.imports:
            target_module = imported_module(table, imp.target)
            value = table.evaluate(imp.target)
            name = value.name if value.kind in ("class", "function") else target_module
            pairs[EdgeKind.IMPORT][
                (index.top(imp.scope, mod.module), index.top(name, target_module))
            ] += 1
        for d in mod.definitions:
            if d.kind is DefinitionKind.CLASS:
                for base in table.mro(d.qualname)[1:2]:
                    base_module = table.module_of(base)
                    pairs[EdgeKind.INHERITANCE][
                        (index.top(d.qualname, mod.module), index.top(base, base_module))
                    ] += 1
    edges = [
        Edge(s, t, kind, float(n))
        for kind, counted in pairs.items()
        for (s, t), n in counted.items()
        if s and t and s != t
    ]
    return tuple(sorted(edges))


def transaction_modules(data: DataGraph, known: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """Per transaction writing entities, its code's module and its entities' modules."""
    module_of = {e.qualname: e.module for e in data.entities}
    scopes = []
    for scope in data.transactions:
        written = {module_of[e] for e in scope.entities if e in module_of}
        modules = tuple(sorted(m for m in {scope.caller_module, *written} if m in known))
        if written and modules:
            scopes.append(modules)
    return tuple(sorted(scopes))


def data_edges(data: DataGraph) -> list[Edge]:
    """Edges from the data graph: accesses, foreign keys, transactions, async, dynamic loads.

    A module touching an entity is tied to the entity's module (a write counts twice a read);
    an entity is tied to the entities it is part of or that are part of it (`Line.basket`, on
    delete cascade, not null): one aggregate. A mere reference (a nullable or protected foreign
    key, a many-to-many) is how aggregates of different domains refer to each other by
    identity, and ties nothing. Entities written in one transaction tie their modules
    pairwise; a signal or task ties the sender's module to the receiver's; loading a class or
    module by name is an import, and naming a Django model by a permission reads its data.
    """
    module_of = {e.qualname: e.module for e in data.entities}
    pairs: dict[EdgeKind, Counter[tuple[str, str]]] = defaultdict(Counter)
    for access in data.accesses:
        weight = 2 if access.mode is AccessMode.WRITE else 1
        pairs[EdgeKind.DATA][(access.caller_module, module_of[access.entity])] += weight
    for entity in data.entities:
        for f in entity.fields:
            if f.composition and f.target in module_of:
                pairs[EdgeKind.FK][(entity.module, module_of[f.target])] += 1
    for scope in data.transactions:
        owners = sorted({module_of[e] for e in scope.entities if e in module_of})
        for i, a in enumerate(owners):
            for b in owners[i + 1 :]:
                pairs[EdgeKind.TRANSACTION][(a, b)] += 1
    for edge in data.async_edges:
        if edge.source_module and edge.target_module:
            pairs[EdgeKind.ASYNC][(edge.source_module, edge.target_module)] += 1
    for dynamic in data.dynamic_edges:
        # a permission names the model whose data the module guards: a read, not an import
        signal = EdgeKind.DATA if dynamic.kind == PERMISSION else EdgeKind.IMPORT
        pairs[signal][(dynamic.caller_module, dynamic.target_module)] += 1
    return [
        Edge(s, t, kind, float(n))
        for kind, counted in sorted(pairs.items())
        for (s, t), n in sorted(counted.items())
        if s != t
    ]
