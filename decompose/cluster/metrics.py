"""Quality of a partition of the modules into services, by the measures the literature uses.

Measured over the modules in services (the shared kernel is a library, not a service):
- modularity: Newman's Q of the partition on the combined affinity (higher is better);
- SM, structural modularity (Jin et al. 2019): mean cohesion mu_i / N_i^2 of the services minus
  mean coupling sigma_ij / (2 N_i N_j) over pairs of services, on the module dependency graph
  (distinct module pairs with a call, import or base class); in [-1, 1], higher is better;
- TurboMQ (Mitchell & Mancoridis, Bunch): the sum over services of the cluster factor
  2 mu_i / (2 mu_i + sum_j (eps_ij + eps_ji)), on dependency counts; higher is better;
- ICP, inter-call percentage (Mono2Micro): share of call sites that cross a service boundary;
  lower is better;
- IFN, interface number (Mono2Micro): mean number of a service's classes and functions that other
  services call; lower is better;
- NED, non-extreme distribution (Mono2Micro): share of classes in services with fewer than 5
  or more than 20 classes; lower is better;
- transactions kept: share of the transaction scopes writing entities (`transaction.atomic`,
  `session.begin()`, an atomic function) whose code and the models of the entities they write
  stay inside one service, so they can stay local ACID transactions instead of becoming sagas;
  the shared kernel is a library inside every service. None when no scope writes an entity.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

from decompose.cluster.affinity import Affinity
from decompose.model import STRUCTURAL, EdgeKind, Metrics, ModuleGraph, SymbolKind

NED_SMALL = 5
NED_LARGE = 20
NO_TRANSACTIONS = (
    "no transaction scope (transaction.atomic, session.begin(), an atomic function) writes an "
    "entity in this code, so the share of transactions kept inside one service is not measured"
)


def transactions_note(count: int) -> str:
    """How the share of transactions kept is counted over `count` transactions, or why not."""
    if not count:
        return NO_TRANSACTIONS
    return (
        f"transactions kept: share of the {count} transaction scope{'' if count == 1 else 's'} "
        "writing entities whose code and written entities' models stay inside one service "
        "(the shared kernel, a library, is inside every service)"
    )


class Quality:
    """Measures partitions of one graph's modules (labels over the affinity's module order)."""

    def __init__(self, graph: ModuleGraph, affinity: Affinity) -> None:
        index = affinity.index
        dependencies: dict[tuple[int, int], float] = defaultdict(float)
        calls: dict[tuple[int, int], float] = defaultdict(float)
        for edge in graph.edges:
            if edge.kind in STRUCTURAL and edge.source in index and edge.target in index:
                pair = (index[edge.source], index[edge.target])
                dependencies[pair] += edge.weight
                if edge.kind is EdgeKind.CALL:
                    calls[pair] += edge.weight
        self._dep = _arrays(dependencies)
        self._calls = _arrays(calls)
        module_of = {s.qualname: s.module for s in graph.symbols}
        symbol_ids = {name: i for i, name in enumerate(sorted(module_of))}
        called = sorted(
            {
                (index[module_of[e.source]], symbol_ids[e.target], index[module_of[e.target]])
                for e in graph.symbol_edges
                if e.kind is EdgeKind.CALL
                and module_of.get(e.source) in index
                and module_of.get(e.target) in index
            }
        )
        self._interface = np.array(called, dtype=np.int64).reshape(-1, 3)
        classes = np.zeros(len(affinity.modules), dtype=np.float64)
        for s in graph.symbols:
            if s.kind is SymbolKind.CLASS and s.module in index:
                classes[index[s.module]] += 1
        self._classes = classes
        coo = affinity.matrix.tocoo()
        self._affinity = (coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data)
        self._transactions = [
            np.array(sorted({index[m] for m in scope if m in index}), dtype=np.int64)
            for scope in graph.transactions
            if any(m in index for m in scope)
        ]

    @property
    def transactions_note(self) -> str:
        """How `Metrics.transactions_kept` is counted, or why it is None."""
        return transactions_note(len(self._transactions))

    def measure(self, labels: NDArray[np.int64]) -> Metrics:
        """The metrics of a partition; modules labelled -1 are left out."""
        inside = labels >= 0
        used = np.unique(labels[inside])
        k = len(used)
        compact = np.full(len(labels), -1, dtype=np.int64)
        compact[inside] = np.searchsorted(used, labels[inside])
        sizes = np.bincount(compact[inside], minlength=k).astype(np.float64)
        return Metrics(
            services=k,
            modularity=self._modularity(compact, k),
            structural_modularity=self._structural_modularity(compact, k, sizes),
            turbomq=self._turbomq(compact, k),
            icp=self._icp(compact),
            ifn=self._ifn(compact, k),
            ned=self._ned(compact, k),
            transactions_kept=self._transactions_kept(compact),
        )

    def _transactions_kept(self, labels: NDArray[np.int64]) -> float | None:
        if not self._transactions:
            return None
        kept = sum(1 for scope in self._transactions if len(set(labels[scope]) - {-1}) <= 1)
        return kept / len(self._transactions)

    def _modularity(self, labels: NDArray[np.int64], k: int) -> float:
        rows, cols, data = self._affinity
        keep = (labels[rows] >= 0) & (labels[cols] >= 0)
        rows, cols, data = rows[keep], cols[keep], data[keep]
        total = data.sum()
        if total <= 0 or k == 0:
            return 0.0
        internal = data[labels[rows] == labels[cols]].sum()
        degree = np.bincount(labels[rows], weights=data, minlength=k)
        return float(internal / total - ((degree / total) ** 2).sum())

    def _between(
        self, arrays: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
        labels: NDArray[np.int64], k: int, distinct: bool,
    ) -> NDArray[np.float64]:  # fmt: skip
        """k x k matrix of dependency weight (or distinct pairs) from service i to service j."""
        src, dst, weight = arrays
        a, b = labels[src], labels[dst]
        keep = (a >= 0) & (b >= 0)
        values = np.ones(int(keep.sum())) if distinct else weight[keep]
        flat = np.bincount(a[keep] * k + b[keep], weights=values, minlength=k * k)
        return np.asarray(flat.reshape(k, k), dtype=np.float64)

    def _structural_modularity(
        self, labels: NDArray[np.int64], k: int, sizes: NDArray[np.float64]
    ) -> float:
        if k == 0:
            return 0.0
        between = self._between(self._dep, labels, k, distinct=True)
        cohesion = float((np.diag(between) / sizes**2).mean())
        if k == 1:
            return cohesion
        sym = between + between.T
        upper = np.triu_indices(k, 1)
        coupling = (sym[upper] / (2 * np.outer(sizes, sizes)[upper])).sum()
        return cohesion - float(coupling) / (k * (k - 1) / 2)

    def _turbomq(self, labels: NDArray[np.int64], k: int) -> float:
        if k == 0:
            return 0.0
        between = self._between(self._dep, labels, k, distinct=False)
        internal = np.diag(between)
        external = between.sum(axis=0) + between.sum(axis=1) - 2 * internal
        denominator = 2 * internal + external
        factors = np.divide(2 * internal, denominator, out=np.zeros(k), where=denominator > 0)
        return float(factors.sum())

    def _icp(self, labels: NDArray[np.int64]) -> float:
        src, dst, weight = self._calls
        a, b = labels[src], labels[dst]
        keep = (a >= 0) & (b >= 0)
        total = weight[keep].sum()
        return float(weight[keep][a[keep] != b[keep]].sum() / total) if total > 0 else 0.0

    def _ifn(self, labels: NDArray[np.int64], k: int) -> float:
        if k == 0 or not len(self._interface):
            return 0.0
        source, symbol, target = self._interface.T
        a, b = labels[source], labels[target]
        crossing = (a >= 0) & (b >= 0) & (a != b)
        exposed = {(int(t), int(s)) for t, s in zip(b[crossing], symbol[crossing], strict=True)}
        return len(exposed) / k

    def _ned(self, labels: NDArray[np.int64], k: int) -> float:
        inside = labels >= 0
        per_service = np.bincount(labels[inside], weights=self._classes[inside], minlength=k)
        total = per_service.sum()
        if total == 0:
            return 0.0
        extreme = (per_service < NED_SMALL) | (per_service > NED_LARGE)
        return float(per_service[extreme].sum() / total)


def _arrays(
    pairs: dict[tuple[int, int], float],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    ordered = sorted(pairs.items())
    src = np.array([a for (a, _), _ in ordered], dtype=np.int64)
    dst = np.array([b for (_, b), _ in ordered], dtype=np.int64)
    weight = np.array([w for _, w in ordered], dtype=np.float64)
    return src, dst, weight
