"""The combined affinity: every signal's edges scaled, weighted and folded into one matrix.

Each kind of edge is scaled so that its mean strength is 1, then multiplied by its signal
weight; counts (calls, imports, inheritance) weigh 1 + ln(count) so that one huge module does
not swallow the rest. A dependency (call, import, base class) is divided by the number of
modules depending on its target raised to SUPPLIER_EXPONENT: using a module few others use says
which domain a module belongs to; using what everyone uses (framework glue, loaders, base
views, helpers) says little. Without it such suppliers gather their users around themselves,
one technical layer per cluster (Bunch's omnipresent modules, weighed down instead of cut).
Directed edges fold into one symmetric matrix; each pair keeps the part every signal
contributed, for the explanations.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
from scipy import sparse

from decompose.model import COUNTED, STRUCTURAL, Edge

SUPPLIER_EXPONENT = 1.5


class Affinity:
    """A symmetric affinity matrix over sorted modules, with each signal's part per pair."""

    def __init__(self, modules: Sequence[str], edges: Iterable[Edge], weights: Mapping[str, float]):
        self.modules = tuple(sorted(modules))
        self.index = {m: i for i, m in enumerate(self.modules)}
        self.parts: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
        by_kind: dict[str, list[Edge]] = defaultdict(list)
        edges = list(edges)
        users = supplier_users(edges)
        for edge in edges:
            if (
                weights.get(edge.kind.value, 0.0) > 0
                and edge.source != edge.target
                and edge.source in self.index
                and edge.target in self.index
            ):
                by_kind[edge.kind.value].append(edge)
        for signal in sorted(by_kind):
            kind_edges = by_kind[signal]
            strengths = [strength(e) / specificity(e, users) for e in kind_edges]
            scale = weights[signal] * len(strengths) / sum(strengths)
            for edge, value in zip(kind_edges, strengths, strict=True):
                a, b = sorted((self.index[edge.source], self.index[edge.target]))
                part = self.parts[(a, b)]
                part[signal] = part.get(signal, 0.0) + value * scale
        n = len(self.modules)
        pairs = sorted(self.parts)
        rows = np.array([a for a, _ in pairs] + [b for _, b in pairs], dtype=np.int64)
        cols = np.array([b for _, b in pairs] + [a for a, _ in pairs], dtype=np.int64)
        values = [sum(self.parts[p].values()) for p in pairs]
        data = np.array(values + values, dtype=np.float64)
        self.matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, n))

    def weight(self, a: str, b: str) -> float:
        """The combined affinity between two modules."""
        i, j = sorted((self.index[a], self.index[b]))
        return sum(self.parts.get((i, j), {}).values())

    def signals(self, a: str, b: str) -> dict[str, float]:
        """Each signal's part of the affinity between two modules."""
        i, j = sorted((self.index[a], self.index[b]))
        return dict(self.parts.get((i, j), {}))

    def neighbours(self) -> dict[str, dict[str, float]]:
        """Module -> {neighbour: combined affinity}."""
        out: dict[str, dict[str, float]] = {m: {} for m in self.modules}
        for (i, j), part in self.parts.items():
            total = sum(part.values())
            out[self.modules[i]][self.modules[j]] = total
            out[self.modules[j]][self.modules[i]] = total
        return out

    def submatrix(self, members: Sequence[int]) -> sparse.csr_matrix:
        """The affinity restricted to some modules (by index, in the given order)."""
        chosen = np.asarray(members, dtype=np.int64)
        return self.matrix[chosen][:, chosen].tocsr()


def strength(edge: Edge) -> float:
    """How much one edge weighs before scaling: 1 + ln(count) for counts, else the similarity."""
    return 1.0 + math.log(edge.weight) if edge.kind in COUNTED else edge.weight


def supplier_users(edges: Iterable[Edge]) -> dict[str, int]:
    """Per module, how many other modules depend on it (calls, imports, inheritance)."""
    users: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.kind in STRUCTURAL and edge.source != edge.target:
            users[edge.target].add(edge.source)
    return {m: len(s) for m, s in users.items()}


def specificity(edge: Edge, users: Mapping[str, int]) -> float:
    """The divisor of a dependency's strength: its target's users ** SUPPLIER_EXPONENT."""
    if edge.kind not in STRUCTURAL:
        return 1.0
    return math.pow(max(users.get(edge.target, 1), 1), SUPPLIER_EXPONENT)


def affinity_graph(
    modules: Sequence[str], edges: Sequence[Edge], weights: Mapping[str, float]
) -> nx.Graph:
    """One undirected networkx graph whose edge weights combine every signal."""
    affinity = Affinity(modules, edges, weights)
    graph = nx.Graph()
    graph.add_nodes_from(affinity.modules)
    for (i, j), part in sorted(affinity.parts.items()):
        graph.add_edge(affinity.modules[i], affinity.modules[j], weight=sum(part.values()))
    return graph
