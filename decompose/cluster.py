"""Stage 5, cluster: `ModuleGraph` + signal weights -> `Clustering` (domains and shared kernel).

1. Combine the signals: each kind of edge is scaled so that its mean edge weight is 1, then
   multiplied by its signal weight; the directed edges fold into one undirected affinity graph.
2. Group the modules with seeded Louvain community detection (networkx).
3. Set apart the shared kernel (rule below) and cluster the rest again without it.

Shared-kernel rule: a module whose own domain makes less than half of its use (by call, import
or inheritance weight) is shared when the modules using it lie in at least half of the domains
(and at least three), or when it is a leaf utility: used by at least three domains while it
depends on no domain's code itself. A module with no dependency to or from any other module is
shared too, since nothing ties it to a domain. A module with no code at all (an empty package
marker) follows its package: it goes to the domain holding most of its submodules' lines.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import networkx as nx

from decompose.model import Clustering, Edge, EdgeKind, ModuleGraph, SharedModule

STRUCTURAL = (EdgeKind.CALL, EdgeKind.IMPORT, EdgeKind.INHERITANCE)
_SIGNAL_OF = {
    EdgeKind.CALL: "call",
    EdgeKind.IMPORT: "import",
    EdgeKind.INHERITANCE: "inheritance",
    EdgeKind.SEMANTIC: "semantic",
    EdgeKind.PATH: "path",
}


def cluster_modules(graph: ModuleGraph, weights: Mapping[str, float], seed: int) -> Clustering:
    """Domains of the graph's modules, and the shared kernel set apart from them."""
    affinity = affinity_graph(graph.modules, graph.edges, weights)
    codeless = set(graph.codeless)
    isolated = _isolated(graph) - codeless
    candidates = set(graph.modules) - codeless - isolated
    first = _louvain(affinity.subgraph(candidates), seed)
    shared = _shared_kernel(graph, first)
    shared.update({m: NO_DEPENDENCY for m in isolated})
    rest = affinity.subgraph(candidates - set(shared))
    communities = _louvain(rest, seed)
    modularity = (
        nx.community.modularity(rest, communities, weight="weight")
        if rest.number_of_edges()
        else 0.0
    )
    assignment = {m: i for i, members in enumerate(communities) for m in members}
    placed, unplaced = _place_codeless(sorted(codeless), assignment, shared, graph.lines_of())
    assignment.update(placed)
    shared.update(unplaced)
    return Clustering(
        assignment=tuple(sorted(assignment.items())),
        shared=tuple(sorted(SharedModule(m, r) for m, r in shared.items())),
        algorithm="louvain",
        modularity=float(modularity),
        seed=seed,
    )


NO_DEPENDENCY = "no dependency to or from any other module: nothing ties it to a domain"


def _place_codeless(
    codeless: Sequence[str],
    assignment: Mapping[str, int],
    shared: Mapping[str, str],
    lines: Mapping[str, int],
) -> tuple[dict[str, int], dict[str, str]]:
    """A module with no code follows its package when one domain clearly holds the package.

    Clearly: at least two thirds of the lines of the package's modules, the shared kernel
    counting as one more domain. This places only code-less modules (empty package markers)
    and changes no other module's domain, so it is not a clustering signal.
    """
    placed: dict[str, int] = {}
    unplaced: dict[str, str] = {}
    owner = {**assignment, **{m: _SHARED for m in shared}}
    for module in codeless:
        prefix = module + "."
        weight: dict[int, int] = defaultdict(int)
        for other, domain in owner.items():
            if other.startswith(prefix):
                weight[domain] += max(lines.get(other, 1), 1)
        best = min(weight, key=lambda d: (-weight[d], d)) if weight else None
        if best is None:
            unplaced[module] = "no code, and no module of its own in any domain"
        elif best != _SHARED and weight[best] * 3 >= sum(weight.values()) * 2:
            placed[module] = best
        else:
            unplaced[module] = "package marker with no code; its modules are shared or span domains"
    return placed, unplaced


_SHARED = -1


def affinity_graph(
    modules: Sequence[str], edges: Sequence[Edge], weights: Mapping[str, float]
) -> nx.Graph:
    """One undirected graph whose edge weights combine every signal."""
    by_kind: dict[EdgeKind, list[Edge]] = defaultdict(list)
    for edge in edges:
        if weights.get(_SIGNAL_OF[edge.kind], 0.0) > 0 and edge.source != edge.target:
            by_kind[edge.kind].append(edge)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(modules))
    for kind in sorted(by_kind):
        kind_edges = by_kind[kind]
        strengths = [_strength(e) for e in kind_edges]
        scale = weights[_SIGNAL_OF[kind]] * len(strengths) / sum(strengths)
        for edge, strength in zip(kind_edges, strengths, strict=True):
            a, b = sorted((edge.source, edge.target))
            old = graph.get_edge_data(a, b, default={"weight": 0.0})["weight"]
            graph.add_edge(a, b, weight=old + strength * scale)
    return graph


def _strength(edge: Edge) -> float:
    # Counts grow with module size; a log keeps one huge module from swallowing the rest.
    return 1.0 + math.log(edge.weight) if edge.kind in STRUCTURAL else edge.weight


def _louvain(graph: nx.Graph, seed: int) -> list[frozenset[str]]:
    """Seeded Louvain; communities ordered by their smallest module (content-derived ids)."""
    if graph.number_of_nodes() == 0:
        return []
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_weighted_edges_from(
        sorted((*sorted((a, b)), d["weight"]) for a, b, d in graph.edges(data=True))
    )
    found = nx.community.louvain_communities(ordered, weight="weight", resolution=1.0, seed=seed)
    return sorted((frozenset(c) for c in found), key=min)


def _isolated(graph: ModuleGraph) -> set[str]:
    linked = {e.source for e in graph.edges if e.kind in STRUCTURAL}
    linked |= {e.target for e in graph.edges if e.kind in STRUCTURAL}
    return set(graph.modules) - linked


def _shared_kernel(graph: ModuleGraph, communities: Sequence[frozenset[str]]) -> dict[str, str]:
    """Modules used across domains and owned by none (see the module docstring)."""
    domain = {m: i for i, c in enumerate(communities) for m in c}
    real_domains = sum(1 for c in communities if len(c) > 1)
    if real_domains < 3:
        return {}
    incoming: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    outgoing: dict[str, set[int]] = defaultdict(set)
    for edge in graph.edges:
        if edge.kind in STRUCTURAL and edge.source in domain and edge.target in domain:
            incoming[edge.target][domain[edge.source]] += edge.weight
            if domain[edge.target] != domain[edge.source]:
                outgoing[edge.source].add(domain[edge.target])
    broad = max(3, math.ceil(real_domains / 2))
    shared = {}
    for module, sources in sorted(incoming.items()):
        users = len(sources)
        share = sources.get(domain[module], 0.0) / sum(sources.values())
        if share >= 0.5:
            continue
        if users >= broad:
            shared[module] = (
                f"used by {users} of {real_domains} domains; its own domain makes "
                f"{share:.0%} of its use"
            )
        elif users >= LEAF_USERS and not outgoing[module] and not _uses_own(graph, module, domain):
            shared[module] = (
                f"a leaf utility: used by {users} domains, its own domain makes {share:.0%} of "
                "its use, and it depends on no domain's code"
            )
    return shared


LEAF_USERS = 3


def _uses_own(graph: ModuleGraph, module: str, domain: Mapping[str, int]) -> bool:
    return any(
        e.source == module and e.kind in STRUCTURAL and domain.get(e.target) == domain[module]
        for e in graph.edges
    )
