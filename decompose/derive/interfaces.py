"""Services' interfaces: facts + resolved calls + data graph + placement -> `ServiceInterfaces`.

The order matters: owners first (every classification asks who owns what), then the crossing
dependencies, the read decisions, the operations, the events (they need the operations and the
read models), the classified dependencies carrying both, and last the cycles, the sagas and
the migration order, which read the classified dependencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from decompose.derive.classify import (
    AsyncLink,
    CrossCall,
    ForeignAccess,
    ReadDecision,
    async_links,
    cross_calls,
    decide_read,
    foreign_accesses,
)
from decompose.derive.cycles import find_cycles
from decompose.derive.events import EventIndex, build_events
from decompose.derive.migration import plan_migration
from decompose.derive.operations import (
    call_kind,
    call_operations,
    finish_operations,
    is_single,
    operations_by_key,
    read_operations,
    write_operations,
)
from decompose.derive.ownership import own_entities
from decompose.derive.program import Program, entity_name
from decompose.derive.sagas import find_sagas
from decompose.model.contracts import (
    Dependency,
    DependencyKind,
    Operation,
    ServiceInterfaces,
)
from decompose.model.data import AccessMode
from decompose.model.plan import Coupling, Service, Split


def build_interfaces(
    program: Program,
    services: Sequence[Service],
    couplings: Sequence[Coupling],
    splits: Sequence[Split],
) -> ServiceInterfaces:
    """Everything the contracts, the report and the starter repositories need."""
    ownership = own_entities(program)
    owner_of = {o.entity: o.owner for o in ownership}
    calls = cross_calls(program)
    accesses = foreign_accesses(program, owner_of)
    links = async_links(program, owner_of)
    reads: dict[tuple[str, str], list[ForeignAccess]] = defaultdict(list)
    for a in accesses:
        if a.mode is AccessMode.READ:
            reads[(a.source, a.entity)].append(a)
    decisions = {key: decide_read(group, program, owner_of) for key, group in reads.items()}
    queried = [
        a for key, group in sorted(reads.items()) if not decisions[key].read_model for a in group
    ]
    writes = [a for a in accesses if a.mode is AccessMode.WRITE]
    drafts = [
        *call_operations(program, calls),
        *read_operations(program, queried),
        *write_operations(program, writes),
    ]
    operations = operations_by_key(finish_operations(drafts))
    read_models: dict[str, set[str]] = defaultdict(set)
    for (reader, entity), decision in decisions.items():
        if decision.read_model:
            read_models[entity].add(reader)
    index = build_events(program, owner_of, read_models, operations.values(), links)
    dependencies = sorted(
        [
            *_call_dependencies(program, calls, operations, index),
            *_read_dependencies(reads, decisions, operations, index),
            *_write_dependencies(writes, operations, index),
            *_async_dependencies(links, index),
        ]
    )
    cycles, breaks, note = find_cycles(dependencies)
    return ServiceInterfaces(
        operations=tuple(sorted(operations.values(), key=lambda o: (o.service, o.operation_id))),
        events=tuple(sorted(index.events, key=lambda e: (e.service, e.name))),
        dependencies=tuple(dependencies),
        ownership=ownership,
        cycles=cycles,
        breaks=breaks,
        sagas=find_sagas(program, owner_of, operations),
        migration=plan_migration(
            services, dependencies, list(operations.values()), index.events, couplings, splits
        ),
        notes=(note,) if note else (),
    )


def _published(index: EventIndex, function: str) -> tuple[str, ...]:
    return tuple(sorted(index.by_function.get(function, ())))


def _call_dependencies(
    program: Program,
    calls: Sequence[CrossCall],
    operations: Mapping[str, Operation],
    index: EventIndex,
) -> list[Dependency]:
    groups: dict[tuple[str, str], list[CrossCall]] = defaultdict(list)
    for c in calls:
        groups[(c.source, c.callee)].append(c)
    found = []
    for (source, callee), group in sorted(groups.items()):
        op = operations[callee]
        _, because = call_kind(program, callee, any(c.used for c in group))
        what = "a query" if op.kind is DependencyKind.QUERY else "a command"
        reason = f"{because}: {what} on {op.service}'s API"
        events = _published(index, callee)
        if events:
            reason += f"; {op.service} publishes {', '.join(events)} for the services that follow"
        found.append(
            Dependency(
                source=source,
                target=op.service,
                kind=op.kind,
                name=op.operation_id,
                reason=reason,
                locations=tuple(sorted({c.ref for c in group})),
                origin="call",
                events=events,
            )
        )
    return found


def _read_dependencies(
    reads: Mapping[tuple[str, str], list[ForeignAccess]],
    decisions: Mapping[tuple[str, str], ReadDecision],
    operations: Mapping[str, Operation],
    index: EventIndex,
) -> list[Dependency]:
    found = []
    for (reader, entity), group in sorted(reads.items()):
        decision = decisions[(reader, entity)]
        owner = group[0].target
        locations = tuple(sorted({a.ref for a in group}))
        if decision.read_model:
            found.append(
                Dependency(
                    reader,
                    owner,
                    DependencyKind.READ_MODEL,
                    entity_name(entity),
                    decision.reason,
                    locations,
                    origin="read",
                    entity=entity,
                    events=tuple(sorted(index.by_entity.get(entity, ()))),
                )
            )
            continue
        for shape in sorted({_shape(a) for a in group}):
            op = operations[f"{entity}@{shape}"]
            refs = tuple(sorted({a.ref for a in group if _shape(a) == shape}))
            found.append(
                Dependency(
                    reader,
                    owner,
                    DependencyKind.QUERY,
                    op.operation_id,
                    decision.reason,
                    refs,
                    origin="read",
                    entity=entity,
                )
            )
    return found


def _shape(a: ForeignAccess) -> str:
    return "get" if is_single(a.via) else "list"


def _write_dependencies(
    writes: Sequence[ForeignAccess], operations: Mapping[str, Operation], index: EventIndex
) -> list[Dependency]:
    groups: dict[tuple[str, str, str], list[ForeignAccess]] = defaultdict(list)
    for w in writes:
        groups[(w.source, w.entity, w.function)].append(w)
    found = []
    for (writer, entity, function), group in sorted(groups.items()):
        owner = group[0].target
        op = operations[f"{function}@write"]
        events = _published(index, function)
        reason = (
            f"{function} writes {entity_name(entity)}, which {owner} owns: share nothing — "
            f"move the write behind {owner}'s {op.operation_id} operation"
        )
        if events:
            reason += f", which publishes {', '.join(events)}"
        found.append(
            Dependency(
                writer,
                owner,
                DependencyKind.VIOLATION,
                op.operation_id,
                reason,
                tuple(sorted({w.ref for w in group})),
                origin="write",
                entity=entity,
                events=events,
            )
        )
    return found


def _async_dependencies(links: Sequence[AsyncLink], index: EventIndex) -> list[Dependency]:
    groups: dict[tuple[str, str, str, str], list[AsyncLink]] = defaultdict(list)
    for link in links:
        groups[(link.kind, link.publisher, link.consumer, index.by_link[link])].append(link)
    found = []
    for (kind, publisher, consumer, name), group in sorted(groups.items()):
        refs = {link.handler_ref for link in group}
        refs.update(link.trigger for link in group if link.trigger is not None)
        signal = group[0].name
        if kind == "task":
            found.append(
                Dependency(
                    publisher,
                    consumer,
                    DependencyKind.COMMAND,
                    name,
                    f"{publisher} queues the Celery task {group[0].handler}, which runs in "
                    f"{consumer}: an asynchronous command message {publisher} sends",
                    tuple(sorted(refs)),
                    origin="task",
                    events=(name,),
                )
            )
        else:
            found.append(
                Dependency(
                    consumer,
                    publisher,
                    DependencyKind.EVENT,
                    name,
                    f"{consumer} receives the signal {signal} that {publisher} sends: "
                    f"it subscribes to {publisher}'s {name} event",
                    tuple(sorted(refs)),
                    origin="signal",
                    entity=group[0].sender,
                    events=(name,),
                )
            )
    return found
