"""Small directed-graph algorithms on plain dicts, for the stages that have no networkx (derive
and render): strongly connected components, shortest paths and a small feedback arc set. All
deterministic.

The feedback arc set (`feedback_links`): Eades, Lin and Smyth's greedy ordering on edge weights
(a node whose outgoing weight most exceeds its incoming weight goes early; edges running
backwards in the order are the set), then made minimal: each edge, heaviest first, is kept if it
closes no cycle with the others."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping

Adjacency = Mapping[str, Iterable[str]]


def strongly_connected(nodes: Iterable[str], adjacency: Adjacency) -> list[tuple[str, ...]]:
    """Strongly connected components, each sorted, listed by first member."""
    return sorted(components_successors_first(nodes, adjacency))


def components_successors_first(
    nodes: Iterable[str], adjacency: Adjacency
) -> list[tuple[str, ...]]:
    """Strongly connected components (Tarjan, iterative), each sorted, in Tarjan's order: a
    component comes after every component it reaches."""
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
    return components


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


def feedback_links(weight: Mapping[tuple[str, str], int]) -> set[tuple[str, str]]:
    """A minimal set of links whose removal leaves the weighted directed graph acyclic."""
    order = feedback_order(sorted({n for pair in weight for n in pair}), weight)
    position = {n: i for i, n in enumerate(order)}
    chosen = {p for p in weight if position[p[0]] > position[p[1]]}
    kept = set(weight) - chosen
    for pair in sorted(chosen, key=lambda p: (-weight[p], p)):  # heaviest stays if it can
        if _acyclic(kept | {pair}):
            kept.add(pair)
            chosen.discard(pair)
    return chosen


def _acyclic(pairs: set[tuple[str, str]]) -> bool:
    """Kahn's topological sort empties the graph."""
    indegree: dict[str, int] = defaultdict(int)
    successors: dict[str, list[str]] = defaultdict(list)
    for s, t in pairs:
        successors[s].append(t)
        indegree[t] += 1
        indegree.setdefault(s, 0)
    ready = [n for n, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for t in successors[node]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return seen == len(indegree)
