"""Small directed-graph algorithms for the report, on plain dicts (the render stage has no
networkx): strongly connected components, shortest paths, a small feedback arc set and a
layered ordering for drawing. All deterministic."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence

Adjacency = Mapping[str, Iterable[str]]


def strongly_connected(nodes: Iterable[str], adjacency: Adjacency) -> list[tuple[str, ...]]:
    """Strongly connected components (Tarjan, iterative), each sorted, listed by first member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[tuple[str, ...]] = []
    for root in sorted(nodes):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(adjacency.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(adjacency.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                components.append(tuple(sorted(members)))
    return sorted(components)


def shortest_path(adjacency: Adjacency, start: str, goal: str) -> tuple[str, ...]:
    """The shortest path from `start` to `goal` (neighbours tried in sorted order); () if none."""
    previous: dict[str, str] = {}
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [goal]
            while path[-1] != start:
                path.append(previous[path[-1]])
            return tuple(reversed(path))
        for nxt in sorted(adjacency.get(node, ())):
            if nxt not in seen:
                seen.add(nxt)
                previous[nxt] = node
                queue.append(nxt)
    return ()


def feedback_order(nodes: Iterable[str], weight: Mapping[tuple[str, str], float]) -> list[str]:
    """An order of the nodes in which few, light edges point backwards (Eades, Lin and Smyth).

    Sinks go to the end and sources to the front as they appear; when neither is left, the node
    whose outgoing weight most exceeds its incoming weight goes to the front. Edges from a later
    node to an earlier one then form a small feedback set: remove them and no cycle is left.
    """
    remaining = set(nodes)
    out: dict[str, dict[str, float]] = {n: {} for n in remaining}
    into: dict[str, dict[str, float]] = {n: {} for n in remaining}
    for (source, target), w in weight.items():
        if source in remaining and target in remaining and source != target:
            out[source][target] = w
            into[target][source] = w
    front: list[str] = []
    back: list[str] = []

    def remove(node: str) -> None:
        remaining.discard(node)
        for target in out.pop(node):
            into[target].pop(node, None)
        for source in into.pop(node):
            out[source].pop(node, None)

    while remaining:
        sinks = sorted(n for n in remaining if not out[n])
        sources = sorted(n for n in remaining if not into[n] and out[n])
        if sinks:
            for node in sinks:
                back.append(node)
                remove(node)
        elif sources:
            for node in sources:
                front.append(node)
                remove(node)
        else:
            node = max(
                sorted(remaining),
                key=lambda n: sum(out[n].values()) - sum(into[n].values()),
            )
            front.append(node)
            remove(node)
    return front + back[::-1]


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
