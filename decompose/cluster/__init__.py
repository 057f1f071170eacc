"""Stage 5, cluster: `ModuleGraph` + signal weights + constraints -> `Clustering`.

How it decides:
1. Combine the signals into one symmetric affinity (`affinity`): each kind of edge scaled to a
   mean strength of 1, times its weight.
2. Set apart what no domain owns (`kernel`): modules with no dependency at all, then, after a
   first consensus partition, the shared kernel (broadly used code, leaf utilities).
3. Candidates (`ensemble`) from two families on the remaining modules: Louvain modularity over
   a resolution sweep, seeds and resamples; spectral clustering around Louvain's number of
   clusters. Their co-association (the share of candidates putting two modules together) is
   cut by average linkage at every number of services the candidates span: the frontier.
4. Selection criterion: the frontier point with the highest modularity of the combined affinity
   (ties: fewer services). Modularity is the one measure every candidate was built to optimise
   and the only one that weighs all signals; the other measures are shown beside it.
5. Constraints (`constraints`): must-link units are contracted before clustering; pins and
   cannot-link pairs are enforced after it; the cost is measured against an unconstrained run.
6. Then: modules with no code follow their package; each domain's stability is the mean
   co-association of its members; modules whose symbols pull elsewhere are split (`split`);
   every module gets an explanation (`explain`); the partition gets its metrics (`metrics`).
Deterministic: sorted inputs, explicit seeds, labels renumbered by smallest member.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from decompose.cluster.affinity import Affinity, affinity_graph
from decompose.cluster.constraints import Resolved, contract, enforce, resolve
from decompose.cluster.ensemble import (
    build_ensemble,
    candidate_sizes,
    canonical,
    consensus_cuts,
    stability,
)
from decompose.cluster.explain import explain
from decompose.cluster.kernel import detached, place_codeless, shared_kernel
from decompose.cluster.metrics import Quality
from decompose.cluster.split import split_modules
from decompose.model import (
    SHARED_SERVICE,
    Clustering,
    ConstraintReport,
    Constraints,
    FrontierPoint,
    Metrics,
    ModuleGraph,
    SharedModule,
)

__all__ = ["SELECTION", "affinity_graph", "cluster_modules"]

ALGORITHM = "consensus of louvain (resolution sweep, seeds, resamples) and spectral"
SELECTION = (
    "highest modularity of the combined affinity among the consensus cuts (ties: fewer services)"
)
PINNED_SHARED = "pinned to the shared kernel by the configuration"
KERNEL_ROUNDS = 4  # partition, set the kernel apart, partition again: until nothing changes


@dataclass(frozen=True, slots=True)
class _Partition:
    assignment: dict[str, int]
    frontier: tuple[FrontierPoint, ...]
    members: tuple[str, ...]
    coassociation: NDArray[np.float64]  # over `members`


def cluster_modules(
    graph: ModuleGraph,
    weights: Mapping[str, float],
    seed: int,
    constraints: Constraints | None = None,
) -> Clustering:
    """Domains of the graph's modules, the shared kernel set apart, and why."""
    resolved = resolve(constraints or Constraints(), graph.modules)
    affinity = Affinity(graph.modules, graph.edges, weights)
    quality = Quality(graph, affinity)
    assignment, shared, partition = _decide(graph, affinity, quality, resolved, seed)
    report = None
    if constraints:
        free_assignment, _, _ = _decide(
            graph, affinity, quality, resolve(Constraints(), graph.modules), seed
        )
        report = ConstraintReport(
            pins=tuple(sorted(resolved.pin_of.items())),
            must_link=tuple(resolved.must_link),
            cannot_link=tuple(resolved.cannot_link),
            unconstrained=quality.measure(_labels(affinity, free_assignment, graph.codeless)),
            moved=_moved(assignment, free_assignment),
        )
    metrics = quality.measure(_labels(affinity, assignment, graph.codeless))
    names = _pinned_names(assignment, resolved)
    symbols, splits = split_modules(graph, assignment, weights)
    return Clustering(
        assignment=tuple(sorted(assignment.items())),
        shared=tuple(sorted(SharedModule(m, r) for m, r in shared.items())),
        algorithm=ALGORITHM,
        modularity=metrics.modularity,
        seed=seed,
        names=names,
        symbols=tuple(sorted(symbols.items())),
        splits=splits,
        stability=tuple(sorted(_stability(partition, assignment).items())),
        metrics=metrics,
        frontier=partition.frontier,
        explanations=explain(affinity, assignment),
        constraints=report,
        notes=tuple(resolved.notes),
        transactions_note=quality.transactions_note,
    )


