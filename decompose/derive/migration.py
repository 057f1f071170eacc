"""The strangler-fig migration: in which order to take services out of the monolith.

Greedy, leaves first: each step extracts the service that would call back into what remains
of the monolith the least (distinct synchronous operations it needs from services still
inside), then the one the remaining monolith calls least, then the smallest, then by name.
A service that needs nothing from the monolith goes out cleanly; one that needs much waits
until what it needs is out, or its calls become events. Each step lists what moves, the
operations that become API calls to it, the calls it makes back into the monolith, the events
it publishes or consumes, and the couplings and lines still inside the monolith afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from decompose.derive.cycles import is_sync
from decompose.model.contracts import Dependency, Event, MigrationStep, Operation
from decompose.model.plan import Coupling, Service, Split


def plan_migration(
    services: Sequence[Service],
    dependencies: Sequence[Dependency],
    operations: Sequence[Operation],
    events: Sequence[Event],
    couplings: Sequence[Coupling],
    splits: Sequence[Split],
) -> tuple[MigrationStep, ...]:
    """One step per service (the shared kernel is a library, packaged before step 1)."""
    names = {s.name: s for s in services if not s.is_shared}
    sync = [d for d in dependencies if is_sync(d) and d.source in names and d.target in names]
    remaining = set(names)
    steps: list[MigrationStep] = []
    while remaining:
        chosen = min(remaining, key=lambda s: _score(s, remaining, sync, names[s]))
        remaining.discard(chosen)
        calls_out = sorted(
            {f"{d.target}.{d.name}" for d in sync if d.source == chosen and d.target in remaining}
        )
        inbound = sorted({d.source for d in sync if d.target == chosen and d.source in remaining})
        steps.append(
            MigrationStep(
                order=len(steps) + 1,
                service=chosen,
                modules=_moving(names[chosen], splits),
                operations=tuple(
                    sorted(op.operation_id for op in operations if op.service == chosen)
                ),
                events=tuple(
                    sorted({e.name for e in events if e.service == chosen or chosen in e.consumers})
                ),
                remaining_couplings=sum(
                    c.calls + c.imports
                    for c in couplings
                    if c.source_service in remaining and c.target_service in remaining
                ),
                reason=_reason(chosen, calls_out, inbound, len(steps) == 0),
                calls_out=tuple(calls_out),
                remaining_lines=sum(names[s].lines for s in remaining),
            )
        )
    return tuple(steps)


def _score(
    service: str, remaining: set[str], sync: Sequence[Dependency], record: Service
) -> tuple[int, int, int, str]:
    out = {(d.target, d.name) for d in sync if d.source == service and d.target in remaining}
    inbound = {
        loc for d in sync if d.target == service and d.source in remaining for loc in d.locations
    }
    return len(out), len(inbound), record.lines, service


def _moving(service: Service, splits: Sequence[Split]) -> tuple[str, ...]:
    moved: dict[str, list[str]] = defaultdict(list)
    for split in splits:
        for target, symbols in split.moves:
            if target == service.name:
                moved[split.module].extend(symbols)
    extra = [
        f"{module}:{symbol.removeprefix(module + '.')}"
        for module, symbols in sorted(moved.items())
        for symbol in sorted(symbols)
    ]
    return (*service.modules, *extra)


def _reason(service: str, calls_out: list[str], inbound: list[str], first: bool) -> str:
    if calls_out:
        many = len(calls_out) > 1
        needs = (
            f"it still calls {len(calls_out)} operation{'s' if many else ''} of services inside "
            f"the monolith, which must expose {'them' if many else 'it'} as an API first"
        )
    else:
        needs = "it calls nothing left in the monolith synchronously"
    if inbound:
        callers = ", ".join(inbound)
        return f"{needs}; {callers} call{'s' if len(inbound) == 1 else ''} its API from inside"
    return f"{needs}; nothing left in the monolith calls it synchronously" + (
        " — the safest first cut" if first and not calls_out else ""
    )
