"""Layered ordering of the context map's services for drawing, on plain dicts (the render stage
has no networkx). Deterministic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from decompose.digraph import feedback_order


def layer_rows(
    names: Sequence[str], weight: Mapping[tuple[str, str], float], row_limit: int
) -> list[list[str]]:
    """Nodes in rows of at most `row_limit`, top to bottom: sources above what they point at.

    Cycles are broken for the layout only, by the lightest feedback edges (`feedback_order`):
    those are the edges that point up. Rows are ordered by barycentre to limit crossings.
    """
    order = feedback_order(names, weight)
    rank = {n: i for i, n in enumerate(order)}
    down: dict[str, set[str]] = defaultdict(set)
    for s, t in weight:
        if rank[s] < rank[t]:
            down[s].add(t)
    layer: dict[str, int] = {}
    for name in reversed(order):  # every forward edge leads to a node already placed
        layer[name] = 1 + max((layer[t] for t in down[name]), default=-1)
    layers: dict[int, list[str]] = defaultdict(list)
    for name in sorted(names):
        layers[layer[name]].append(name)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for s, t in weight:
        neighbours[s].add(t)
        neighbours[t].add(s)
    ordered = _order_layers([layers[i] for i in sorted(layers)], neighbours)
    rows: list[list[str]] = []
    for members in reversed(ordered):
        rows.extend(members[i : i + row_limit] for i in range(0, len(members), row_limit))
    return rows


def _order_layers(layers: list[list[str]], neighbours: Mapping[str, set[str]]) -> list[list[str]]:
    """Barycentre ordering, sweeping up and down twice, against the layers already placed."""
    position = _positions(layers)
    for _ in range(2):
        for sweep in (range(1, len(layers)), range(len(layers) - 2, -1, -1)):
            for i in sweep:
                layers[i] = _by_barycentre(layers[i], neighbours, position)
                position.update(_positions([layers[i]]))
    return layers


def _positions(layers: Iterable[list[str]]) -> dict[str, float]:
    return {n: (i + 0.5) / len(layer) for layer in layers for i, n in enumerate(layer)}


def _by_barycentre(
    layer: list[str], neighbours: Mapping[str, set[str]], position: Mapping[str, float]
) -> list[str]:
    def centre(name: str) -> float:
        linked = [position[t] for t in neighbours.get(name, ()) if t in position]
        return sum(linked) / len(linked) if linked else position[name]

    return sorted(layer, key=lambda n: (centre(n), n))