def _decide(
    graph: ModuleGraph, affinity: Affinity, quality: Quality, resolved: Resolved, seed: int
) -> tuple[dict[str, int], dict[str, str], _Partition]:
    """The assignment of modules to domains, the shared kernel, and the final partition."""
    codeless = set(graph.codeless)
    shared = {m: PINNED_SHARED for m, s in resolved.pin_of.items() if s == SHARED_SERVICE}
    candidates = sorted(set(graph.modules) - codeless)
    shared.update(_free(detached(graph, codeless | set(shared)), resolved))
    final = _partition(
        affinity, quality, [m for m in candidates if m not in shared], resolved, seed
    )
    for _ in range(KERNEL_ROUNDS):
        found = shared_kernel(graph, final.assignment)
        found.update(detached(graph, codeless | set(shared) | set(found)))
        found = _free(found, resolved)
        if not found.keys() - shared.keys():
            break
        shared.update(found)
        rest = [m for m in candidates if m not in shared]
        final = _partition(affinity, quality, rest, resolved, seed)
    assignment = enforce(final.assignment, resolved, affinity.neighbours())
    assignment = _renumber(assignment)
    placed, unplaced = place_codeless(sorted(codeless), assignment, shared, graph.lines_of())
    assignment.update(placed)
    shared.update(unplaced)
    return assignment, shared, final


def _free(found: Mapping[str, str], resolved: Resolved) -> dict[str, str]:
    """The modules no constraint holds."""
    return {m: r for m, r in found.items() if m not in resolved.constrained}


def _partition(
    affinity: Affinity,
    quality: Quality,
    members: Sequence[str],
    resolved: Resolved,
    seed: int,
) -> _Partition:
    """Consensus partition of `members` (must-link units contracted), with its frontier."""
    if not members:
        return _Partition({}, (), (), np.zeros((0, 0)))
    matrix = affinity.submatrix([affinity.index[m] for m in members])
    unit_matrix, _, which = contract(matrix, members, resolved.unit_of)
    ensemble = build_ensemble(unit_matrix, seed)
    cuts = consensus_cuts(ensemble, candidate_sizes(ensemble))
    measured: list[tuple[Metrics, NDArray[np.int64]]] = []
    for labels in cuts.values():
        expanded = canonical(labels[which])
        assignment = {m: int(d) for m, d in zip(members, expanded, strict=True)}
        measured.append((quality.measure(_labels(affinity, assignment, ())), expanded))
    best = min(range(len(measured)), key=lambda i: (-round(measured[i][0].modularity, 9), i))
    chosen = measured[best][1]
    frontier = tuple(FrontierPoint(m, i == best) for i, (m, _) in enumerate(measured))
    return _Partition(
        {m: int(d) for m, d in zip(members, chosen, strict=True)},
        frontier,
        tuple(members),
        ensemble.coassociation[np.ix_(which, which)],
    )


def _stability(partition: _Partition, assignment: Mapping[str, int]) -> dict[int, float]:
    """Per domain, how often the candidates keep its clustered members together."""
    domains = sorted(set(assignment.values()))
    labels = np.array([domains.index(assignment[m]) for m in partition.members], dtype=np.int64)
    found = stability(partition.coassociation, labels) if len(labels) else {}
    out = {d: round(found.get(i, 1.0), 4) for i, d in enumerate(domains)}
    return out


def _labels(
    affinity: Affinity, assignment: Mapping[str, int], excluded: Sequence[str]
) -> NDArray[np.int64]:
    labels = np.full(len(affinity.modules), -1, dtype=np.int64)
    skip = set(excluded)
    for module, domain in assignment.items():
        if module not in skip:
            labels[affinity.index[module]] = domain
    return labels


def _renumber(assignment: Mapping[str, int]) -> dict[str, int]:
    """Domains numbered by their smallest module, so numbers come from content."""
    ordered = sorted(assignment)
    labels = canonical([assignment[m] for m in ordered])
    return {m: int(d) for m, d in zip(ordered, labels, strict=True)}


def _pinned_names(assignment: Mapping[str, int], resolved: Resolved) -> tuple[tuple[int, str], ...]:
    names = {assignment[m]: s for m, s in sorted(resolved.pin_of.items()) if m in assignment}
    return tuple(sorted(names.items()))


def _moved(assignment: Mapping[str, int], free: Mapping[str, int]) -> int:
    """Modules outside the unconstrained domain their constrained domain overlaps most."""
    overlap: dict[int, dict[int, int]] = {}
    for module, domain in assignment.items():
        if module in free:
            row = overlap.setdefault(domain, {})
            row[free[module]] = row.get(free[module], 0) + 1
    kept = sum(max(row.values()) for row in overlap.values())
    return sum(1 for m in assignment if m in free) - kept
