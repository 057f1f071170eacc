"""Cycles of synchronous dependencies between services, each with the calls behind it and a fix.

Services deploy independently only if their synchronous dependencies (queries, commands, and
the direct writes that commands will replace) form no cycle. Every elementary cycle is found
with Johnson's algorithm (pure Python; the graph has one node per service). The fix: two
services calling each other heavily both ways are one service cut in two, so merge them;
otherwise a link turns into events: the lightest of the links proposed to break them all.

Cycles overlap: a hundred of them may rest on a handful of links. `find_cycles` proposes the
links to turn into events so that no cycle is left at all: a minimal feedback arc set on the
links' weights (`decompose.digraph.feedback_links`): each other link, heaviest first, stays
synchronous.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from decompose.digraph import feedback_links, strongly_connected
from decompose.model.contracts import Cycle, CycleBreak, Dependency, DependencyKind, SourceRef

SYNC = frozenset({DependencyKind.QUERY, DependencyKind.COMMAND, DependencyKind.VIOLATION})
MAX_CYCLES = 100  # past this, cycles are counted in a note rather than listed
# A two-service cycle with at least this many locations each way, the lighter direction at
# least half the heavier, is one domain cut in two: merge rather than decouple.
MERGE_MIN = 3
MERGE_RATIO = 0.5


def is_sync(d: Dependency) -> bool:
    """A dependency that needs the other service up: calls and writes, not events or tasks."""
    return d.kind in SYNC and d.origin != "task"


def _sync_links(dependencies: Sequence[Dependency]) -> dict[tuple[str, str], list[Dependency]]:
    links: dict[tuple[str, str], list[Dependency]] = defaultdict(list)
    for d in dependencies:
        if is_sync(d) and d.source != d.target:
            links[(d.source, d.target)].append(d)
    return links


def find_cycles(
    dependencies: Sequence[Dependency],
) -> tuple[tuple[Cycle, ...], tuple[CycleBreak, ...], str]:
    """Every elementary cycle of synchronous dependencies (up to `MAX_CYCLES`), the links to
    turn into events so that none is left, and a note."""
    links = _sync_links(dependencies)
    weight = {pair: _weight(deps) for pair, deps in links.items()}
    successors: dict[str, set[str]] = defaultdict(set)
    for source, target in links:
        successors[source].add(target)
    loops, complete = elementary_cycles(successors, MAX_CYCLES)
    breaking = feedback_links(weight)
    cycles = tuple(_cycle(loop, links, breaking) for loop in loops)
    note = (
        ""
        if complete
        else (
            f"More than {MAX_CYCLES} cycles of synchronous dependencies: the first {MAX_CYCLES} "
            "are listed; the links proposed to break them all break every one."
        )
    )
    return cycles, _breaks(breaking, links, weight, cycles), note


def _breaks(
    breaking: set[tuple[str, str]],
    links: Mapping[tuple[str, str], list[Dependency]],
    weight: Mapping[tuple[str, str], int],
    cycles: Sequence[Cycle],
) -> tuple[CycleBreak, ...]:
    """The links to break, those through most listed cycles first, each with its fix."""
    through: dict[tuple[str, str], int] = defaultdict(int)
    for c in cycles:
        for k, source in enumerate(c.services):
            through[(source, c.services[(k + 1) % len(c.services)])] += 1
    found = []
    for s, t in sorted(breaking, key=lambda p: (-through[p], weight[p], p)):
        detail = _as_events((s, t), links[(s, t)])
        back = weight.get((t, s), 0)
        if back and _tight((weight[(s, t)], back)):
            detail = f"merge {s} and {t}, which call each other heavily both ways, or: {detail}"
        found.append(CycleBreak(s, t, weight[(s, t)], through[(s, t)], detail))
    return tuple(found)


def elementary_cycles(
    successors: Mapping[str, set[str]], limit: int
) -> tuple[list[tuple[str, ...]], bool]:
    """Johnson's elementary circuits, each starting at its smallest node, in a stable order.

    Returns the cycles found (at most `limit`) and whether that is all of them.
    """
    nodes = sorted(set(successors) | {t for ts in successors.values() for t in ts})
    found: list[tuple[str, ...]] = []
    for i, start in enumerate(nodes):
        allowed = set(nodes[i:])
        sub = {n: {t for t in successors.get(n, ()) if t in allowed} for n in nodes[i:]}
        component = next(c for c in strongly_connected(nodes[i:], sub) if start in c)
        if len(component) == 1 and start not in sub[start]:
            continue
        inside = set(component)
        graph = {n: sorted(t for t in sub[n] if t in inside) for n in component}
        if not _circuits(start, graph, found, limit):
            return found, False
    return found, True


def _circuits(
    start: str, graph: Mapping[str, list[str]], found: list[tuple[str, ...]], limit: int
) -> bool:
    """Johnson's CIRCUIT from `start`; False once `limit` cycles are found."""
    blocked: set[str] = set()
    blocked_by: dict[str, set[str]] = defaultdict(set)
    path: list[str] = []

    def unblock(node: str) -> None:
        pending = [node]
        while pending:
            n = pending.pop()
            if n in blocked:
                blocked.discard(n)
                pending.extend(sorted(blocked_by.pop(n, set())))

    def circuit(node: str) -> tuple[bool, bool]:  # (closed a cycle, keep going)
        closed = False
        path.append(node)
        blocked.add(node)
        for nxt in graph[node]:
            if nxt == start:
                found.append(tuple(path))
                closed = True
                if len(found) >= limit:
                    return True, False
            elif nxt not in blocked:
                sub_closed, go_on = circuit(nxt)
                closed = closed or sub_closed
                if not go_on:
                    return closed, False
        if closed:
            unblock(node)
        else:
            for nxt in graph[node]:
                blocked_by[nxt].add(node)
        path.pop()
        return closed, True

    return circuit(start)[1]


