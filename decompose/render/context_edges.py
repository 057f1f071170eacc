"""The arrows of the context map, before layout: `Plan` -> `MapEdge`, one per pair and kind.

An arrow is what a dependency becomes once the services are apart: a synchronous API call
(from the caller to the service answering it, named by its operations), an event (from the
publisher to the subscriber, named by its events), or, where the plan classified nothing, the
plain code dependency (imports, calls) that still has to be cut.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decompose.digraph import strongly_connected
from decompose.model.plan import Plan
from decompose.render.format import format_counts, plural

SYNC = "sync"
EVENT = "event"
CODE = "code"
KIND_ORDER = {SYNC: 0, EVENT: 1, CODE: 2}
# Names on an arrow's label before "+N more"; the arrow's title lists them all.
LABEL_NAMES = 2
LABEL_CHARS = 30  # a longer name is cut with an ellipsis on the label (never in the title)


@dataclass(frozen=True, slots=True, order=True)
class MapEdge:
    """One arrow to draw: from `source` to `target`, of one kind."""

    source: str
    target: str
    kind: str  # SYNC, EVENT or CODE
    names: tuple[str, ...]  # operations (SYNC) or events (EVENT), sorted; () for CODE
    calls: int  # the code dependency behind it, caller -> owner
    imports: int

    @property
    def weight(self) -> int:
        """How much the arrow carries: its names, else its code dependency."""
        return 4 * len(self.names) + self.calls + self.imports

    @property
    def label(self) -> tuple[str, ...]:
        """The label's lines: the first names and "+N more", or the counts of the code."""
        if self.kind == CODE:
            return (format_counts(self.calls, self.imports),)
        lines = [_cut(n) for n in self.names[:LABEL_NAMES]]
        if len(self.names) > LABEL_NAMES:
            lines.append(f"+{len(self.names) - LABEL_NAMES} more")
        return tuple(lines)

    def title(self, in_cycle: bool, leak: bool) -> str:
        """What the arrow's tooltip and a screen reader say: every name, in words."""
        if leak:
            counts = format_counts(self.calls, self.imports)
            return f"The shared kernel depends on {self.target}: {counts} (a library must not)"
        if self.kind == SYNC:
            text = (
                f"{self.source} calls the API of {self.target}: "
                f"{plural(len(self.names), 'operation')} ({', '.join(self.names)})"
            )
        elif self.kind == EVENT:
            text = (
                f"{self.source} publishes {plural(len(self.names), 'event')} that "
                f"{self.target} consumes ({', '.join(self.names)})"
            )
        else:
            text = (
                f"{self.source} depends on {self.target}: "
                f"{format_counts(self.calls, self.imports)}, no operation or event classified"
            )
        if in_cycle:
            text += " (part of a cycle)"
        return text


def _cut(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def map_edges(plan: Plan, kernel: set[str]) -> list[MapEdge]:
    """Every arrow between the plan's services, sorted; none into the shared kernel."""
    names = {s.name for s in plan.services}
    code = {
        (s.name, d.target): (d.calls, d.imports)
        for s in plan.services
        for d in s.dependencies
        if d.target != s.name and d.target in names and d.count > 0
    }
    calls: dict[tuple[str, str], set[str]] = defaultdict(set)
    for op in plan.interfaces.operations:
        for consumer in op.consumers:
            calls[(consumer, op.service)].add(op.operation_id)
    events: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in plan.interfaces.events:
        for consumer in event.consumers:
            events[(event.service, consumer)].add(event.name)
    edges: list[MapEdge] = []
    for kind, named in ((SYNC, calls), (EVENT, events)):
        for (source, target), found in named.items():
            if source == target or not {source, target} <= names - kernel:
                continue
            owner_pair = (source, target) if kind == SYNC else (target, source)
            edges.append(
                MapEdge(source, target, kind, tuple(sorted(found)), *code.get(owner_pair, (0, 0)))
            )
    for (source, target), (n_calls, n_imports) in code.items():
        # A dependency carried by an operation or an event is drawn as that; the rest as code.
        if target in kernel or (source, target) in calls or (target, source) in events:
            continue
        edges.append(MapEdge(source, target, CODE, (), n_calls, n_imports))
    return sorted(edges)


def ranked(edges: Iterable[MapEdge]) -> list[MapEdge]:
    """Operations and events before plain code, then heaviest first, ties by kind and name."""
    return sorted(
        edges, key=lambda e: (e.kind == CODE, -e.weight, KIND_ORDER[e.kind], e.source, e.target)
    )


def depends(edge: MapEdge) -> tuple[str, str]:
    """The pair (depending service, service depended on) behind an arrow."""
    return (edge.target, edge.source) if edge.kind == EVENT else (edge.source, edge.target)


def cyclic_edges(edges: Iterable[MapEdge], kernel: set[str]) -> set[MapEdge]:
    """Synchronous and code arrows on a cycle between services (events do not couple)."""
    coupling = [e for e in edges if e.kind != EVENT and not kernel & {e.source, e.target}]
    adjacency: dict[str, set[str]] = defaultdict(set)
    for e in coupling:
        adjacency[e.source].add(e.target)
    nodes = {n for e in coupling for n in (e.source, e.target)}
    component = {n: c for c in strongly_connected(nodes, adjacency) for n in c}
    return {e for e in coupling if component[e.source] == component[e.target]}


def layer_weights(edges: Iterable[MapEdge], kernel: set[str]) -> Mapping[tuple[str, str], int]:
    """Weights for the layering: a service above what it calls or imports.

    Events are left out: a publisher does not know its subscribers, and layering by them too
    stacks every service into one tall column.
    """
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for e in edges:
        if e.source not in kernel and e.kind != EVENT:
            weights[depends(e)] += e.weight
    return dict(weights)
