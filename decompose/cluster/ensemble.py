"""Candidate partitions from two families of algorithms, and their consensus.

- Modularity: seeded Louvain (networkx) over a resolution sweep, plus Louvain on resamples of
  the graph (each edge kept with probability 0.9) so that stability also means robustness.
- Spectral: scikit-learn's spectral embedding of the affinity, then k-means on the row-normalised
  embedding (Ng, Jordan & Weiss) for several numbers of clusters around Louvain's.
- Consensus: the co-association matrix (the share of candidates that put two modules together;
  Fred & Jain's evidence accumulation) cut by average linkage at every candidate number of
  clusters.

Every partition is an array of labels over the module indices, renumbered by smallest member so
that labels never depend on an algorithm's internal order.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import KMeans
from sklearn.manifold import spectral_embedding
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

Labels = NDArray[np.int64]

RESOLUTIONS = (0.5, 0.75, 1.0, 1.5, 2.0)  # one run each, each with its own seed
RESAMPLES = 3
RESAMPLE_KEEP = 0.9
SPECTRAL_KS = 3  # numbers of clusters tried by the spectral family, centred on Louvain's
MAX_FRONTIER = 30  # candidate numbers of services on the frontier at most


@dataclass(frozen=True, slots=True)
class Ensemble:
    """The candidate partitions, what made each, and the co-association they add up to."""

    labels: tuple[Labels, ...]
    sources: tuple[str, ...]  # e.g. "louvain resolution=1.0 seed=42"
    coassociation: NDArray[np.float64]


def canonical(labels: Sequence[int] | Labels) -> Labels:
    """Labels renumbered 0.. in the order of each cluster's smallest member."""
    out = np.empty(len(labels), dtype=np.int64)
    seen: dict[int, int] = {}
    for i, label in enumerate(labels):
        out[i] = seen.setdefault(int(label), len(seen))
    return out


def louvain(matrix: sparse.csr_matrix | nx.Graph, resolution: float, seed: int) -> Labels:
    """Seeded Louvain communities of a symmetric affinity matrix (or its networkx graph)."""
    graph = matrix if isinstance(matrix, nx.Graph) else nx.from_scipy_sparse_array(matrix)
    n = graph.number_of_nodes()
    if n == 0:
        return np.empty(0, dtype=np.int64)
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    labels = np.empty(n, dtype=np.int64)
    for label, members in enumerate(found):
        labels[list(members)] = label
    return canonical(labels)


def _resample(matrix: sparse.csr_matrix, seed: int) -> sparse.csr_matrix:
    """The matrix with each undirected edge kept with probability RESAMPLE_KEEP."""
    upper = sparse.triu(matrix, k=1).tocoo()
    keep = np.random.default_rng(seed).random(upper.nnz) < RESAMPLE_KEEP
    kept = sparse.coo_matrix(
        (upper.data[keep], (upper.row[keep], upper.col[keep])), shape=matrix.shape
    )
    return (kept + kept.T).tocsr()


def spectral(matrix: sparse.csr_matrix, ks: Sequence[int], seed: int) -> list[tuple[int, Labels]]:
    """Spectral partitions of the connected modules for each k (isolated ones stay alone)."""
    n = matrix.shape[0]
    degree = np.asarray(matrix.sum(axis=1)).ravel()
    linked = np.flatnonzero(degree > 0)
    ks = sorted({k for k in ks if 2 <= k < len(linked)})
    if not ks or len(linked) < 4:
        return []
    sub = matrix[linked][:, linked]
    dimensions = min(max(ks), len(linked) - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "graph is not fully connected": components still embed
        embedding = spectral_embedding(
            sub, n_components=dimensions, random_state=seed, drop_first=False
        )
    out = []
    for k in ks:
        rows = normalize(embedding[:, : min(k, dimensions)])
        # One thread: k-means on a few thousand points is fast, and thread pools spinning on a
        # busy machine made it a hundred times slower.
        with threadpool_limits(limits=1):
            found = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(rows)
        labels = np.arange(n, dtype=np.int64) + n  # isolated modules: their own clusters
        labels[linked] = found
        out.append((k, canonical(labels)))
    return out


def build_ensemble(matrix: sparse.csr_matrix, seed: int) -> Ensemble:
    """Louvain (resolutions, seeds, resamples) and spectral candidates, and their co-association."""
    labels: list[Labels] = []
    sources: list[str] = []
    graph = nx.from_scipy_sparse_array(matrix)
    for offset, resolution in enumerate(RESOLUTIONS):
        labels.append(louvain(graph, resolution, seed + offset))
        sources.append(f"louvain resolution={resolution} seed={seed + offset}")
    for offset in range(RESAMPLES):
        labels.append(louvain(_resample(matrix, seed + offset), 1.0, seed + offset))
        sources.append(f"louvain resample={offset + 1} seed={seed + offset}")
    base = _clusters(labels[RESOLUTIONS.index(1.0)])
    ks = [base + d for d in range(-(SPECTRAL_KS // 2), SPECTRAL_KS - SPECTRAL_KS // 2)]
    for k, found in spectral(matrix, ks, seed):
        labels.append(found)
        sources.append(f"spectral k={k} seed={seed}")
    return Ensemble(tuple(labels), tuple(sources), coassociation(labels, matrix.shape[0]))


def _clusters(labels: Labels) -> int:
    return int(labels.max()) + 1 if len(labels) else 0


def coassociation(partitions: Sequence[Labels], n: int) -> NDArray[np.float64]:
    """The share of partitions that put each pair of modules in the same cluster."""
    total = np.zeros((n, n), dtype=np.float64)
    for labels in partitions:
        onehot = sparse.csr_matrix(
            (np.ones(n), (np.arange(n), labels)), shape=(n, _clusters(labels))
        )
        total += (onehot @ onehot.T).toarray()
    return total / max(len(partitions), 1)


def candidate_sizes(ensemble: Ensemble) -> list[int]:
    """The numbers of clusters to cut the consensus at: the span the candidates cover."""
    counts = [_clusters(labels) for labels in ensemble.labels]
    if not counts:
        return []
    low, high = max(min(counts), 1), max(counts)
    if high - low + 1 <= MAX_FRONTIER:
        return list(range(low, high + 1))
    step = (high - low) / (MAX_FRONTIER - 1)
    return sorted({low + round(i * step) for i in range(MAX_FRONTIER)})


def consensus_cuts(ensemble: Ensemble, sizes: Sequence[int]) -> dict[int, Labels]:
    """Average-linkage cuts of the co-association at each size: size -> labels."""
    n = ensemble.coassociation.shape[0]
    if n < 2:
        return {1: np.zeros(n, dtype=np.int64)} if n else {}
    distance = 1.0 - ensemble.coassociation
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    cuts: dict[int, Labels] = {}
    for size in sizes:
        labels = canonical(fcluster(tree, t=size, criterion="maxclust"))
        cuts.setdefault(_clusters(labels), labels)
    return dict(sorted(cuts.items()))


def stability(coassoc: NDArray[np.float64], labels: Labels) -> dict[int, float]:
    """Per cluster, the mean share of candidates that keep a pair of its members together."""
    out = {}
    for label in range(_clusters(labels)):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            out[label] = 1.0
            continue
        block = coassoc[np.ix_(members, members)]
        pairs = len(members) * (len(members) - 1)
        out[label] = float((block.sum() - np.trace(block)) / pairs)
    return out