def _cycle(
    loop: tuple[str, ...],
    links: Mapping[tuple[str, str], list[Dependency]],
    breaking: set[tuple[str, str]],
) -> Cycle:
    pairs = [(loop[k], loop[(k + 1) % len(loop)]) for k in range(len(loop))]
    weights = tuple(_weight(links[p]) for p in pairs)
    chain = tuple(_evidence(links[p]) for p in pairs)
    if len(loop) == 2 and _tight(weights):
        a, b = loop
        return Cycle(
            services=loop,
            chain=chain,
            fix="merge",
            detail=(
                f"merge {a} and {b}: {a} → {b} rests on {_locations(weights[0])} "
                f"({_names(links[pairs[0]])}) and {b} → {a} on {_locations(weights[1])} "
                f"({_names(links[pairs[1]])}); they change together"
            ),
            weights=weights,
        )
    # the lightest of its links proposed to break them all, so that the fixes agree
    proposed = [k for k, p in enumerate(pairs) if p in breaking] or range(len(pairs))
    chosen = min(proposed, key=lambda k: (weights[k], pairs[k]))
    return Cycle(
        services=loop,
        chain=chain,
        fix="event",
        detail=_event_fix(pairs[chosen], links[pairs[chosen]], weights[chosen], min(weights)),
        weights=weights,
    )


def _tight(weights: tuple[int, ...]) -> bool:
    low, high = min(weights), max(weights)
    return low >= MERGE_MIN and low / high >= MERGE_RATIO


def _weight(deps: Sequence[Dependency]) -> int:
    return len({loc for d in deps for loc in d.locations}) or len(deps)


def _evidence(deps: Sequence[Dependency]) -> SourceRef:
    """The first location of the heaviest dependency behind a link."""
    heaviest = sorted(deps, key=lambda d: (-len(d.locations), d.name, d.kind))[0]
    return min(heaviest.locations) if heaviest.locations else SourceRef("", "", 0)


def _names(deps: Sequence[Dependency]) -> str:
    names = sorted({d.name for d in deps})
    shown = ", ".join(names[:4])
    return shown + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _locations(n: int) -> str:
    return f"{n} location{'s' if n != 1 else ''}"


def _event_fix(
    pair: tuple[str, str], deps: Sequence[Dependency], weight: int, lightest: int
) -> str:
    source, target = pair
    which = "the lightest link" if weight == lightest else "a link proposed to break them all"
    return f"turn {which}, {source} → {target} ({_locations(weight)}), into events: " + _as_events(
        pair, deps
    )


def _as_events(pair: tuple[str, str], deps: Sequence[Dependency]) -> str:
    """How a link's queries and commands become events."""
    source, target = pair
    queries = [d for d in deps if d.kind is DependencyKind.QUERY]
    commands = [d for d in deps if d.kind is not DependencyKind.QUERY]
    parts = []
    if queries:
        parts.append(
            f"{target} publishes events when the data {source} queries changes "
            f"({_names(queries)}) and {source} keeps a local read model"
        )
    if commands:
        parts.append(
            f"{source} publishes an event where it now calls {_names(commands)} "
            f"and {target} subscribes to it"
        )
    return "; ".join(parts)
